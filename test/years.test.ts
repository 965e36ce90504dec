import { beforeAll, describe, expect, it } from 'vitest'

import { loadBrief } from '../deck/brief/brief.ts'
import { consistencyFindings, provenanceFindings } from '../deck/check/brief-checks.ts'
import { LANGUAGE_TAGS } from '../deck/languages/languages.ts'
import { formatFigure } from '../deck/render/format.ts'
import { readTemplates, type TemplateSources } from '../deck/render/templates.ts'
import { fixture, lineOf, problemsOf, ROOT } from './helpers.ts'

// A year is never a quantity: a figure that says `kind: year` shows as written in every
// language, and the typed-number advice, followed, gives a right slide.

let templates: TemplateSources
beforeAll(async () => {
  templates = await readTemplates(`${ROOT}/templates`)
})

/** The fixture with a figure `founded` (2012) and a point that types the year. */
function withYear(kind: string): string {
  const founded = `  founded:\n    value: 2012\n${kind}    label: the year the utility was founded\n    refs: [1]\n    evidence: founded in 2012\n`
  return fixture('all-layouts.yaml')
    .replace('  households:\n', `${founded}  households:\n`)
    .replace('The survey covers {fig:households} households.', 'Founded in 2012, the utility covers {fig:households} households.')
}

describe('a figure that is a year', () => {
  it('shows as written in every language, never grouped', () => {
    for (const language of LANGUAGE_TAGS) {
      expect(formatFigure({ value: 2012, kind: 'year' }, language)).toBe('2012')
      expect(formatFigure({ value: 1999, kind: 'year', approx: true }, language)).toBe('≈1999')
    }
    expect(formatFigure({ value: 2012 }, 'en')).toBe('2,012')
    expect(formatFigure({ value: 2012 }, 'sr-Latn')).toBe('2.012')
  })

  it('typed into a text, gets advice that when followed shows the year as typed', () => {
    const text = withYear('    kind: year\n')
    const [finding, ...rest] = consistencyFindings(loadBrief(text, 'brief.yaml'), templates)
    expect(rest).toEqual([])
    expect(finding).toMatchObject({ code: 'typed-number', line: lineOf(text, 'Founded in 2012') })
    expect(finding?.message).toBe('2012 is typed here; write {fig:founded} so that it follows the figure (and carries its footnote)')
  })

  it('without kind, the advice says what to add, for the slide would show it grouped; the typed year is never shown grouped', () => {
    for (const language of ['en', 'sr'] as const) {
      const text = withYear('').replace('  language: en', `  language: ${language}`).replace('Founded in 2012,', 'Founded in 2012.')
      const [finding] = consistencyFindings(loadBrief(text, 'brief.yaml'), templates)
      expect(finding?.message).toBe(
        '2012 is typed here; write {fig:founded} so that it follows the figure (and carries its footnote); if it is a year, give the figure kind: year, or the slide shows it as an amount, with a thousands separator',
      )
    }
  })

  it('is a whole number without scale, decimals or words, or an error at its kind', () => {
    for (const extra of ['    scale: 0.001\n', '    decimals: 1\n', '    words: true\n']) {
      const text = withYear(`    kind: year\n${extra}`)
      expect(problemsOf(text), extra).toContainEqual(
        expect.objectContaining({ path: 'figures.founded.kind', message: 'a year is a whole number shown as written: no scale, decimals or words' }),
      )
    }
  })
})

describe('what a figure says it is (kind)', () => {
  it('an identifier, as a year, shows as written in every language: Resolution 1244, never 1,244', () => {
    for (const language of LANGUAGE_TAGS) expect(formatFigure({ value: 1244, kind: 'identifier' }, language)).toBe('1244')
    expect(formatFigure({ value: 1244, kind: 'count' }, 'en')).toBe('1,244')
    expect(problemsOf(withYear('    kind: identifier\n    decimals: 1\n'))).toContainEqual(
      expect.objectContaining({ path: 'figures.founded.kind', message: 'an identifier is a whole number shown as written: no scale, decimals or words' }),
    )
  })

  it('a share is shown with its percent sign, a count is a whole number of things without a currency: else an error at its kind', () => {
    const share = withYear('    kind: share\n')
    expect(problemsOf(share)).toEqual([
      expect.objectContaining({
        path: 'figures.founded.kind',
        line: lineOf(share, 'kind: share'),
        message: 'a share is shown as a percentage: give it `suffix: "%"`',
      }),
    ])
    expect(problemsOf(withYear('    kind: count\n    prefix: "€"\n'))).toEqual([
      expect.objectContaining({ path: 'figures.founded.kind', message: expect.stringContaining('for money, give `kind: amount`') }),
    ])
    expect(problemsOf(fixture('all-layouts.yaml').replace('    label: lowest price\n', '    label: lowest price\n    kind: count\n'))).toEqual([
      expect.objectContaining({ path: 'figures.price-low.kind' }),
    ])
  })
})

describe('a figure that looks like a year but does not say what it is', () => {
  it('is a warning at its value when its evidence writes it as years are written, with the fix that shows it as written', () => {
    const text = withYear('')
    const findings = provenanceFindings(loadBrief(text, 'brief.yaml'), undefined).filter((f) => f.code === 'year-without-kind')
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line: lineOf(text, 'value: 2012'),
        message:
          'figure founded may be a year (its evidence writes 2012 as years are written), but the slides show it as 2,012: give it `kind: year`, or `kind: count` if it counts things',
      }),
    ])
    // Said what it is, or written grouped in its evidence (an amount): no warning.
    expect(provenanceFindings(loadBrief(withYear('    kind: year\n'), 'brief.yaml'), undefined)).toEqual([])
    const amount = withYear('').replace('evidence: founded in 2012', 'evidence: founded with 2,012 members')
    expect(provenanceFindings(loadBrief(amount, 'brief.yaml'), undefined).filter((f) => f.code === 'year-without-kind')).toEqual([])
  })
})
