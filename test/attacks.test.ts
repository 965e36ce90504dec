import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { loadBrief, type LoadedBrief } from '../deck/brief/brief.ts'
import { realDate } from '../deck/brief/dates.ts'
import { consistencyFindings, glyphFindings } from '../deck/check/brief-checks.ts'
import { buildDate } from '../deck/export/pdf.ts'
import { formatWhen } from '../deck/render/format.ts'
import { compileTemplates, readTemplates, type TemplateSources } from '../deck/render/templates.ts'
import { DeckError, ExitCode } from '../deck/shared/errors.ts'
import { decodeText } from '../deck/shared/parse.ts'
import { deckErrorOf, fixture, lineOf, problemsOf, ROOT } from './helpers.ts'

// Faults found by attacks on the tool, each as a unit test. Each test here fails without its fix:
// years 0–99 and SOURCE_DATE_EPOCH, the UTF-16 source document (1791c45); values out of range,
// the typed-number check on thousands of figures, flag emoji and bidi overrides (749f411);
// partials that include each other, and a lone CR as a line break (fbe1942).

const BRIEF = fixture('all-layouts.yaml')

/** Replaces one exact piece of the valid fixture, failing loudly if it is not there. */
function edit(from: string, to: string, text = BRIEF): string {
  expect(text).toContain(from)
  return text.replace(from, to)
}

describe('the years 0–99 stay themselves (Date.UTC reads them as 1900–1999)', () => {
  it('a date in the year 79 is shown, checked and dated as 79, not 1979', () => {
    const shown = formatWhen('0079-08-24', 'en')
    expect(shown).toContain('79')
    expect(shown).not.toContain('1979')
    // The year 0 is a leap year (divisible by 400); 1900 is not.
    expect(realDate('0000-02-29')).toBe(true)
    expect(realDate('1900-02-29')).toBe(false)
    expect(buildDate('0079-08-24', {}).getUTCFullYear()).toBe(79)
  })
})

describe('SOURCE_DATE_EPOCH', () => {
  it('is whole seconds up to the end of 9999, or the build stops saying so; empty or unset, the brief’s date is used', () => {
    for (const value of ['1e13', '-1', 'abc', '12.5', '999999999999999']) {
      const err = deckErrorOf(() => buildDate('2024-05-01', { SOURCE_DATE_EPOCH: value }))
      expect(err.exitCode, value).toBe(ExitCode.usage)
      expect(err.exitCode).toBe(2)
      expect(err.message).toContain('SOURCE_DATE_EPOCH')
    }
    expect(buildDate('2024-05-01', { SOURCE_DATE_EPOCH: '1717200000' }).toISOString()).toBe('2024-06-01T00:00:00.000Z')
    expect(buildDate('2024-05-01', { SOURCE_DATE_EPOCH: '' }).toISOString()).toBe('2024-05-01T00:00:00.000Z')
    expect(buildDate('2024-05-01', {}).toISOString()).toBe('2024-05-01T00:00:00.000Z')
  })
})

describe('a value a slide cannot show', () => {
  it('is refused at that figure’s value when it is 10^21 or more, or smaller than a millionth but not 0', () => {
    for (const value of ['1e300', '1e-300', '-1e300', '1e21']) {
      const text = edit('    value: 1250000', `    value: ${value}`)
      expect(problemsOf(text), value).toEqual([
        expect.objectContaining({ path: 'figures.households.value', line: lineOf(text, `value: ${value}`), message: expect.stringContaining('10^21') }),
      ])
    }
    // A series point's value too.
    const point = edit('{ x: "2020", value: 1.1,', '{ x: "2020", value: 1e300,')
    expect(problemsOf(point)).toEqual([expect.objectContaining({ path: 'series.tariffs.points.0.value', message: expect.stringContaining('10^21') })])
    for (const value of ['0', '9.9e20', '0.000001', '-0.000001']) {
      expect(() => loadBrief(edit('    value: 1250000', `    value: ${value}`), 'brief.yaml'), value).not.toThrow()
    }
  })
})

describe('a source document in UTF-16 (as Word and Notepad save "Unicode text")', () => {
  const text = 'Households pay €1.10 per m³ in 2020 — Јелена Вучић, “Water is not a luxury.”\n'.repeat(3)
  const decode = (bytes: Uint8Array) => decodeText(bytes, 'source.txt', 'the source document', ExitCode.input)

  it('is read as UTF-16 when it starts with its byte-order mark, little- or big-endian', () => {
    const le = Buffer.from(`\ufeff${text}`, 'utf16le')
    expect(decode(le)).toBe(text)
    expect(decode(Buffer.from(le).swap16())).toBe(text)
    expect(decode(Buffer.from(`\ufeff${text}`))).toBe(text) // UTF-8 with its mark
  })

  it('without its mark, or in no encoding at all, is an error saying to save it as UTF-8', () => {
    // Latin text: every other byte is zero, which UTF-8 allows but no text has.
    const noMark = deckErrorOf(() => decode(Buffer.from('Households pay 1.10 EUR per m3 in 2020.\n'.repeat(3), 'utf16le')))
    expect(noMark.message).toContain('without its byte-order mark')
    expect(noMark.exitCode).toBe(ExitCode.input)
    expect(deckErrorOf(() => decode(new Uint8Array([0xc3, 0x28]))).message).toContain('not UTF-8 or UTF-16')
  })
})

