// The words real texts of the region write numbers, scales, currencies, percentages and
// hedges in come from the language catalogues (deck/languages/): each language's file
// has its own, checked against texts published in that language. What is the same in
// every language (currency signs and codes, the percent sign) is here.
import { alternation, type CurrencyCode, forms, type NumberWords } from '../languages/catalogue.ts'
import { allNumberWords, CATALOGUES, LANGUAGE_TAGS, type LanguageTag, numberWordsOf } from '../languages/languages.ts'

export { CURRENCY_CODES, type CurrencyCode, type ScaleFactor } from '../languages/catalogue.ts'
export { alternation, forms, LANGUAGE_TAGS, type LanguageTag }
export type LanguageWords = NumberWords

/** Each language's number words, by tag. */
export const UNIT_WORDS: Readonly<Record<LanguageTag, NumberWords>> = Object.fromEntries(LANGUAGE_TAGS.map((t) => [t, CATALOGUES[t].numbers])) as Record<
  LanguageTag,
  NumberWords
>

/** Signs and codes that name a currency in every language; codes only in capitals ("ALL", never "all"). */
export const CURRENCY_SIGNS: Readonly<Record<CurrencyCode, readonly string[]>> = {
  EUR: ['€', 'EUR'],
  USD: ['$', 'US$', 'USD'],
  GBP: ['£', 'GBP'],
  CNY: ['¥', 'CNY', 'RMB'],
  RSD: ['RSD'],
  BAM: ['BAM', 'KM', 'КМ'],
  MKD: ['MKD', 'МКД'],
  ALL: ['ALL'],
  HRK: ['HRK', 'kn'],
}

/** A percent sign in any language. */
export const PERCENT_SIGNS = ['%', '٪'] as const

/** Every language's table, in the order of LANGUAGE_TAGS. */
export const allLanguages = allNumberWords

/** The tables of the languages a brief written in this language may use (Serbian reads Bosnian and Croatian too). */
export const languagesOf = numberWordsOf
