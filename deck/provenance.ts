// Where a number comes from: is a figure's evidence phrase in the source document,
// and is the figure's value in its evidence, however the text writes it
// (14,500 / 14500 / 14.5 thousand / "seven times")? Pure functions on text.

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
const MULTIPLIERS: [RegExp, number][] = [
  [/^\s*(thousand|k\b)/i, 1e3],
  [/^\s*(million|mn\b|m\b)/i, 1e6],
  [/^\s*(billion|bn\b)/i, 1e9],
]
const UNITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen']
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety']
const OTHER_WORDS: Record<string, number> = { twice: 2, double: 2, doubled: 2, thrice: 3, triple: 3, tripled: 3, dozen: 12, hundred: 100, thousand: 1000 }
const RE_WORD = /\p{L}+(?:-\p{L}+)?/gu
const RE_FOLD = /^(.*?)-?fold$/

/** The value of a number word: "seven", "twenty-eight", "sevenfold", "twice". */
function wordValue(word: string): number | undefined {
  const w = word.toLowerCase()
  const fold = RE_FOLD.exec(w)
  if (fold?.[1]) return wordValue(fold[1])
  if (w in OTHER_WORDS) return OTHER_WORDS[w]
  const unit = UNITS.indexOf(w)
  if (unit >= 0) return unit
  const [tens, ones] = w.split('-')
  const t = TENS.indexOf(tens ?? '')
  if (t >= 2 && ones === undefined) return t * 10
  if (t >= 2 && ones !== undefined && UNITS.indexOf(ones) > 0 && UNITS.indexOf(ones) < 10) return t * 10 + UNITS.indexOf(ones)
  return undefined
}

/**
 * The value of a written number, whichever mark the text groups digits with: a mark
 * followed by exactly three digits groups them (14,500 · 14.500 · 1,250,000), any other
 * is the decimal mark (0.80 · 14.5 · 3,2). So "1,000" is a thousand, never one.
 */
export function readNumber(written: string): number {
  const token = written.replace(RE_GROUP_SEPARATORS, '')
  const marks = [...token.matchAll(/[.,]/g)]
  const last = marks.at(-1)
  if (!last) return Number(token)
  const decimals = token.length - (last.index + 1)
  const decimalMark = decimals === 3 && marks.every((m) => m[0] === last[0]) ? undefined : last[0]
  const digits = decimalMark === undefined ? token.replace(/[.,]/g, '') : `${token.slice(0, last.index).replace(/[.,]/g, '')}.${token.slice(last.index + 1)}`
  return Number(digits)
}

/** What makes the number after it negative: a minus sign or hyphen against it, or the word "minus". */
const RE_NEGATIVE = /(?:(?:^|[^\p{L}\p{N}])[-\u2212\u2013] ?|\bminus\s+)$/iu

/** Every value a text may mean by its numbers, with "thousand" and "million" applied, and number words. */
export function numbersIn(text: string): number[] {
  const values = new Set<number>()
  for (const m of text.matchAll(RE_DIGITS)) {
    const value = readNumber(m[0])
    if (!Number.isFinite(value)) continue
    const after = text.slice(m.index + m[0].length)
    const multiplier = MULTIPLIERS.find(([re]) => re.test(after))?.[1] ?? 1
    // A minus sign (-, −) right before the digits, or the word "minus", makes it negative; the text means either.
    const sign = RE_NEGATIVE.test(text.slice(0, m.index)) ? -1 : 1
    for (const s of sign === -1 ? [-1, 1] : [1]) {
      values.add(s * value)
      values.add(s * value * multiplier)
    }
  }
  for (const m of text.matchAll(RE_WORD)) {
    const v = wordValue(m[0])
    if (v !== undefined) values.add(v)
  }
  return [...values]
}

/** Does the text state this value, in any of the ways numbers are written? */
export function statesValue(text: string, value: number): boolean {
  return numbersIn(text).some((n) => Math.abs(n - value) <= Math.abs(value) * 1e-9)
}
