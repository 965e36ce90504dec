import { describe, expect, it } from 'vitest'
import { normaliseText, numbersIn, sourceIndex, statesValue } from '../deck/provenance.ts'

describe('finding a phrase in the source', () => {
  it('ignores differences of quote marks, dashes, soft hyphens, spaces and line breaks', () => {
    const source = 'a “general situation\nof vio\u00ADlence” — in Serbia–China  talks'
    const index = sourceIndex(source)
    expect(index.has('a "general situation of violence" - in Serbia-China talks')).toBe(true)
    expect(index.has('general situation of violence')).toBe(true)
    expect(index.has('general situation of peace')).toBe(false)
  })

  it('joins a word broken with a hyphen at the end of a line', () => {
    expect(sourceIndex('1,000 Huawei surveil-\nlance cameras').has('1,000 Huawei surveillance cameras')).toBe(true)
  })

  it('keeps letters, case and numbers as they are', () => {
    expect(normaliseText('  Vučić\u00A0said ‘no’  ')).toBe("Vučić said 'no'")
    expect(sourceIndex('stood at 14,500').has('stood at 14,600')).toBe(false)
  })
})

describe('reading the numbers of a text', () => {
  it.each([
    ['in March 2023 stood at 14,500', 14500],
    ['stood at 14500', 14500],
    ['about 14.5 thousand', 14500],
    ['14 500 people', 14500],
    ['14.500 ljudi', 14500],
    ['almost 110,000 in 2020', 110000],
    ['increased seven times', 7],
    ['a sevenfold rise', 7],
    ['a seven-fold rise', 7],
    ['signed twenty-eight agreements', 28],
    ['a fraud worth €140 million', 140],
    ['a fraud worth €140 million', 140_000_000],
    ['as little as €0.80', 0.8],
    ['1,250,000 households', 1250000],
  ])('“%s” states %d', (text, value) => {
    expect(statesValue(text, value)).toBe(true)
  })

  it.each([
    ['in March 2023 stood at 14,500', 14600],
    ['almost 110,000 in 2020', 11000],
    ['increased seven times', 8],
    ['1,000 Huawei surveillance cameras', 1], // a dropped “thousand” is caught
    ['almost 110,000 in 2020', 110],
    ['stood at 14,500', 14.5],
  ])('“%s” does not state %d', (text, value) => {
    expect(statesValue(text, value)).toBe(false)
  })

  it('keeps a year and the number after it apart', () => {
    expect(numbersIn('in 2012 150,000 people')).toEqual(expect.arrayContaining([2012, 150000]))
    expect(numbersIn('in 2012 150,000 people')).not.toContain(2012150000)
    expect(numbersIn('3,2 million or 0.80')).toEqual(expect.arrayContaining([3.2, 3_200_000, 0.8]))
  })
})
