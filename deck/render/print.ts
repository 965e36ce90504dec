import type { Brief } from '../brief/schema.ts'
import { CATALOGUES } from '../languages/languages.ts'
import { DeckError, ExitCode } from '../shared/errors.ts'
import { formatWhen } from './format.ts'
import { messages } from './messages.ts'
import { noteParagraphs } from './prose.ts'
import type { PrintTemplates } from './templates.ts'
import { printOverrides, resolveTokens } from './tokens.ts'
import type { DeckView } from './view.ts'
import { creditName } from './words.ts'

/** The slides as Marp Core renders them for the printed pages (in its worker, export/marp.ts). */
export interface RenderedSlides {
  /** One `<svg data-marpit-svg>` per slide. */
  slides: string[]
  css: string
}

// The HTML pages the browser turns into PDFs and images. Pure: the view, Marp's
// rendered slides, the theme's variables and the compiled print templates in; HTML
// strings and the geometry of the printed pages out. Every size on an A4 page is
// decided here, in millimetres, so that the print check (deck/check/measure.ts) can hold
// the printed pages to it.

export type HandoutPerPage = 2 | 3
/** The handout most people get: two slides a page, each full width, its text below. */
export const DEFAULT_HANDOUT: HandoutPerPage = 2

const RE_VIEWBOX = /viewBox="0 0 (\d+) (\d+)"/
const PX_PER_MM = 96 / 25.4
const PT_PER_PX = 0.75

/** An A4 page and its margins, in mm. */
export const PAGE = { width: 210, height: 297, top: 10, right: 20, bottom: 9, left: 20 }
/** The parts of a printed page, in mm. */
export const SHEET = {
  /** The running header and footer. */
  head: 9,
  foot: 7,
  /** Space between the header and the first row, and between rows. */
  rowGap: 6,
  /** Space kept clear above the footer: a last ruled line never sits on the footer's rule. */
  footGap: 3,
  /** The line naming the slide ("Slide 4 · …"), and the gap between a picture and what follows it. */
  label: 5,
  pictureGap: 2.5,
  /** A ruled line's height: handwriting room. The last ruled line keeps this much clear of the footer's rule too, so the two never read as a double line. */
  ruledLine: 6.5,
}
const { head: HEAD, foot: FOOT, rowGap: ROW_GAP, footGap: FOOT_GAP, label: LABEL, pictureGap: PICTURE_GAP, ruledLine: RULED_LINE } = SHEET
/** Below its slide, the handout keeps at least this much room for text (four lines of 9.5 pt), in mm. */
const MIN_TEXT_BELOW = 20
/** With three slides a page, each slide is this wide, its text beside it. */
const BESIDE_SLIDE_WIDTH = 100

/**
 * Type sizes in points. Handout text may be set smaller to fit its slot, never below
 * `min`; a text that still does not fit is a print-check error, never cut off in silence.
 */
export const PRINT_TYPE = {
  handout: { size: 9.5, min: 9 },
  notes: { size: 14, min: 10.5 },
} as const

/**
 * The running header's and footer's type, in points. A line too long for its room is set
 * smaller, never below `min`; then the longest of its brief's fields is shortened at a
 * word (deck/export/print.client.ts), which the print check reports.
 */
export const LINE_TYPE = {
  title: { size: 11, min: 9 },
  byline: { size: 9, min: 8 },
  footer: { size: 8, min: 7 },
} as const

/**
 * What a reader needs on paper: slide body text at 8 pt or more, every glyph (footnote
 * markers included) at 6 pt or more, and lines of text of about 90 characters (the
 * handout's column is set for that: 36 em, about 88 characters of Source Sans 3's 0.41 em,
 * 81 of IBM Plex Sans's 0.44; in ch, a font's digit, the line grew with a brand's wide
 * digits), 5 % more at most, for text of narrow letters.
 */
export const READABLE = { body: 8, smallest: 6, lineChars: 90, lineCharsOver: 1.05 }

export interface HandoutGeometry {
  perPage: HandoutPerPage
  /** Text below each slide (two a page) or beside it (three a page). */
  placement: 'below' | 'beside'
  /** The slide picture's width, in mm, and the scale it is printed at (1 = its real size at 96 dpi). */
  slideWidth: number
  scale: number
  /** The room each slide's text (or ruled lines) gets, in mm. */
  text: { width: number; height: number }
  ruledLines: number
}

