import { describe, expect, it } from 'vitest'

import { decodeUtf8, loadBrief, MAX_BRIEF_BYTES, parseBrief } from '../deck/brief/brief.ts'
import { deckErrorOf, DEFAULT_BRIEF, fixture, lineOf, problemsOf, readRepoFile } from './helpers.ts'

const valid = fixture('all-layouts.yaml')

/** Replaces one exact piece of the valid fixture, failing loudly if it is not there. */
function edit(from: string, to: string): string {
  expect(valid).toContain(from)
  return valid.replace(from, to)
}

describe('the real brief', () => {
  const brief = parseBrief(readRepoFile(DEFAULT_BRIEF), DEFAULT_BRIEF)

  it('validates and keeps every figure the brief gives', () => {
    const values = Object.values(brief.figures).map((f) => f.value)
    for (const v of [28, 14500, 20000, 15000, 110000, 7, 1000, 500, 140]) expect(values).toContain(v)
  })

  it('has the 12 numbered references, each with a title, publisher and URL', () => {
    expect(brief.references.map((r) => r.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    for (const r of brief.references) expect(r.url).toMatch(/^https?:\/\//)
  })

  it('has a timeline from the 1990s to May 2024 and speaker notes', () => {
    expect(brief.timeline?.[0]?.when).toBe('1990s')
    expect(brief.timeline?.at(-1)?.when).toBe('2024-05')
    expect(brief.slides.filter((s) => s.notes).length).toBeGreaterThanOrEqual(10)
  })
})

describe('problems are reported at their line and column', () => {
  it('a wrong type, with the field path', () => {
    const text = edit('    value: 1250000', '    value: lots')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, 'value: lots'),
        col: 12,
        path: 'figures.households.value',
        message: expect.stringMatching(/expected a number, got text/),
      }),
    ])
  })

  it('a missing field, at the mapping that lacks it', () => {
    const text = edit('  author: Jelena Vučić\n', '')
    expect(problemsOf(text)).toEqual([expect.objectContaining({ line: 2, col: 1, path: 'meta.author', message: 'required field "author" is missing' })])
  })

  it('an unknown field (a likely typo), at its key', () => {
    const text = edit('  role: Analyst', '  roel: Analyst')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ line: lineOf(text, 'roel:'), col: 3, path: 'meta.roel', message: expect.stringContaining('unknown field "roel"') }),
    ])
  })

  it('a duplicate key, never "the last one wins"', () => {
    const text = edit('  role: Analyst', '  role: Analyst\n  role: Director')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ line: lineOf(text, 'role: Director'), col: 3, message: expect.stringContaining('duplicate key role') }),
    ])
  })

  it('a reference number that does not exist', () => {
    const text = edit('    refs: [1, 2]', '    refs: [1, 9]')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, 'refs: [1, 9]'),
        col: 15,
        path: 'figures.price-low.refs.1',
        message: expect.stringContaining('reference 9 does not exist'),
      }),
    ])
  })

  it('a slide that shows a figure that does not exist', () => {
    const text = edit('    figure: households', '    figure: househods')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, 'figure: househods'),
        path: 'slides.4.figure',
        message: expect.stringContaining('figure "househods" does not exist'),
      }),
    ])
  })

  it('a {fig:…} token in text that names no figure', () => {
    const text = edit('covers {fig:households}', 'covers {fig:homes}')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, '{fig:homes}'),
        path: 'slides.3.points.0',
        message: expect.stringContaining('figure "homes" does not exist'),
      }),
    ])
  })

  it('number-like text where text is expected, with the fix', () => {
    const text = edit('  shortTitle: Danube water prices', '  shortTitle: 1.10')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, 'shortTitle: 1.10'),
        col: 15,
        message: 'expected text, got the number 1.10; put it in quotes ("1.10") to keep it as written',
      }),
    ])
  })

  it('null where a value is required', () => {
    const text = edit('  affiliation: Example Institute', '  affiliation:')
    expect(problemsOf(text)[0]).toMatchObject({ path: 'meta.affiliation', message: 'expected text, got an empty value' })
  })

  it('an unknown layout, listing the known ones', () => {
    const text = edit('    layout: quote', '    layout: qoute')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ line: lineOf(text, 'layout: qoute'), message: expect.stringMatching(/unknown layout qoute; use one of: title, agenda/) }),
    ])
  })

  it('every problem in one run, in line order', () => {
    const text = edit('  role: Analyst', '  roel: Analyst').replace('    value: 1250000', '    value: lots')
    const lines = problemsOf(text).map((p) => p.line ?? 0)
    expect(lines).toHaveLength(2)
    expect(lines).toEqual([...lines].sort((a, b) => a - b))
  })

  it('tab indentation', () => {
    const text = edit('  title: Water prices', '\ttitle: Water prices')
    expect(problemsOf(text)[0]).toMatchObject({ line: lineOf(text, '\ttitle'), col: 1, message: expect.stringMatching(/tab/i) })
  })

  it('a second YAML document', () => {
    const text = `${valid}---\nmeta: {}\n`
    expect(problemsOf(text)[0]).toMatchObject({ line: lineOf(text, '---'), message: expect.stringMatching(/multiple documents/) })
  })

  it('5,000 nested brackets give one clear error, not thousands', () => {
    const problems = problemsOf(`meta: ${'['.repeat(5000)}\n`)
    expect(problems).toHaveLength(1)
    expect(problems[0]?.message).toMatch(/nests too deeply/)
  })
})

