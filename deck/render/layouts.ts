import Handlebars from 'handlebars'

import { type ChartKind, DEFAULT_CHART_KIND } from '../brief/fields.ts'
import { eventsBetween, figureById, undatedEvents } from '../brief/queries.ts'
import { type Reference, type Series, type Slide } from '../brief/schema.ts'
import { DeckError, ExitCode } from '../shared/errors.ts'
import { chartKey, type ChartPoint, seriesPoints } from './chart.ts'
import { formatWhen } from './format.ts'
import type { Messages } from './messages.ts'
import { sentence, unquoted } from './prose.ts'
import type { ReferenceView, SlideView } from './view.ts'
import { type BriefText, capitalise } from './words.ts'

// One brief slide → the view (or views) its layout's template gets. A sources slide
// may become several, when the references do not fit on one.

/** What a slide's view is made with: the deck's words, its charts, and where each section stands. */
export interface LayoutContext {
  t: BriefText
  /** The charts, drawn beforehand, by `chartKey`. */
  charts: ReadonlyMap<string, string> | undefined
}

type SlideOf<L extends Slide['layout']> = Extract<Slide, { layout: L }>
type Base = Pick<SlideView, 'id' | 'index' | 'sourceLine' | 'notes' | 'notesText' | 'handoutText'>

/** A timeline with more events than this is set in smaller type. */
const DENSE_TIMELINE = 6

export function slideViews(slide: Slide, index: number, c: LayoutContext, sectionNumber: number): SlideView[] {
  const { t } = c
  const base: Base = { id: slide.id, index, sourceLine: undefined, ...t.notes(slide) }
  switch (slide.layout) {
    case 'title':
      return [{ ...base, partial: 'title', outline: t.plain(t.brief.meta.title) }]
    case 'agenda': {
      const title = slide.title ?? t.messages.agenda
      const sections = t.brief.slides.filter((s) => s.layout === 'section').map((s) => t.heading(s.title))
      return [{ ...base, partial: 'agenda', outline: t.plain(title), title: t.heading(title), sections }]
    }
    case 'section':
      return [
        {
          ...base,
          partial: 'section',
          outline: t.plain(slide.title),
          title: t.heading(slide.title),
          subtitle: t.maybeHeading(slide.subtitle),
          number: sectionNumber,
        },
      ]
    case 'points':
      return [
        {
          ...base,
          partial: 'points',
          outline: t.plain(slide.title),
          title: t.heading(slide.title),
          lead: t.maybe(slide.lead),
          points: slide.points.map((p) => t.text(p)),
        },
      ]
    case 'figure':
      return [figureView(base, slide, t)]
    case 'comparison':
      return [comparisonView(base, slide, t)]
    case 'chart':
      return [chartView(base, slide, c)]
    case 'timeline':
      return timelineViews(base, slide, t)
    case 'quote':
      return [quoteView(base, slide, t)]
    case 'sources':
      return sourcesViews(base, slide, t)
    case 'closing':
      return [
        {
          ...base,
          partial: 'closing',
          outline: t.plain(slide.title),
          title: t.heading(slide.title),
          points: (slide.points ?? []).map((p) => t.text(p)),
          readBrief: t.text(t.messages.readBrief),
        },
      ]
  }
}

function figureView(base: Base, slide: SlideOf<'figure'>, t: BriefText): SlideView {
  const figure = t.figure(slide.figure)
  // Read as the slide shows it, the value before its label: "28 agreements signed by Serbia and China", "Pet sporazuma…"
  // (a label is written to follow its value: "of negotiations", "sporazuma koje…"). Headings put a " · " between it and a slide number.
  const outline = slide.title ? t.plain(slide.title) : capitalise(`${figure.display.plain} ${figure.label.plain}`, t.language)
  return { ...base, partial: 'figure', outline, title: t.maybeHeading(slide.title), figure }
}

function comparisonView(base: Base, slide: SlideOf<'comparison'>, t: BriefText): SlideView {
  return {
    ...base,
    partial: 'comparison',
    outline: t.plain(slide.title),
    title: t.heading(slide.title),
    figures: slide.figures.map((id) => t.figure(id)),
    caption: t.maybe(slide.caption),
    source: t.citation([...new Set(slide.figures.flatMap((id) => figureById(t.brief, id).refs ?? []))]),
  }
}