const contentWidth = PAGE.width - PAGE.left - PAGE.right
const rowsHeight = PAGE.height - PAGE.top - PAGE.bottom - HEAD - FOOT - FOOT_GAP

/** Where everything goes on a handout page, for slides of this size. */
export function handoutGeometry(perPage: HandoutPerPage, size: { width: number; height: number }): HandoutGeometry {
  const aspect = size.height / size.width
  const row = (rowsHeight - ROW_GAP * perPage) / perPage
  if (perPage === 2) {
    // As wide as the page allows while the text below keeps its room (a 4:3 slide is narrower).
    const slideWidth = Math.min(contentWidth, (row - LABEL - PICTURE_GAP - MIN_TEXT_BELOW) / aspect)
    const text = { width: contentWidth, height: row - slideWidth * aspect - PICTURE_GAP - LABEL }
    return { perPage, placement: 'below', slideWidth, scale: scaleOf(slideWidth, size), text, ruledLines: ruledLines(text.height) }
  }
  const slideWidth = Math.min(BESIDE_SLIDE_WIDTH, row / aspect)
  const text = { width: contentWidth - slideWidth - ROW_GAP, height: row - LABEL }
  return { perPage, placement: 'beside', slideWidth, scale: scaleOf(slideWidth, size), text, ruledLines: ruledLines(text.height) }
}

/** As many ruled lines as fit a slot, the last a line's height clear of the footer's rule (on the last row, FOOT_GAP below the slot). */
function ruledLines(height: number): number {
  return Math.max(0, Math.floor((height + FOOT_GAP - RULED_LINE) / RULED_LINE))
}

/** The size in CSS px, rounded up to a tenth, at which a slide's text prints at `pt` when the slide is printed at `scale` (printedPt turned round). */
function printedPx(pt: number, scale: number): number {
  return Math.ceil((pt / printedPt(1, scale)) * 10) / 10
}

function scaleOf(widthMm: number, size: { width: number }): number {
  return (widthMm * PX_PER_MM) / size.width
}

/** A size in CSS px on the slide, printed at `scale`, in points. */
export function printedPt(px: number, scale: number): number {
  return px * PT_PER_PX * scale
}

export interface PrintDocuments {
  slides: string
  handout: string
  notes: string
  /** The slides' size in CSS pixels. */
  size: { width: number; height: number }
  handoutGeometry: HandoutGeometry
}

/** The slides' size, from the view box Marp gives every slide. */
function renderedSize(rendered: RenderedSlides): { width: number; height: number } {
  const match = RE_VIEWBOX.exec(rendered.slides[0] ?? '')
  if (!match) throw new DeckError('Marp rendered a slide without its size (no viewBox)', { exitCode: ExitCode.internal })
  return { width: Number(match[1]), height: Number(match[2]) }
}

/** What the handout prints beside a slide: its audience text, or its speaker notes when the brief asks for them. */
export function handoutText(brief: Brief, slide: { handoutText: string | undefined; notesText: string | undefined }): string | undefined {
  return slide.handoutText ?? (brief.handout?.speakerNotes === true ? slide.notesText : undefined)
}

