import Handlebars from 'handlebars'

import { RE_FIGURE_TOKEN, RE_REF_TOKEN } from '../brief/fields.ts'
import { figureById, refTokenNumbers } from '../brief/queries.ts'
import { type Brief, type Language, type Reference, type Slide } from '../brief/schema.ts'
import { escapeMarkdown, escapeMarkdownLine, escapeNote, MARKDOWN_LINE_BREAK, textLines } from './escape.ts'
import { formatFigure, formatWhen, yearOf } from './format.ts'
import { MESSAGES, type Messages } from './messages.ts'
import { type FigureView, Marker, type NoteFields, SlideText, type TextRun } from './view.ts'

// The brief's words as the slides show them: every text becomes a SlideText, with
// `{fig:id}` filled in by the figure's value and `{ref:n}` by its footnote marker, each
// reference marked once in a text and never in a title. One BriefText serves a whole deck;
// a slide whose markers go to one source line under it gets one of its own (`forSlide`).

/** `{fig:id}` (group 1) or `{ref:3,6}` (group 2). */
const RE_TEXT_TOKEN = new RegExp(`${RE_FIGURE_TOKEN.source}|${RE_REF_TOKEN.source}`, 'g')
const RE_NO_BREAK = /\u00A0/g
/** Where a sentence begins: the start of a line, or after a full stop, question or exclamation mark. */
const RE_SENTENCE_START = /(?:^|(?<!\d|(?<!\p{L})(?:ca|approx|e\.g|i\.e|vs|cf|no|nr|br|tj|npr|sl|dr|mr))[.!?]\s+)$/iu

export class BriefText {
  readonly brief: Brief
  readonly language: Language
  readonly messages: Messages
  readonly #refs: Map<number, Reference>
  /**
   * On the words of a slide whose markers go to one source line under it (`markers: source-line`):
   * the references its texts cite, collected instead of marked. None for any other.
   */
  readonly #sourceLine: Set<number> | undefined

  constructor(brief: Brief, options: { sourceLine?: boolean } = {}) {
    this.brief = brief
    this.language = brief.meta.language
    this.messages = MESSAGES[this.language]
    this.#refs = new Map(brief.references.map((r) => [r.n, r]))
    this.#sourceLine = options.sourceLine ? new Set() : undefined
  }

  /** The words of one slide; with `sourceLine`, its texts show no markers, and `cited` says which references they cite. */
  forSlide(sourceLine: boolean): BriefText {
    return new BriefText(this.brief, { sourceLine })
  }

  /** The references the texts made so far cite, in order, on a slide with a source line; none on any other. */
  cited(): number[] {
    return [...(this.#sourceLine ?? [])].sort((a, b) => a - b)
  }

  /** The markers a text shows: none in a title, each reference once in a text, none on a slide with a source line. */
  #markersFor(numbers: readonly number[] | undefined, marked: Set<number> | undefined): Marker {
    if (marked === undefined) return new Marker([]) // a title, or text that is not on the slide (notes)
    const fresh = (numbers ?? []).filter((n) => !marked.has(n))
    for (const n of fresh) {
      marked.add(n)
      this.#sourceLine?.add(n)
    }
    return new Marker(this.#sourceLine !== undefined ? [] : fresh)
  }

  /** The marker a layout puts by a figure, quote, chart source or event: on the slide, unless the slide has a source line. */
  marker(numbers: readonly number[] | undefined): Marker {
    return this.#markersFor(numbers, new Set())
  }

  #figureText(id: string, marked?: Set<number>) {
    const f = figureById(this.brief, id)
    const shown = formatFigure(f, this.language)
    const marker = this.#markersFor(f.refs, marked)
    return { plain: shown, markdown: `${escapeMarkdown(shown)}${marker.toHTML()}`, marker }
  }

  /**
   * Text with `{fig:id}` tokens replaced by the figure's value and footnote marker, and
   * `{ref:n}` by its marker. A reference already marked in the text is not marked again;
   * a title (`heading`) carries no markers at all.
   */
  text(raw: string, options: { heading?: boolean } = {}): SlideText {
    const plain: string[] = []
    const markdown: string[] = []
    const runs: TextRun[] = []
    const marked = options.heading ? undefined : new Set<number>()
    for (const [i, line] of textLines(raw).entries()) {
      if (i > 0) runs.push({ text: '\n' })
      const one = this.#line(line, marked)
      plain.push(one.plain)
      markdown.push(one.markdown)
      runs.push(...one.runs)
    }
    // The plain form goes into metadata, bookmarks and messages: its no-break spaces (units, dates) are spaces.
    return new SlideText(plain.join('\n').replace(RE_NO_BREAK, ' '), markdown.join(MARKDOWN_LINE_BREAK), mergeRuns(runs))
  }

  /** One line of a text, its tokens filled in. */
  #line(line: string, marked: Set<number> | undefined): { plain: string; markdown: string; runs: TextRun[] } {
    let plain = ''
    let markdown = ''
    const runs: TextRun[] = []
    let last = 0
    for (const m of line.matchAll(RE_TEXT_TOKEN)) {
      const literal = line.slice(last, m.index)
      // A figure is its value and marker; a reference is its marker alone, seen but not read.
      const token =
        m[1] !== undefined ? this.#figureText(m[1], marked) : { plain: '', markdown: '', marker: this.#markersFor(refTokenNumbers(m[2] ?? ''), marked) }
      if (m[1] === undefined) token.markdown = token.marker.toHTML()
      // A number written as a word opens its sentence with a capital: "Nine countries could join."
      if (m[1] !== undefined && RE_SENTENCE_START.test(plain + literal) && figureById(this.brief, m[1]).words) {
        token.plain = capitalise(token.plain, this.language)
        token.markdown = capitalise(token.markdown, this.language)
      }
      plain += literal + token.plain
      markdown += escapeMarkdownLine(literal) + token.markdown
      runs.push({ text: literal + token.plain })
      if (token.marker.numbers.length > 0) runs.push({ text: token.marker.numbers.join(','), marker: token.marker.numbers })
      last = m.index + m[0].length
    }
    runs.push({ text: line.slice(last) })
    return { plain: plain + line.slice(last), markdown: markdown + escapeMarkdownLine(line.slice(last)), runs }
  }

