import { LANGUAGE_NAMES, type LanguageTag, languageTag } from '../languages/languages.ts'
import { toCyrillic, toLatin } from '../languages/script.ts'
import { fieldName } from '../shared/errors.ts'
import { isRecord } from '../shared/parse.ts'

// A brief's texts in the one language its deck is in. Texts may be written in several
// languages side by side ({ en: …, sr: … }); Serbian is written in either script, and a
// deck in the other script is made by transliteration: `sr-Cyrl` from Serbian Latin texts,
// `sr-Latn` from Cyrillic ones. Runs on the parsed YAML, before the schema reads it.

type Path = (string | number)[]

export interface Missing {
  path: Path
  message: string
}

/** The other script of Serbian, and how to write a text of it in this one. */
const OTHER_SCRIPT: Partial<Record<LanguageTag, { from: LanguageTag; convert: (text: string, keep: readonly string[]) => string }>> = {
  'sr-Cyrl': { from: 'sr-Latn', convert: toCyrillic },
  'sr-Latn': { from: 'sr-Cyrl', convert: (text) => toLatin(text) },
}

/**
 * Fields whose plain text is never transliterated: what must match a source as written
 * (evidence, titles of documents, publishers' names), what is not prose (ids, links,
 * codes, dates, settings), and the list of words kept as written.
 */
const AS_WRITTEN_KEYS = new Set([
  'evidence',
  'url',
  'document',
  'id',
  'layout',
  'language',
  'kind',
  'figure',
  'series',
  'prefix',
  'keep',
  'date',
  'publisher',
  'ignore',
  'markers',
  'size',
  'authors',
])
const AS_WRITTEN_ROOTS = new Set(['variants', 'checks', 'handout'])

function asWritten(path: Path): boolean {
  // The field a text is in: a list's items are in the field that holds the list ("figures: [a, b]").
  const key = path.findLast((k) => typeof k === 'string')
  if (key === 'figures' && path.length > 2) return true
  if (typeof path[0] === 'string' && AS_WRITTEN_ROOTS.has(path[0])) return true
  if (typeof key === 'string' && AS_WRITTEN_KEYS.has(key)) return true
  // A document's title is cited as it was published.
  return key === 'title' && (path[0] === 'references' || (path[0] === 'meta' && path[1] === 'source'))
}

/** A text given in several languages: a mapping whose keys are all language codes and whose values are all text. */
function isTranslations(value: unknown): value is Record<string, string> {
  if (!isRecord(value)) return false
  const keys = Object.keys(value)
  return keys.length > 0 && keys.every((k) => (LANGUAGE_NAMES as readonly string[]).includes(k)) && Object.values(value).every((v) => typeof v === 'string')
}

/** The text of a translation mapping for the deck's language: under its tag or an alias (`sr`), or transliterated from the other script. */
function pick(texts: Record<string, string>, language: LanguageTag, keep: readonly string[]): string | undefined {
  const own = Object.entries(texts).find(([k]) => languageTag(k) === language)?.[1]
  if (own !== undefined) return own
  const other = OTHER_SCRIPT[language]
  const source = other && Object.entries(texts).find(([k]) => languageTag(k) === other.from)?.[1]
  return source === undefined ? undefined : other?.convert(source, keep)
}

/**
 * Replaces, in place, every text given in several languages with the one in the deck's
 * language: the variant's `language`, else `meta.language`, and writes that language's
 * catalogue tag into `meta.language` (`sr` becomes `sr-Latn`). A text without that
 * language is reported, never replaced by another language in silence. A brief written
 * in Serbian in one script, shown in the other, has its plain texts transliterated too.
 */
export function localize(data: unknown, variant: string | undefined): Missing[] {
  if (!isRecord(data) || !isRecord(data.meta)) return []
  const variants = isRecord(data.variants) ? data.variants : {}
  const chosen = variant !== undefined && isRecord(variants[variant]) ? variants[variant].language : undefined
  const written = typeof chosen === 'string' ? chosen : data.meta.language
  const language = typeof written === 'string' ? languageTag(written) : undefined
  if (language === undefined) {
    // The schema reports the language; each text given in several languages takes its first,
    // so that the one real mistake is not buried under "expected text, got a mapping".
    replaceTranslations(data, (texts) => Object.values(texts)[0] ?? '', looksTranslated)
    return []
  }
  const own = typeof data.meta.language === 'string' ? languageTag(data.meta.language) : undefined
  const keep = Array.isArray(data.meta.keep) ? data.meta.keep.filter((k): k is string => typeof k === 'string') : []
  const other = OTHER_SCRIPT[language]
  // The brief's own texts are in the other script of the deck's language: each is transliterated.
  const convertPlain = other !== undefined && own === other.from ? (text: string) => other.convert(text, keep) : undefined
  const missing: Missing[] = []
  const seen = new WeakSet<object>() // aliases can make a node its own ancestor
  const visit = (value: unknown, path: Path): unknown => {
    if (isTranslations(value)) {
      const text = pick(value, language, keep)
      if (text === undefined) missing.push({ path, message: `no ${language} text here (it has: ${Object.keys(value).map(fieldName).join(', ')})` })
      return text ?? value
    }
    if (typeof value === 'string') return convertPlain && !asWritten(path) ? convertPlain(value) : value
    walk(value, path)
    return value
  }
  const walk = (node: unknown, path: Path) => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return
    seen.add(node)
    if (Array.isArray(node)) node.forEach((item, i) => (node[i] = visit(item, [...path, i])))
    else if (isRecord(node)) for (const [key, value] of Object.entries(node)) node[key] = visit(value, [...path, key])
  }
  walk(data, [])
  data.meta.language = language
  return missing
}

/** Like isTranslations, for language codes this tool does not know (`fr:`): only read when the brief's language is one of those. */
function looksTranslated(value: unknown): value is Record<string, string> {
  if (!isRecord(value)) return false
  const keys = Object.keys(value)
  return keys.length > 0 && keys.every((k) => RE_LANGUAGE_CODE.test(k)) && Object.values(value).every((v) => typeof v === 'string')
}
const RE_LANGUAGE_CODE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$/

/** Replaces every text given in several languages with one of them, in place. */
function replaceTranslations(
  data: unknown,
  pickOne: (texts: Record<string, string>) => string,
  isText: (value: unknown) => value is Record<string, string>,
): void {
  const seen = new WeakSet<object>()
  const walk = (node: unknown) => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return
    seen.add(node)
    const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node)
    for (const [key, value] of entries) {
      if (isText(value)) (node as Record<string | number, unknown>)[key] = pickOne(value)
      else walk(value)
    }
  }
  walk(data)
}