export function printDocuments(
  brief: Brief,
  view: DeckView,
  rendered: RenderedSlides,
  templates: PrintTemplates,
  options: { handoutPerPage: HandoutPerPage; fonts: string; tokens: Record<string, string> },
): PrintDocuments {
  if (rendered.slides.length !== view.slides.length) {
    throw new DeckError(
      `The templates made ${rendered.slides.length} slides from ${view.slides.length} in the brief: a layout template must not contain "---"`,
      {
        exitCode: ExitCode.input,
      },
    )
  }
  const m = messages(brief.meta.language)
  const size = renderedSize(rendered)
  const slides = view.slides.map((slide, i) => ({ number: i + 1, outline: slide.outline, svg: rendered.slides[i] ?? '' }))
  const common = sheetCommon(brief, rendered, size, options)
  const geometry = handoutGeometry(options.handoutPerPage, size)
  const rows = view.slides.map((slide, i) => {
    const text = handoutText(brief, slide)
    return { ...(slides[i] as (typeof slides)[number]), heading: `${m.slide} ${i + 1}`, paragraphs: text === undefined ? null : noteParagraphs(text) }
  })
  const handoutSheets = chunk(rows, geometry.perPage)
  const handout = templates.handout({
    ...common,
    below: geometry.placement === 'below',
    slideWidth: mm(geometry.slideWidth),
    slideHeight: mm((geometry.slideWidth * size.height) / size.width),
    zoom: geometry.scale,
    // Three a page prints slides too small to read whole (the build says so): their markers are left as the slide has them.
    markerMin: geometry.perPage === DEFAULT_HANDOUT ? `${printedPx(READABLE.smallest, geometry.scale)}px` : '0px',
    text: { width: mm(geometry.text.width), size: `${PRINT_TYPE.handout.size}pt` },
    sideHeight: mm(LABEL + geometry.text.height),
    ruledLine: mm(RULED_LINE),
    linesLabel: m.notesLines,
    ruledLines: Array.from({ length: geometry.ruledLines }, () => true),
    sheets: handoutSheets.map((sheetRows, i) => ({ rows: sheetRows, page: m.page(i + 1, handoutSheets.length) })),
  })
  const notesRows = view.slides.map((slide, i) => ({
    ...(slides[i] as (typeof slides)[number]),
    heading: `${m.slide} ${i + 1}`,
    paragraphs: slide.notesText === undefined ? null : noteParagraphs(slide.notesText),
  }))
  // The notes pages print each slide the full width between the margins.
  const notesScale = scaleOf(contentWidth, size)
  const notesPicture = (contentWidth * size.height) / size.width
  const notesSheets = pairedNotes(notesRows, notesPicture)
  const notes = templates.notes({
    ...common,
    noNotes: m.noNotes,
    zoom: notesScale,
    markerMin: `${printedPx(READABLE.smallest, notesScale)}px`,
    slideWidth: mm(contentWidth),
    slideHeight: mm(notesPicture),
    textSize: `${PRINT_TYPE.notes.size}pt`,
    lineHeight: NOTES_LINE,
    paragraphGap: mm(NOTES_PARAGRAPH_GAP),
    sheets: notesSheets.map((rows, i) => ({ rows, page: m.page(i + 1, notesSheets.length) })),
  })
  return {
    slides: withPolicy(templates.slides({ ...common, slides }), 'slides'),
    handout: withPolicy(handout, 'handout'),
    notes: withPolicy(notes, 'notes'),
    size,
    handoutGeometry: geometry,
  }
}

/** The notes' line height, as a multiple of their size, and the space after a paragraph, in mm (print/notes.hbs). */
const NOTES_LINE = 1.45
const NOTES_PARAGRAPH_GAP = 3.5
/**
 * A generous average width of a character of running text, in ems, that errs towards fewer
 * characters a line: Source Sans 3 sets about 0.42 em a character of the default brief's notes.
 */
const CHAR_EM = 0.48
/** The label above a slide's picture's text (print/_sheet.hbs .p-label), in points; its line height is 1.2. */
const LABEL_PT = 9
const MM_PER_PT = 25.4 / 72

/**
 * The notes pages: two slides on a page when both their notes fit half of it at full size
 * (14 pt), else one. Their lines are estimated generously (CHAR_EM), so that notes are
 * never set smaller to fit; the print check measures what Chromium lays out.
 */
function pairedNotes<Row extends { paragraphs: string[] | null; heading: string; outline: string }>(rows: readonly Row[], pictureHeight: number): Row[][] {
  const lines = (text: string, pt: number) => Math.max(1, Math.ceil([...text].length / Math.floor(contentWidth / (pt * CHAR_EM * MM_PER_PT))))
  const size = PRINT_TYPE.notes.size
  // A slide's label and notes below its picture, in mm; a label's second line takes room from the notes.
  const height = (row: Row) =>
    (row.paragraphs ?? ['']).reduce((sum, p) => sum + lines(p, size) * size * NOTES_LINE * MM_PER_PT, 0) +
    Math.max(0, (row.paragraphs?.length ?? 1) - 1) * NOTES_PARAGRAPH_GAP +
    Math.max(LABEL, lines(`${row.heading} · ${row.outline}`, LABEL_PT) * LABEL_PT * 1.2 * MM_PER_PT)
  // Half the page's body: a picture, its label, the gap before the next, and the notes.
  const half = (rowsHeight + FOOT_GAP - ROW_GAP * 2) / 2 - pictureHeight - PICTURE_GAP
  const sheets: Row[][] = []
  for (let i = 0; i < rows.length; i += 1) {
    const [row, next] = [rows[i] as Row, rows[i + 1]]
    if (next && height(row) <= half && height(next) <= half) {
      sheets.push([row, next])
      i += 1
    } else sheets.push([row])
  }
  return sheets
}

