import Handlebars from 'handlebars'

import {
  type Brief,
  type ChartKind,
  DEFAULT_CHART_KIND,
  DEFAULT_SIZE,
  eventsBetween,
  figureById,
  type Language,
  RE_FIGURE_TOKEN,
  RE_REF_TOKEN,
  type Reference,
  refTokenNumbers,
  type Series,
  type Slide,
} from '../brief/schema.ts'
import { DeckError, ExitCode } from '../shared/errors.ts'
import { chartKey, type ChartPoint, seriesPoints } from './chart.ts'
import { MESSAGES, type Messages } from './messages.ts'
import {
  escapeHtml,
  escapeMarkdown,
  escapeMarkdownLine,
  escapeNote,
  formatFigure,
  formatWhen,
  MARKDOWN_LINE_BREAK,
  textLines,
  unquoted,
  yearOf,
} from './text.ts'

// Brief → Marp Markdown. Pure: the templates come in compiled, nothing touches the disk.
// Every string of the brief reaches the templates as a `SlideText`, which Handlebars
// prints through `toHTML()`, i.e. escaped for Markdown; templates never see raw text.

/**
 * A piece of slide text for outputs that are not Markdown (the PowerPoint): plain text,
 * or a footnote marker (its numbers, set as a superscript). `\n` in a text is a line break.
 */
export type TextRun = { text: string; marker?: undefined } | { text: string; marker: readonly number[] }

/** Text from the brief as templates see it: `{{x}}` prints the Markdown-escaped form. */
export class SlideText {
  readonly #plain: string
  readonly #markdown: string
  readonly #runs: readonly TextRun[] | undefined
  constructor(plain: string, markdown: string, runs?: readonly TextRun[]) {
    this.#plain = plain
    this.#markdown = markdown
    this.#runs = runs
  }
  /** Called by Handlebars for `{{x}}`. */
  toHTML(): string {
    return this.#markdown
  }
  toString(): string {
    return this.#markdown
  }
  get plain(): string {
    return this.#plain
  }
  /** The text with its footnote markers apart, no-break spaces kept (units stay with their numbers). */
  get runs(): readonly TextRun[] {
    return this.#runs ?? [{ text: this.#plain }]
  }
}

/** A footnote marker as a layout places it (by a figure, a quote, a chart's source): its HTML, and its numbers. */
export class Marker extends Handlebars.SafeString {
  readonly numbers: readonly number[]
  constructor(numbers: readonly number[]) {
    // The space inside the marker is its gap from the word before it: PDF readers (pdf.js, pdftotext) then read
    // "110,000 4", never "110,0004", and the theme keeps the marker on the same line (white-space: nowrap).
    super(numbers.length > 0 ? `<sup class="ref"> ${numbers.join(',')}</sup>` : '')
    this.numbers = numbers
  }
}

export type RenderDeck = (view: DeckView) => string

/** `{fig:id}` (group 1) or `{ref:3,6}` (group 2). */
const RE_TEXT_TOKEN = new RegExp(`${RE_FIGURE_TOKEN.source}|${RE_REF_TOKEN.source}`, 'g')

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

export interface FigureView {
  id: string
  display: SlideText
  /** For big layouts: the number with its sign and prefix, and the suffix set smaller. */
  main: SlideText
  unit: SlideText | undefined
  marker: Marker
  label: SlideText
  context: SlideText | undefined
  when: SlideText | undefined
  source: SlideText
}

/** What every slide's view has, whatever its layout. */
interface SlideBase {
  id: string
  /** The slide of the brief this comes from (one brief slide may make several, e.g. sources). */
  index: number
  /** The slide's references on one line under it, when the slide asks for that instead of markers. */
  sourceLine: SlideText | undefined
  /** The slide's title as plain text, for PDF bookmarks and handouts. */
  outline: string
  /** Speaker notes escaped for the Marp comment, and as plain text for the printed notes. */
  notes: Handlebars.SafeString | undefined
  notesText: string | undefined
  /** Text for the audience, printed beside the slide in the handout (plain text). */
  handoutText: string | undefined
}

export interface TimelineEventView {
  when: SlideText
  label: SlideText
  place: SlideText | undefined
  marker: Marker
}

export interface ReferenceView {
  n: number
  authors: SlideText | undefined
  title: SlideText
  publisher: SlideText
  date: SlideText | undefined
  /** Whether the entry needs a closing full stop (its last word may bring one). */
  period: boolean
  url: SlideText | undefined
  noLink: SlideText
}

