import { dateParts, RE_DECADE, RE_WHEN_LIKE, utcDate } from '../brief/dates.ts'
import { WRITTEN_KINDS } from '../brief/fields.ts'
import type { Figure, Language } from '../brief/schema.ts'
import { forms } from '../languages/catalogue.ts'
import { CATALOGUES } from '../languages/languages.ts'
import { keepWords } from '../shared/shorten.ts'
import { messages } from './messages.ts'

// Everything that turns the brief's plain text into slide text: escaping for
// each place text can land in Marp Markdown, and the one number/date formatter.

const RE_NEWLINES = /\r\n?|\n/g
/** Characters that mean something anywhere in a Markdown line (CommonMark, GFM tables and strikethrough, Marp math). */
const RE_INLINE_SPECIAL = /[\\`*_[\]{}#!|~$^]/g
/** At the start of a line these begin a list, a heading underline or a quote. */
const RE_LINE_START = /^([-+=]|\d+[.)])/
const RE_HTML_SPECIAL = /[&<>"']/g
const RE_MARKDOWN_HTML_SPECIAL = /[&<>]/g
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
/** Marpit ends a comment at the first `--` followed by `>`. */
const RE_COMMENT_END = /--+>/g
/**
 * Marpit reads a comment that parses as YAML with directive keys (`theme:`, `_class:`) as
 * directives, and skips lint magic comments. YAML can put a key after an anchor, a tag or
 * a bracket (`&a theme: x`), so every line with a colon is guarded, not only `key:` lines.
 */
const RE_DIRECTIVE_LIKE = /:|^\s*(prettier-ignore|markdownlint-|lint )/
const ZERO_WIDTH_SPACE = '\u200B'

/**
 * Escapes text for an inline position in Marp Markdown (a heading, a list item, a
 * paragraph, a table cell, the footer). The result renders as exactly the text
 * given: no markup, no HTML, no directive, no slide break. Line breaks become `<br>`.
 */
export function escapeMarkdown(text: string): string {
  return textLines(text).map(escapeMarkdownLine).join(MARKDOWN_LINE_BREAK)
}

/** In slide text, a line break in the brief becomes `<br>`: the value stays inside its block. */
export const MARKDOWN_LINE_BREAK = '<br>'

/** The lines of a text as a slide shows them: the text and each line trimmed. */
export function textLines(text: string): string[] {
  return text
    .trim()
    .split(RE_NEWLINES)
    .map((line) => line.trim())
}

/** Escapes one line, or a piece of one: spaces at its ends are kept. */
export function escapeMarkdownLine(line: string): string {
  return line
    .replace(RE_MARKDOWN_HTML_SPECIAL, (c) => HTML_ENTITIES[c] ?? c)
    .replace(RE_INLINE_SPECIAL, '\\$&')
    .replace(RE_LINE_START, (m) => `${m.slice(0, -1)}\\${m.slice(-1)}`)
}

export function escapeHtml(text: string): string {
  return text.replace(RE_HTML_SPECIAL, (c) => HTML_ENTITIES[c] ?? c)
}

/**
 * Escapes speaker notes for a Marp comment. Notes are shown as plain text in the
 * presenter view, so nothing visible is added: a zero-width space breaks the
 * sequences Marpit would read as the end of the comment or as a directive.
 * Spaces at line ends and repeated blank lines are dropped.
 */
export function escapeNote(text: string): string {
  return text
    .trim()
    .split(RE_NEWLINES)
    .map((line) => line.trimEnd())
    .filter((line, i, lines) => line !== '' || lines[i - 1] !== '') // one blank line between paragraphs
    .map((line) => line.replace(RE_COMMENT_END, (m) => `${m.slice(0, -1)}${ZERO_WIDTH_SPACE}>`))
    .map((line) => (RE_DIRECTIVE_LIKE.test(line) ? ZERO_WIDTH_SPACE + line : line))
    .join('\n')
}

function locale(language: Language): string {
  return CATALOGUES[language].locale
}

/**
 * Making an Intl formatter costs a hundred times more than using one, and a deck formats
 * hundreds of numbers and dates: each formatter is made once per language and settings.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>()
function formatter<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let made = formatters.get(key) as T | undefined
  if (!made) {
    made = make()
    formatters.set(key, made)
  }
  return made
}

export function formatNumber(value: number, language: Language, decimals?: number): string {
  const digits = decimals === undefined ? { maximumFractionDigits: 6 } : { minimumFractionDigits: decimals, maximumFractionDigits: decimals }
  return formatter(`number ${language} ${decimals}`, () => new Intl.NumberFormat(locale(language), digits)).format(value)
}

/** A whole number from 0 to 100 in words, as the language's catalogue writes it: "nine", "twenty-eight", "dvadeset osam". */
export function numberWord(n: number, language: Language): string {
  const words = CATALOGUES[language].numbers
  const first = (entry: string | undefined) => (entry === undefined ? String(n) : (forms(entry)[0] ?? entry))
  if (n === 100) return first(words.hundred[0])
  if (n < 20) return first(words.units[n])
  const ones = n % 10
  const tens = first(words.tens[Math.floor(n / 10) - 2])
  return ones === 0 ? tens : `${tens}${words.join}${first(words.units[ones])}`
}

/** A space that never breaks a line: between a number and its unit, and inside a date. */
export const NO_BREAK_SPACE = '\u00A0'

/** The number a figure shows: its value at its display scale (1,470 billion at 0.001 is 1.47), free of float noise. */
export function shownValue(figure: Pick<Figure, 'value' | 'scale'>): number {
  return figure.scale === undefined ? figure.value : Number((figure.value * figure.scale).toPrecision(12))
}

/**
 * The value as it appears on a slide: `≈110,000`, `€140 million`, `7×`, `€1.47 trillion`,
 * `nine`. A unit after a space stays on the number's line.
 */
export function formatFigure(
  figure: Pick<Figure, 'value' | 'approx' | 'prefix' | 'suffix' | 'decimals' | 'scale' | 'words' | 'kind'>,
  language: Language,
): string {
  const shown = shownValue(figure)
  // A year is written as it is, in every language: 2012, never 2,012 or 2.012.
  const number =
    figure.kind !== undefined && WRITTEN_KINDS.has(figure.kind)
      ? String(shown)
      : figure.words
        ? numberWord(Math.round(shown), language)
        : formatNumber(shown, language, figure.decimals)
  const suffix = (figure.suffix ?? '').replace(/ /g, NO_BREAK_SPACE) // "€0.80 per m³" never leaves "m³" on the next line
  const value = `${figure.prefix ?? ''}${number}${suffix}`
  if (!figure.approx) return value
  // "≈" goes with digits; a number in words says it in words: "about seven years", "oko sedam godina".
  return figure.words ? messages(language).about(value) : `≈${value}`
}

/**
 * `2024-05` → `May 2024`, `2024-05-08` → `8 May 2024` (`8. maj 2024.`), `1990s` and `2013` as
 * they are, a period in words as written. A date never breaks across lines.
 */
export function formatWhen(when: string, language: Language): string {
  if (RE_DECADE.test(when) || !RE_WHEN_LIKE.test(when)) return when
  const { year, month, day } = dateParts(when)
  if (month === undefined) return yearOf(when, language)
  const date = utcDate(year, month, day)
  const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', timeZone: 'UTC' }
  if (day !== undefined) options.day = 'numeric'
  return formatter(`date ${language} ${day !== undefined}`, () => new Intl.DateTimeFormat(locale(language), options))
    .format(date)
    .replace(/ /g, NO_BREAK_SPACE)
}

/** A year alone, as the language's dates write it (CLDR): 2021 in English, 2021. in Serbian, 2021 г. in Macedonian. */
export function yearOf(when: string, language: Language): string {
  const year = Number(when.slice(0, 4))
  const format = formatter(`year ${language}`, () => new Intl.DateTimeFormat(locale(language), { year: 'numeric', timeZone: 'UTC' }))
  return format.format(utcDate(year, 1, 1)).replace(/ /g, NO_BREAK_SPACE)
}

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

/** Shorter than this, a shortened text says too little to be worth showing. */
const SHORTEST_SHORTENED = 12

/**
 * A text cut to at most `max` characters at a word boundary, ending in "…" (the ellipsis
 * counted); a comma or a little word is not left before it. Undefined when too little of it
 * would show to be worth it.
 */
export function shortenAtWord(text: string, max: number): string | undefined {
  if (text.length <= max) return text
  if (max < SHORTEST_SHORTENED) return undefined
  const words = text.slice(0, max).split(/\s+/)
  words.pop() // the last word may be cut: it goes, whole
  const short = keepWords(words, words.length).text
  return short.length >= SHORTEST_SHORTENED ? short : undefined
}
