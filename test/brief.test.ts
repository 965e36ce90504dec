import { describe, expect, it } from 'vitest'

import { decodeUtf8, loadBrief, MAX_BRIEF_BYTES, parseBrief } from '../deck/brief/brief.ts'
import { eventsBetween, undatedEvents } from '../deck/brief/queries.ts'
import { deckErrorOf, DEFAULT_BRIEF, fixture, lineOf, problemsOf, readRepoFile, shownFor } from './helpers.ts'

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
  it('a wrong type, with the field path, not the value', () => {
    const text = edit('    value: 1250000', '    value: lots')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, 'value: lots'),
        col: 12,
        path: 'figures.households.value',
        message: expect.stringMatching(/expected a number, got text/),
      }),
    ])
    expect(shownFor(text)).not.toContain('lots')
  })

  it('a missing field, at the mapping that lacks it', () => {
    const text = edit('  date: "2025-03-14"\n', '')
    expect(problemsOf(text)).toEqual([expect.objectContaining({ line: 2, col: 1, path: 'meta.date', message: 'required field "date" is missing' })])
  })

  it('an unknown field (a likely typo), at its key, named in the path and not its value', () => {
    const text = edit('  role: Analyst', '  roel: Analyst')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ line: lineOf(text, 'roel:'), col: 3, path: 'meta.roel', message: expect.stringContaining('does not have here (a typo?)') }),
    ])
    const shown = shownFor(text)
    expect(shown).toContain(`brief.yaml:${lineOf(text, 'roel:')}:3  meta.roel  a field the brief format does not have here`)
    expect(shown).not.toContain('Analyst')
  })

  it('a duplicate key, never "the last one wins", at the second key, without its values', () => {
    const text = edit('  role: Analyst', '  role: Analyst\n  role: Director')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ line: lineOf(text, 'role: Director'), col: 3, message: expect.stringContaining('this key is written twice in one mapping') }),
    ])
    const shown = shownFor(text)
    expect(shown).not.toContain('Director')
    expect(shown).not.toContain('Analyst')
  })

  it('a reference number that does not exist, with the numbers that do, never the one written', () => {
    const text = edit('    refs: [1, 2]', '    refs: [1, 947]')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, 'refs: [1, 947]'),
        col: 15,
        path: 'figures.price-low.refs.1',
        message: 'no reference has this number (references: 1, 2)',
      }),
    ])
    expect(shownFor(text)).not.toContain('947')
  })

  it('a slide that shows a figure that does not exist, with the nearest and the figures that do, never the id written', () => {
    const text = edit('    figure: households', '    figure: househods')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, 'figure: househods'),
        col: 13,
        path: 'slides.4.figure',
        message: 'this names a figure that does not exist; did you mean households? (figures: households, price-low, price-high)',
      }),
    ])
    expect(shownFor(text)).not.toContain('househods')
  })

  it('a {fig:…} token in text that names no figure, at the text, never the token written', () => {
    const text = edit('covers {fig:households}', 'covers {fig:homes}')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, '{fig:homes}'),
        path: 'slides.3.points.0',
        message: 'a {fig:…} in this text names a figure that does not exist (figures: households, price-low, price-high)',
      }),
    ])
    const shown = shownFor(text)
    expect(shown).not.toContain('homes')
    expect(shown).not.toContain('covers')
  })

  it('number-like text where text is expected, with the fix, without echoing the number', () => {
    const text = edit('  shortTitle: Danube water prices', '  shortTitle: 1.10')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, 'shortTitle: 1.10'),
        col: 15,
        path: 'meta.shortTitle',
        message: 'expected text, got a number; put it in quotes to keep it as written',
      }),
    ])
    expect(shownFor(text)).not.toContain('1.1')
  })

  it('null where a value is required', () => {
    const text = edit('  affiliation: Example Institute', '  affiliation:')
    expect(problemsOf(text)[0]).toMatchObject({ path: 'meta.affiliation', message: 'expected text, got an empty value' })
  })

  it('an unknown layout, listing the known ones, not the one written', () => {
    const text = edit('    layout: quote', '    layout: qoute')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, 'layout: qoute'),
        col: 13,
        path: 'slides.8.layout',
        message: expect.stringMatching(/^not a layout of this tool; use one of: title, agenda, .*quote/),
      }),
    ])
    expect(shownFor(text)).not.toContain('qoute')
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
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ line: lineOf(text, '---'), col: 1, message: expect.stringContaining('a second document begins here') }),
    ])
  })

  it('5,000 nested brackets give one clear error, not thousands, at the first bracket past 64 levels', () => {
    const problems = problemsOf(`meta: ${'['.repeat(5000)}\n`)
    expect(problems).toEqual([
      // "meta: " is 6 characters; the 65th bracket is in column 7 + 64.
      expect.objectContaining({ line: 1, col: 71, message: expect.stringContaining('the YAML nests more than 64 levels deep') }),
    ])
    // 64 levels are read (and refused for what they hold, not for their depth).
    const deepest = problemsOf(`meta: ${'['.repeat(64)}${']'.repeat(64)}\n`)
    expect(deepest.map((p) => p.message).join('\n')).not.toContain('nests more than')
  })

  it('nesting by indentation past 64 levels is the same clear error, at its line', () => {
    const text = `meta:\n${Array.from({ length: 70 }, (_, i) => `${'  '.repeat(i + 1)}k:`).join('\n')}\n`
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ line: 66, col: 131, message: expect.stringContaining('the YAML nests more than 64 levels deep') }),
    ])
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
    const backwards = edit('    from: "2000"', '    from: "2020"\n    to: "2010"')
    expect(problemsOf(backwards)).toEqual([
      expect.objectContaining({
        line: lineOf(backwards, 'from: "2020"'),
        col: 11,
        path: 'slides.7.from',
        message: '"from" comes after "to": the period runs backwards',
      }),
    ])
    const shown = shownFor(backwards)
    expect(shown).not.toContain('2020')
    expect(shown).not.toContain('2010')
  })

  it('an event the source does not date: a period in words, or no time at all, is listed after a timeline slide that runs to the end', () => {
    const undated = edit('timeline:\n', 'timeline:\n  - when: during the drought\n    label: Rationing\n  - label: Meters installed\n')
    const brief = parseBrief(undated, 'brief.yaml')
    expect(brief.timeline?.map((e) => e.when)).toEqual(['during the drought', undefined, '1990s', '2010-06', '2024-01-05'])
    // Every timeline slide ending with `to`: nowhere to list them, said at the first such event.
    const nowhere = edit('    from: "2000"', '    from: "2000"\n    to: "2030"').replace('timeline:\n', 'timeline:\n  - label: Meters installed\n')
    expect(problemsOf(nowhere)).toEqual([
      expect.objectContaining({
        path: 'timeline.0',
        line: lineOf(nowhere, '- label: Meters installed'),
        message: expect.stringContaining('leave it out of the last one'),
      }),
    ])
    // A span of years is placed at its first year and shown as written; one that runs backwards is an error.
    const spans = parseBrief(edit('timeline:\n', 'timeline:\n  - when: 2014–2016\n    label: Growth\n'), 'brief.yaml')
    expect(eventsBetween(spans.timeline ?? [], '2000').map((e) => e.when)).toEqual(['2014–2016', '2010-06', '2024-01-05'])
    expect(eventsBetween(spans.timeline ?? [], '2000', '2015').map((e) => e.when)).toEqual(['2014–2016', '2010-06'])
    expect(undatedEvents(spans.timeline ?? [])).toEqual([])
    expect(problemsOf(edit('timeline:\n', 'timeline:\n  - when: 2016-2014\n    label: Backwards\n'))).toEqual([
      expect.objectContaining({ path: 'timeline.0.when', message: 'this span of years runs backwards: write the earlier year first' }),
    ])
    // A date's shape is still a date: a typo in one is refused, not taken for a period in words.
    expect(problemsOf(edit('  - when: "2010-06"', '  - when: "2010-13"'))).toEqual([expect.objectContaining({ path: 'timeline.1.when' })])
  })

  it('a keyword with a comma or a semicolon, which would split in two', () => {
    for (const keyword of ['water, prices', 'water; prices']) {
      const text = edit('  language: en', `  language: en\n  keywords: ["${keyword}"]`)
      expect(problemsOf(text)[0]?.message).toMatch(/one keyword per entry/)
    }
  })

  it('a pasted block one space off, a tab, a value run onto the next line: each gets a plain hint', () => {
    const pasted = edit('    title: Key points\n    lead:', '    title: Key points\n   lead:')
    // One line out of place is one problem, at that line: not one more for each line after it that it threw off.
    expect(problemsOf(pasted)).toEqual([
      expect.objectContaining({ line: lineOf(pasted, '   lead:'), message: expect.stringContaining('check the indentation of a pasted block') }),
    ])
    const item = edit('      - Prices run from', '     - Prices run from')
    expect(problemsOf(item)).toEqual([
      expect.objectContaining({ line: lineOf(item, '     - Prices run'), message: expect.stringContaining('start its "- " in the same column as theirs') }),
    ])
    const key = edit('    label: lowest price\n', '   label: lowest price\n')
    expect(problemsOf(key)).toEqual([
      expect.objectContaining({ line: lineOf(key, '   label: lowest'), message: expect.stringContaining('must start in the same column') }),
    ])
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
        line: lineOf(text, 'words: true'),
        col: 12,
        path: 'figures.households.words',
        message: 'only a whole number from 0 to 100 is written as a word, and this figure shows another number',
      }),
    ])
    expect(shownFor(text)).not.toMatch(/1[,.\s]?250[,.\s]?000/)
  })

  it('a handout setting it does not know, at its line', () => {
    const text = `${fixture('all-layouts.yaml')}\nhandout:\n  notes: true\n`
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        path: 'handout.notes',
        line: text.split('\n').length - 1,
        col: 3,
        message: 'a field the brief format does not have here (a typo?)',
      }),
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

  it('an invalid figure id, at the key itself (a key that is no field name shows as … in the path)', () => {
    const text = edit('  households:\n    value: 1250000', '  Households 2:\n    value: 1250000')
    expect(problemsOf(text)).toContainEqual(
      expect.objectContaining({
        line: lineOf(text, 'Households 2:'),
        col: 3,
        path: 'figures.…',
        message: expect.stringContaining('this key is not allowed: use lower-case letters, digits and hyphens'),
      }),
    )
  })

  it('a list used as a key', () => {
    const text = edit('  role: Analyst', '  ? [a, b]\n  : Analyst')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ line: lineOf(text, '? [a, b]'), message: 'a key must be plain text, not a list or a mapping' }),
    ])
  })

  it('a number too large to be one, without echoing it', () => {
    const text = edit('    value: 1250000', '    value: 1e400')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, 'value: 1e400'),
        col: 12,
        path: 'figures.households.value',
        message: 'expected a number, got a number too large or not a number (.inf, .nan)',
      }),
    ])
    expect(shownFor(text)).not.toContain('1e400')
  })

  it('text where a list belongs gives one problem, not one per rule, without the text', () => {
    const text = edit('    points: [Questions welcome]', '    points: Questions welcome')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ line: lineOf(text, 'points: Questions welcome'), col: 13, path: 'slides.9.points', message: 'expected a list, got text' }),
    ])
    expect(shownFor(text)).not.toContain('Questions')
  })
})