/** A chart's data as the slide shows it, for outputs that draw it themselves (the PowerPoint). */
export interface ChartData {
  title: string
  /** The axes' titles, if the series names them. */
  x: string | undefined
  y: string | undefined
  points: ChartPoint[]
}

/** One slide as the templates see it: `partial` names its layout (the template in templates/layouts/). */
export type SlideView = SlideBase &
  (
    | { partial: 'title' }
    | { partial: 'agenda'; title: SlideText; sections: SlideText[] }
    | { partial: 'section'; title: SlideText; subtitle: SlideText | undefined; number: number }
    | { partial: 'points'; title: SlideText; lead: SlideText | undefined; points: SlideText[] }
    | { partial: 'figure'; title: SlideText | undefined; figure: FigureView }
    | { partial: 'comparison'; title: SlideText; figures: FigureView[]; caption: SlideText | undefined; source: SlideText }
    | {
        partial: 'chart'
        title: SlideText
        kind: ChartKind
        svg: Handlebars.SafeString
        alt: string
        data: ChartData
        caption: SlideText | undefined
        source: SlideText
        marker: Marker
        approxNote: SlideText | undefined
      }
    | { partial: 'timeline'; title: SlideText; events: TimelineEventView[]; dense: boolean }
    | { partial: 'quote'; title: SlideText | undefined; quote: SlideText; open: string; close: string; attribution: SlideText; marker: Marker }
    | { partial: 'sources'; title: SlideText; references: ReferenceView[] }
    | { partial: 'closing'; title: SlideText; points: SlideText[]; readBrief: SlideText }
  )

export type Layout = SlideView['partial']

type NoteFields = Pick<SlideBase, 'notes' | 'notesText' | 'handoutText'>

/** The deck's own data, as the title slide, the footer and the document's properties show it. */
export interface DeckMeta {
  title: SlideText
  shortTitle: SlideText
  subtitle: SlideText | undefined
  author: SlideText
  role: SlideText | undefined
  affiliation: SlideText
  date: SlideText
  summary: SlideText
  keywords: SlideText
  source: { title: SlideText; publisher: SlideText; url: SlideText; host: SlideText }
}

export interface DeckView {
  meta: DeckMeta
  footer: SlideText
  language: Language
  /** Marp's size preset, e.g. 16:9. */
  size: string
  slides: SlideView[]
}

export interface ViewOptions {
  /** The charts the chart slides show, drawn beforehand (see `drawCharts`), by `chartKey`. */
  charts?: ReadonlyMap<string, string>
}

