import { createHash } from 'node:crypto'

import type { Browser } from 'puppeteer-core'

import type { LoadedBrief } from './brief/brief.ts'
import { type Brief } from './brief/schema.ts'
import { makeReport, type Report, withoutSilenced } from './check/report.ts'
import {
  CheckFailed,
  dataFindings,
  type Deck,
  displayPath,
  htmlDeck,
  measuredFindings,
  minFontPx,
  printPages,
  readDeck,
  slideSize,
  type Toolkit,
} from './deck.ts'
import type { BrowserSession } from './export/browser.ts'
import { type ExportResult, exportWithBrowser } from './export/export.ts'
import { MarpWorker, withoutNotes } from './export/marp.ts'
import { BROWSER_FORMATS, deckOutputs, DEFAULT_FORMATS, type Format, needsBrowser, type OutputFiles, outputFiles } from './export/outputs.ts'
import { documentInfo } from './export/pdf.ts'
import { MAX_BROWSER_SLIDES, type StepBounds } from './export/steps.ts'
import { buildPptx } from './pptx/pptx.ts'
import { DEFAULT_HANDOUT, type HandoutPerPage } from './render/print.ts'
import { wasInterrupted } from './shared/cleanup.ts'
import { DeckError, ExitCode } from './shared/errors.ts'
import { type OutputSet, stage, type Staging } from './shared/fs.ts'
import { timed } from './shared/log.ts'

// One brief → every output. The brief is read and checked, rendered through the
// templates; Marp CLI writes the HTML decks, Chromium prints the PDFs and images.
// Files land in the output folder only when whole, and a deck's outputs together:
// all of them once every one is made, or none.

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
  /** The checks run first; an error stops the build unless `force`. */
  checks?: CheckOptions
  /** Build this variant of the brief (its slides, to <brief>.<variant>.* files) instead of the whole brief. */
  variant?: string | undefined
  /** The whole brief, already read (by `briefVariants`): the build of the full deck does not read it again; a variant's build does. */
  read?: LoadedBrief | undefined
  /** How long each browser step may take before the deck fails (the default suits any deck). */
  stepBounds?: StepBounds | undefined
}

export interface CheckOptions {
  /** The brief's text, to find each figure's evidence in (else `meta.source.document`, if the brief names one). */
  sourceFile?: string | undefined
  /** Write the outputs even when a check finds an error. */
  force?: boolean | undefined
}

export interface BuildResult {
  brief: string
  name: string
  slides: number
  outputs: string[]
  /** Things worth fixing that did not stop the build. */
  warnings: string[]
  report: Report
  /** The HTML deck's page as written, when one was made (the dev server serves it from memory). */
  html?: string
  /** The deck's outputs from an earlier version of the brief that this build did not make, and so removed. */
  removed: string[]
}

/** Tells versions of a deck apart: everything its outputs are made from (the brief, templates, theme and brand with its fonts and logos, Marp's settings, options). */
function deckVersion(brief: Brief, markdown: string, toolkit: Toolkit, options: Record<string, unknown>): string {
  const hash = createHash('sha256')
  for (const part of [
    JSON.stringify(brief),
    markdown,
    JSON.stringify(toolkit.sources),
    toolkit.theme.css, // the brand's colours and logos with it
    toolkit.theme.fonts.inline,
    JSON.stringify(toolkit.marp),
    JSON.stringify(options),
  ])
    hash.update(part).update('\0')
  return hash.digest('hex').slice(0, 16)
}

/** One deck's build once its brief is read and checked: what each stage of the outputs works from. */
interface DeckJob {
  deck: Deck
  toolkit: Toolkit
  files: OutputFiles
  staging: Staging
  formats: ReadonlySet<Format>
  options: BuildOptions
  /** Marp's worker: the build's, or one of the deck's own. */
  marp: () => MarpWorker
  /** The options' defaults filled in. */
  handoutPerPage: HandoutPerPage
  imageScale: number
}

