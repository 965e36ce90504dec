import { basename, extname, isAbsolute, relative } from 'node:path'
import { readBrief } from './brief.ts'
import type { BrowserSession } from './browser.ts'
import { DeckError, ExitCode } from './errors.ts'
import { printWithBrowser } from './export.ts'
import { stage } from './fs.ts'
import { marpHtml, renderSlides } from './marp.ts'
import { buildDate, finishPdf, type PdfInfo } from './pdf.ts'
import { buildPptx } from './pptx.ts'
import { printDocuments, type HandoutPerPage } from './print.ts'
import { buildView, renderView, type RenderDeck } from './render.ts'
import { compilePrintTemplates, compileTemplates, readTemplates, TEMPLATE_DIR, type PrintTemplates } from './templates.ts'
import { noteParagraphs } from './text.ts'
import { readTheme, THEME_FILE, type Theme } from './theme.ts'

// One brief → every output. The brief is read and checked, rendered through the
// templates; Marp CLI writes the HTML decks, Chromium prints the PDFs and images.
// Files land in the output folder only when whole: the Markdown and HTML first,
// then what the browser made.

export const FORMATS = ['md', 'html', 'audience', 'pdf', 'handout', 'notes', 'pptx', 'png'] as const
export type Format = (typeof FORMATS)[number]
const BROWSER_FORMATS: readonly Format[] = ['pdf', 'handout', 'notes', 'pptx', 'png']

export interface BuildOptions {
  outDir: string
  formats?: ReadonlySet<Format>
  handoutPerPage?: HandoutPerPage
  /** Device pixels per CSS pixel for PNGs and the PowerPoint pictures. */
  imageScale?: number
  /** Needed when a browser format is asked for. */
  browser?: BrowserSession
}

export interface BuildResult {
  brief: string
  name: string
  slides: number
  outputs: string[]
}

/** What every brief of a build shares: compiled templates and the theme with its fonts. */
export interface Toolkit {
  render: RenderDeck
  print: PrintTemplates
  theme: Theme
}

export async function prepare(options: { templatesDir?: string; themeFile?: string } = {}): Promise<Toolkit> {
  const [sources, theme] = await Promise.all([readTemplates(options.templatesDir ?? TEMPLATE_DIR), readTheme(options.themeFile ?? THEME_FILE)])
  return { render: compileTemplates(sources), print: compilePrintTemplates(sources), theme }
}

export function needsBrowser(formats: ReadonlySet<Format>): boolean {
  return BROWSER_FORMATS.some((f) => formats.has(f))
}

export function deckName(briefFile: string): string {
  return basename(briefFile, extname(briefFile))
}

/** Paths inside the working folder are shown relative to it, others in full. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel
}

export async function buildBrief(briefFile: string, toolkit: Toolkit, options: BuildOptions): Promise<BuildResult> {
  const formats = options.formats ?? new Set(FORMATS)
  const brief = await readBrief(briefFile)
  const view = buildView(brief)
  const markdown = renderView(view, toolkit.render)
  const name = deckName(briefFile)
  const files = {
    md: `${name}.md`,
    html: `${name}.html`,
    audienceMd: `${name}-audience.md`,
    audience: `${name}-audience.html`,
    theme: `${toolkit.theme.name}.css`,
    pdf: `${name}.pdf`,
    handout: `${name}-handout.pdf`,
    notes: `${name}-notes.pdf`,
    pptx: `${name}.pptx`,
    cover: `${name}-cover.png`,
    slides: `${name}-slides`,
  }
  const browserWanted = needsBrowser(formats)
  if (browserWanted && !options.browser) throw new DeckError('a browser session is needed for PDF, PowerPoint and images', { exitCode: ExitCode.internal })
  const browser = browserWanted ? options.browser?.get() : undefined

  const staging = await stage(options.outDir)
  const outputs: string[] = []
  try {
    // Markdown and HTML: no browser needed, so they are written even when none can start.
    const mdPath = await staging.write(files.md, markdown)
    const themePath = await staging.write(files.theme, toolkit.theme.css)
    const textOutputs: string[] = []
    if (formats.has('md')) textOutputs.push(files.md)
    if (formats.has('html')) {
      await marpHtml({ markdown: mdPath, themeFile: themePath, output: staging.path(files.html) })
      textOutputs.push(files.html)
    }
    if (formats.has('audience')) {
      const audienceMd = await staging.write(files.audienceMd, renderView(view, toolkit.render, { notes: false }))
      await marpHtml({ markdown: audienceMd, themeFile: themePath, output: staging.path(files.audience) })
      textOutputs.push(files.audience)
    }
    outputs.push(...(await staging.commit(textOutputs)))
    if (!browser) return { brief: briefFile, name, slides: view.slides.length, outputs: outputs.map(displayPath) }

    const rendered = await renderSlides(markdown, toolkit.theme)
    const docs = printDocuments(brief, view, rendered, toolkit.print, { handoutPerPage: options.handoutPerPage ?? 3 })
    const started = await browser.catch((err: unknown) => {
      if (!(err instanceof DeckError)) throw err
      const written = outputs.length > 0 ? `\nWritten without a browser: ${outputs.map(displayPath).join(', ')}` : ''
      throw new DeckError(`${err.message}${written}`, { exitCode: err.exitCode, cause: err })
    })
    const made = await printWithBrowser(started, docs, {
      pdf: formats.has('pdf'),
      handout: formats.has('handout'),
      notes: formats.has('notes'),
      images: formats.has('png') || formats.has('pptx'),
      imageScale: options.imageScale ?? 1,
    })

    const m = brief.meta
    const info: PdfInfo = { title: m.title, author: m.author, subject: m.summary, keywords: m.keywords ?? [], language: m.language, date: buildDate() }
    const outline = view.slides.map((s, page) => ({ title: s.outline, page }))
    const browserOutputs: string[] = []
    if (made.pdf) {
      await staging.write(files.pdf, await finishPdf(made.pdf, { ...info, outline }))
      browserOutputs.push(files.pdf)
    }
    if (made.handout) {
      await staging.write(files.handout, await finishPdf(made.handout, info))
      browserOutputs.push(files.handout)
    }
    if (made.notes) {
      await staging.write(files.notes, await finishPdf(made.notes, { ...info, outline }))
      browserOutputs.push(files.notes)
    }
    const images = made.images ?? []
    if (formats.has('pptx')) {
      const slides = images.map((png, i) => {
        const notes = view.slides[i]?.notesText
        return { png, title: view.slides[i]?.outline ?? '', notes: notes === undefined ? undefined : noteParagraphs(notes).join('\n\n') }
      })
      await staging.write(files.pptx, await buildPptx(slides, { title: m.title, author: m.author, subject: m.summary, size: docs.size }))
      browserOutputs.push(files.pptx)
    }
    if (formats.has('png') && images[0]) {
      for (const [i, png] of images.entries()) await staging.write(`${files.slides}/${String(i + 1).padStart(3, '0')}.png`, png)
      await staging.write(files.cover, images[0])
      browserOutputs.push(files.cover, files.slides)
    }
    outputs.push(...(await staging.commit(browserOutputs)))
    return { brief: briefFile, name, slides: view.slides.length, outputs: outputs.map(displayPath) }
  } finally {
    await staging.dispose()
  }
}
