import Handlebars from 'handlebars'

import type { ChartKind } from '../brief/fields.ts'
import type { Language } from '../brief/schema.ts'
import type { ChartPoint } from './chart.ts'

// The deck as the templates see it (the view): what each slide shows, as SlideText
// (printed escaped for Markdown), footnote markers, and the deck's own data. The
// PowerPoint and the printed pages read the same view.

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
  /** Its footnote number; none for the brief's source itself, listed when the source has no footnotes. */
  n: number | undefined
  authors: SlideText | undefined
  title: SlideText
  publisher: SlideText | undefined
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
    | {
        partial: 'quote'
        title: SlideText | undefined
        quote: SlideText
        open: string
        close: string
        attribution: SlideText | undefined
        source: SlideText
        marker: Marker
      }
    | { partial: 'sources'; title: SlideText; open: string; close: string; references: ReferenceView[] }
    | { partial: 'closing'; title: SlideText; points: SlideText[]; readBrief: SlideText }
  )

export type Layout = SlideView['partial']

export type NoteFields = Pick<SlideBase, 'notes' | 'notesText' | 'handoutText'>

/** The deck's own data, as the title slide, the footer and the document's properties show it. */
export interface DeckMeta {
  title: SlideText
  shortTitle: SlideText
  subtitle: SlideText | undefined
  /** Absent when the source names no author; so are the role, the affiliation and the publisher. */
  author: SlideText | undefined
  role: SlideText | undefined
  affiliation: SlideText | undefined
  date: SlideText
  summary: SlideText
  /** Absent when the brief gives none: no output then has an empty keywords field. */
  keywords: SlideText | undefined
  source: { title: SlideText; publisher: SlideText | undefined; url: SlideText; host: SlideText }
}

/** The slides' footer, and the parts of it shortened at a word (or left out, `left`) to fit its one line. */
export interface FooterLine {
  text: string
  cuts: { field: 'author' | 'affiliation'; left: boolean }[]
}

export interface DeckView {
  meta: DeckMeta
  footer: SlideText
  footerCuts: FooterLine['cuts']
  language: Language
  /** The full BCP 47 tag every output is marked with (HTML lang, PDF, PowerPoint): sr-Cyrl-RS, bs-Latn-BA. */
  lang: string
  /** Marp's size preset, e.g. 16:9. */
  size: string
  slides: SlideView[]
}
