import { z } from 'zod'

import { crossCheck } from './cross-check.ts'
import {
  audienceText,
  CHART_KINDS,
  date,
  DEFAULT_SIZE,
  FIGURE_KINDS,
  id,
  ignoreList,
  inlineText,
  LANGUAGES,
  languageSchema,
  lineText,
  MAX_NUMBER_WORD,
  notes,
  RE_PERCENT_SUFFIX,
  refList,
  refNumber,
  text,
  url,
  when,
  whenOrPeriod,
  WRITTEN_KINDS,
} from './fields.ts'

// The brief's data model. Types, validation and the JSON Schema that editors
// use (data/brief.schema.json, written by `npm run schema`) all come from here.

const metaSchema = z.strictObject({
  title: text.meta({ description: 'Full title, shown on the title slide.' }),
  shortTitle: text.max(60, 'keep the short title under 60 characters: it runs in every footer').meta({
    description: 'Short title for the footer of every slide.',
  }),
  subtitle: text.optional(),
  author: text.optional().meta({ description: 'Who wrote the brief. Leave it out when the source names no author: nothing is shown in its place.' }),
  role: text.optional().meta({ description: "The author's position, e.g. Research Fellow." }),
  affiliation: text.optional().meta({ description: "The author's organisation. Leave it out when the source does not say." }),
  date: date.meta({ description: 'Publication date of the brief.' }),
  language: languageSchema,
  keep: z.array(inlineText.min(1)).optional().meta({
    description:
      'Words and names shown as written in either script of Serbian, e.g. ELIAMEP: a deck in sr-Cyrl made from a brief in Serbian Latin transliterates everything else (links, e-mail addresses, code and words with letters Serbian does not have, such as Huawei, stay as written anyway).',
  }),
  size: z.enum([DEFAULT_SIZE, '4:3']).optional().meta({ description: 'Slide shape: 16:9 (default, 1280×720) or 4:3 (960×720).' }),
  summary: text.meta({ description: 'Two or three sentences: what the brief argues. Used as the deck description.' }),
  keywords: z.array(text.refine((k) => !/[,;]/.test(k), 'one keyword per entry: a comma or semicolon would split it in two')).optional(),
  source: z
    .strictObject({
      title: text.meta({ description: 'The published title of the brief.' }),
      publisher: text
        .optional()
        .meta({ description: 'Who publishes it. Leave it out when the source does not say: credits then name the site it is on (the host of its url).' }),
      url,
      document: text
        .optional()
        .meta({ description: "The brief's text as a file (path relative to this YAML file): `brief-deck check` looks for every figure's evidence in it." }),
    })
    .meta({ description: 'Where the written brief is published: named on the title and closing slides and in the handout footer.' }),
})

/**
 * A value a slide can show: from a millionth to 10²¹ in size, or 0. Beyond that a number has
 * no digits to print (1e+300), a chart has no scale to draw it on, and a tiny one shows as 0.
 */
const amount = z
  .number()
  .finite()
  .refine(
    (v) => v === 0 || (Math.abs(v) >= SMALLEST_AMOUNT && Math.abs(v) < LARGEST_AMOUNT),
    'a value is 0, or from 0.000001 to 10^21 in size; give a larger or smaller amount in a unit, with scale and suffix (1.5 with suffix " trillion")',
  )
const SMALLEST_AMOUNT = 1e-6
const LARGEST_AMOUNT = 1e21

