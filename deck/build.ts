import { basename, extname, isAbsolute, relative } from 'node:path'
import { readBrief } from './brief.ts'
import { CHART_CACHE_DIR, drawCharts, type DrawOptions } from './chart.ts'
import type { BrowserSession } from './browser.ts'
import { DeckError, ExitCode } from './errors.ts'
import { exportWithBrowser, type ExportResult } from './export.ts'
import { FORMATS, needsBrowser, outputFiles, type Format } from './outputs.ts'
import { timed } from './log.ts'
import { stage } from './fs.ts'
import { MarpWorker, readMarpSettings, type MarpSettings } from './marp.ts'
import { printDocuments, type HandoutPerPage } from './print.ts'
import { buildView, renderView, type RenderDeck } from './render.ts'
import { compilePrintTemplates, compileTemplates, readTemplates, TEMPLATE_DIR, type PrintTemplates } from './templates.ts'
import { DEFAULT_SIZE, type Brief } from './schema.ts'
import { readTheme, THEME_FILE, type Theme } from './theme.ts'

// One brief → every output. The brief is read and checked, rendered through the
// templates; Marp CLI writes the HTML decks, Chromium prints the PDFs and images.
// Files land in the output folder only when whole: the Markdown and HTML first,
// then what the browser made.

export interface BuildOptions {
  outDir: string
  formats?: ReadonlySet<Format>
  handoutPerPage?: HandoutPerPage
  /** Device pixels per CSS pixel for PNGs and the PowerPoint pictures. */
  imageScale?: number
  /** Needed when a browser format is asked for. */
  browser?: BrowserSession
  /** Marp's worker, shared by the briefs of a build; one is started (and stopped) per brief if not given. */
  marp?: MarpWorker
  /** Told when each output is ready, for progress on long builds. */
  onProgress?: (message: string) => void
}

export interface BuildResult {
  brief: string
  name: string
  slides: number
  outputs: string[]
  /** Things worth fixing that did not stop the build. */
  warnings: string[]
}

/** What every brief of a build shares: compiled templates and the theme with its fonts. */
export interface Toolkit {
  render: RenderDeck
  print: PrintTemplates
  theme: Theme
  marp: MarpSettings
}

export async function prepare(options: { templatesDir?: string; themeFile?: string } = {}): Promise<Toolkit> {
  const templatesDir = options.templatesDir ?? TEMPLATE_DIR
  const [sources, theme, marp] = await Promise.all([readTemplates(templatesDir), readTheme(options.themeFile ?? THEME_FILE), readMarpSettings(templatesDir)])
  return { render: compileTemplates(sources), print: compilePrintTemplates(sources), theme, marp }
}

/** The charts of a brief's chart slides, at the width of the brief's slide size. */
export async function drawBriefCharts(brief: Brief, theme: Theme, options: DrawOptions = { cacheDir: CHART_CACHE_DIR }): Promise<Map<string, string>> {
  const size = brief.meta.size ?? DEFAULT_SIZE
  const box = theme.sizes[size]
  if (!box) throw new DeckError(`The brief asks for ${size} slides, but the theme "${theme.name}" has no "@size ${size}" (it has: ${Object.keys(theme.sizes).join(', ') || 'none'})`)
  return drawCharts(brief, theme.tokens, box.width, options)
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
  const view = buildView(brief, { charts: await drawBriefCharts(brief, toolkit.theme) })
  const markdown = renderView(view, toolkit.render)
  const name = deckName(briefFile)
  const files = outputFiles(name, toolkit.theme.name)
  const browserWanted = needsBrowser(formats)
  if (browserWanted && !options.browser) throw new DeckError('a browser session is needed for PDF, PowerPoint and images', { exitCode: ExitCode.internal })
  const browser = browserWanted ? options.browser?.get() : undefined

  const staging = await stage(options.outDir)
  let ownWorker: MarpWorker | undefined
  const marp = () => options.marp ?? (ownWorker ??= new MarpWorker())
  const outputs: string[] = []
  try {
    const mdPath = await staging.write(files.md, markdown)
    const themePath = await staging.write(files.theme, toolkit.theme.css)

    // Markdown and HTML need no browser, so they are written even when none can start.
    const text = async (): Promise<string[]> => {
      const inputs: string[] = []
      const names: string[] = []
      if (formats.has('md')) names.push(files.md)
      if (formats.has('html')) {
        inputs.push(mdPath)
        names.push(files.html)
      }
      if (formats.has('audience')) {
        inputs.push(await staging.write(files.audienceMd, renderView(view, toolkit.render, { notes: false })))
        names.push(files.audience)
      }
      if (inputs.length > 0) await marp().html({ settings: toolkit.marp, inputs, themeFile: themePath, headCss: toolkit.theme.fonts.inline })
      const committed = await staging.commit(names)
      if (names.length > 0) options.onProgress?.(`${names.join(', ')} written`)
      return committed
    }

    // What Chromium makes, at the same time: it works in its own processes while Marp works in its thread.
    const printed = async (): Promise<ExportResult> => {
      if (!browser) return { names: [], warnings: [] }
      const rendered = await timed('marp core', marp().slides(markdown, toolkit.theme, toolkit.marp))
      const docs = printDocuments(brief, view, rendered, toolkit.print, { handoutPerPage: options.handoutPerPage ?? 3, fonts: toolkit.theme.fonts.files })
      return exportWithBrowser({ brief, view, docs, staging, files, formats, browser, imageScale: options.imageScale ?? 1, onProgress: options.onProgress })
    }

    // Both run to the end before anything is reported, so no write lands in a removed staging folder.
    // The printed pages are on the critical path, so they ask Marp's worker first.
    const [printResult, textResult] = await Promise.allSettled([timed('browser outputs', printed()), timed('markdown and html', text())])
    if (textResult.status === 'rejected') throw textResult.reason
    outputs.push(...textResult.value)
    if (printResult.status === 'rejected') {
      const err = printResult.reason
      if (!(err instanceof DeckError)) throw err
      const written = outputs.length > 0 ? `\nWritten all the same: ${outputs.map(displayPath).join(', ')}` : ''
      throw new DeckError(`${err.message}${written}`, { exitCode: err.exitCode, cause: err })
    }
    outputs.push(...(await staging.commit(printResult.value.names)))
    return { brief: briefFile, name, slides: view.slides.length, outputs: outputs.map(displayPath), warnings: printResult.value.warnings }
  } finally {
    await ownWorker?.close()
    await staging.dispose()
  }
}