function chartView(base: Base, slide: SlideOf<'chart'>, { t, charts }: LayoutContext): SlideView {
  const series = t.brief.series?.[slide.series] as Series
  const points = seriesPoints(t.brief, series)
  const kind = slide.kind ?? DEFAULT_CHART_KIND
  const svg = charts?.get(chartKey(slide.series, kind))
  if (svg === undefined) throw new DeckError(`The chart of slide "${slide.id}" was not drawn before the deck was rendered`, { exitCode: ExitCode.internal })
  const refNumbers = [...new Set(points.flatMap((p) => p.refs))].sort((a, b) => a - b)
  const source = t.citation(refNumbers)
  const title = t.plain(series.title)
  return {
    ...base,
    partial: 'chart',
    outline: t.plain(slide.title),
    title: t.heading(slide.title),
    kind,
    svg: new Handlebars.SafeString(svg),
    alt: chartAlt(kind, title, points, t.messages, source.plain),
    data: { title, x: series.x === undefined ? undefined : t.plain(series.x), y: series.y === undefined ? undefined : t.plain(series.y), points },
    caption: t.maybe(slide.caption),
    source,
    marker: t.marker(refNumbers),
    approxNote: points.some((p) => p.approx) ? t.text(t.messages.approxNote[kind]) : undefined,
  }
}

function quoteView(base: Base, slide: SlideOf<'quote'>, t: BriefText): SlideView {
  return {
    ...base,
    partial: 'quote',
    outline: t.plain(slide.title ?? slide.quote),
    title: t.maybeHeading(slide.title),
    // The deck's language sets the quotation marks; marks typed around the text are not doubled.
    quote: t.text(unquoted(slide.quote)),
    open: t.messages.quote[0],
    close: t.messages.quote[1],
    // A quote whose speaker the source does not name has no attribution: a credit line says where it is from, as under a figure.
    attribution: t.maybe(slide.attribution),
    source: t.citation(slide.refs ?? []),
    marker: t.marker(slide.refs),
  }
}

/**
 * The dated events on a line, and after it (on a slide of its own) the events the line cannot
 * place, in the order of the timeline: a period in words, or no time at all.
 */
function timelineViews(base: Base, slide: SlideOf<'timeline'>, t: BriefText): SlideView[] {
  const timeline = t.brief.timeline ?? []
  const events = eventsBetween(timeline, slide.from, slide.to).map((e) => ({
    when: t.text(formatWhen(e.when, t.language)),
    label: t.text(e.label),
    place: t.maybe(e.place),
    marker: t.marker(e.refs),
  }))
  const undated = undatedEvents(timeline, slide.to)
  const views: SlideView[] = []
  if (events.length > 0)
    views.push({ ...base, partial: 'timeline', outline: t.plain(slide.title), title: t.heading(slide.title), events, dense: events.length > DENSE_TIMELINE })
  if (undated.length > 0) {
    // "During the pandemic: …"; the event's own footnotes stay with it.
    const line = (e: (typeof undated)[number]) =>
      `${e.when === undefined ? '' : `${capitalise(e.when, t.language)}: `}${e.label}${e.place === undefined ? '' : ` (${e.place})`}${e.refs?.length ? `{ref:${e.refs.join(',')}}` : ''}`
    views.push({
      ...base,
      ...(views.length === 0 ? {} : { id: `${slide.id}-undated`, ...t.notes(undefined) }),
      partial: 'points',
      outline: t.plain(slide.title),
      title: t.heading(slide.title),
      lead: t.text(t.messages.undated),
      points: undated.map((e) => t.text(line(e))),
    })
  }
  return views
}