const figureSchema = z
  .strictObject({
    value: amount,
    decimals: z
      .number()
      .int()
      .min(0)
      .max(6)
      .optional()
      .meta({ description: 'Digits after the decimal point, e.g. 2 for €0.80. Default: as many as the value has.' }),
    scale: z.number().positive('a scale is a positive number, e.g. 0.001 to show billions as trillions').finite().optional().meta({
      description:
        'Shows the value at another scale than the source writes it: the slide shows value × scale. `value: 1470` (the source\'s "1,470 billion euros"), `scale: 0.001`, `suffix: " trillion"`, `decimals: 2` shows €1.47 trillion; `check` still finds 1,470 in the evidence.',
    }),
    words: z.boolean().optional().meta({ description: 'Shows a whole number from 0 to 100 as a word in the deck\'s language: "nine", "devet".' }),
    kind: z.enum(FIGURE_KINDS).optional().meta({
      description:
        'What the number is: `count` (a whole number of things), `amount` (money, or a quantity in a unit), `share` (a percentage, shown with "%"), `year`, or `identifier` (a resolution\'s or an article\'s number, a code). A year and an identifier are shown as written, never grouped ("2012", not "2,012" or "2.012"), in every language: whole numbers, without scale, decimals or words.',
    }),
    approx: z.boolean().optional().meta({ description: 'The source gives an approximate value ("almost", "about", "estimated").' }),
    prefix: inlineText.optional().meta({ description: 'Written before the number, e.g. "€".' }),
    suffix: inlineText.optional().meta({ description: 'Written after the number, e.g. " million" or "×".' }),
    label: text.meta({ description: 'What the number counts, in a few words.' }),
    context: text.optional().meta({ description: 'One line of context for the big-number slide.' }),
    date: whenOrPeriod.optional().meta({ description: 'When the figure applies: a date, or a period in words ("the next seven-year budget").' }),
    refs: refList.meta({
      description:
        'Footnote numbers of the source that back the figure. Leave empty only when the source states the figure without a footnote: the slide then credits the brief itself.',
    }),
    evidence: text
      .refine((s) => s.split(/\s+/).length <= 12, 'evidence is the shortest exact phrase of the source (12 words at most)')
      .meta({ description: 'The shortest exact phrase of the source that contains the figure, so a check can find it.' }),
  })
  .superRefine((f, ctx) => {
    if (f.kind !== undefined && WRITTEN_KINDS.has(f.kind) && (!Number.isInteger(f.value) || f.scale !== undefined || f.words || f.decimals))
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message: `${f.kind === 'year' ? 'a year' : 'an identifier'} is a whole number shown as written: no scale, decimals or words`,
      })
    if (f.kind === 'share' && !RE_PERCENT_SUFFIX.test(f.suffix ?? ''))
      ctx.addIssue({ code: 'custom', path: ['kind'], message: 'a share is shown as a percentage: give it `suffix: "%"`' })
    if (f.kind === 'count' && (!Number.isInteger(f.value * (f.scale ?? 1)) || /[€$£¥]/.test(`${f.prefix ?? ''}${f.suffix ?? ''}`)))
      ctx.addIssue({ code: 'custom', path: ['kind'], message: 'a count is a whole number of things, with no currency: for money, give `kind: amount`' })
    const shown = f.value * (f.scale ?? 1)
    if (f.scale !== undefined && shown !== 0 && !(Math.abs(shown) >= SMALLEST_AMOUNT && Math.abs(shown) < LARGEST_AMOUNT))
      ctx.addIssue({
        code: 'custom',
        path: ['scale'],
        message: 'the value at this scale (value × scale) is not from 0.000001 to 10^21 in size: choose another scale',
      })
    if (f.words && !(Number.isInteger(Math.round(shown * 1e9) / 1e9) && shown >= 0 && shown <= MAX_NUMBER_WORD)) {
      ctx.addIssue({
        code: 'custom',
        path: ['words'],
        message: `only a whole number from 0 to ${MAX_NUMBER_WORD} is written as a word, and this figure shows another number`,
      })
    }
  })
  .meta({ description: 'A number from the brief, with where it comes from.' })

const pointSchema = z
  .strictObject({
    x: lineText.meta({ description: 'The point\'s label on the x axis: a year such as "2012" (in quotes), or a category.' }),
    figure: id.optional().meta({ description: 'A figure of `figures`: the point shows its value, with its source.' }),
    value: amount.optional().meta({ description: 'A value given here instead of a figure; needs `evidence`.' }),
    approx: z.boolean().optional().meta({ description: 'With `value`: the source gives an approximate value.' }),
    evidence: figureSchema.shape.evidence.optional().meta({ description: 'With `value`: the shortest exact phrase of the source that contains it.' }),
  })
  .superRefine((p, ctx) => {
    const issue = (message: string, path: string[] = []) => ctx.addIssue({ code: 'custom', message, path })
    if (p.figure === undefined && p.value === undefined) issue('a point needs a value: give `figure: <id>` or `value: <number>`')
    else if (p.figure !== undefined && p.value !== undefined) issue('give either `figure` or `value`, not both', ['value'])
    else if (p.value !== undefined && p.evidence === undefined) issue('a value given here needs `evidence`: the phrase of the source that contains it')
    if (p.figure !== undefined && (p.approx !== undefined || p.evidence !== undefined))
      issue('`approx` and `evidence` belong to the figure, not to a point that names it', [p.approx !== undefined ? 'approx' : 'evidence'])
  })
  .meta({ description: 'One point of a series: its label on the x axis and its value.' })

