// Plain text put together for reading: a generated sentence's full stop, a quotation
// without the marks typed around it, notes as paragraphs, parts joined without a stray
// separator.

const RE_ENDS_SENTENCE = /[.!?…]$/u

/** A generated sentence with its full stop, unless the value it ends with brings one (a Serbian date: "1. april 2024."). */
export function sentence(text: string): string {
  return RE_ENDS_SENTENCE.test(text) ? text : `${text}.`
}

/** Opening quotation marks and the closing marks that pair with each, in the languages' conventions. */
const QUOTE_PAIRS: Record<string, string> = { '“': '”', '„': '“”', '"': '"', "'": "'", '‘': '’', '‚': '‘’', '«': '»', '»': '«', '‹': '›' }
/** `{ref:…}` tokens at the end of a text, kept apart while its quotation marks are looked at. */
const RE_TRAILING_REFS = /((?:\s*\{ref:[^}]*\})*)\s*$/

/**
 * A quotation without the pair of quotation marks typed around the whole of it: “Water”
 * and „Voda“ lose theirs; “Yes,” he said, “we will.” keeps them (they do not pair).
 */
export function unquoted(quote: string): string {
  const trailing = RE_TRAILING_REFS.exec(quote)
  const refs = trailing?.[1] ?? ''
  const text = quote.slice(0, quote.length - (trailing?.[0].length ?? 0)).trim()
  const open = text[0] ?? ''
  const close = text.at(-1) ?? ''
  const pairs = QUOTE_PAIRS[open]?.includes(close) === true && text.length >= 2
  const inner = pairs ? text.slice(1, -1) : text
  // Marks that also open or close a quote inside it ("“Yes,” he said, “we will.”") are not a pair around the whole.
  const nested = pairs && [...inner].some((c) => c === close || c === open)
  return `${(pairs && !nested ? inner : text).trim()}${refs}`
}

const RE_PARAGRAPHS = /\n\s*\n/
const RE_LINE_BREAK = /\s*\n\s*/g

/** Notes as paragraphs for paper and PowerPoint: a blank line starts one, a single line break is a space. */
export function noteParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(RE_PARAGRAPHS)
    .map((p) => p.replace(RE_LINE_BREAK, ' ').trim())
    .filter(Boolean)
}

/** The parts that are there, joined: a missing author leaves no stray separator. */
export function joinPresent(parts: readonly (string | undefined)[], separator: string): string {
  return parts.filter((p): p is string => p !== undefined && p !== '').join(separator)
}
