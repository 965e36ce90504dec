import { describe, expect, it } from 'vitest'

import { formatFigure, formatNumber, formatWhen } from '../deck/render/format.ts'

describe('numbers and dates', () => {
  it('formats numbers for the brief’s language', () => {
    expect(formatNumber(14500, 'en')).toBe('14,500')
    expect(formatNumber(14500, 'sr-Latn')).toBe('14.500')
  })

  it('marks approximate values and keeps prefix, suffix and decimals', () => {
    expect(formatFigure({ value: 110000, approx: true }, 'en')).toBe('≈110,000')
    // The unit keeps to its number's line: the space before it does not break.
    expect(formatFigure({ value: 140, prefix: '€', suffix: ' million' }, 'en')).toBe('€140\u00A0million')
    expect(formatFigure({ value: 0.8, prefix: '€', decimals: 2 }, 'en')).toBe('€0.80')
  })

  it('says an approximate number in words with a word, not ≈ before a word', () => {
    expect(formatFigure({ value: 7, words: true, approx: true, suffix: ' years' }, 'en')).toBe('about seven\u00A0years')
    expect(formatFigure({ value: 7, words: true, approx: true }, 'sr-Latn')).toBe('oko sedam')
    expect(formatFigure({ value: 7, words: true }, 'en')).toBe('seven')
  })

  it('writes dates in words', () => {
    // A date never breaks across lines: its spaces do not break (“8. maj” alone at a line's end).
    expect(formatWhen('2024-05', 'en')).toBe('May\u00A02024')
    expect(formatWhen('2024-05-08', 'en')).toBe('8\u00A0May\u00A02024')
    expect(formatWhen('2024-05-08', 'sr-Latn')).toBe('8.\u00A0maj\u00A02024.')
    expect(formatWhen('1990s', 'en')).toBe('1990s')
    expect(formatWhen('2013', 'en')).toBe('2013')
    expect(formatWhen('2013', 'sr-Latn')).toBe('2013.') // a year alone ends with a full stop in Serbian, as dates do
    expect(formatWhen('the next seven-year budget', 'en')).toBe('the next seven-year budget')
  })
})
