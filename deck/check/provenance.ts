// Where a number comes from: is a figure's evidence phrase in the source document,
// and is the figure's value in its evidence, however the text writes it
// (14,500 / 14500 / 14.5 thousand / "seven times" / "a quarter of a century"), and in
// the same scale, currency and unit? Pure functions on text, in English and Serbian.
import { NUMBER_WORDS } from '../render/text.ts'

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

/** A searchable form of a source document: the text as it is, and with words broken at line ends joined again. */
export function sourceIndex(document: string): { has(phrase: string): boolean } {
  const forms = [normaliseText(document), normaliseText(document.replace(RE_BROKEN_WORD, '$1$2'))]
  return { has: (phrase) => forms.some((form) => form.includes(normaliseText(phrase))) }
}

/** A number as texts write it: 14,500 · 14.500 · 14 500 · 0.80 · 1,250,000.5 (a group separator is followed by three digits). */
const RE_DIGITS = /\d{1,3}(?:[,.'’\u00A0\u202F ]\d{3})+(?:[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)?/g
const RE_GROUP_SEPARATORS = /['’\u00A0\u202F ]/g
/** Scale words after a number, in English and Serbian (every case form), and their value. */
/** A scale word, spaced or hyphenated ("186 billion", "a 186-billion-euro fund"), or a letter against the digits ("€3m", "10k"). */
export const SCALE_WORDS: readonly [RegExp, number][] = [
  [/^(?:[\s-]*(?:thousand|hiljad\p{L}*|hilj\.)|k)(?![\p{L}²³])/iu, 1e3],
  [/^(?:[\s-]*(?:million|mn|mln\.?|mil\.|milion\p{L}*)|m)(?![\p{L}²³])/iu, 1e6],
  [/^(?:[\s-]*(?:billion|bn|mlrd\.?|milijard\p{L}*)|b)(?![\p{L}²³])/iu, 1e9],
  [/^(?:[\s-]*(?:trillion|tn|trn|bilion\p{L}*))(?![\p{L}²³])/iu, 1e12],
]
const OTHER_WORDS: Record<string, number> = {
  twice: 2,
  double: 2,
  doubled: 2,
  thrice: 3,
  triple: 3,
  tripled: 3,
  dozen: 12,
  hundred: 100,
  thousand: 1000,
  tuce: 12,
  sto: 100,
  dvostruko: 2,
  trostruko: 3,
}
const RE_WORD = /\p{L}+(?:-\p{L}+)?/gu
const RE_FOLD = /^(.*?)-?fold$/

/** A word of either language's number words: its value. */
const WORD_VALUES = new Map<string, number>()
for (const words of Object.values(NUMBER_WORDS)) {
  words.units.forEach((w, i) => WORD_VALUES.set(w, i))
  words.tens.forEach((w, i) => w && WORD_VALUES.set(w, i * 10))
}
/** Serbian says "dve" and "jedna" too (feminine), and "dvoje", "troje" for groups. */
for (const [w, v] of [
  ['dve', 2],
  ['jedna', 1],
  ['jedno', 1],
  ['dvoje', 2],
  ['troje', 3],
  ['četvoro', 4],
  ['petoro', 5],
] as const)
  WORD_VALUES.set(w, v)

/** The value of a number word: "seven", "twenty-eight", "sevenfold", "twice", "devet". */
function wordValue(word: string): number | undefined {
  const w = word.toLowerCase()
  const fold = RE_FOLD.exec(w)
  if (fold?.[1]) return wordValue(fold[1])
  if (w in OTHER_WORDS) return OTHER_WORDS[w]
  const single = WORD_VALUES.get(w)
  if (single !== undefined) return single
  const [tens, ones] = w.split('-')
  const t = WORD_VALUES.get(tens ?? '')
  const o = WORD_VALUES.get(ones ?? '')
  if (t !== undefined && t >= 20 && t % 10 === 0 && o !== undefined && o > 0 && o < 10) return t + o
  return undefined
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

/** What makes the number after it negative: a minus sign or hyphen against it, or the word "minus". */
const RE_NEGATIVE = /(?:(?:^|[^\p{L}\p{N}])[-\u2212\u2013] ?|\bminus\s+)$/iu

/** One number written in a text: where it is, its value as written, and the scale word after it. */
export interface NumberMatch {
  index: number
  end: number
  /** The number as written (signed when a minus stands before it). */
  value: number
  /** The scale word after it: 1e9 for "billion", 1 when there is none. */
  scale: number
}

/** Every number written in digits in a text, with the scale word after it. */
export function numberMatches(text: string): NumberMatch[] {
  const matches: NumberMatch[] = []
  for (const m of text.matchAll(RE_DIGITS)) {
    const value = readNumber(m[0])
    if (!Number.isFinite(value)) continue
    const end = m.index + m[0].length
    const scale = SCALE_WORDS.find(([re]) => re.test(text.slice(end)))?.[1] ?? 1
    const sign = RE_NEGATIVE.test(text.slice(0, m.index)) ? -1 : 1
    matches.push({ index: m.index, end, value: sign * value, scale })
  }
  return matches
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
  const words = [...rest.matchAll(RE_WORD)].map((m) => m[0])
  words.forEach((word, i) => {
    const v = wordValue(word)
    if (v === undefined) return
    values.add(v)
    // "dvadeset osam", "twenty eight": tens and units as two words.
    const next = wordValue(words[i + 1] ?? '')
    if (v >= 20 && v < 100 && v % 10 === 0 && next !== undefined && next > 0 && next < 10) values.add(v + next)
    const after = SCALE_WORDS.find(([re]) => re.test(` ${words[i + 1] ?? ''}`))?.[1]
    if (after !== undefined) values.add(v * after)
  })
  return [...values]
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

/** Words that say the number after them is not exact, in English and Serbian. */
const HEDGES =
  'about|almost|nearly|around|approximately|roughly|some|an estimated|estimated|close to|circa|ca\\.|approx\\.|oko|gotovo|skoro|približno|blizu|otprilike|procenjenih|procenjeno|procenjeni|procenjena'
/** A hedge word ending right here, perhaps with a currency sign or ≈ before the digits: "about €", "oko ". */
const RE_HEDGE_BEFORE = new RegExp(`(?<!\\p{L})(${HEDGES})\\s*[€$£¥≈~]?\\s*$`, 'iu')

/** A hedge word right before a place in a text ("about " before a figure that is already ≈). */
export function hedgeBefore(text: string): string | undefined {
  return RE_HEDGE_BEFORE.exec(text)?.[1]
}

/**
 * The word that hedges the value in a text, if one stands right before it: "almost" in
 * "almost 186 billion", "oko" in "oko 20.000". "Some candidates" or "around the world"
 * elsewhere in the phrase do not hedge it.
 */
export function hedgeIn(text: string, value?: number): string | undefined {
  for (const m of numberMatches(text)) {
    if (value !== undefined && !sameNumber(m, value)) continue
    const hedge = hedgeBefore(text.slice(0, m.index))
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
  /** The words that say so, for messages: "billion", "%". */
  words: string
  currency?: string
}

/** Currency signs and names, in English and Serbian (every case form; "Evropa" is not a currency). */
const CURRENCIES: readonly [RegExp, string][] = [
  [/€|(?<!\p{L})(?:euros?|eur|evr(?:a|o|u|ima)?)(?!\p{L})/iu, 'EUR'],
  [/\$|(?<!\p{L})(?:dollars?|usd|dolar(?:a|i|ima)?)(?!\p{L})/iu, 'USD'],
  [/£|(?<!\p{L})(?:pounds?|gbp|funt(?:a|i|i)?)(?!\p{L})/iu, 'GBP'],
  [/(?<!\p{L})(?:dinar(?:a|i|ima)?|rsd|din\.)/iu, 'RSD'],
  [/¥|(?<!\p{L})(?:yuan|renminbi|cny|juan(?:a|i)?)(?!\p{L})/iu, 'CNY'],
]
/** A percent sign or word right after a number ("72.4%", "1.4 percent", "20 odsto"). */
const RE_PERCENT = /^\s*(?:%|per ?cent(?!\p{L})|percentage points?|posto(?!\p{L})|odsto(?!\p{L})|procen(?:at|ta|ata)(?!\p{L}))/iu

/** The currency nearest the start of a text: in "dollars, not euros", dollars. */
function currencyIn(text: string): string | undefined {
  let nearest: { at: number; code: string } | undefined
  for (const [re, code] of CURRENCIES) {
    const at = re.exec(text)?.index
    if (at !== undefined && (!nearest || at < nearest.at)) nearest = { at, code }
  }
  return nearest?.code
}

/**
 * The quantities the evidence gives the figure's value in, one for each place the value
 * is written in digits: the scale word after the number, a currency right before or after
 * it, a percent sign or word right after it. Empty when the value is not written in digits.
 */
export function evidenceQuantities(evidence: string, value: number): Quantity[] {
  return numberMatches(evidence).flatMap((m): Quantity[] => {
    if (!sameNumber(m, value)) return []
    const raw = sameValue(Math.abs(m.value), Math.abs(value))
    // The words around the number: a currency before it ("€1,470", "$186") or after it ("billion euros"), a percent after it.
    const before = evidence.slice(Math.max(0, m.index - 4), m.index)
    const after = evidence.slice(m.end, m.end + 24)
    const currency = currencyIn(before) ?? currencyIn(after)
    const scale = raw ? m.scale : 1
    const percent = RE_PERCENT.test(after)
    return [{ factor: scale * (percent ? 0.01 : 1), words: quantityWords(scale, percent), ...(currency ? { currency } : {}) }]
  })
}

/** The first quantity the evidence gives the value in (see `evidenceQuantities`). */
export function evidenceQuantity(evidence: string, value: number): Quantity | undefined {
  return evidenceQuantities(evidence, value)[0]
}

/** The quantity a figure shows: the scale word of its suffix (times its display scale), its currency, its percent. */
export function displayQuantity(figure: { prefix?: string | undefined; suffix?: string | undefined; scale?: number | undefined }): Quantity {
  const suffix = figure.suffix ?? ''
  const word = SCALE_WORDS.find(([re]) => re.test(suffix))?.[1] ?? 1
  const currency = currencyIn(`${figure.prefix ?? ''} ${suffix}`)
  const percent = RE_PERCENT.test(suffix.replace(/^[\s\u00A0]*(thousand|million|billion|trillion)/i, ''))
  return { factor: word * (figure.scale ?? 1) * (percent ? 0.01 : 1), words: quantityWords(word, percent), ...(currency ? { currency } : {}) }
}

const SCALE_NAMES: Record<number, string> = { 1e3: 'thousand', 1e6: 'million', 1e9: 'billion', 1e12: 'trillion' }

function quantityWords(scale: number, percent: boolean): string {
  return [SCALE_NAMES[scale], percent ? '%' : undefined].filter(Boolean).join(' ') || 'a plain number'
}

/** Do the figure's display and its evidence measure the same thing: the same magnitude, and no two different currencies? */
export function sameQuantity(shown: Quantity, evidence: Quantity): boolean {
  return sameValue(shown.factor, evidence.factor) && !(shown.currency && evidence.currency && shown.currency !== evidence.currency)
}
