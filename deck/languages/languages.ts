import { bs } from './bs.ts'
import type { Catalogue, NumberWords } from './catalogue.ts'
import { el } from './el.ts'
import { en } from './en.ts'
import { hr } from './hr.ts'
import { mk } from './mk.ts'
import { sq } from './sq.ts'
import { srCyrl } from './sr-Cyrl.ts'
import { srLatn } from './sr-Latn.ts'

// The languages a deck can be in, one catalogue file each. Adding a language is adding
// its file, its line here, and its tests (test/languages.test.ts reads every catalogue).

const FILES = {
  en,
  'sr-Latn': srLatn,
  'sr-Cyrl': srCyrl,
  bs,
  hr,
  mk,
  sq,
  el,
} satisfies Record<string, Catalogue>

export type LanguageTag = keyof typeof FILES
export const CATALOGUES: Readonly<Record<LanguageTag, Catalogue>> = FILES
export const LANGUAGE_TAGS = Object.keys(CATALOGUES) as LanguageTag[]

/** Other tags a brief may write for a language: `sr` is Serbian in the Latin script. */
export const LANGUAGE_ALIASES: Readonly<Record<string, LanguageTag>> = { sr: 'sr-Latn' }

/** Every tag `language` accepts: the catalogues' and their aliases. */
export const LANGUAGE_NAMES = [...LANGUAGE_TAGS, ...Object.keys(LANGUAGE_ALIASES)] as const

/** The catalogue's tag for a tag a brief wrote (`sr` → `sr-Latn`), or undefined for a language the tool does not have. */
export function languageTag(written: string): LanguageTag | undefined {
  if (Object.hasOwn(CATALOGUES, written)) return written as LanguageTag
  return Object.hasOwn(LANGUAGE_ALIASES, written) ? LANGUAGE_ALIASES[written] : undefined
}

export function catalogue(language: string): Catalogue {
  const tag = languageTag(language)
  if (tag === undefined) throw new Error(`no catalogue for the language ${JSON.stringify(language)}`)
  return CATALOGUES[tag]
}

/** Every language's number words, in the order of LANGUAGE_TAGS. */
export function allNumberWords(): NumberWords[] {
  return LANGUAGE_TAGS.map((tag) => CATALOGUES[tag].numbers)
}

/**
 * The number words a text in this language may use: its own, and for the languages of one
 * standard language area (Serbian, Bosnian, Croatian) each other's, in either script, as
 * their texts quote each other. Any other tag reads every language.
 */
export function numberWordsOf(language: string): NumberWords[] {
  const tag = languageTag(language)
  if (tag === undefined) return allNumberWords()
  const family: readonly LanguageTag[] = ['sr-Latn', 'sr-Cyrl', 'bs', 'hr']
  return (family.includes(tag) ? [tag, ...family.filter((t) => t !== tag)] : [tag]).map((t) => CATALOGUES[t].numbers)
}