describe('values that look right but are not', () => {
  it('a date that is not in the calendar', () => {
    const text = edit('  date: "2025-03-14"', '  date: "2025-02-30"')
    expect(problemsOf(text)).toEqual([expect.objectContaining({ path: 'meta.date', message: 'there is no such day in the calendar' })])
  })

  it('a timeline slide with more events than one slide can show', () => {
    const events = Array.from({ length: 13 }, (_, n) => `  - when: "${2000 + n}"\n    label: Event ${n}\n`).join('')
    const text = edit('timeline:\n', `timeline:\n${events}`)
    expect(problemsOf(text)).toEqual([expect.objectContaining({ path: 'slides.7', message: expect.stringContaining('one slide shows at most 12') })])
  })

  it('a timeline slide whose range holds no event, or runs backwards', () => {
    expect(problemsOf(edit('    from: "2000"', '    from: "2030"'))).toEqual([
      expect.objectContaining({ path: 'slides.7', message: expect.stringContaining('would be empty') }),
    ])
    expect(problemsOf(edit('    from: "2000"', '    from: "2020"\n    to: "2010"'))).toEqual([
      expect.objectContaining({ path: 'slides.7.from', message: '"from" (2020) comes after "to" (2010)' }),
    ])
  })

  it('a keyword with a comma or a semicolon, which would split in two', () => {
    for (const keyword of ['water, prices', 'water; prices']) {
      const text = edit('  language: en', `  language: en\n  keywords: ["${keyword}"]`)
      expect(problemsOf(text)[0]?.message).toMatch(/one keyword per entry/)
    }
  })

  it('a pasted block one space off, a tab, a value run onto the next line: each gets a plain hint', () => {
    const pasted = edit('    title: Key points\n    lead:', '    title: Key points\n   lead:')
    expect(problemsOf(pasted)[0]).toMatchObject({
      line: lineOf(pasted, '   lead:'),
      message: expect.stringContaining('check the indentation of a pasted block'),
    })
    const tab = edit('    title: Key points\n    lead:', '    title: Key points\n\tlead:')
    expect(problemsOf(tab)[0]).toMatchObject({ line: lineOf(tab, '\tlead:'), message: expect.stringContaining('indent with spaces') })
    // A value run onto a line of its own: one problem, at that line, not one for every line below it.
    const runOn = edit('  shortTitle: Danube water prices\n', '  shortTitle: Danube water\nprices\n')
    expect(problemsOf(runOn)).toEqual([
      expect.objectContaining({ line: runOn.split('\n').indexOf('prices') + 1, message: expect.stringContaining('put a long value in quotes') }),
    ])
  })

  it('a figure date: a real date, or a period in words; a date-like typo is still refused', () => {
    const period = parseBrief(edit('    date: "2024"\n    refs: [1]', '    date: the first week of October\n    refs: [1]'), 'brief.yaml')
    expect(period.figures.households?.date).toBe('the first week of October')
    const typo = edit('    date: "2024"\n    refs: [1]', '    date: "2024-13"\n    refs: [1]')
    expect(problemsOf(typo)).toEqual([expect.objectContaining({ path: 'figures.households.date', line: lineOf(typo, '"2024-13"') })])
  })

  it('a reference without a link or a date is a reference', () => {
    const text = edit('    date: "2024-11"\n    url: https://example.org/survey\n', '')
    expect(parseBrief(text, 'brief.yaml').references[0]).toEqual({ n: 1, authors: 'A. Author', title: 'Household survey', publisher: 'Statistics Office' })
  })

  it('a number shown as a word must be a whole number from 0 to 100, at its scale', () => {
    const text = edit('    value: 1250000\n', '    value: 1250000\n    words: true\n')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        path: 'figures.households.words',
        message: 'only a whole number from 0 to 100 is written as a word; this figure shows 1250000',
      }),
    ])
  })

  it('a handout setting it does not know, at its line', () => {
    const text = `${fixture('all-layouts.yaml')}\nhandout:\n  notes: true\n`
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ path: 'handout.notes', line: text.split('\n').length - 1, message: 'unknown field "notes" (a typo?)' }),
    ])
  })

  it('audience text on a slide: a text like any other, empty refused at its line', () => {
    expect(parseBrief(edit('    notes: Welcome.', '    notes: Welcome.\n    handout: The take-away.'), 'brief.yaml').slides[0]?.handout).toBe('The take-away.')
    const empty = edit('    notes: Welcome.', '    notes: Welcome.\n    handout: ""')
    expect(problemsOf(empty)).toEqual([
      expect.objectContaining({ path: 'slides.0.handout', line: lineOf(empty, '    handout: ""'), message: 'must not be empty' }),
    ])
  })

  it('a suffix with a line break in it', () => {
    const text = edit('    suffix: " per m³"\n    label: lowest price', '    suffix: " per\\n---\\nm³"\n    label: lowest price')
    expect(problemsOf(text)[0]).toMatchObject({ path: 'figures.price-low.suffix', message: 'must be one line without control characters' })
  })

  it('an invalid figure id, at the key itself', () => {
    const text = edit('  households:\n    value: 1250000', '  Households 2:\n    value: 1250000')
    expect(problemsOf(text)).toContainEqual(
      expect.objectContaining({ line: lineOf(text, 'Households 2:'), col: 3, message: expect.stringContaining('key "Households 2"') }),
    )
  })

  it('a list used as a key', () => {
    const text = edit('  role: Analyst', '  ? [a, b]\n  : Analyst')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ line: lineOf(text, '? [a, b]'), message: 'a key must be plain text, not a list or a mapping' }),
    ])
  })

  it('a number too large to be one', () => {
    const text = edit('    value: 1250000', '    value: 1e400')
    expect(problemsOf(text)[0]?.message).toBe('expected a number, got a number too large or not a number (.inf, .nan) (1e400)')
  })

  it('text where a list belongs gives one problem, not one per rule', () => {
    const text = edit('    points: [Questions welcome]', '    points: Questions welcome')
    expect(problemsOf(text)).toEqual([expect.objectContaining({ path: 'slides.9.points', message: 'expected a list, got text (Questions welcome)' })])
  })
})

