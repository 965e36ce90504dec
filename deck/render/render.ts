import Handlebars from 'handlebars'

import { DEFAULT_SIZE } from '../brief/fields.ts'
import { type Brief } from '../brief/schema.ts'
import { CATALOGUES } from '../languages/languages.ts'
import { shortenAtWord } from '../shared/shorten.ts'
import { escapeHtml, escapeMarkdown } from './escape.ts'
import { formatWhen } from './format.ts'
import { slideViews } from './layouts.ts'
import { joinPresent } from './prose.ts'
import { type DeckMeta, type DeckView, type FooterLine, Marker, SlideText, type SlideView } from './view.ts'
import { BriefText } from './words.ts'

// Brief → view → Marp Markdown. Pure: the templates come in compiled, nothing touches the disk.
// Every string of the brief reaches the templates as a `SlideText` (view.ts), which Handlebars
// prints through `toHTML()`, i.e. escaped for Markdown; templates never see raw text.

export type RenderDeck = (view: DeckView) => string

export interface ViewOptions {
  /** The charts the chart slides show, drawn beforehand (see `drawCharts`), by `chartKey`. */
  charts?: ReadonlyMap<string, string>
}

export function buildView(brief: Brief, options: ViewOptions = {}): DeckView {
  const t = new BriefText(brief)
  const footer = footerLine(brief.meta)
  const context = { t, charts: options.charts }
  let sections = 0
  const slides = brief.slides.flatMap((slide, index) => {
    if (slide.layout === 'section') sections += 1
    const words = t.forSlide(slide.markers === 'source-line')
    const made = slideViews(slide, index, { ...context, t: words }, sections)
    const cited = words.cited()
    return cited.length > 0 ? made.map((view) => ({ ...view, sourceLine: t.sources(cited) })) : made
  })
  return {
    language: t.language,
    lang: CATALOGUES[t.language].locale,
    size: brief.meta.size ?? DEFAULT_SIZE,
    footer: t.text(footer.text),
    footerCuts: footer.cuts,
    meta: deckMeta(t),
    slides,
  }
}

/**
 * Characters the slides' one-line footer holds at the theme's caption size, by slide shape: a
 * little under what it measures for average text (a 140-character line fills 990 of the 1040 px
 * of a 16:9 footer), so that wide letters fit too. check measures the footer as drawn.
 */
const FOOTER_CHARS: Record<string, number> = { '16:9': 125, '4:3': 88 }

/**
 * "Short title · Author, Affiliation", on one line: a long affiliation is shortened at a word
 * ("…"), or left out when little of it would show; then the author, likewise.
 */
export function footerLine(meta: Brief['meta']): FooterLine {
  const max = FOOTER_CHARS[meta.size ?? DEFAULT_SIZE] ?? (FOOTER_CHARS[DEFAULT_SIZE] as number)
  const line = (author?: string, affiliation?: string) => joinPresent([meta.shortTitle, joinPresent([author, affiliation], ', ')], ' · ')
  const full = line(meta.author, meta.affiliation)
  if (full.length <= max) return { text: full, cuts: [] }
  const withoutAffiliation = line(meta.author)
  const affiliation = meta.affiliation && shortenAtWord(meta.affiliation, max - withoutAffiliation.length - 2)
  if (affiliation) return { text: line(meta.author, affiliation), cuts: [{ field: 'affiliation', left: false }] }
  const leftOut: FooterLine['cuts'] = meta.affiliation === undefined ? [] : [{ field: 'affiliation', left: true }]
  if (withoutAffiliation.length <= max) return { text: withoutAffiliation, cuts: leftOut }
  const author = meta.author && shortenAtWord(meta.author, max - meta.shortTitle.length - 3)
  return { text: line(author), cuts: [...leftOut, ...(meta.author === undefined ? [] : [{ field: 'author' as const, left: author === undefined }])] }
}

function deckMeta(t: BriefText): DeckMeta {
  const m = t.brief.meta
  return {
    title: t.heading(m.title),
    shortTitle: t.heading(m.shortTitle),
    subtitle: t.maybeHeading(m.subtitle),
    author: t.maybe(m.author),
    role: t.maybe(m.role),
    affiliation: t.maybe(m.affiliation),
    date: t.text(formatWhen(m.date, t.language)),
    summary: t.text(m.summary),
    keywords: m.keywords?.length ? t.text(m.keywords.join(', ')) : undefined,
    source: { title: t.text(m.source.title), publisher: t.maybe(m.source.publisher), url: t.text(m.source.url), host: t.text(new URL(m.source.url).hostname) },
  }
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
