import { beforeAll, describe, expect, it } from 'vitest'

import { loadBrief } from '../deck/brief/brief.ts'
import { consistencyFindings } from '../deck/check/brief-checks.ts'
import { readTemplates, type TemplateSources } from '../deck/render/templates.ts'
import { formatFigure } from '../deck/render/text.ts'
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
    for (const language of ['en', 'sr'] as const) {
      expect(formatFigure({ value: 2012, kind: 'year' }, language)).toBe('2012')
      expect(formatFigure({ value: 1999, kind: 'year', approx: true }, language)).toBe('≈1999')
    }
    expect(formatFigure({ value: 2012 }, 'en')).toBe('2,012')
    expect(formatFigure({ value: 2012 }, 'sr')).toBe('2.012')
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