export function buildView(brief: Brief, options: ViewOptions = {}): DeckView {
  const language = brief.meta.language
  const messages = MESSAGES[language] as Messages
  const refs = new Map(brief.references.map((r) => [r.n, r]))

  /**
   * The slide being built when its markers go to one source line under it (`markers: source-line`):
   * the references its texts cite, collected instead of marked.
   */
  let sourceLine: Set<number> | undefined
  /** The markers a text shows: none in a title, each reference once in a text, none on a slide with a source line. */
  const markersFor = (numbers: readonly number[] | undefined, marked: Set<number> | undefined): Marker => {
    if (marked === undefined) return new Marker([]) // a title, or text that is not on the slide (notes)
    const fresh = (numbers ?? []).filter((n) => !marked.has(n))
    for (const n of fresh) {
      marked.add(n)
      sourceLine?.add(n)
    }
    return new Marker(sourceLine !== undefined ? [] : fresh)
  }
  /** The marker a layout puts by a figure, quote, chart source or event: on the slide, unless the slide has a source line. */
  const layoutMarker = (numbers: readonly number[] | undefined) => markersFor(numbers, new Set())
  const figureText = (id: string, marked?: Set<number>) => {
    const f = figureById(brief, id)
    const shown = formatFigure(f, language)
    const marker = markersFor(f.refs, marked)
    return { plain: shown, markdown: `${escapeMarkdown(shown)}${marker.toHTML()}`, marker }
  }
  /**
   * Text with `{fig:id}` tokens replaced by the figure's value and footnote marker, and
   * `{ref:n}` by its marker. A reference already marked in the text is not marked again;
   * a title (`heading`) carries no markers at all.
   */
  const text = (raw: string, options: { heading?: boolean } = {}): SlideText => {
    const plain: string[] = []
    const markdown: string[] = []
    const runs: TextRun[] = []
    const marked = options.heading ? undefined : new Set<number>()
    for (const [i, line] of textLines(raw).entries()) {
      let plainLine = ''
      let markdownLine = ''
      let last = 0
      if (i > 0) runs.push({ text: '\n' })
      for (const m of line.matchAll(RE_TEXT_TOKEN)) {
        const literal = line.slice(last, m.index)
        // A figure is its value and marker; a reference is its marker alone, seen but not read.
        const token = m[1] !== undefined ? figureText(m[1], marked) : { plain: '', markdown: '', marker: markersFor(refTokenNumbers(m[2] ?? ''), marked) }
        if (m[1] === undefined) token.markdown = token.marker.toHTML()
        // A number written as a word opens its sentence with a capital: "Nine countries could join."
        if (m[1] !== undefined && RE_SENTENCE_START.test(plainLine + literal) && figureById(brief, m[1]).words) {
          token.plain = capitalise(token.plain, language)
          token.markdown = capitalise(token.markdown, language)
        }
        plainLine += literal + token.plain
        markdownLine += escapeMarkdownLine(literal) + token.markdown
        runs.push({ text: literal + token.plain })
        if (token.marker.numbers.length > 0) runs.push({ text: token.marker.numbers.join(','), marker: token.marker.numbers })
        last = m.index + m[0].length
      }
      plain.push(plainLine + line.slice(last))
      markdown.push(markdownLine + escapeMarkdownLine(line.slice(last)))
      runs.push({ text: line.slice(last) })
    }
    // The plain form goes into metadata, bookmarks and messages: its no-break spaces (units, dates) are spaces.
    return new SlideText(plain.join('\n').replace(RE_NO_BREAK, ' '), markdown.join(MARKDOWN_LINE_BREAK), mergeRuns(runs))
  }
  const maybe = (raw: string | undefined) => (raw === undefined ? undefined : text(raw))
  /** A title or a divider's line: figures filled in, no footnote markers (they belong to the slide's body). */
  const heading = (raw: string) => text(raw, { heading: true })
  const maybeHeading = (raw: string | undefined) => (raw === undefined ? undefined : heading(raw))
  const plainOf = (raw: string) => text(raw).plain
  /** Notes keep their lines as typed (indentation included); only `{fig:…}` tokens are filled in. */
  const noteText = (raw: string) =>
    raw.replace(RE_FIGURE_TOKEN, (_, id: string) => figureText(id).plain).replace(RE_REF_TOKEN, (_, list: string) => `[${refTokenNumbers(list).join(', ')}]`)
  const noteFields = (slide: Pick<Slide, 'notes' | 'handout'> | undefined): NoteFields => {
    const handoutText = slide?.handout === undefined ? undefined : noteText(slide.handout).trim()
    if (slide?.notes === undefined) return { notes: undefined, notesText: undefined, handoutText }
    const note = noteText(slide.notes)
    return { notes: new Handlebars.SafeString(escapeNote(note)), notesText: note.trim(), handoutText }
  }
  // A period in words starts a line of its own: "The next seven-year budget · Source: …".
  const when = (raw: string | undefined) => (raw === undefined ? undefined : text(capitalise(formatWhen(raw, language), language)))
  const citation = (numbers: readonly number[]) => {
    if (numbers.length === 0) return text(`${messages.source}: ${brief.meta.source.publisher}, ${formatWhen(brief.meta.date, language)}`)
    const parts = numbers.map((n) => refs.get(n)).filter((r): r is Reference => r !== undefined)
    return text(`${messages.source}: ${parts.map((r) => (r.date ? `${r.publisher}, ${yearOf(r.date, language)}` : r.publisher)).join('; ')}`)
  }
  /** "Sources: [2] European Court of Human Rights, 2022; [3] Safeguard Defenders": a slide's references on one line. */
  const sources = (numbers: readonly number[]) => {
    const parts = numbers.map((n) => refs.get(n)).filter((r): r is Reference => r !== undefined)
    return text(`${messages.sources}: ${parts.map((r) => `[${r.n}] ${r.date ? `${r.publisher}, ${yearOf(r.date, language)}` : r.publisher}`).join('; ')}`)
  }
  const figure = (id: string): FigureView => {
    const f = figureById(brief, id)
    return {
      id,
      display: text(formatFigure(f, language)),
      main: text(formatFigure({ ...f, suffix: undefined }, language)),
      // Kept as typed, leading space included: ' million' is spaced, '×' is not.
      unit: f.suffix === undefined ? undefined : new SlideText(f.suffix, escapeMarkdownLine(f.suffix)),
      marker: layoutMarker(f.refs),
      label: text(f.label),
      context: maybe(f.context),
      when: when(f.date),
      source: citation(f.refs),
    }
  }

  const sectionTitles = brief.slides.filter((s) => s.layout === 'section').map((s) => heading(s.title))
  let sectionNumber = 0
  const slideViews = (slide: Slide, index: number): SlideView[] => {
    const base = { id: slide.id, index, sourceLine: undefined, ...noteFields(slide) }
    switch (slide.layout) {
      case 'title':
        return [{ ...base, partial: 'title', outline: plainOf(brief.meta.title) }]
      case 'agenda':
        return [
          {
            ...base,
            partial: 'agenda',
            outline: plainOf(slide.title ?? messages.agenda),
            title: heading(slide.title ?? messages.agenda),
            sections: sectionTitles,
          },
        ]
      case 'section':
        sectionNumber += 1
        return [
          {
            ...base,
            partial: 'section',
            outline: plainOf(slide.title),
            title: heading(slide.title),
            subtitle: maybeHeading(slide.subtitle),
            number: sectionNumber,
          },
        ]
      case 'points':
        return [
          {
            ...base,
            partial: 'points',
            outline: plainOf(slide.title),
            title: heading(slide.title),
            lead: maybe(slide.lead),
            points: slide.points.map((p) => text(p)),
          },
        ]
      case 'figure': {
        const f = figure(slide.figure)
        // "Agreements signed by Serbia and China: 28": the value after its label, never run into a slide number before it.
        const outline = slide.title ? plainOf(slide.title) : `${capitalise(f.label.plain, language)}: ${f.display.plain}`
        return [{ ...base, partial: 'figure', outline, title: maybeHeading(slide.title), figure: f }]
      }
      case 'comparison':
        return [
          {
            ...base,
            partial: 'comparison',
            outline: plainOf(slide.title),
            title: heading(slide.title),
            figures: slide.figures.map(figure),
            caption: maybe(slide.caption),
            source: citation([...new Set(slide.figures.flatMap((id) => figureById(brief, id).refs ?? []))]),
          },
        ]
      case 'chart': {
        const series = brief.series?.[slide.series] as Series
        const points = seriesPoints(brief, series)
        const kind = slide.kind ?? DEFAULT_CHART_KIND
        const svg = options.charts?.get(chartKey(slide.series, kind))
        if (svg === undefined)
          throw new DeckError(`The chart of slide "${slide.id}" was not drawn before the deck was rendered`, { exitCode: ExitCode.internal })
        const refNumbers = [...new Set(points.flatMap((p) => p.refs))].sort((a, b) => a - b)
        const source = citation(refNumbers)
        return [
          {
            ...base,
            partial: 'chart',
            outline: plainOf(slide.title),
            title: heading(slide.title),
            kind,
            svg: new Handlebars.SafeString(svg),
            alt: chartAlt(kind, plainOf(series.title), points, messages, source.plain),
            data: {
              title: plainOf(series.title),
              x: series.x === undefined ? undefined : plainOf(series.x),
              y: series.y === undefined ? undefined : plainOf(series.y),
              points,
            },
            caption: maybe(slide.caption),
            source,
            marker: layoutMarker(refNumbers),
            approxNote: points.some((p) => p.approx) ? text(messages.approxNote[kind]) : undefined,
          },
        ]
      }
      case 'timeline': {
        const events = timelineEvents(brief, slide, language, text, layoutMarker)
        return [{ ...base, partial: 'timeline', outline: plainOf(slide.title), title: heading(slide.title), events, dense: events.length > DENSE_TIMELINE }]
      }
      case 'quote':
        return [
          {
            ...base,
            partial: 'quote',
            outline: plainOf(slide.title ?? slide.quote),
            title: maybeHeading(slide.title),
            // The deck's language sets the quotation marks; marks typed around the text are not doubled.
            quote: text(unquoted(slide.quote)),
            open: messages.quote[0],
            close: messages.quote[1],
            attribution: text(slide.attribution),
            marker: layoutMarker(slide.refs),
          },
        ]
      case 'sources':
        return sourcesSlides(brief, slide, index, messages, text, language, noteFields)
      case 'closing':
        return [
          {
            ...base,
            partial: 'closing',
            outline: plainOf(slide.title),
            title: heading(slide.title),
            points: (slide.points ?? []).map((p) => text(p)),
            readBrief: text(messages.readBrief),
          },
        ]
    }
  }
  const slides = brief.slides.flatMap((slide, index) => {
    sourceLine = slide.markers === 'source-line' ? new Set() : undefined
    const made = slideViews(slide, index)
    const cited = [...(sourceLine ?? [])].sort((a, b) => a - b)
    sourceLine = undefined
    return cited.length > 0 ? made.map((view) => ({ ...view, sourceLine: sources(cited) })) : made
  })

  const m = brief.meta
  return {
    language,
    size: m.size ?? DEFAULT_SIZE,
    footer: text(`${m.shortTitle} · ${m.author}, ${m.affiliation}`),
    meta: {
      title: heading(m.title),
      shortTitle: heading(m.shortTitle),
      subtitle: maybeHeading(m.subtitle),
      author: text(m.author),
      role: maybe(m.role),
      affiliation: text(m.affiliation),
      date: text(formatWhen(m.date, language)),
      summary: text(m.summary),
      keywords: text((m.keywords ?? []).join(', ')),
      source: { title: text(m.source.title), publisher: text(m.source.publisher), url: text(m.source.url), host: text(new URL(m.source.url).hostname) },
    },
    slides,
  }
}

