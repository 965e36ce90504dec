import type { LoadedBrief } from '../brief/brief.ts'
import { dateParts, RE_DECADE } from '../brief/dates.ts'
import type { SourceDocument } from './brief-checks.ts'
import { sourceIndex } from './provenance.ts'
import { type Finding } from './report.ts'
import { allLanguages, alternation, forms } from './units.ts'

// Does a phrase of the source state an event's date? Its year at least; its month and day
// when the event gives them, in any language's month names and case forms ("8. maja 2024.",
// "16. svibnja 2008.", "15 dhjetor 2017", "16 Μαΐου 2008", "May 8, 2024") or in numbers
// ("01.04.2024.", "4. 7. 2013.", "1/4/2024", "2024-04-01").

/** Each month word of every language (lower case), and its month. */
const MONTHS = new Map<string, number>()
for (const language of allLanguages()) {
  language.months.forEach((entry, i) => forms(entry).forEach((w) => MONTHS.set(w.toLowerCase(), i + 1)))
}
const RE_MONTH = new RegExp(`(?<!\\p{L})(${alternation(MONTHS.keys())})\\.?(?!\\p{L})`, 'giu')
/** A day before a month word: "8. ", "16 ", "8th of ". */
const RE_DAY_BEFORE = /(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\.?\s*(?:of\s+)?$/i
/** A range of days before a month word: "1. do 8. ", "1–8 ", "1 and 8 ": either day is stated. */
const RE_DAY_RANGE_BEFORE = /(?<!\d)(\d{1,2})\.?\s*(?:[-–]|do|to|до|deri|έως|and|i|и|&)\s*(\d{1,2})(?:st|nd|rd|th)?\.?\s*(?:of\s+)?$/iu
/** Another year in the window: a day and month before it belong to it, not to the year after. */
const RE_OTHER_YEAR = /(?<!\d)\d{4}(?!\d)\.?/g
/** A day after a month word: " 8, ", " 8th ". */
const RE_DAY_AFTER = /^\s*(\d{1,2})(?:st|nd|rd|th)?\.?,?\s*$/i
/** A day and a month in numbers before the year: "01.04.", "4. 7. ", "1/4/". */
const RE_NUMERIC_DAY_MONTH = /(?<!\d)(\d{1,2})\s*[./]\s*(\d{1,2})\s*[./]\s*$/
/** A month in numbers before the year: "04.", "4/". */
const RE_NUMERIC_MONTH = /(?<!\d)(\d{1,2})\s*[./]\s*$/
/** The month and day after the year, as ISO writes them: "-04-01". */
const RE_ISO_AFTER = /^-(\d{2})(?:-(\d{2}))?/
/** How far before a year its day and month may be written: "8. septembra 2024." */
const DATE_WINDOW = 40

/** What a phrase fails to state of a date: its year, its month or its day (undefined: it states the date). */
export type MissingDatePart = 'year' | 'month' | 'day' | undefined

interface DayMonth {
  month: number
  day?: number | undefined
}

/** The days and months written next to the year at `index`. */
function datesAround(text: string, index: number): DayMonth[] {
  const window = text.slice(Math.max(0, index - DATE_WINDOW), index)
  // "8 May 2023 and 9 June 2024": what stands before 2023 is 2023's day and month.
  const lastYear = [...window.matchAll(RE_OTHER_YEAR)].at(-1)
  const before = lastYear ? window.slice(lastYear.index + lastYear[0].length) : window
  const found: DayMonth[] = []
  for (const m of before.matchAll(RE_MONTH)) {
    const month = MONTHS.get((m[1] ?? '').toLowerCase())
    if (month === undefined) continue
    const range = RE_DAY_RANGE_BEFORE.exec(before.slice(0, m.index))
    if (range) found.push({ month, day: Number(range[1]) }, { month, day: Number(range[2]) })
    const dayBefore = RE_DAY_BEFORE.exec(before.slice(0, m.index))?.[1]
    const dayAfter = RE_DAY_AFTER.exec(before.slice(m.index + m[0].length))?.[1]
    found.push({ month, day: Number(dayBefore ?? dayAfter ?? NaN) || undefined })
  }
  const both = RE_NUMERIC_DAY_MONTH.exec(before)
  if (both) {
    const [a, b] = [Number(both[1]), Number(both[2])]
    found.push({ day: a, month: b }, { day: b, month: a }) // 1/4/2024 is the 1st of April or, in the US, the 4th of January
  } else {
    const month = RE_NUMERIC_MONTH.exec(before)
    if (month) found.push({ month: Number(month[1]) })
  }
  const iso = RE_ISO_AFTER.exec(text.slice(index + 4))
  if (iso) found.push({ month: Number(iso[1]), day: iso[2] === undefined ? undefined : Number(iso[2]) })
  return found
}

/** Where a year is written as a year: four digits not part of a longer number. */
function yearIndices(text: string, year: string): number[] {
  return [...text.matchAll(new RegExp(`(?<!\\d)${year}(?!\\d)`, 'g'))].map((m) => m.index)
}

/**
 * The first part of the date `when` (YYYY, YYYY-MM, YYYY-MM-DD, a decade such as 1990s, or a
 * span of years such as 2014–2016) that the text does not state; undefined when it states it
 * all. A period in words has no part to look for.
 */
export function missingDatePart(text: string, when: string): MissingDatePart {
  const years = when.match(/\d{4}/g) ?? []
  if (years.length === 0) return undefined
  if (years.some((y) => yearIndices(text, y).length === 0)) return 'year'
  if (RE_DECADE.test(when) || !/^\d{4}-\d/.test(when)) return undefined
  const { year, month, day } = dateParts(when)
  const candidates = yearIndices(text, String(year).padStart(4, '0')).flatMap((i) => datesAround(text, i))
  const withMonth = candidates.filter((c) => c.month === month)
  if (withMonth.length === 0) return 'month'
  if (day !== undefined && !withMonth.some((c) => c.day === day)) return 'day'
  return undefined
}

/**
 * The timeline's provenance: each event's evidence is in the source and states the event's
 * date (a changed year, month or day is an error); with a source, a dated event without
 * evidence is a warning, since nothing then backs its date.
 */
export function timelineFindings(loaded: LoadedBrief, source: SourceDocument | undefined): Finding[] {
  const { brief, file } = loaded
  const index = source ? sourceIndex(source.text) : undefined
  const findings: Finding[] = []
  ;(brief.timeline ?? []).forEach((event, i) => {
    const at = (field?: string) => ({ file, line: loaded.locate(['timeline', i, ...(field ? [field] : [])]).line })
    const what = `timeline event ${i + 1}${event.when ? ` (${event.when})` : ''}`
    const dated = event.when !== undefined && /\d{4}/.test(event.when)
    if (event.evidence === undefined) {
      if (source && dated)
        findings.push({
          severity: 'warning',
          check: 'provenance',
          code: 'event-without-evidence',
          message: `${what} has no evidence: add the phrase of ${source.file} that dates it, so that its date can be checked`,
          ...at(),
        })
      return
    }
    if (source && index && !index.has(event.evidence))
      findings.push({
        severity: 'error',
        check: 'provenance',
        code: 'evidence-not-in-source',
        message: `${what}: its evidence “${event.evidence}” is not in ${source.file}: copy the exact phrase of the source that dates it`,
        ...at('evidence'),
      })
    const missing = event.when === undefined ? undefined : missingDatePart(event.evidence, event.when)
    if (missing)
      findings.push({
        severity: 'error',
        check: 'provenance',
        code: 'date-not-in-evidence',
        message: `${what}: its evidence “${event.evidence}” does not give its ${missing}: correct the date, or give the evidence that states it`,
        ...at('when'),
      })
  })
  return findings
}
