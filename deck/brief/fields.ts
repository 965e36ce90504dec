import { z } from 'zod'

import { alternation } from '../languages/catalogue.ts'
import { allNumberWords, LANGUAGE_NAMES, LANGUAGE_TAGS, languageTag } from '../languages/languages.ts'
import { RE_DATE, RE_SPAN, RE_WHEN, RE_WHEN_LIKE, realDate } from './dates.ts'

// The building blocks of the brief's schema (schema.ts): the kinds of text, dates, ids and
// reference lists its fields are made of, and the names and limits the rest of the tool shares.

/** An id: a slide's, a figure's, a series', a variant's, and the name `deck new` takes. */
const ID = '[a-z0-9][a-z0-9-]*'
export const RE_ID = new RegExp(`^${ID}$`)
/** How a chart slide draws its series; the first is the default. */
export const CHART_KINDS = ['bar', 'line'] as const
export type ChartKind = (typeof CHART_KINDS)[number]
export const DEFAULT_CHART_KIND: ChartKind = CHART_KINDS[0]
/**
 * What a figure may say it is (`kind`): a count of things, an amount (of money, or in a unit),
 * a share (a percentage), a year, or an identifier (a resolution's or an article's number, a code).
 */
export const FIGURE_KINDS = ['count', 'amount', 'share', 'year', 'identifier'] as const
export type FigureKind = (typeof FIGURE_KINDS)[number]
/** Kinds that are names more than quantities: shown as written, never grouped ("2012", "1244"), in every language. */
export const WRITTEN_KINDS: ReadonlySet<FigureKind> = new Set(['year', 'identifier'])
/** A percent sign, or a percent word of any language's catalogue, in a suffix: what a share is shown with. */
export const RE_PERCENT_SUFFIX = new RegExp(alternation(['%', ...allNumberWords().flatMap((words) => words.percent)]), 'iu')
/** The largest number a figure may show as a word (`words: true`). */
export const MAX_NUMBER_WORD = 100
/** A timeline slide stays legible with up to this many events. */
export const MAX_TIMELINE_EVENTS = 12
/** `{fig:some-id}` inside any text puts that figure's value, with its footnote marker, into the sentence. */
export const RE_FIGURE_TOKEN = new RegExp(`\\{fig:(${ID})\\}`, 'g')
/** `{ref:3}` or `{ref:3,6}` inside any text puts those footnote markers there: a claim with its source. */
export const RE_REF_TOKEN = /\{ref:(\d+(?:\s*,\s*\d+)*)\}/g
/** Any {…} in a text: a placeholder, or an error (it would reach the slide as it is). */
export const RE_BRACES = /\{[^{}\n]{0,80}\}/g

/** Warnings an author may silence (`checks.ignore`, or `ignore` on a slide); errors cannot be silenced. */
export const WARNING_CODES = [
  'unused-reference',
  'typed-number',
  'quote-marks',
  'small-text',
  'too-many-words',
  'too-many-bullets',
  'flag-emoji',
  'event-without-evidence',
  'print-shortened',
  'footer-shortened',
  'year-without-kind',
  'count-not-in-source',
] as const
export type WarningCode = (typeof WARNING_CODES)[number]
/** Findings that were warnings once and are errors now: a brief that silences one is told why it cannot. */
const NOW_ERRORS = new Set(['hedged-evidence', 'double-hedge'])
export const ignoreList = z
  .array(
    z.enum(WARNING_CODES, {
      error: (issue) =>
        typeof issue.input === 'string' && NOW_ERRORS.has(issue.input)
          ? 'this finding is an error now (a slide must not show as exact what the source hedges): it cannot be silenced; fix it instead'
          : `not a warning that can be silenced; use one of: ${WARNING_CODES.join(', ')}`,
    }),
  )
  .meta({ description: 'Warnings of `brief-deck check` not to show here.' })

export const url = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
/** Control characters (other than tab and line breaks) cannot be shown on a slide. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RE_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/
export const text = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((s) => !RE_CONTROL.test(s), 'contains a control character that cannot be shown; remove it')
/** Text that stays on one line and keeps its spaces, e.g. a suffix " million". */
export const inlineText = z.string().refine((s) => !RE_CONTROL.test(s) && !/[\r\n]/.test(s), 'must be one line without control characters')
/** Text drawn inside a chart, where a line break cannot be shown. */
export const lineText = text.refine((s) => !/[\r\n]/.test(s), 'must be one line: a chart cannot break it')
export const id = z.string().regex(RE_ID, 'use lower-case letters, digits and hyphens, e.g. "asylum-2020"')

export const date = z
  .string()
  .regex(RE_DATE, 'write a date as YYYY, YYYY-MM or YYYY-MM-DD, in quotes')
  .refine(realDate, 'there is no such day in the calendar')
  .meta({ description: 'YYYY, YYYY-MM or YYYY-MM-DD' })
export const when = z
  .string()
  .regex(RE_WHEN, 'write a date as YYYY, YYYY-MM, YYYY-MM-DD or a decade like 1990s, in quotes')
  .refine(realDate, 'there is no such day in the calendar')
  .meta({ description: 'YYYY, YYYY-MM, YYYY-MM-DD, or a decade such as 1990s' })
export const whenOrPeriod = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .superRefine((s, ctx) => {
    const span = RE_SPAN.exec(s)
    if (span && Number(span[1]) > Number(span[2])) ctx.addIssue({ code: 'custom', message: 'this span of years runs backwards: write the earlier year first' })
    if (!RE_WHEN_LIKE.test(s)) return // a period in words; a date's shape (even 2024-13) must be a real date
    const checked = when.safeParse(s)
    if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ code: 'custom', message: issue.message })
  })
  .meta({
    description:
      'YYYY, YYYY-MM, YYYY-MM-DD, a decade such as 1990s, or a period in words such as "the next seven-year budget" (in every language of the brief).',
  })
export const refNumber = z.number().int('a reference number is a whole number').min(1, 'reference numbers start at 1')
export const refList = z.array(refNumber).meta({ description: 'Numbers of the entries in `references` that back this.' })
export const notes = text.meta({
  description:
    'Speaker notes, for the speaker: what to say. Shown in the presenter view and the notes PDF; never on the slide, and in the handout only when `handout.speakerNotes` is true.',
})
export const audienceText = text.meta({
  description:
    'Text for the audience: the take-away a reader keeps, printed beside the slide in the handout. Never on the slide or in the presenter view. A slide without it gets ruled lines in the handout.',
})

/** The slide shape when the brief names none. */
export const DEFAULT_SIZE = '16:9'

/** The languages the deck's own words exist in (one catalogue each, deck/languages/), and their aliases. */
export const LANGUAGES = LANGUAGE_NAMES
export const languageSchema = z
  .enum(LANGUAGE_NAMES)
  .transform((written) => languageTag(written) ?? 'en')
  .meta({
    description: `Language of the brief (BCP 47 tag): ${LANGUAGE_TAGS.join(', ')}; \`sr\` is Serbian in the Latin script (sr-Latn). A variant in sr-Cyrl shows a brief written in Serbian Latin in Cyrillic.`,
  })
