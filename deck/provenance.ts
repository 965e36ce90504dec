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

/** Every value a text may mean by its numbers: each way of reading its separators, with "thousand" and "million" applied. */
export function numbersIn(text: string): number[] {
  const values = new Set<number>()
  for (const m of text.matchAll(RE_DIGITS)) {
    const token = m[0].replace(RE_GROUP_SEPARATORS, '')
    const readings = [
      Number(token.replaceAll(',', '')), // 14,500.5
      Number(token.replaceAll('.', '').replace(',', '.')), // 14.500,5
      Number(token.replace(/[.,]/g, '')), // digits only
    ].filter(Number.isFinite)
    const after = text.slice(m.index + m[0].length)
    const multiplier = MULTIPLIERS.find(([re]) => re.test(after))?.[1] ?? 1
    for (const r of readings) {
      values.add(r)
      values.add(r * multiplier)
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
