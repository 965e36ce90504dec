import { describe, expect, it } from 'vitest'

import {
  displayQuantity,
  evidenceQuantities,
  evidenceQuantity,
  hedgeBefore,
  hedgeIn,
  normaliseText,
  numbersIn,
  sameQuantity,
  signLost,
  sourceIndex,
  statesValue,
} from '../deck/check/provenance.ts'

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

describe('numbers said in words, in English and Serbian', () => {
  it.each([
    ['nine new member states', 9],
    ['twenty-eight agreements', 28],
    ['devet novih članica', 9],
    ['dvadeset osam sporazuma', 28],
    ['a quarter of a century of negotiations', 25],
    ['četvrt veka pregovora', 25],
    ['half a century later', 50],
    ['within a decade', 10],
    ['a dozen states', 12],
    ['two-thirds of the budget', 2 / 3],
    ['two thirds of voters', 66.7],
    ['dve trećine budžeta', 2 / 3],
    ['a quarter of the budget', 0.25],
    ['a third of the workers', 1 / 3],
    ['1.47 trillion euros', 1.47e12],
    ['1.470 milijardi evra', 1.47e12],
    ['14,5 hiljada', 14500],
  ])('“%s” states %d', (text, value) => {
    expect(statesValue(text, value)).toBe(true)
  })

  it('a quarter of a century is 25, not also a quarter', () => {
    expect(statesValue('a quarter of a century of talks', 0.25)).toBe(false)
    expect(statesValue('nine states', 8)).toBe(false)
  })
})

describe('what a number measures besides its digits', () => {
  it('reads the scale, currency and percent the evidence gives the value in', () => {
    expect(evidenceQuantity('almost 186 billion euros', 186)).toEqual({ factor: 1e9, scale: 1e9, percent: false, currency: 'EUR' })
    expect(evidenceQuantity('€140 million in fraud', 140)).toEqual({ factor: 1e6, scale: 1e6, percent: false, currency: 'EUR' })
    expect(evidenceQuantity('would take 72.4% of it', 72.4)).toEqual({ factor: 0.01, scale: 1, percent: true })
    expect(evidenceQuantity('about 1.4 percent of gross national income', 1.4)).toEqual({ factor: 0.01, scale: 1, percent: true })
    expect(evidenceQuantity('oko 20.000 ljudi', 20000)).toEqual({ factor: 1, scale: 1, percent: false })
    // A value that already includes the scale word is a plain amount.
    expect(evidenceQuantity('1,470 billion euros', 1.47e12)).toEqual({ factor: 1, scale: 1, percent: false, currency: 'EUR' })
  })

  it('the display matches its evidence only in the same magnitude and currency', () => {
    const evidence = evidenceQuantity('1,470 billion euros', 1470)
    if (!evidence) throw new Error('no quantity read')
    expect(sameQuantity(displayQuantity({ prefix: '€', suffix: ' trillion', scale: 0.001 }), evidence)).toBe(true)
    expect(sameQuantity(displayQuantity({ prefix: '€', suffix: ' billion' }), evidence)).toBe(true)
    expect(sameQuantity(displayQuantity({ prefix: '€', suffix: ' million' }), evidence)).toBe(false)
    expect(sameQuantity(displayQuantity({ prefix: '$', suffix: ' billion' }), evidence)).toBe(false)
    // A share written 0.724 in the source may be shown as 72.4%.
    const share = evidenceQuantity('a share of 0.724', 0.724)
    if (!share) throw new Error('no quantity read')
    expect(sameQuantity(displayQuantity({ suffix: '%', scale: 100 }), share)).toBe(true)
    expect(sameQuantity(displayQuantity({ suffix: '%' }), share)).toBe(false)
  })

  it('finds the word that hedges a number', () => {
    expect(hedgeIn('almost 186 billion euros')).toBe('almost')
    expect(hedgeIn('gotovo 110.000 ljudi')).toBe('gotovo')
    expect(hedgeIn('signed 28 agreements')).toBeUndefined()
    expect(hedgeBefore('The budget would be about ')).toBe('about')
    expect(hedgeBefore('Oko ')).toBe('Oko')
    expect(hedgeBefore('The budget would be ')).toBeUndefined()
  })
})

