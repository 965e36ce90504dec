import { describe, expect, it } from 'vitest'
import { searchableQuotesCmap } from '../deck/pdf.ts'

describe('searchable quotation marks', () => {
  it('maps the shared quote glyphs back to ’ and ‘, and leaves glyph numbers alone', () => {
    const cmap = ['2 beginbfchar', '<0021> <02BC>', '<02BC> <0041>', '<0022> <02BB>', 'endbfchar'].join('\n')
    expect(searchableQuotesCmap(cmap)).toBe(['2 beginbfchar', '<0021> <2019>', '<02BC> <0041>', '<0022> <2018>', 'endbfchar'].join('\n'))
  })
})
