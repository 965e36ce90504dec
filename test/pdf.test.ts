import { describe, expect, it } from 'vitest'

import { buildDate, searchableQuotesCmap } from '../deck/export/pdf.ts'

describe('searchable quotation marks', () => {
  it('maps the shared quote glyphs back to ’ and ‘, and leaves glyph numbers alone', () => {
    const cmap = ['2 beginbfchar', '<0021> <02BC>', '<02BC> <0041>', '<0022> <02BB>', 'endbfchar'].join('\n')
    expect(searchableQuotesCmap(cmap)).toBe(['2 beginbfchar', '<0021> <2019>', '<02BC> <0041>', '<0022> <2018>', 'endbfchar'].join('\n'))
  })
})

describe('the date in the PDFs', () => {
  it('is the brief’s own date, never the clock, so a brief always builds the same bytes', () => {
    expect(buildDate('2024-06', {}).toISOString()).toBe('2024-06-01T00:00:00.000Z')
    expect(buildDate('2025-03-14', {}).toISOString()).toBe('2025-03-14T00:00:00.000Z')
    expect(buildDate('2023', {}).toISOString()).toBe('2023-01-01T00:00:00.000Z')
  })

  it('is SOURCE_DATE_EPOCH when that is set', () => {
    expect(buildDate('2024-06', { SOURCE_DATE_EPOCH: '1700000000' }).toISOString()).toBe('2023-11-14T22:13:20.000Z')
  })
})