describe('what does not count', () => {
  it('a hedge elsewhere in the phrase does not hedge the number: only one right before it', () => {
    expect(hedgeIn('some candidates wait 25 years', 25)).toBeUndefined()
    expect(hedgeIn('asylum seekers around the world: 110,000', 110000)).toBeUndefined()
    expect(hedgeIn('someone counted 500 workers', 500)).toBeUndefined()
    expect(hedgeIn('ca. 110 people', 110)).toBe('ca.')
    expect(hedgeIn('about €3.20 in another', 3.2)).toBe('about')
  })

  it('square metres, a year after a number and a letter of a word are not scales; a hyphen or an attached letter is', () => {
    expect(evidenceQuantity('a flat of 300 m² in 2024', 300)).toEqual({ factor: 1, scale: 1, percent: false })
    expect(evidenceQuantity('the 300 m stretch', 300)).toEqual({ factor: 1, scale: 1, percent: false })
    expect(evidenceQuantity('a 186-billion-euro fund', 186)).toEqual({ factor: 1e9, scale: 1e9, percent: false, currency: 'EUR' })
    expect(evidenceQuantity('€3m for schools', 3)).toEqual({ factor: 1e6, scale: 1e6, percent: false, currency: 'EUR' })
    expect(evidenceQuantity('1.470 mlrd. evra', 1470)).toEqual({ factor: 1e9, scale: 1e9, percent: false, currency: 'EUR' })
  })

  it('a percent must follow its number; “procena” (an estimate) and “Evropa” are neither percent nor currency', () => {
    expect(evidenceQuantity('9 states, 25% of them small', 9)).toEqual({ factor: 1, scale: 1, percent: false })
    expect(evidenceQuantity('procena: 20.000 u Evropi', 20000)).toEqual({ factor: 1, scale: 1, percent: false })
    expect(evidenceQuantity('20 procenata budžeta', 20)).toEqual({ factor: 0.01, scale: 1, percent: true })
    expect(evidenceQuantity('186 dollars, not euros', 186)).toMatchObject({ currency: 'USD' })
  })

  it('a value written twice matches if either place agrees with the display', () => {
    expect(evidenceQuantities('on 20 May 2020, 20 percent', 20)).toEqual([
      { factor: 1, scale: 1, percent: false },
      { factor: 0.01, scale: 1, percent: true },
    ])
  })
})

describe('a sign lost between the evidence and the figure', () => {
  it('is a positive value the evidence gives only with a minus sign, however written', () => {
    for (const evidence of ['GDP fell by -3.5% in 2020', 'rast od −3,5 odsto', 'a change of – 3.5 per cent', 'minus 3.5 points', '(-3.5%)']) {
      expect(signLost(evidence, 3.5), evidence).toBe(true)
    }
  })

  it('is not a range, a negative figure, or a value the evidence also gives without a sign', () => {
    expect(signLost('between 2019-2020 the rate was 3.5%', 2020)).toBe(false)
    expect(signLost('GDP fell by -3.5% in 2020', -3.5)).toBe(false)
    expect(signLost('from -3.5% to 3.5%', 3.5)).toBe(false)
    expect(signLost('grew by 3.5%', 3.5)).toBe(false)
    expect(signLost('u razdoblju 2014.-2016.', 2016)).toBe(false) // a period as Croatian and Serbian texts write it
    expect(signLost('only Slovakia’s GDP grew less – 47.2%', 47.2)).toBe(false) // a dash between words
    expect(signLost('rast od – 3,5 odsto', 3.5)).toBe(true)
  })
})