describe('partials that include each other', () => {
  /** The repository's templates with some layouts' sources replaced (in memory). */
  async function withLayouts(replaced: Record<string, string>): Promise<TemplateSources> {
    const sources = await readTemplates(join(ROOT, 'templates'))
    const partials = { ...sources.partials }
    for (const [name, source] of Object.entries(replaced)) {
      const original = partials[name]
      if (!original) throw new Error(`no layout ${name}`)
      partials[name] = { file: original.file, source }
    }
    return { ...sources, partials }
  }

  it('a partial that includes itself is an error at its {{> …}}, not a stack overflow while the slides are made', async () => {
    const sources = await withLayouts({ quote: '<div class="quote">\n{{> quote}}\n</div>\n' })
    const err = deckErrorOf(() => compileTemplates(sources))
    expect(err.problems).toEqual([
      expect.objectContaining({
        file: expect.stringContaining('layouts/quote.hbs'),
        line: 2,
        col: 1,
        message: expect.stringContaining('include each other without end: quote → quote'),
      }),
    ])
  })

  it('two partials that include each other: the circle names both', async () => {
    const sources = await withLayouts({ quote: '<div>\n{{> points}}\n</div>\n', points: '<ul>\n\n{{> quote}}\n</ul>\n' })
    const err = deckErrorOf(() => compileTemplates(sources))
    expect(err.problems).toHaveLength(1)
    const [problem] = err.problems
    expect(problem?.file).toMatch(/layouts\/(quote|points)\.hbs$/)
    expect(problem?.line).toBe(problem?.file.endsWith('quote.hbs') ? 2 : 3)
    expect(problem?.message).toMatch(/include each other without end: (quote → points → quote|points → quote → points)/)
  })
})

describe('a brief of thousands of figures', () => {
  const COUNT = 3000
  /** The fixture with COUNT more figures; three labels type the values of other figures. */
  function manyFigures(): string {
    const typed: Record<number, number> = { 1: 1000, 2: 2000, 3: 3000 }
    const figures = Array.from({ length: COUNT }, (_, index) => {
      const i = index + 1
      const label = typed[i] === undefined ? 'households in the survey' : `about ${100_000 + (typed[i] ?? 0)} households`
      return `  f${i}:\n    value: ${100_000 + i}\n    label: ${label}\n    refs: []\n    evidence: "${100_000 + i} units"\n`
    })
    return edit('figures:\n', `figures:\n${figures.join('')}`)
  }

  it('finds a line only for a finding, not once per text of the brief (each a walk through the document)', async () => {
    const text = manyFigures()
    const loaded = loadBrief(text, 'brief.yaml')
    expect(Object.keys(loaded.brief.figures)).toHaveLength(COUNT + 3)
    let calls = 0
    const counted: LoadedBrief = {
      ...loaded,
      locate: (path) => {
        calls += 1
        return loaded.locate(path)
      },
    }
    const findings = consistencyFindings(counted, await readTemplates(join(ROOT, 'templates')))
    const typed = findings.filter((f) => f.code === 'typed-number')
    expect(typed.map((f) => f.line)).toEqual([1, 2, 3].map((i) => lineOf(text, `f${i}:`) + 2))
    expect(calls).toBe(findings.filter((f) => f.file === 'brief.yaml' && f.line !== undefined).length)
  })
})

describe('glyphs the slides cannot show as written', () => {
  const title = '    title: Key points\n'
  /** The glyph findings of the fixture with the title of its points slide ending in `added`. */
  function glyphsWith(added: string) {
    const text = edit(title, `    title: Key points ${added}\n`)
    return { line: lineOf(text, `Key points ${added}`), findings: glyphFindings(loadBrief(text, 'brief.yaml')) }
  }

  it('a flag emoji, which no font of the deck draws, is a warning at its line: a country’s, or a subdivision’s (tag characters)', () => {
    for (const flag of ['🇷🇸', '🏴󠁧󠁢󠁳󠁣󠁴󠁿']) {
      const { line, findings } = glyphsWith(flag)
      expect(findings, flag).toEqual([expect.objectContaining({ severity: 'warning', code: 'flag-emoji', file: 'brief.yaml', line })])
    }
  })

  it('a bidi override, which makes the slide show other words than the brief has, is an error at its line', () => {
    const { line, findings } = glyphsWith('\u202eevil')
    expect(findings).toEqual([expect.objectContaining({ severity: 'error', code: 'bidi-override', file: 'brief.yaml', line })])
  })

  it('Cyrillic and Arabic text is no finding', () => {
    expect(glyphsWith('Вучић').findings).toEqual([])
    expect(glyphsWith('مرحبا بالعالم').findings).toEqual([])
    expect(glyphFindings(loadBrief(BRIEF, 'brief.yaml'))).toEqual([])
  })
})

describe('a lone CR as the line break (an old Mac’s)', () => {
  it('is a line break: the brief reads as with LF, and a mistake is found at its line', () => {
    const cr = BRIEF.replace(/\n/g, '\r')
    expect(loadBrief(cr, 'brief.yaml').brief).toEqual(loadBrief(BRIEF, 'brief.yaml').brief)
    const broken = edit('  role: Analyst', '  role: @Analyst')
    const problems = problemsOf(broken.replace(/\n/g, '\r'))
    expect(problems).toEqual([expect.objectContaining({ line: lineOf(broken, '@Analyst'), col: 9 })])
    expect(problems).toEqual(problemsOf(broken))
  })

  it('counts lines in a file of mixed breaks (LF, CRLF and a lone CR) as an editor does', () => {
    const mixed = edit('  role: Analyst', '  role: @Analyst')
      .replace('  author: Jelena Vučić\n', '  author: Jelena Vučić\r')
      .replace('  subtitle: What households pay and why\n', '  subtitle: What households pay and why\r\n')
    const err = deckErrorOf(() => loadBrief(mixed, 'brief.yaml'))
    expect(err).toBeInstanceOf(DeckError)
    expect(err.problems).toEqual([expect.objectContaining({ line: lineOf(edit('  role: Analyst', '  role: @Analyst'), '@Analyst'), col: 9 })])
  })
})
