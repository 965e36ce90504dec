// Where a number comes from: is a figure's evidence phrase in the source document,
// and is the figure's value in its evidence, however the text writes it
// (14,500 / 14500 / 14.5 thousand / "seven times" / "a quarter of a century"), and in
// the same scale, currency and unit? Pure functions on text, in the words of every language of units.ts
// (verbal quantities such as "a quarter of a century" in English and Serbian only).
import { toLatin } from '../languages/script.ts'
import { allLanguages, alternation, CURRENCY_CODES, CURRENCY_SIGNS, type CurrencyCode, forms, type LanguageWords, PERCENT_SIGNS } from './units.ts'

const RE_SOFT = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g
const RE_SINGLE_QUOTES = /[‘’‚‛′`´]/g
const RE_DOUBLE_QUOTES = /[“”„‟″«»]/g
const RE_DASHES = /[‐‑‒–—―−]/g
const RE_SPACES = /\s+/g
/** A word broken over two lines with a hyphen: "surveil-\nlance". */
const RE_BROKEN_WORD = /(\p{L})-[ \t]*\r?\n\s*(\p{L})/gu

/** Text as compared: soft hyphens gone, one kind of quote mark and dash, single spaces. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFC')
    .replace(RE_SOFT, '')
    .replace(RE_SINGLE_QUOTES, "'")
    .replace(RE_DOUBLE_QUOTES, '"')
    .replace(RE_DASHES, '-')
    .replace(RE_SPACES, ' ')
    .trim()
}

/**
 * A searchable form of a source document: the text as it is, and with words broken at line
 * ends joined again. Serbian is written in two scripts: a phrase is also found in a source
 * written in the other one (evidence in Latin, a Fiscal Council report in Cyrillic), both
 * read in Latin, the way that is the same for every text.
 */
export function sourceIndex(document: string): { has(phrase: string): boolean } {
  const joined = document.replace(RE_BROKEN_WORD, '$1$2')
  const forms = [normaliseText(document), normaliseText(joined)]
  const latin = [document, joined].map((text) => normaliseText(toLatin(text)))
  return {
    has: (phrase) => forms.some((form) => form.includes(normaliseText(phrase))) || latin.some((form) => form.includes(normaliseText(toLatin(phrase)))),
  }
}

/** A number as texts write it: 14,500 · 14.500 · 14 500 · 0.80 · 1,250,000.5 (a group separator is followed by three digits). */
const RE_DIGITS = /\d{1,3}(?:[,.'’\u00A0\u202F ]\d{3})+(?:[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)?/g
const RE_GROUP_SEPARATORS = /['’\u00A0\u202F ]/g
/** What may follow a word: no letter ("milijardi" is not "milijarda"+"i"), no ² or ³ ("300 m²" is no million). */
const WORD_END = '(?![\\p{L}²³])'

/**
 * A scale word after a number, in every language read (units.ts): spaced or hyphenated ("186
 * billion", "a 186-billion-euro fund", "53 milijarde", "1,8 δισ."), or a single letter against
 * the digits ("€3m", "10k").
 */
export const SCALE_WORDS: readonly [RegExp, number][] = ([1e3, 1e6, 1e9, 1e12] as const).map((factor) => {
  const words = allLanguages().flatMap((l) => l.scales[factor] ?? [])
  const spaced = alternation(words.filter((w) => w.length > 1))
  const attached = alternation(words.filter((w) => w.length === 1))
  return [new RegExp(`^(?:[\\s\\u00A0-]*(?:${spaced})${WORD_END}${attached ? `|(?:${attached})${WORD_END}` : ''})`, 'iu'), factor]
})
const OTHER_WORDS: Record<string, number> = {
  twice: 2,
  double: 2,
  doubled: 2,
  thrice: 3,
  triple: 3,
  tripled: 3,
  dozen: 12,
  tuce: 12,
  dvostruko: 2,
  trostruko: 3,
}
const RE_WORD = /\p{L}+(?:-\p{L}+)?/gu
const RE_FOLD = /^(.*?)-?fold$/

/** The number words of some languages' tables: each word's value. */
function wordValues(languages: readonly LanguageWords[]): Map<string, number> {
  const values = new Map<string, number>()
  for (const l of languages) {
    l.units.forEach((entry, i) => forms(entry).forEach((w) => values.set(w.toLowerCase(), i)))
    l.tens.forEach((entry, i) => forms(entry).forEach((w) => values.set(w.toLowerCase(), (i + 2) * 10)))
    for (const w of l.hundred) if (!w.includes(' ')) values.set(w.toLowerCase(), 100)
  }
  return values
}
const ALL_WORD_VALUES = wordValues(allLanguages())
const ALL_JOINERS = new Set(allLanguages().flatMap((l) => l.joiners))

/** The value of a number word: "seven", "twenty-eight", "sevenfold", "twice", "devet", "пет", "pesë", "πέντε". */
function wordValue(word: string, values: ReadonlyMap<string, number> = ALL_WORD_VALUES): number | undefined {
  const w = word.toLowerCase()
  const fold = RE_FOLD.exec(w)
  if (fold?.[1]) return wordValue(fold[1], values)
  // Its own words only: "constructor" or "toString" in a text is no number (every object inherits them).
  if (Object.hasOwn(OTHER_WORDS, w)) return OTHER_WORDS[w]
  const single = values.get(w)
  if (single !== undefined) return single
  const [tens, ones] = w.split('-')
  const t = values.get(tens ?? '')
  const o = values.get(ones ?? '')
  if (t !== undefined && t >= 20 && t % 10 === 0 && o !== undefined && o > 0 && o < 10) return t + o
  // "seven-year", "ten-point": the number before a noun.
  return o === undefined ? t : undefined
}

/**
 * Quantities said in words, in English and Serbian: "a quarter of a century" is 25, "two
 * thirds" is 2/3 (and 66.7 as a percentage), "a decade" is 10. Longest phrases first.
 */
const VERBAL_QUANTITIES: readonly [RegExp, readonly number[]][] = [
  [/\b(a |one )?quarter of a century\b|(?<!\p{L})četvrt veka(?!\p{L})/iu, [25]],
  [/\bhalf a century\b|(?<!\p{L})pola veka(?!\p{L})/iu, [50]],
  [/\b(a|one) century\b|\bjedan vek\b/iu, [100]],
  [/\btwo decades\b|\bdve decenije\b/iu, [20]],
  [/\b(a|one) decade\b|\bdecenij\p{L}*\b/iu, [10]],
  [/\b(a|one) dozen\b|\btuce\b/iu, [12]],
  [/\btwo[- ]thirds\b|(?<!\p{L})dve trećine(?!\p{L})/iu, [2 / 3, 0.67, 66.7, 67]],
  [/\bthree[- ]quarters\b|(?<!\p{L})tri četvrtine(?!\p{L})/iu, [0.75, 75]],
  [/\b(a|one)[- ]third\b|(?<!\p{L})trećin\p{L}*/iu, [1 / 3, 0.33, 33.3, 33]],
  [/\b(a|one)[- ]quarter\b|(?<!\p{L})četvrtin\p{L}*/iu, [0.25, 25]],
  [/\b(a|one)[- ]half\b|\bhalf of\b|\bpolovin\p{L}*\b|\bpola\b/iu, [0.5, 50]],
]

/**
 * The value of a written number, whichever mark the text groups digits with: a mark
 * followed by exactly three digits groups them (14,500 · 14.500 · 1,250,000), any other
 * is the decimal mark (0.80 · 14.5 · 3,2), and so is one after a lone 0 (0.724). So "1,000"
 * is a thousand, never one.
 */
export function readNumber(written: string): number {
  const token = written.replace(RE_GROUP_SEPARATORS, '')
  const marks = [...token.matchAll(/[.,]/g)]
  const last = marks.at(-1)
  if (!last) return Number(token)
  const decimals = token.length - (last.index + 1)
  // A group never starts with 0: "0.724" is a decimal, "1.470" a thousand and more.
  const grouping = decimals === 3 && marks.every((m) => m[0] === last[0]) && !/^-?0[.,]/.test(token)
  const decimalMark = grouping ? undefined : last[0]
  const digits = decimalMark === undefined ? token.replace(/[.,]/g, '') : `${token.slice(0, last.index).replace(/[.,]/g, '')}.${token.slice(last.index + 1)}`
  return Number(digits)
}

/** Words after which a spaced dash is a minus sign: "a change of – 3.5", "rast od – 3,5"; after others ("grew less – 47.2%") it is a dash. */
const SIGN_AFTER = [
  'of',
  'by',
  'at',
  'to',
  'from',
  'is',
  'was',
  'were',
  'od',
  'za',
  'na',
  'do',
  'iz',
  'je',
  'bio',
  'bila',
  'bilo',
  'от',
  'за',
  'на',
  'до',
  'је',
  'në',
  'me',
  'σε',
  'κατά',
  'στο',
  'στα',
]
/**
 * What makes the number after it negative: a minus sign or hyphen against it (not after a
 * number, "2019-2020", "2014.-2016."), a spaced one after a word that asks for a number, or the word "minus".
 */
const RE_NEGATIVE = new RegExp(
  `(?:(?:^|[^\\p{L}\\p{N}.])[-\\u2212\\u2013]|(?:^|[\\s(])(?:${SIGN_AFTER.join('|')})\\s+[-\\u2212\\u2013]\\s|[(:=]\\s*[-\\u2212\\u2013]\\s|(?<!\\p{L})minus\\s+)$`,
  'iu',
)

/** One number written in a text: where it is, its value as written, and the scale word after it. */
export interface NumberMatch {
  index: number
  end: number
  /** The number as written (signed when a minus stands before it). */
  value: number
  /** The scale word after it: 1e9 for "billion", 1 when there is none. */
  scale: number
  /** Where the number and its scale word end. */
  unitEnd: number
}

/** The scale word at the start of a text ("billion euros" → 1e9), and how long it is. */
function scaleAt(text: string): { scale: number; length: number } {
  for (const [re, scale] of SCALE_WORDS) {
    const m = re.exec(text)
    if (m) return { scale, length: m[0].length }
  }
  return { scale: 1, length: 0 }
}

/** Every number written in digits in a text, with the scale word after it. */
export function numberMatches(text: string): NumberMatch[] {
  const matches: NumberMatch[] = []
  for (const m of text.matchAll(RE_DIGITS)) {
    const value = readNumber(m[0])
    if (!Number.isFinite(value)) continue
    const end = m.index + m[0].length
    const { scale, length } = scaleAt(text.slice(end))
    const sign = RE_NEGATIVE.test(text.slice(0, m.index)) ? -1 : 1
    matches.push({ index: m.index, end, value: sign * value, scale, unitEnd: end + length })
  }
  return matches
}

/** A number said in words in a text: where, its value, and the scale word after it. */
export interface WordNumber extends NumberMatch {
  word: true
  /** Said with the number words themselves ("four", "četiri"), not "twice", "a dozen" or "double". */
  counted: boolean
}

/**
 * The numbers a text says in words, in the given languages' tables (every language when none
 * is given): "twenty-eight", "dvadeset osam", "дваесет и пет", "njëzet e pesë", "pet milijardi".
 */
export function wordNumbers(text: string, languages?: readonly LanguageWords[]): WordNumber[] {
  const values = languages ? wordValues(languages) : ALL_WORD_VALUES
  const joiners = languages ? new Set(languages.flatMap((l) => l.joiners)) : ALL_JOINERS
  const words = [...text.normalize('NFC').matchAll(RE_WORD)]
  const found: WordNumber[] = []
  for (let i = 0; i < words.length; i += 1) {
    const first = words[i]
    const v = first ? wordValue(first[0], values) : undefined
    if (!first || v === undefined) continue
    let value = v
    let last = first
    // Tens and units as two words ("dvadeset osam", "twenty eight"), or joined by "i", "и", "e".
    if (v >= 20 && v < 100 && v % 10 === 0) {
      const next = words[i + 1]
      const joined = next && joiners.has(next[0].toLowerCase()) ? words[i + 2] : next
      const ones = joined ? wordValue(joined[0], values) : undefined
      if (joined && ones !== undefined && ones > 0 && ones < 10) {
        value = v + ones
        last = joined
        i = words.indexOf(joined)
      }
    }
    const end = last.index + last[0].length
    const { scale, length } = scaleAt(text.slice(end))
    const counted = values.has(first[0].toLowerCase()) || first[0].includes('-')
    found.push({ index: first.index, end, value, scale, unitEnd: end + length, word: true, counted })
  }
  return found
}

/**
 * Every value a text may mean by its numbers, with "thousand" and "million" applied, and
 * (unless `words: false`) number words and verbal quantities ("a quarter of a century").
 */
export function numbersIn(text: string, options: { words?: boolean } = {}): number[] {
  const values = new Set<number>()
  for (const m of numberMatches(text)) {
    // A minus sign (-, −) right before the digits, or the word "minus", makes it negative; the text means either.
    for (const v of m.value < 0 ? [m.value, -m.value] : [m.value]) {
      values.add(v)
      values.add(v * m.scale)
    }
  }
  if (options.words === false) return [...values]
  let rest = text
  for (const [re, quantities] of VERBAL_QUANTITIES) {
    if (!re.test(rest)) continue
    for (const q of quantities) values.add(q)
    rest = rest.replace(new RegExp(re.source, 'giu'), ' ') // "a quarter of a century" is not also "a quarter"
  }
  // "50 τοις εκατό" is fifty percent, not also a hundred.
  for (const w of wordNumbers(rest.replace(RE_PERCENT_ANYWHERE, ' '))) {
    values.add(w.value)
    values.add(w.value * w.scale)
  }
  return [...values]
}

/** A number typed in a text, in digits or in words, with what it measures. */
export interface TypedNumber {
  index: number
  /** The number as written, without its sign. */
  value: number
  /** The value with its scale word applied: 53 milijarde → 53e9. */
  amount: number
  quantity: Quantity
  /** Four digits with nothing around them that makes them an amount: 2024, 1990s, 2012. */
  year: boolean
  /** Said in words ("four", "pet"), as written. */
  word: string | undefined
}

/** An ordinal's ending (21st, 3rd) or the second half of a season (2024/25): not an amount. */
const RE_ORDINAL_AFTER = /^(?:st|nd|rd|th)(?!\p{L})/iu
const RE_SEASON_BEFORE = /\d{4}\/$/

/** Digits against a letter before them name something (G20, COVID-19, A4), they count nothing. */
const RE_NAME_BEFORE = /\p{L}-?$/u
const RE_YEAR_DIGITS = /^\d{4}$/
/** Plain whole numbers below this, in digits, are list numbers, days and sections ("3 points", "7 May", "Part 4"), not figures. */
export const SMALLEST_TYPED = 10

/**
 * The numbers a text types, in digits or in the words of the given languages, that a reader
 * would take for a figure: not a plain whole number below 10 in digits, not "one" or "twice",
 * not a name's digits. "Four years" is a count, said in words.
 */
export function typedNumbers(text: string, languages: readonly LanguageWords[]): TypedNumber[] {
  const digits = numberMatches(text).filter(
    (m) => !RE_NAME_BEFORE.test(text.slice(0, m.index)) && !RE_ORDINAL_AFTER.test(text.slice(m.end)) && !RE_SEASON_BEFORE.test(text.slice(0, m.index)),
  )
  return [...digits, ...wordNumbers(text, languages)].flatMap((m: NumberMatch | WordNumber): TypedNumber[] => {
    const quantity = quantityAt(text, m)
    const value = Math.abs(m.value)
    const plain = quantity.scale === 1 && !quantity.percent && quantity.currency === undefined
    const small = plain && Number.isInteger(value) && value < SMALLEST_TYPED
    const counted = 'counted' in m && m.counted && value >= 2
    if (small && !counted) return []
    const year = plain && !('word' in m) && RE_YEAR_DIGITS.test(text.slice(m.index, m.end)) && value >= 1000 && value < 2200
    return [{ index: m.index, value, amount: value * quantity.scale, quantity, year, word: 'word' in m ? text.slice(m.index, m.end) : undefined }]
  })
}

/** The same value, but for the last bits of floating point (1470 × 0.001 is 1.47). */
export function sameValue(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.abs(b) * 1e-9
}

/**
 * The text states this positive value only with a minus sign before it ("-3.5%", "−3.5 %",
 * "minus 3.5"): the figure has lost its sign. (A hyphen between two numbers, "2019-2020", is
 * no sign.)
 */
export function signLost(text: string, value: number): boolean {
  if (!(value > 0)) return false
  const states = (m: NumberMatch, sign: number) => sameValue(sign * m.value, value) || sameValue(sign * m.value * m.scale, value)
  const matches = numberMatches(text)
  return matches.some((m) => m.value < 0 && states(m, -1)) && !matches.some((m) => m.value > 0 && states(m, 1))
}

/** Does the text state this value, in any of the ways numbers are written? */
export function statesValue(text: string, value: number): boolean {
  return numbersIn(text).some((n) => sameValue(n, value))
}

/** Words that say the number after them is not exact, in every language read (units.ts). */
const HEDGES = alternation(allLanguages().flatMap((l) => l.hedges))
/** A hedge word ending right here, perhaps with a currency sign or ≈ before the digits: "about €", "oko ", "περίπου ". */
const RE_HEDGE_BEFORE = new RegExp(`(?<!\\p{L})(${HEDGES})\\s*[€$£¥≈~]?\\s*$`, 'iu')

/** A hedge word right before a place in a text ("about " before a figure that is already ≈). */
export function hedgeBefore(text: string): string | undefined {
  return RE_HEDGE_BEFORE.exec(text)?.[1]
}

/**
 * The word that hedges the value in a text, if one stands right before it: "almost" in
 * "almost 186 billion", "oko" in "oko 20.000", "περίπου" in "περίπου πέντε". "Some
 * candidates" or "around the world" elsewhere in the phrase do not hedge it. A value the
 * text gives as a verbal quantity is hedged by a hedge right before it ("about a quarter of a century"), not by
 * one elsewhere ("Some countries waited a quarter of a century").
 */
export function hedgeIn(text: string, value?: number): string | undefined {
  const numbers = [...numberMatches(text), ...wordNumbers(text)]
  const stating = numbers.filter((m) => value === undefined || sameNumber(m, value))
  for (const m of stating) {
    const hedge = hedgeBefore(text.slice(0, m.index))
    if (hedge) return hedge
  }
  if (value === undefined || stating.length > 0) return undefined
  // A value said as a verbal quantity ("about a quarter of a century"): a hedge right before that phrase.
  for (const [re, quantities] of VERBAL_QUANTITIES) {
    const phrase = quantities.some((q) => sameValue(q, value)) ? re.exec(text) : null
    const hedge = phrase ? hedgeBefore(text.slice(0, phrase.index)) : undefined
    if (hedge) return hedge
  }
  return undefined
}

function sameNumber(m: NumberMatch, value: number): boolean {
  return sameValue(Math.abs(m.value), Math.abs(value)) || sameValue(Math.abs(m.value * m.scale), Math.abs(value))
}

/** What a number measures besides its digits: its scale, currency and whether it is a percentage. */
export interface Quantity {
  /** What one of the figure's `value` is worth: 1e9 when the value counts billions, 0.01 for a percentage, 1 for a plain number. */
  factor: number
  /** The scale word's part of the factor: 1e9 for billions, 1 for none. */
  scale: number
  percent: boolean
  currency?: CurrencyCode
}

/**
 * Currency signs, codes and names, in every language read (units.ts), every case form: names
 * without regard to case, codes only in capitals ("ALL" is the lek, "all" is a word).
 */
const CURRENCIES: readonly [readonly RegExp[], CurrencyCode][] = CURRENCY_CODES.map((code) => {
  const names = alternation(allLanguages().flatMap((l) => l.currencies[code] ?? []))
  const signs = CURRENCY_SIGNS[code].filter((s) => !/\p{L}/u.test(s))
  const codes = CURRENCY_SIGNS[code].filter((s) => /\p{L}/u.test(s))
  const marks = [...(signs.length ? [`(?:${alternation(signs)})`] : []), `(?<![\\p{L}\\p{N}])(?:${alternation(codes)})(?![\\p{L}])`]
  const res = [new RegExp(marks.join('|'), 'u')]
  if (names) res.push(new RegExp(`(?<![\\p{L}\\p{N}])(?:${names})(?![\\p{L}])`, 'iu'))
  return [res, code]
})
const PERCENT_WORDS = alternation([...PERCENT_SIGNS, ...allLanguages().flatMap((l) => l.percent)])
/** A percent sign or word right after a number ("72.4%", "1.4 percent", "20 odsto", "9 përqind", "10 τοις εκατό"). */
const RE_PERCENT = new RegExp(`^[\\s\\u00A0]*(?:${PERCENT_WORDS})(?!\\p{L})`, 'iu')
/** A percent word anywhere, for reading number words: "τοις εκατό" holds the word for a hundred. */
const RE_PERCENT_ANYWHERE = new RegExp(`(?<!\\p{L})(?:${PERCENT_WORDS})(?!\\p{L})`, 'giu')

/** The currency nearest the start of a text: in "dollars, not euros", dollars. */
function currencyIn(text: string): CurrencyCode | undefined {
  let nearest: { at: number; code: CurrencyCode } | undefined
  for (const [res, code] of CURRENCIES) {
    for (const re of res) {
      const at = re.exec(text)?.index
      if (at !== undefined && (!nearest || at < nearest.at)) nearest = { at, code }
    }
  }
  return nearest?.code
}

/** How far after a number (and its scale word) its currency or percent may be written: "53 milijarde konvertibilnih maraka". */
const UNIT_WINDOW = 24

/** The quantity a number written in a text is given in: the scale word after it, a currency right before or after it, a percent after it. */
export function quantityAt(text: string, m: NumberMatch): Quantity {
  const before = text.slice(Math.max(0, m.index - 4), m.index)
  const after = text.slice(m.unitEnd, m.unitEnd + UNIT_WINDOW)
  const currency = currencyIn(before) ?? currencyIn(after)
  const percent = RE_PERCENT.test(text.slice(m.end)) || RE_PERCENT.test(after)
  return quantity(m.scale, percent, currency)
}

function quantity(scale: number, percent: boolean, currency: CurrencyCode | undefined): Quantity {
  return { factor: scale * (percent ? 0.01 : 1), scale, percent, ...(currency ? { currency } : {}) }
}

/**
 * The quantities the evidence gives the figure's value in, one for each place the value
 * is written in digits or words: the scale word after the number, a currency right before or after
 * it, a percent sign or word right after it. Empty when the value is not written as a number.
 */
export function evidenceQuantities(evidence: string, value: number): Quantity[] {
  return [...numberMatches(evidence), ...wordNumbers(evidence)].flatMap((m): Quantity[] => {
    if (!sameNumber(m, value)) return []
    const given = quantityAt(evidence, m)
    // A value that already includes the scale word ("1,470 billion" as 1.47e12) is a plain amount.
    return [sameValue(Math.abs(m.value), Math.abs(value)) ? given : quantity(1, given.percent, given.currency)]
  })
}

/** The first quantity the evidence gives the value in (see `evidenceQuantities`). */
export function evidenceQuantity(evidence: string, value: number): Quantity | undefined {
  return evidenceQuantities(evidence, value)[0]
}

/** The quantity a figure shows: the scale word of its suffix (times its display scale), its currency, its percent. */
export function displayQuantity(figure: { prefix?: string | undefined; suffix?: string | undefined; scale?: number | undefined }): Quantity {
  const suffix = figure.suffix ?? ''
  const { scale: word, length } = scaleAt(suffix)
  const currency = currencyIn(`${figure.prefix ?? ''} ${suffix}`)
  const percent = RE_PERCENT.test(suffix.slice(length))
  const scale = word * (figure.scale ?? 1)
  return { factor: scale * (percent ? 0.01 : 1), scale, percent, ...(currency ? { currency } : {}) }
}

/** Do the figure's display and its evidence measure the same thing: the same magnitude, and no two different currencies? */
export function sameQuantity(shown: Quantity, evidence: Quantity): boolean {
  return sameValue(shown.factor, evidence.factor) && !(shown.currency && evidence.currency && shown.currency !== evidence.currency)
}

const SCALE_NAMES: Record<number, string> = { 1: 'a plain number', 1e3: 'thousand', 1e6: 'million', 1e9: 'billion', 1e12: 'trillion' }

/**
 * How the display and the evidence give a value, in the ways they differ and only those, each
 * named once: the display "as million", the evidence "as billion in EUR".
 */
export function quantityDifference(shown: Quantity, evidence: Quantity): { shown: string; evidence: string } {
  const sides = [shown, evidence].map((q, i) => {
    const other = i === 0 ? evidence : shown
    const parts: string[] = []
    if (!sameValue(q.scale, other.scale)) parts.push(`as ${SCALE_NAMES[q.scale] ?? `${q.scale} times a unit`}`)
    if (q.percent !== other.percent) parts.push(q.percent ? 'as a percentage' : 'without a percent sign')
    if (q.currency && other.currency && q.currency !== other.currency) parts.push(`in ${q.currency}`)
    return parts.join(' ')
  })
  return { shown: sides[0] ?? '', evidence: sides[1] ?? '' }
}