  maybe(raw: string | undefined): SlideText | undefined {
    return raw === undefined ? undefined : this.text(raw)
  }

  /** A title or a divider's line: figures filled in, no footnote markers (they belong to the slide's body). */
  heading(raw: string): SlideText {
    return this.text(raw, { heading: true })
  }

  maybeHeading(raw: string | undefined): SlideText | undefined {
    return raw === undefined ? undefined : this.heading(raw)
  }

  plain(raw: string): string {
    return this.text(raw).plain
  }

  /** Notes keep their lines as typed (indentation included); only `{fig:…}` tokens are filled in. */
  #noteText(raw: string): string {
    return raw
      .replace(RE_FIGURE_TOKEN, (_, id: string) => this.#figureText(id).plain)
      .replace(RE_REF_TOKEN, (_, list: string) => `[${refTokenNumbers(list).join(', ')}]`)
  }

  notes(slide: Pick<Slide, 'notes' | 'handout'> | undefined): NoteFields {
    const handoutText = slide?.handout === undefined ? undefined : this.#noteText(slide.handout).trim()
    if (slide?.notes === undefined) return { notes: undefined, notesText: undefined, handoutText }
    const note = this.#noteText(slide.notes)
    return { notes: new Handlebars.SafeString(escapeNote(note)), notesText: note.trim(), handoutText }
  }

  /** A date; a period in words starts a line of its own: "The next seven-year budget · Source: …". */
  when(raw: string | undefined): SlideText | undefined {
    return raw === undefined ? undefined : this.text(capitalise(formatWhen(raw, this.language), this.language))
  }

  #cited(numbers: readonly number[]): Reference[] {
    return numbers.map((n) => this.#refs.get(n)).filter((r): r is Reference => r !== undefined)
  }

  /** A reference as a credit names it: its publisher, else the site it is on, else its title; and its year. */
  #shortSource(r: Reference): string {
    const name = creditName(r)
    return r.date ? `${name}, ${yearOf(r.date, this.language)}` : name
  }

  /** "Source: Safeguard Defenders, 2022": the references behind a figure or chart; none means the brief itself. */
  citation(numbers: readonly number[]): SlideText {
    const { messages, language } = this
    if (numbers.length === 0) return this.text(`${messages.source}: ${creditName(this.brief.meta.source)}, ${formatWhen(this.brief.meta.date, language)}`)
    return this.text(
      `${messages.source}: ${this.#cited(numbers)
        .map((r) => this.#shortSource(r))
        .join('; ')}`,
    )
  }

  /** "Sources: [2] European Court of Human Rights, 2022; [3] Safeguard Defenders": a slide's references on one line. */
  sources(numbers: readonly number[]): SlideText {
    return this.text(
      `${this.messages.sources}: ${this.#cited(numbers)
        .map((r) => `[${r.n}] ${this.#shortSource(r)}`)
        .join('; ')}`,
    )
  }

  figure(id: string): FigureView {
    const f = figureById(this.brief, id)
    return {
      id,
      display: this.text(formatFigure(f, this.language)),
      main: this.text(formatFigure({ ...f, suffix: undefined }, this.language)),
      // Kept as typed, leading space included: ' million' is spaced, '×' is not.
      unit: f.suffix === undefined ? undefined : new SlideText(f.suffix, escapeMarkdownLine(f.suffix)),
      marker: this.marker(f.refs),
      label: this.text(f.label),
      context: this.maybe(f.context),
      when: this.when(f.date),
      source: this.citation(f.refs),
    }
  }
}

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

/** The first letter upper-cased, by the rules of the language. */
export function capitalise(s: string, language: Language): string {
  const first = s.codePointAt(0)
  if (first === undefined) return s
  const char = String.fromCodePoint(first)
  return char.toLocaleUpperCase(language) + s.slice(char.length)
}

/**
 * What a credit line calls a source: its publisher; when the source names none, the site it
 * is published on (en.lider.media), which is short and true; else its title.
 */
export function creditName(source: { publisher?: string | undefined; url?: string | undefined; title: string }): string {
  return source.publisher ?? (source.url === undefined ? source.title : new URL(source.url).hostname)
}