export async function buildBrief(briefFile: string, toolkit: Toolkit, options: BuildOptions): Promise<BuildResult> {
  const started = Date.now()
  const formats = options.formats ?? new Set(DEFAULT_FORMATS)
  const checks = options.checks ?? {}
  const deck = await readDeck(briefFile, toolkit, { variant: options.variant, read: options.read, sourceFile: checks.sourceFile })
  const { loaded, view, markdown, source, name } = deck
  const { brief } = loaded
  // The layout is measured on the page the PDF is printed from. A deck too long for the
  // browser: its browser outputs are refused before the browser works on it.
  const tooLong = view.slides.length > MAX_BROWSER_SLIDES
  if (tooLong && needsBrowser(formats)) throw tooManyForBrowser(view.slides.length, formats)
  const measuring = needsBrowser(formats)
  if (measuring && !options.browser) throw new DeckError('a browser session is needed for PDF, pictures and the layout checks', { exitCode: ExitCode.internal })
  const { findings, skipped } = await dataFindings(deck, toolkit)
  if (!measuring)
    skipped.push(
      tooLong
        ? `layout not measured: the deck has ${view.slides.length} slides, more than the ${MAX_BROWSER_SLIDES} a browser lays out`
        : 'layout not measured: no PDF or images asked for',
    )

  // Errors found in the data alone stop a build before any work on the outputs.
  const early = makeReport(displayPath(briefFile), withoutSilenced(findings, brief, view), source?.file, [])
  if (early.errors > 0 && !checks.force) throw new CheckFailed({ ...early, skipped: ['layout not measured: the errors above stopped the build first'] })

  const staging = await stage(options.outDir)
  let ownWorker: MarpWorker | undefined
  const files = outputFiles(name, toolkit.theme.name)
  const marp = () => options.marp ?? (ownWorker ??= new MarpWorker({ html: formats.has('html') || formats.has('audience') }))
  const handoutPerPage = options.handoutPerPage ?? DEFAULT_HANDOUT
  const imageScale = options.imageScale ?? 1
  const job: DeckJob = { deck, toolkit, files, staging, formats, options, marp, handoutPerPage, imageScale }
  try {
    const made = await makeOutputs(job, measuring ? options.browser?.get() : undefined)
    const measured = measuredFindings(deck, toolkit, { ...made.printed, violations: [] }, handoutPerPage)
    findings.push(...measured.findings)
    const report = makeReport(displayPath(briefFile), withoutSilenced(findings, brief, view), source?.file, [...skipped, ...measured.skipped])
    const result = {
      brief: briefFile,
      name,
      slides: view.slides.length,
      warnings: made.pptx.warnings,
      report,
      removed: [],
      ...(made.html === undefined ? {} : { html: made.html }),
    }
    if (report.errors > 0 && !checks.force) throw new CheckFailed(report)
    const version = deckVersion(brief, markdown, toolkit, { handoutPerPage, imageScale })
    const set: OutputSet = { record: files.record, version, started, members: deckOutputs(files) }
    const { written, removed, superseded } = await staging.commit([...made.text, ...made.pptx.names, ...made.printed.names], set)
    // The dev server's PDF, say, printed from a brief that has been saved again since.
    if (superseded)
      return { ...result, outputs: [], warnings: [...result.warnings, 'a build of a newer version of the brief was written first: this one wrote nothing'] }
    return { ...result, outputs: written.map(displayPath), removed: removed.map(displayPath) }
  } finally {
    await ownWorker?.close()
    await staging.dispose()
  }
}

/** Every output the formats ask for, staged: Marp's, Chromium's and the PowerPoint, made at the same time. */
async function makeOutputs(job: DeckJob, browser: Promise<Browser> | undefined) {
  const mdPath = await job.staging.write(job.files.md, job.deck.markdown)
  const themePath = await job.staging.write(job.files.theme, job.toolkit.theme.css)
  // All run to the end before anything is reported, so no write lands in a removed staging folder;
  // when one fails, the browser's step under way fails at once, and so does every later one.
  // The printed pages are on the critical path, so they ask Marp's worker first (for their
  // slides; a worker that loads Marp CLI at its start, for HTML, does that before any job).
  const giveUp = new AbortController()
  const orGiveUp = <T>(work: Promise<T>) =>
    work.catch((err: unknown) => {
      giveUp.abort(err)
      throw err
    })
  const [printResult, textResult, pptxResult] = await Promise.allSettled([
    timed('browser outputs', printed(job, browser, giveUp.signal)),
    orGiveUp(timed('markdown and html', htmlDecks(job, mdPath, themePath))),
    orGiveUp(timed('pptx', editablePptx(job))),
  ])
  // A deck's outputs are written together or not at all: when the browser fails, the new Markdown and
  // HTML are not written either, so the folder never holds a new HTML beside an old PDF.
  if (textResult.status === 'rejected') throw textResult.reason
  if (pptxResult.status === 'rejected') throw pptxResult.reason
  if (printResult.status === 'rejected') throw printResult.reason
  return { text: textResult.value.names, html: textResult.value.html, pptx: pptxResult.value, printed: printResult.value }
}

