import { DeckError, ExitCode } from './errors.ts'
import type { RenderedSlides } from './marp.ts'
import { messages, type DeckView } from './render.ts'
import type { Brief } from './schema.ts'
import type { PrintTemplates } from './templates.ts'
import { formatWhen, noteParagraphs } from './text.ts'

// The HTML pages the browser turns into PDFs and images. Pure: the view, Marp's
// rendered slides and the compiled print templates in; HTML strings out.

export type HandoutPerPage = 2 | 3
const RE_VIEWBOX = /viewBox="0 0 (\d+) (\d+)"/
/** Width of a slide on an A4 handout, in mm: smaller with three a page so the notes keep room. */
const HANDOUT_SLIDE_WIDTH: Record<HandoutPerPage, number> = { 2: 112, 3: 100 }
/** Width of the slide on a notes page: the A4 width less the margins. */
const NOTES_SLIDE_WIDTH = 180
/** Ruled lines offered beside a slide without notes: more than fit, the rest are cut off. */
const RULED_LINES = 24
const PX_PER_MM = 96 / 25.4

export interface PrintDocuments {
  slides: string
  handout: string
  notes: string
  /** The slides' size in CSS pixels. */
  size: { width: number; height: number }
}

function slideSize(rendered: RenderedSlides): { width: number; height: number } {
  const match = RE_VIEWBOX.exec(rendered.slides[0] ?? '')
  return { width: Number(match?.[1] ?? 1280), height: Number(match?.[2] ?? 720) }
}

export function printDocuments(
  brief: Brief,
  view: DeckView,
  rendered: RenderedSlides,
  templates: PrintTemplates,
  options: { handoutPerPage: HandoutPerPage; fonts: string },
): PrintDocuments {
  if (rendered.slides.length !== view.slides.length) {
    throw new DeckError(`The templates made ${rendered.slides.length} slides from ${view.slides.length} in the brief: a layout template must not contain "---"`, {
      exitCode: ExitCode.input,
    })
  }
  const m = messages(brief.meta.language)
  const meta = brief.meta
  const date = formatWhen(meta.date, meta.language)
  const size = slideSize(rendered)
  const slides = view.slides.map((slide, i) => ({
    number: i + 1,
    outline: slide.outline,
    svg: rendered.slides[i] ?? '',
    notes: slide.notesText === undefined ? undefined : noteParagraphs(slide.notesText),
  }))
  const zoom = (mm: number) => (mm * PX_PER_MM) / size.width
  const common = {
    ...size,
    language: meta.language,
    css: rendered.css,
    fonts: options.fonts,
    title: meta.title,
    shortTitle: meta.shortTitle,
    byline: `${meta.author} · ${meta.affiliation} · ${date}`,
    footer: `${meta.shortTitle} · ${m.source}: ${meta.source.publisher}, ${date}`,
  }

  const perPage = options.handoutPerPage
  const handoutSheets = chunk(slides, perPage)
  const handout = templates.handout({
    ...common,
    perPage,
    gapCount: perPage - 1,
    slideWidth: HANDOUT_SLIDE_WIDTH[perPage],
    zoom: zoom(HANDOUT_SLIDE_WIDTH[perPage]),
    linesLabel: m.notesLines,
    ruledLines: Array.from({ length: RULED_LINES }, () => true), // as many as fit are shown
    sheets: handoutSheets.map((rows, i) => ({ rows, page: m.page(i + 1, handoutSheets.length) })),
  })
  const notes = templates.notes({
    ...common,
    noNotes: m.noNotes,
    zoom: zoom(NOTES_SLIDE_WIDTH),
    sheets: slides.map((s, i) => ({ ...s, slide: s.number, number: `${m.slide} ${s.number}`, page: m.page(i + 1, slides.length) })),
  })
  return { slides: withPolicy(templates.slides({ ...common, slides }), 'slides'), handout: withPolicy(handout, 'handout'), notes: withPolicy(notes, 'notes'), size }
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
  if (head < 0) throw new DeckError(`The print template print/${name}.hbs has no <head>: the page's Content-Security-Policy goes there`, { exitCode: ExitCode.input })
  const at = head + '<head>'.length
  return `${page.slice(0, at)}<meta http-equiv="Content-Security-Policy" content="${PRINT_POLICY}">${page.slice(at)}`
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