const RE_NO_BREAK = /\u00A0/g

/** Neighbouring plain runs as one, empty ones dropped. */
function mergeRuns(runs: readonly TextRun[]): TextRun[] {
  const merged: TextRun[] = []
  for (const run of runs) {
    const last = merged.at(-1)
    if (run.marker === undefined && run.text === '') continue
    if (run.marker === undefined && last !== undefined && last.marker === undefined && run.text !== '\n' && last.text !== '\n')
      merged[merged.length - 1] = { text: last.text + run.text }
    else merged.push(run)
  }
  return merged
}

/** Where a sentence begins: the start of a line, or after a full stop, question or exclamation mark. */
const RE_SENTENCE_START = /(?:^|(?<!\d|(?<!\p{L})(?:ca|approx|e\.g|i\.e|vs|cf|no|nr|br|tj|npr|sl|dr|mr))[.!?]\s+)$/iu

/** The first letter upper-cased, by the rules of the language. */
function capitalise(s: string, language: Language): string {
  const first = s.codePointAt(0)
  if (first === undefined) return s
  const char = String.fromCodePoint(first)
  return char.toLocaleUpperCase(language) + s.slice(char.length)
}

const RE_YEAR_FIRST = /^\d{4}/
/** A timeline with more events than this is set in smaller type. */
const DENSE_TIMELINE = 6

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
    sentences.push(`${messages.chart[kind]}: ${title}, ${messages.change(messages.at(spoken(first), first.x), messages.at(spoken(last), last.x))}, ${change}.`)
    if (points.length > 2) sentences.push(`${messages.values}: ${points.map((p) => `${p.x} ${spoken(p)}`).join('; ')}.`)
  } else {
    sentences.push(`${messages.chart[kind]}: ${title}. ${points.map((p) => `${p.x}: ${spoken(p)}`).join('; ')}.`)
  }
  sentences.push(`${source}.`)
  return sentences.join(' ').replace(/\s+/g, ' ') // one line: a screen reader reads it as one sentence
}