/** The references, over as many slides as they need; the notes go with the first. */
function sourcesViews(base: Base, slide: SlideOf<'sources'>, t: BriefText): SlideView[] {
  const pages = paginateReferences([...t.brief.references].sort((a, b) => a.n - b.n))
  const language = t.language
  const meta = t.brief.meta
  if (t.brief.references.length === 0) {
    // A source without footnotes: the slide names the source itself, which every figure credits.
    const title = slide.title ?? t.messages.sources
    const date = formatWhen(meta.date, language)
    const entry: ReferenceView = {
      n: undefined,
      authors: t.maybe(meta.author),
      title: t.text(meta.source.title),
      publisher: t.maybe(meta.source.publisher),
      date: t.text(date),
      period: !date.endsWith('.'),
      url: t.text(meta.source.url),
      noLink: t.text(t.messages.noLink),
    }
    return [{ ...base, partial: 'sources', outline: title, title: t.text(title), open: t.messages.quote[0], close: t.messages.quote[1], references: [entry] }]
  }
  const title = slide.title ?? t.messages.sources
  const titleOf = (i: number) => (pages.length > 1 ? `${title} (${i + 1}/${pages.length})` : title)
  return pages.map((page, i) => ({
    ...base,
    ...(i === 0 ? {} : { id: `${slide.id}-${i + 1}`, ...t.notes(undefined) }),
    partial: 'sources' as const,
    outline: titleOf(i),
    title: t.text(titleOf(i)),
    // A reference's title in the quotation marks of the deck's language.
    open: t.messages.quote[0],
    close: t.messages.quote[1],
    references: page.map((r) => ({
      n: r.n,
      authors: t.maybe(r.authors),
      title: t.text(r.title),
      publisher: t.maybe(r.publisher),
      date: r.date === undefined ? undefined : t.text(formatWhen(r.date, language)),
      // An entry ends with a full stop, unless its last word brings one (Serbian dates end with one: "8. maj 2024.").
      period: !(r.date === undefined ? (r.publisher ?? '') : formatWhen(r.date, language)).endsWith('.'),
      url: t.maybe(r.url),
      noLink: t.text(t.messages.noLink),
    })),
  }))
}

/** How many lines of reference text fit on one sources slide, and how many characters a line holds. */
const SOURCE_LINES_PER_SLIDE = 14
const SOURCE_CHARS_PER_LINE = 115

function referenceLines(r: Reference): number {
  const entry = [r.authors, r.title, r.publisher, r.date].filter(Boolean).join(', ')
  return Math.ceil(entry.length / SOURCE_CHARS_PER_LINE) + Math.max(1, Math.ceil((r.url ?? '').length / SOURCE_CHARS_PER_LINE))
}

/** Splits the references over as few slides as fit, with about as many lines on each. */
function paginateReferences(refs: readonly Reference[]): Reference[][] {
  const total = refs.reduce((sum, r) => sum + referenceLines(r), 0)
  const pageCount = Math.max(1, Math.ceil(total / SOURCE_LINES_PER_SLIDE))
  const target = total / pageCount
  const pages: Reference[][] = [[]]
  let used = 0
  for (const r of refs) {
    const lines = referenceLines(r)
    const page = pages[pages.length - 1] as Reference[]
    if (page.length > 0 && (used + lines > SOURCE_LINES_PER_SLIDE || (used + lines / 2 > target && pages.length < pageCount))) {
      pages.push([r])
      used = lines
    } else {
      page.push(r)
      used += lines
    }
  }
  return pages
}

const RE_YEAR_FIRST = /^\d{4}/

/**
 * A chart's alt text, from its data: what it shows, every value, the change from the
 * first to the last point when the points are in time order, and the source.
 */
export function chartAlt(kind: ChartKind, title: string, points: readonly ChartPoint[], messages: Messages, source: string): string {
  const spoken = (p: ChartPoint) => (p.approx ? messages.about(p.label.replace(/^≈/, '')) : p.label)
  const first = points[0]
  const last = points.at(-1)
  const inTime = kind === 'line' || points.every((p) => RE_YEAR_FIRST.test(p.x))
  const sentences: string[] = []
  if (inTime && first && last && points.length > 1 && first.value > 0 && last.value > 0) {
    const ratio = last.value / first.value
    const percent = (r: number) => `${Math.round(Math.abs(r - 1) * 100)}%`
    const change = ratio >= 2 ? messages.fold(Math.round(ratio)) : ratio >= 1 ? messages.rise(percent(ratio)) : messages.fall(percent(ratio))
    sentences.push(
      sentence(`${messages.chart[kind]}: ${title}, ${messages.change(messages.at(spoken(first), first.x), messages.at(spoken(last), last.x))}, ${change}`),
    )
    if (points.length > 2) sentences.push(sentence(`${messages.values}: ${points.map((p) => `${p.x} ${spoken(p)}`).join('; ')}`))
  } else {
    sentences.push(sentence(`${messages.chart[kind]}: ${title}`), sentence(points.map((p) => `${p.x}: ${spoken(p)}`).join('; ')))
  }
  sentences.push(sentence(source))
  return sentences.join(' ').replace(/\s+/g, ' ') // one line: a screen reader reads it as one sentence
}