const seriesSchema = z
  .strictObject({
    title: lineText.meta({ description: 'What the series measures, e.g. "Asylum seekers from China". Starts the chart\'s alt text.' }),
    x: lineText.optional().meta({ description: 'Title of the x axis, e.g. "Year".' }),
    y: lineText.optional().meta({ description: 'Title of the y axis, e.g. "People".' }),
    prefix: inlineText.optional().meta({ description: 'Written before each value given here, e.g. "€".' }),
    suffix: inlineText.optional().meta({ description: 'Written after each value given here, e.g. "%".' }),
    decimals: figureSchema.shape.decimals,
    refs: refList.optional().meta({ description: "Footnote numbers of the source of the values given here (points that name a figure use the figure's)." }),
    points: z.array(pointSchema).min(1, 'a series needs at least one point').max(24, 'more than 24 points will not be legible on a slide'),
  })
  .meta({ description: 'A data series, drawn by a chart slide.' })

const referenceSchema = z.strictObject({
  n: refNumber.meta({ description: 'The footnote number used in the brief.' }),
  authors: text.optional(),
  title: text,
  publisher: text.optional().meta({ description: 'Who published it; leave it out when the source does not say.' }),
  date: date.optional().meta({ description: 'When it was published; leave it out when the source does not say.' }),
  url: url
    .optional()
    .meta({ description: "Where to read it; leave it out when there is no link (the sources slide says so), never put another page's address here." }),
})

const eventSchema = z.strictObject({
  when: whenOrPeriod.optional().meta({
    description:
      'When it happened: YYYY, YYYY-MM, YYYY-MM-DD, a decade such as 1990s or a span of years such as 2014–2016, placed on the timeline; or a period in words ("during the pandemic"), listed after the dated events; or left out when the source gives no time.',
  }),
  label: text.meta({ description: 'What happened, in one short line.' }),
  place: text.optional(),
  refs: refList.optional(),
  evidence: figureSchema.shape.evidence
    .optional()
    .meta({ description: 'The shortest exact phrase of the source that dates the event, so that `check` finds the date in it, and the phrase in the source.' }),
})

const slideBase = {
  id,
  notes: notes.optional(),
  handout: audienceText.optional(),
  markers: z.enum(['inline', 'source-line']).optional().meta({
    description:
      'Where the slide credits its sources: `inline` (default) as footnote markers in the text, or `source-line`: no markers, one line of sources under the slide.',
  }),
  ignore: ignoreList.optional(),
}

const titleSlide = z.strictObject({ ...slideBase, layout: z.literal('title') }).meta({
  description: 'Title, subtitle, author, affiliation and date from `meta`.',
})
const agendaSlide = z.strictObject({ ...slideBase, layout: z.literal('agenda'), title: text.optional() }).meta({
  description: 'Lists the titles of the section slides that follow.',
})
const sectionSlide = z.strictObject({ ...slideBase, layout: z.literal('section'), title: text, subtitle: text.optional() }).meta({
  description: 'A divider that opens a section of the argument.',
})
const pointsSlide = z
  .strictObject({
    ...slideBase,
    layout: z.literal('points'),
    title: text,
    lead: text.optional().meta({ description: 'One sentence above the bullets.' }),
    points: z.array(text).min(1).max(12, 'more than 12 points cannot fit on one slide: split the slide'),
  })
  .meta({ description: 'A title and a list of points.' })
const figureSlide = z
  .strictObject({ ...slideBase, layout: z.literal('figure'), title: text.optional(), figure: id })
  .meta({ description: 'One figure, large, with its label, date and footnote.' })
const comparisonSlide = z
  .strictObject({
    ...slideBase,
    layout: z.literal('comparison'),
    title: text,
    figures: z.tuple([id, id], { error: 'a comparison shows exactly two figures: [first-id, second-id]' }),
    caption: text.optional(),
  })
  .meta({ description: 'Two figures side by side.' })
const chartSlide = z
  .strictObject({
    ...slideBase,
    layout: z.literal('chart'),
    title: text,
    series: id.meta({ description: 'The id of a series in `series`.' }),
    kind: z
      .enum(CHART_KINDS)
      .optional()
      .meta({ description: `${CHART_KINDS.join(' (default) or ')}.` }),
    caption: text.optional().meta({ description: 'One line under the chart, e.g. what the chart shows at a glance.' }),
  })
  .meta({ description: 'A chart of one series, drawn at build time, with its values labelled and its source.' })
const timelineSlide = z
  .strictObject({
    ...slideBase,
    layout: z.literal('timeline'),
    title: text,
    from: when.optional().meta({ description: 'First event to show (inclusive); default: the first.' }),
    to: when.optional().meta({ description: 'Last event to show (inclusive); default: the last.' }),
  })
  .meta({ description: 'The events of `timeline` between `from` and `to`.' })
const quoteSlide = z
  .strictObject({
    ...slideBase,
    layout: z.literal('quote'),
    title: text.optional(),
    quote: text.max(300, 'a quote on a slide should stay under 300 characters'),
    attribution: text
      .optional()
      .meta({ description: 'Who said it. Leave it out when the source does not name the speaker: a credit line under the quote then says where it is from.' }),
    refs: refList.optional(),
  })
  .meta({ description: 'A short quotation and who said it.' })