/** Markdown and HTML: made by Marp in its worker thread while Chromium prints. */
async function htmlDecks({ formats, files, staging, toolkit, deck, marp, options }: DeckJob, mdPath: string, themePath: string) {
  const names: string[] = formats.has('md') ? [files.md] : []
  let html: string | undefined
  if (formats.has('html') || formats.has('audience')) {
    const text = await htmlDeck(marp(), toolkit, deck, mdPath, themePath)
    if (formats.has('html')) {
      html = text
      names.push(files.html)
    }
    // The audience copy is the same deck without its notes: one conversion makes both.
    if (formats.has('audience')) {
      await staging.write(files.audience, withoutNotes(text))
      names.push(files.audience)
    }
  }
  if (names.length > 0) options.onProgress?.(`${names.join(', ')} ready`)
  return { names, html }
}

/** What Chromium makes, at the same time: it works in its own processes while Marp works in its thread. */
async function printed(job: DeckJob, browser: Promise<Browser> | undefined, abandon: AbortSignal): Promise<ExportResult> {
  if (!browser) return { names: [], print: {} }
  const { deck, toolkit, staging, files, formats, options, marp, imageScale, handoutPerPage } = job
  const docs = await printPages(deck, toolkit, marp(), handoutPerPage)
  const { loaded, view } = deck
  const task = { brief: loaded.brief, view, docs, staging, files, formats, browser, imageScale, onProgress: options.onProgress, stepBounds: options.stepBounds }
  return exportWithBrowser({ ...task, measure: { minFontPx: minFontPx(toolkit.theme) }, abandon })
}

/** The editable PowerPoint, drawn from the view: no browser, no Marp. */
async function editablePptx({ formats, deck, toolkit, staging, files, options }: DeckJob): Promise<{ names: string[]; warnings: string[] }> {
  if (!formats.has('pptx')) return { names: [], warnings: [] }
  const { view, loaded } = deck
  const brief = loaded.brief
  const info = { ...documentInfo(view, brief.meta), language: brief.meta.language, size: slideSize(brief, toolkit.theme) }
  // Drawn slide by slide, letting the browser's work and a Ctrl-C in between: a long deck takes a second or two.
  const between = async () => {
    await new Promise((resolve) => setImmediate(resolve))
    if (wasInterrupted()) throw new DeckError('interrupted', { exitCode: ExitCode.interrupted })
  }
  const made = await buildPptx(view, toolkit.theme, info, between)
  await staging.write(files.pptx, made.pptx)
  options.onProgress?.(`${files.pptx} ready`)
  return { names: [files.pptx], warnings: made.warnings }
}

/** A deck too long for the browser's outputs in reasonable time: refused before the browser starts on it. */
function tooManyForBrowser(slides: number, formats: ReadonlySet<Format>): DeckError {
  const asked = BROWSER_FORMATS.filter((f) => formats.has(f))
  const rest = [...formats].filter((f) => !BROWSER_FORMATS.includes(f))
  const without = rest.length > 0 ? rest : ['md', 'html', 'audience', 'pptx']
  return new DeckError(
    `This deck has ${slides} slides; ${asked.join(', ')} can be made for at most ${MAX_BROWSER_SLIDES} (a browser lays out and prints every slide, and needs more memory with every one). Nothing was built for it: build it without them (--format ${without.join(',')}), or split the brief into decks.`,
  )
}