describe('hostile files', () => {
  it('an alias bomb fails fast, naming the file and the limit', () => {
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
    expect(err.message).toBe('bomb.yaml uses more than 100 aliases (*name); write the values out instead')
    expect(err.cause).toMatchObject({ message: expect.stringMatching(/excessive alias count/i) })
  })

  it('bytes that are not UTF-8: an error with the byte offset, not the byte', () => {
    const bytes = Buffer.concat([Buffer.from('meta:\n  title: Caf'), Buffer.from([0xe9]), Buffer.from('\n')])
    const message = deckErrorOf(() => decodeUtf8(bytes, 'latin1.yaml')).message
    expect(message).toBe('latin1.yaml: byte 18 is not valid UTF-8; save the file as UTF-8')
    expect(message).not.toMatch(/e9|Caf/i)
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
    expect(problemsOf(inMap)).toEqual([
      expect.objectContaining({ line: lineOf(inMap, 'self: *m'), col: 3, path: 'meta.self', message: 'a field the brief format does not have here (a typo?)' }),
    ])
  })

  it('texts in several languages: a variant reads the brief in its language', () => {
    const text = `${valid.replace('  title: Water prices in the Danube basin\n', '  title: { en: Water prices in the Danube basin, sr: Cene vode u slivu Dunava }\n')}variants:\n  srpski:\n    language: sr\n`
    expect(loadBrief(text, 'b.yaml').brief.meta).toMatchObject({ title: 'Water prices in the Danube basin', language: 'en' })
    expect(loadBrief(text, 'b.yaml', { variant: 'srpski' }).brief.meta).toMatchObject({ title: 'Cene vode u slivu Dunava', language: 'sr-Latn' })
  })

  it('a text missing in the deck’s language is an error at its field, never another language in silence', () => {
    const text = `${valid.replace('    title: Key points\n', '    title: { en: Key points }\n')}variants:\n  srpski:\n    language: sr\n`
    const err = deckErrorOf(() => loadBrief(text, 'b.yaml', { variant: 'srpski' }))
    expect(err.problems).toEqual([
      expect.objectContaining({ line: lineOf(text, '{ en: Key points }'), path: 'slides.3.title', message: 'no sr-Latn text here (it has: en)' }),
    ])
  })

  it('a variant that names a slide the brief does not have, at its line', () => {
    const text = `${valid}variants:\n  briefing:\n    slides: [title, nope]\n`
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, '[title, nope]'),
        col: 21,
        path: 'variants.briefing.slides.1',
        message: 'this names a slide that does not exist (slides: title, agenda, part-one, points, households, range, tariffs, history, quote, end, sources)',
      }),
    ])
    expect(shownFor(text)).not.toContain('nope')
  })

  it('a key named toHTML is an unknown field, not a way into the templates', () => {
    const text = edit('  role: Analyst', '  role: Analyst\n  toHTML: x')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, 'toHTML: x'),
        col: 3,
        path: 'meta.toHTML',
        message: 'a field the brief format does not have here (a typo?)',
      }),
    ])
  })

  it('a number with a leading zero where text is expected, never silently a number', () => {
    const text = edit('  shortTitle: Danube water prices', '  shortTitle: 01234')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, 'shortTitle: 01234'),
        col: 15,
        path: 'meta.shortTitle',
        message: 'expected text, got a number; put it in quotes to keep it as written',
      }),
    ])
    expect(shownFor(text)).not.toContain('1234')
  })

  it('a control character in text is refused', () => {
    const text = edit('  role: Analyst', '  role: "Ana\\u0007lyst"')
    expect(problemsOf(text)[0]?.message).toMatch(/control character/)
  })
})
