// How a brief writes dates, in one place: the patterns the schema checks, and the
// reading of a date into its parts for sorting, printing and the documents' dates.

/** A date: YYYY, YYYY-MM or YYYY-MM-DD. */
const DATE = String.raw`\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?`
/** A decade: 1990s. */
const DECADE = String.raw`\d{4}s`

export const RE_DATE = new RegExp(`^${DATE}$`)
export const RE_DECADE = new RegExp(`^${DECADE}$`)
/** A date or a decade. */
export const RE_WHEN = new RegExp(`^(${DECADE}|${DATE})$`)
/** A span of whole years as texts write it: 2014–2016, 2014-2016. A timeline places it at its first year and shows it as written. */
export const RE_SPAN = /^(\d{4})\s*[–-]\s*(\d{4})$/
/** A date's shape (2024, 2024-05, 2024-5-8, 1990s); "2021-2027" or "the first week of October" are periods in words. */
export const RE_WHEN_LIKE = /^\d{4}(?:s|-\d{1,2}(?:-\d{1,2})?)?$/

export interface DateParts {
  year: number
  month?: number | undefined
  day?: number | undefined
}

/** Whether a timeline can place a `when`: a date, a decade, or a span of years that runs forwards. */
export function placeable(when: string): boolean {
  const span = RE_SPAN.exec(when)
  return RE_WHEN.test(when) || (span !== null && Number(span[1]) <= Number(span[2]))
}

/** The parts of a date written YYYY[-MM[-DD]] (a decade or a span of years gives its first year). */
export function dateParts(when: string): DateParts {
  const span = RE_SPAN.exec(when)
  if (span) return { year: Number(span[1]) }
  const [year = 0, month, day] = (RE_DECADE.test(when) ? when.slice(0, 4) : when).split('-').map(Number)
  return { year, month, day }
}

/**
 * Midnight UTC of a day, for any year from 0 to 9999: `Date.UTC` reads the years 0–99 as
 * 1900–1999, so the year 79 (Pompeii) would become 1979.
 */
export function utcDate(year: number, month = 1, day = 1): Date {
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  return date
}

/** Whether a date of the right shape is a day of the calendar (2023-02-30 is not); a year or a month always is. */
export function realDate(when: string): boolean {
  const { year, month, day } = dateParts(when)
  if (month === undefined || day === undefined) return true
  const d = utcDate(year, month, day)
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day
}

/** The first and last day a `when` covers, as sortable numbers: `1990s` spans 1990–1999, `2019` all of 2019. */
export function whenStart(when: string): number {
  const { year, month, day } = dateParts(when)
  return year * 10000 + (month ?? 0) * 100 + (day ?? 0)
}

export function whenEnd(when: string): number {
  const { year, month, day } = dateParts(when)
  const span = RE_SPAN.exec(when)
  const lastYear = span ? Number(span[2]) : RE_DECADE.test(when) ? year + 9 : year
  return lastYear * 10000 + (month ?? 12) * 100 + (day ?? 31)
}