function timelineEvents(
  brief: Brief,
  slide: Extract<Slide, { layout: 'timeline' }>,
  language: Language,
  text: (s: string) => SlideText,
  marker: (n: readonly number[] | undefined) => Marker,
) {
  return eventsBetween(brief.timeline ?? [], slide.from, slide.to).map((e) => ({
    when: text(formatWhen(e.when, language)),
    label: text(e.label),
    place: e.place === undefined ? undefined : text(e.place),
    marker: marker(e.refs),
  }))
}

function sourcesSlides(
  brief: Brief,
  slide: Extract<Slide, { layout: 'sources' }>,
  index: number,
  messages: Messages,
  text: (s: string) => SlideText,
  language: Language,
  noteFields: (slide: Pick<Slide, 'notes' | 'handout'> | undefined) => NoteFields,
): SlideView[] {
  const pages = paginateReferences([...brief.references].sort((a, b) => a.n - b.n))
  const base = slide.title ?? messages.sources
  const titleOf = (i: number) => (pages.length > 1 ? `${base} (${i + 1}/${pages.length})` : base)
  return pages.map((page, i) => ({
    id: i === 0 ? slide.id : `${slide.id}-${i + 1}`,
    index,
    partial: 'sources' as const,
    sourceLine: undefined,
    ...noteFields(i === 0 ? slide : undefined),
    outline: titleOf(i),
    title: text(titleOf(i)),
    references: page.map((r) => ({
      n: r.n,
      authors: r.authors === undefined ? undefined : text(r.authors),
      title: text(r.title),
      publisher: text(r.publisher),
      date: r.date === undefined ? undefined : text(formatWhen(r.date, language)),
      // An entry ends with a full stop, unless its last word brings one (Serbian dates end with one: "8. maj 2024.").
      period: !(r.date === undefined ? r.publisher : formatWhen(r.date, language)).endsWith('.'),
      url: r.url === undefined ? undefined : text(r.url),
      noLink: text(messages.noLink),
    })),
  }))
}

