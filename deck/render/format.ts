import { dateParts, RE_DECADE, RE_WHEN_LIKE, utcDate } from '../brief/dates.ts'
import { WRITTEN_KINDS } from '../brief/fields.ts'
import type { Figure, Language } from '../brief/schema.ts'
import { forms } from '../languages/catalogue.ts'
import { CATALOGUES } from '../languages/languages.ts'
import { messages } from './messages.ts'

// Numbers and dates as the deck writes them, in the brief's language: the one formatter of
// a figure's value (digits or words), of a number, and of a date or year.

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