describe('hostile files', () => {
  it('an alias bomb fails fast, naming the file', () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 9; i += 1)
      rows.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      )
    // Refused by the YAML reader's alias limit (a count of alias uses), before any alias is expanded;
    // no wall-clock bound (the machine is shared): were it to hang, the 60 s test timeout fails it.
    const err = deckErrorOf(() => parseBrief(rows.join('\n'), 'bomb.yaml'))
    expect(err.message).toMatch(/^bomb\.yaml: .*alias count/i)
    expect(err.cause).toMatchObject({ message: expect.stringMatching(/excessive alias count/i) })
  })

  it('bytes that are not UTF-8: an error with the byte offset', () => {
    const bytes = Buffer.concat([Buffer.from('meta:\n  title: Caf'), Buffer.from([0xe9]), Buffer.from('\n')])
    expect(deckErrorOf(() => decodeUtf8(bytes, 'latin1.yaml')).message).toBe('latin1.yaml: byte 18 (0xe9) is not valid UTF-8; save the file as UTF-8')
  })

  it('a byte-order mark and CRLF line ends are fine', () => {
    const withBom = decodeUtf8(Buffer.from(`\uFEFF${valid.replace(/\n/g, '\r\n')}`, 'utf8'), 'windows.yaml')
    expect(parseBrief(withBom, 'windows.yaml').meta.author).toBe('Jelena Vučić')
  })

  it('a file over the size limit is refused before parsing', () => {
    const big = Buffer.alloc(MAX_BRIEF_BYTES + 1, 0x20)
    expect(deckErrorOf(() => decodeUtf8(big, 'big.yaml')).message).toMatch(/big\.yaml is \d+ bytes; a brief may be at most/)
  })

  it('__proto__ and constructor keys are refused as unknown fields, and pollute nothing', () => {
    const text = edit('  role: Analyst', '  role: Analyst\n  __proto__: {polluted: true}\n  constructor: x')
    const paths = problemsOf(text).map((p) => p.path)
    expect(paths).toEqual(expect.arrayContaining(['meta.__proto__', 'meta.constructor']))
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('a self-referencing alias is refused at its line, without looping', () => {
    const inList = edit('  role: Analyst', '  role: &r [*r]')
    expect(problemsOf(inList)).toEqual([expect.objectContaining({ line: lineOf(inList, '&r [*r]'), message: 'expected text, got a list' })])
    const inMap = edit('meta:\n', 'meta: &m\n  self: *m\n')
    expect(problemsOf(inMap)).toEqual([expect.objectContaining({ line: lineOf(inMap, 'self: *m'), message: 'unknown field "self" (a typo?)' })])
  })

  it('texts in several languages: a variant reads the brief in its language', () => {
    const text = `${valid.replace('  title: Water prices in the Danube basin\n', '  title: { en: Water prices in the Danube basin, sr: Cene vode u slivu Dunava }\n')}variants:\n  srpski:\n    language: sr\n`
    expect(loadBrief(text, 'b.yaml').brief.meta).toMatchObject({ title: 'Water prices in the Danube basin', language: 'en' })
    expect(loadBrief(text, 'b.yaml', { variant: 'srpski' }).brief.meta).toMatchObject({ title: 'Cene vode u slivu Dunava', language: 'sr' })
  })

  it('a text missing in the deck’s language is an error at its field, never another language in silence', () => {
    const text = `${valid.replace('    title: Key points\n', '    title: { en: Key points }\n')}variants:\n  srpski:\n    language: sr\n`
    const err = deckErrorOf(() => loadBrief(text, 'b.yaml', { variant: 'srpski' }))
    expect(err.problems).toEqual([
      expect.objectContaining({ line: lineOf(text, '{ en: Key points }'), path: 'slides.3.title', message: 'no sr text here (it has: en)' }),
    ])
  })

  it('a variant that names a slide the brief does not have, at its line', () => {
    const text = `${valid}variants:\n  briefing:\n    slides: [title, nope]\n`
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, '[title, nope]'),
        path: 'variants.briefing.slides.1',
        message: expect.stringContaining('slide "nope" does not exist'),
      }),
    ])
  })

  it('a key named toHTML is an unknown field, not a way into the templates', () => {
    const text = edit('  role: Analyst', '  role: Analyst\n  toHTML: x')
    expect(problemsOf(text)).toEqual([expect.objectContaining({ line: lineOf(text, 'toHTML: x'), message: 'unknown field "toHTML" (a typo?)' })])
  })

  it('a number with a leading zero where text is expected, never silently a number', () => {
    const text = edit('  shortTitle: Danube water prices', '  shortTitle: 01234')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ message: 'expected text, got the number 01234; put it in quotes ("01234") to keep it as written' }),
    ])
  })

  it('a control character in text is refused', () => {
    const text = edit('  role: Analyst', '  role: "Ana\\u0007lyst"')
    expect(problemsOf(text)[0]?.message).toMatch(/control character/)
  })
})