const sourcesSlide = z
  .strictObject({ ...slideBase, layout: z.literal('sources'), title: text.optional() })
  .meta({ description: 'The numbered references, over as many slides as they need.' })
const closingSlide = z
  .strictObject({ ...slideBase, layout: z.literal('closing'), title: text, points: z.array(text).max(5).optional() })
  .meta({ description: 'Closing slide: take-aways and where to read the brief.' })

export const slideSchema = z.discriminatedUnion('layout', [
  titleSlide,
  agendaSlide,
  sectionSlide,
  pointsSlide,
  figureSlide,
  comparisonSlide,
  chartSlide,
  timelineSlide,
  quoteSlide,
  sourcesSlide,
  closingSlide,
])

export const LAYOUTS = slideSchema.options.map((o) => o.shape.layout.value)

const briefShape = z.strictObject({
  meta: metaSchema,
  figures: z.record(id, figureSchema).meta({ description: 'Every number the deck shows, keyed by an id.' }),
  series: z.record(id, seriesSchema).optional().meta({ description: 'Data series for chart slides, keyed by an id.' }),
  timeline: z.array(eventSchema).optional(),
  references: z
    .array(referenceSchema)
    .default([])
    .meta({ description: 'The footnotes of the source. Leave them out when it has none: figures then credit the source document itself.' }),
  slides: z.array(slideSchema).min(1),
  variants: z
    .record(
      id,
      z.strictObject({
        slides: z.array(id).min(1, 'a variant needs at least one slide').optional().meta({ description: 'Its slides, in order, by id; default: every slide.' }),
        language: languageSchema
          .optional()
          .meta({ description: 'The language of this deck: texts written as { en: …, sr: … } show this one. Default: meta.language.' }),
      }),
    )
    .optional()
    .meta({
      description: 'Named decks made from this brief, e.g. `briefing: { slides: [title, key-points, sources] }`; each builds to <brief>.<name>.* files.',
    }),
  handout: z
    .strictObject({
      speakerNotes: z.boolean().optional().meta({
        description:
          'Print the speaker notes in the handout beside slides that have no `handout` text of their own (default false: those slides get ruled lines).',
      }),
    })
    .optional()
    .meta({ description: 'What the printed handout shows beside each slide.' }),
  checks: z
    .strictObject({
      words: z.number().int().positive().optional().meta({ description: 'Words on one slide before `check` warns (default 60).' }),
      bullets: z.number().int().positive().optional().meta({ description: 'Bullets on one slide before `check` warns (default 6).' }),
      ignore: ignoreList.optional(),
    })
    .optional()
    .meta({ description: 'Limits and silenced warnings for `brief-deck check`.' }),
})

export type BriefShape = z.infer<typeof briefShape>

export const briefSchema = briefShape.superRefine(crossCheck)

export type Brief = z.infer<typeof briefSchema>
export type Meta = Brief['meta']
export type Figure = Brief['figures'][string]
export type Series = NonNullable<Brief['series']>[string]
export type Reference = Brief['references'][number]
export type TimelineEvent = NonNullable<Brief['timeline']>[number]
export type Slide = Brief['slides'][number]
export type Layout = Slide['layout']
export type Language = z.output<typeof languageSchema>

/** Where `npm run schema` writes the JSON Schema; each brief's first line points to it. */
export const SCHEMA_FILE = 'data/brief.schema.json'

export function briefJsonSchema(): Record<string, unknown> {
  return {
    ...(withTranslations(z.toJSONSchema(briefSchema, { io: 'input', unrepresentable: 'any' })) as Record<string, unknown>),
    title: 'Policy brief for brief-deck',
    // The keys of a text written in several languages.
    $defs: { languageName: { enum: LANGUAGES } },
  }
}

/**
 * Free text may also be written in several languages side by side ({ en: …, sr: … });
 * the brief is read in one of them (deck/brief/brief.ts). Editors learn that here: every
 * free-text field (a string with no pattern or format) also takes such a mapping.
 */
function withTranslations(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withTranslations)
  if (typeof node !== 'object' || node === null) return node
  const schema = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withTranslations(v)])) as Record<string, unknown>
  const freeText =
    schema.type === 'string' && schema.minLength === 1 && schema.pattern === undefined && schema.format === undefined && schema.enum === undefined
  if (!freeText) return schema
  const { description, ...text } = schema
  const translations = { type: 'object', propertyNames: { $ref: '#/$defs/languageName' }, additionalProperties: text, minProperties: 1 }
  return { ...(description === undefined ? {} : { description }), anyOf: [text, translations] }
}