describe('currencies, scales, percentages and hedges as the region writes them', () => {
  it.each([
    ['ukupno 53 milijarde eura', 53, { factor: 1e9, currency: 'EUR' }],
    ['154 milijarde eura investicija', 154, { factor: 1e9, currency: 'EUR' }],
    ['više od 400 milijuna eura', 400, { factor: 1e6, currency: 'EUR' }],
    ['prodala 20 miliona evra', 20, { factor: 1e6, currency: 'EUR' }],
    ['121,9496 dinara za evro', 121.9496, { factor: 1, currency: 'RSD' }],
    ['iznositi 2.414,7 milijardi dinara', 2414.7, { factor: 1e9, currency: 'RSD' }],
    ['odnosno tri odsto bruto domaćeg proizvoda', 3, { factor: 0.01 }],
    ['осум милијарди евра', 8, { factor: 1e9, currency: 'EUR' }],
    ['8 милијарди евра до 2027', 8, { factor: 1e9, currency: 'EUR' }],
    ['од 654 милиони евра', 654, { factor: 1e6, currency: 'EUR' }],
    ['2,6 милијарде евра у 2017', 2.6, { factor: 1e9, currency: 'EUR' }],
    ['5 miliardë eurove', 5, { factor: 1e9, currency: 'EUR' }],
    ['me 108.7 lekë', 108.7, { factor: 1, currency: 'ALL' }],
    ['1,8 δισ. ευρώ', 1.8, { factor: 1e9, currency: 'EUR' }],
    ['ύψους 500 εκατ. ευρώ', 500, { factor: 1e6, currency: 'EUR' }],
    ['150 εκ. ευρώ', 150, { factor: 1e6, currency: 'EUR' }],
    ['3 bilionë lekë', 3, { factor: 1e12, currency: 'ALL' }],
    ['iznosila je 61.806 denara', 61806, { factor: 1, currency: 'MKD' }],
    ['20 miliona KM', 20, { factor: 1e6, currency: 'BAM' }],
    ['40 milijuna kuna', 40, { factor: 1e6, currency: 'HRK' }],
    ['0,1 odsto', 0.1, { factor: 0.01 }],
    ['12,9 posto', 12.9, { factor: 0.01 }],
    ['mbi 9 përqind', 9, { factor: 0.01 }],
    ['4,75 проценти', 4.75, { factor: 0.01 }],
    ['10 τοις εκατό', 10, { factor: 0.01 }],
  ])('“%s” gives %d as %o', (text, value, expected) => {
    expect(evidenceQuantity(text, value)).toMatchObject(expected)
  })

  it('a code is read only in capitals, and a unit of length is no currency', () => {
    expect(evidenceQuantity('20 of them, all in one town', 20)).not.toHaveProperty('currency')
    expect(evidenceQuantity('a road of 20 km', 20)).not.toHaveProperty('currency')
    expect(evidenceQuantity('20 lekova', 20)).not.toHaveProperty('currency') // Serbian "medicines", not the lek
  })

  it('reads the hedges of every language before a number, in digits or in words', () => {
    expect(hedgeIn('околу 400 милиони евра', 400)).toBe('околу')
    expect(hedgeIn('rreth 10 lekë', 10)).toBe('rreth')
    expect(hedgeIn('περίπου 10%', 10)).toBe('περίπου')
    expect(hedgeIn('σχεδόν πέντε χιλιάδες', 5)).toBe('σχεδόν')
    expect(hedgeIn('otprilike 17 projekata', 17)).toBe('otprilike')
    expect(hedgeIn('the unofficial number is estimated at 20,000', 20000)).toBe('estimated at')
    expect(hedgeIn('about a quarter of a century', 25)).toBe('about')
    expect(hedgeIn('in 2020 almost 110,000', 2020)).toBeUndefined()
  })

  it('reads numbers said in words in every language', () => {
    for (const [text, value] of [
      ['pet milijardi', 5e9],
      ['пет милиона', 5e6],
      ['pesë miliardë', 5e9],
      ['πέντε εκατομμύρια', 5e6],
      ['дваесет и пет', 25],
      ['njëzet e pesë', 25],
      ['dvije tisuće', 2000],
      ['τρεις χιλιάδες', 3000],
      ['είκοσι οκτώ', 28],
    ] as const) {
      expect(statesValue(text, value), text).toBe(true)
    }
    expect(statesValue('50 τοις εκατό', 100)).toBe(false) // "εκατό" in the percent word is no hundred
  })
})

describe('a hedge before a quantity said in words', () => {
  it('hedges it when it stands right before it, not when it stands elsewhere in the phrase', () => {
    expect(hedgeIn('about a quarter of a century of talks', 25)).toBe('about')
    expect(hedgeIn('Some countries waited a quarter of a century', 25)).toBeUndefined()
    expect(hedgeIn('around the world, a quarter of a century', 25)).toBeUndefined()
  })
})

describe('words every JavaScript object has', () => {
  it('are no numbers in a text: “constructor”, “toString”, “__proto__” read as nothing', () => {
    expect(numbersIn('constructor toString __proto__ valueOf hasOwnProperty')).toEqual([])
  })
})