/** Fields of a slide's view that are not what the slide shows (or show it twice: a figure's `main` and `unit` are its `display`). */
const NOT_SHOWN = new Set([
  'id',
  'index',
  'partial',
  'outline',
  'notes',
  'notesText',
  'handoutText',
  'svg',
  'data',
  'open',
  'close',
  'noLink',
  'period',
  'dense',
  'kind',
  'main',
  'unit',
  'sourceLine',
])

/** Everything a slide says, in reading order, as one text: the alt text of a picture of it. */
export function slideAltText(slide: SlideView, meta: DeckMeta): string {
  const parts: string[] = []
  const walk = (value: unknown, key?: string) => {
    if (key !== undefined && NOT_SHOWN.has(key)) return
    if (value instanceof SlideText) parts.push(value.plain)
    else if (value instanceof Marker) return
    else if (typeof value === 'string' || typeof value === 'number') parts.push(String(value))
    else if (Array.isArray(value)) for (const item of value) walk(item)
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k)
  }
  const m = meta
  if (slide.partial === 'title') walk([m.source.publisher, m.title, m.subtitle, m.author, m.role, m.affiliation, m.date])
  // Two figures show their period, value and label; the slide's one source stands for both.
  else if (slide.partial === 'comparison') walk([slide.title, ...slide.figures.map((f) => [f.when, f.display, f.label]), slide.caption, slide.source])
  else if (slide.partial === 'section') walk([slide.number, slide.title, slide.subtitle])
  else if (slide.partial === 'closing') walk([slide.title, slide.points, slide.readBrief, m.source.title, m.author, m.source.publisher, m.date, m.source.host])
  else walk(slide)
  if (slide.sourceLine) parts.push(slide.sourceLine.plain)
  return parts
    .join('. ')
    .replace(/\s+/g, ' ')
    .replace(/([.!?:])\. /g, '$1 ')
}

/** Helpers the templates may use; any other name is refused when the templates are compiled. */
export const HELPERS = {
  /** A plain-text value for the front matter (title, description): YAML-quoted, not Markdown. */
  yamlText: (value: unknown) => new Handlebars.SafeString(JSON.stringify(value instanceof SlideText ? value.plain : String(value ?? ''))),
  /** A Markdown value for the front matter (header, footer): escaped, then YAML-quoted. */
  yamlMarkdown: (value: unknown) =>
    new Handlebars.SafeString(JSON.stringify(value instanceof SlideText ? value.toHTML() : escapeMarkdown(String(value ?? '')))),
  /** A value inside an HTML attribute. */
  attr: (value: unknown) => new Handlebars.SafeString(escapeHtml(value instanceof SlideText ? value.plain : String(value ?? ''))),
} as const

export interface RenderOptions {
  /** Leave the speaker notes out (the audience copy). */
  notes?: boolean
}

export function renderDeck(brief: Brief, render: RenderDeck, options: RenderOptions & ViewOptions = {}): string {
  return renderView(buildView(brief, options), render, options)
}

export function renderView(view: DeckView, render: RenderDeck, { notes = true }: RenderOptions = {}): string {
  const shown = notes ? view : { ...view, slides: view.slides.map((s) => ({ ...s, notes: undefined, notesText: undefined })) }
  return normaliseMarkdown(render(shown))
}

/** Templates are easier to read with blank lines between blocks; the deck needs at most one. */
function normaliseMarkdown(markdown: string): string {
  return `${markdown
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`
}