/** A length for the print templates' CSS. */
const mm = (n: number) => `${Math.round(n * 100) / 100}mm`

/** What every printed page shows and is set with: its size, fonts, colours, margins, title and footer. */
function sheetCommon(
  brief: Brief,
  rendered: RenderedSlides,
  size: { width: number; height: number },
  options: { fonts: string; tokens: Record<string, string> },
) {
  const m = messages(brief.meta.language)
  const meta = brief.meta
  const date = formatWhen(meta.date, meta.language)
  return {
    ...size,
    lang: CATALOGUES[meta.language].locale,
    css: rendered.css,
    fonts: options.fonts,
    // The theme's variables for the page's own colours and fonts; the print palette for the slide pictures.
    tokens: cssDeclarations(Object.entries(resolveTokens(options.tokens)).map(([name, value]) => [`--${name}`, value])),
    printPalette: cssDeclarations(printOverrides(options.tokens).map(([name, value]) => [`--${name}`, value])),
    page: {
      top: mm(PAGE.top),
      right: mm(PAGE.right),
      bottom: mm(PAGE.bottom),
      left: mm(PAGE.left),
      head: mm(HEAD),
      foot: mm(FOOT),
      gap: mm(ROW_GAP),
      label: mm(LABEL),
      labelSize: `${LABEL_PT}pt`,
      pictureGap: mm(PICTURE_GAP),
    },
    title: meta.title,
    shortTitle: meta.shortTitle,
    lineType: LINE_TYPE,
    byline: line([[part(meta.author, 'meta.author')], [part(meta.affiliation, 'meta.affiliation')], [part(date)]]),
    footer: line([
      [part(meta.shortTitle, 'meta.shortTitle')],
      [
        part(`${m.source}: `),
        part(creditName(meta.source), meta.source.publisher === undefined ? 'meta.source.url' : 'meta.source.publisher'),
        part(`, ${date}`),
      ],
    ]),
  }
}

/** A piece of a header or footer line; one with a field is the brief's, and may be shortened at a word to fit. */
interface LinePart {
  text: string
  field: string | null
}

const part = (text: string | undefined, field: string | null = null) => (text === undefined ? undefined : { text, field })

/**
 * A header or footer line as groups of parts, shown with " · " between them: the line
 * breaks only there, never inside a group. Parts without text, and groups left empty, go.
 */
function line(groups: readonly (readonly (LinePart | undefined)[])[]): LinePart[][] {
  return groups.map((g) => g.filter((p): p is LinePart => p !== undefined)).filter((g) => g.length > 0)
}

/** `--ink: #1d2733; …` for a style block: a value cannot end the block or the page's <style> element. */
function cssDeclarations(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([name, value]) => `${name}: ${value.replace(/[<>{};\\]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)};`).join(' ')
}

/**
 * The printed pages reach no network, as the HTML deck does not: styles inline, fonts and
 * images from this machine's files or data: URLs, no script of the page's own (the build's
 * measurements run through the browser's own channel). A theme or template that names a
 * remote resource gets nothing.
 */
export const PRINT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; font-src file: data:; img-src file: data:; base-uri 'none'; form-action 'none'"

function withPolicy(page: string, name: string): string {
  const head = page.indexOf('<head>')
  if (head < 0)
    throw new DeckError(`The print template print/${name}.hbs has no <head>: the page's Content-Security-Policy goes there`, { exitCode: ExitCode.input })
  const at = head + '<head>'.length
  return `${page.slice(0, at)}<meta http-equiv="Content-Security-Policy" content="${PRINT_POLICY}">${page.slice(at)}`
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
