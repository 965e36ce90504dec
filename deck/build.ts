import { createHash } from 'node:crypto'
import { basename, dirname, extname, isAbsolute, join, relative } from 'node:path'

import type { Browser } from 'puppeteer-core'

import { type LoadedBrief, openBrief } from './brief/brief.ts'
import { DEFAULT_SIZE } from './brief/fields.ts'
import { selectVariant } from './brief/queries.ts'
import { type Brief, type Slide } from './brief/schema.ts'
import { consistencyFindings, glyphFindings, provenanceFindings, type SourceDocument } from './check/brief-checks.ts'
import { axeFindings, measureFindings, printedSizeNote, printFindings, themeFindings } from './check/check.ts'
import { fontFindings } from './check/fonts.ts'
import { type Finding, formatReport, makeReport, type Report, withoutSilenced } from './check/report.ts'
import type { BrowserSession } from './export/browser.ts'
import { auditHtml, type ExportResult, exportWithBrowser } from './export/export.ts'
import { type MarpSettings, MarpWorker, readMarpSettings, withoutNotes } from './export/marp.ts'
import { BROWSER_FORMATS, deckOutputs, DEFAULT_FORMATS, type Format, needsBrowser, type OutputFiles, outputFiles } from './export/outputs.ts'
import { documentInfo } from './export/pdf.ts'
import { MAX_BROWSER_SLIDES, type StepBounds } from './export/steps.ts'
import { uniqueViolations } from './measure/measure.ts'
import { buildPptx } from './pptx/pptx.ts'
import { drawCharts, type DrawOptions } from './render/chart.ts'
import { inlineFonts, printedFonts } from './render/deck-fonts.ts'
import { DEFAULT_HANDOUT, type HandoutPerPage, type PrintDocuments, printDocuments, printedPt, type RenderedSlides } from './render/print.ts'
import { buildView, type RenderDeck, renderView } from './render/render.ts'
import { compilePrintTemplates, compileTemplates, type PrintTemplates, readTemplates, TEMPLATE_DIR, type TemplateSources } from './render/templates.ts'
import { readTheme, type Theme, THEME_FILE } from './render/theme.ts'
import type { DeckView } from './render/view.ts'
import { wasInterrupted } from './shared/cleanup.ts'
import { DeckError, ExitCode } from './shared/errors.ts'
import { isInside, type OutputSet, readInput, stage, type Staging } from './shared/fs.ts'
import { log, reached, timed } from './shared/log.ts'
import { cacheDir } from './shared/packages.ts'
import { decodeText } from './shared/parse.ts'

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
  /** Also run axe-core on the HTML deck and every slide (slower; `check` does). */
  audit?: boolean | undefined
  /** Check only: nothing is written to the output folder. */
  dryRun?: boolean | undefined
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

/** What every brief of a build shares: compiled templates and the theme with its fonts. */
export interface Toolkit {
  sources: TemplateSources
  render: RenderDeck
  print: PrintTemplates
  theme: Theme
  themeFile: string
  marp: MarpSettings
}

export async function prepare(options: { templatesDir?: string; themeFile?: string } = {}): Promise<Toolkit> {
  const templatesDir = options.templatesDir ?? TEMPLATE_DIR
  const themeFile = options.themeFile ?? THEME_FILE
  const [sources, theme, marp] = await Promise.all([readTemplates(templatesDir), readTheme(themeFile), readMarpSettings(templatesDir)])
  return { sources, render: compileTemplates(sources), print: compilePrintTemplates(sources), theme, themeFile, marp }
}

/** The smallest text a slide may show when the theme does not say (`--size-caption`). */
const DEFAULT_MIN_FONT_PX = 16

/** A check found errors: nothing was written. The report says what and where. */
export class CheckFailed extends DeckError {
  readonly report: Report
  constructor(report: Report) {
    super(
      `${formatReport(report)}
Nothing was written; fix the errors above, or build anyway with --force.`,
      { exitCode: ExitCode.input },
    )
    this.report = report
  }
}

/** The source document for the provenance check: the one given, else the one the brief names (relative to the brief). */
async function sourceDocument(loaded: LoadedBrief, given: string | undefined): Promise<SourceDocument | undefined> {
  const file = given ?? sourceDocumentPath(loaded.brief, loaded.file)
  if (file === undefined) return undefined
  // A document the brief names must be in the brief's folder or below it: a brief from
  // someone else must not make the checks read, and tell about, /etc/shadow through ../.
  if (given === undefined && !(await isInside(dirname(loaded.file), file))) {
    const { line, col } = loaded.locate(['meta', 'source', 'document'])
    const message = "the source document must be in the brief's folder or below it; give one elsewhere with --source"
    throw new DeckError(`${loaded.file} names a source document outside its folder`, {
      problems: [{ file: loaded.file, line, col, path: 'meta.source.document', message }],
    })
  }
  const named = given === undefined ? ExitCode.input : ExitCode.usage
  const bytes = await readInput(file, 'the source document', MAX_SOURCE_BYTES, { exitCode: named, missing: named })
  return { file: displayPath(file), text: decodeText(bytes, file, 'the source document', named) }
}

/** A brief's source text is a few hundred kilobytes at most; more is not a brief's source. */
const MAX_SOURCE_BYTES = 16 * 1024 * 1024

/** The path of the source document the brief names (`meta.source.document`, relative to the brief), if it names one. */
export function sourceDocumentPath(brief: Brief, briefFile: string): string | undefined {
  const named = brief.meta.source.document
  return named === undefined ? undefined : join(dirname(briefFile), named)
}

/** The charts of a brief's chart slides, at the width of the brief's slide size. */
export async function drawBriefCharts(brief: Brief, theme: Theme, options: DrawOptions = { cacheDir: cacheDir('charts') }): Promise<Map<string, string>> {
  return drawCharts(brief, theme.tokens, slideSize(brief, theme).width, options)
}

/** The size of the brief's slides in CSS pixels, as the theme defines it (`@size 16:9 1280px 720px`). */
export function slideSize(brief: Brief, theme: Theme): { width: number; height: number } {
  const size = brief.meta.size ?? DEFAULT_SIZE
  const box = theme.sizes[size]
  if (!box)
    throw new DeckError(
      `The brief asks for ${size} slides, but the theme "${theme.name}" has no "@size ${size}" (it has: ${Object.keys(theme.sizes).join(', ') || 'none'})`,
    )
  return box
}

/**
 * The brief as one of its variants presents it. Lines still point into the whole file:
 * slide N of the variant is located where that slide is written.
 */
function variantOf(loaded: LoadedBrief, name: string): LoadedBrief {
  const variants = Object.keys(loaded.brief.variants ?? {})
  if (!variants.includes(name)) {
    const known = variants.length > 0 ? `its variants: ${variants.join(', ')}` : 'it defines no `variants`'
    throw new DeckError(`${loaded.file} has no variant "${name}" (${known})`, { exitCode: ExitCode.usage })
  }
  const brief = selectVariant(loaded.brief, name)
  const locate = (path: readonly (string | number)[]) => {
    if (path[0] !== 'slides' || typeof path[1] !== 'number') return loaded.locate(path)
    return loaded.locate(['slides', loaded.brief.slides.indexOf(brief.slides[path[1]] as Slide), ...path.slice(2)])
  }
  return { ...loaded, brief, locate }
}

/** The whole brief as a deck: `--variant full`, unless the brief defines a variant of that name. */
export const FULL_DECK = 'full'

/**
 * The decks a brief makes: the whole brief (the `full` deck, under the brief's own name),
 * then each of its variants. Unreadable briefs build (and fail) as one.
 */
export async function briefVariants(briefFile: string, only?: string): Promise<{ variants: (string | undefined)[]; read: LoadedBrief | undefined }> {
  const read = await openBrief(briefFile).catch(() => undefined)
  const names = Object.keys(read?.brief.variants ?? {})
  const variants = only === undefined ? [undefined, ...names] : only === FULL_DECK && !names.includes(FULL_DECK) ? [undefined] : [only]
  return { variants, read }
}

export function deckName(briefFile: string): string {
  return basename(briefFile, extname(briefFile))
}

/** Paths inside the working folder are shown relative to it, others in full. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel
}

/** Tells versions of a deck apart: everything its outputs are made from (the brief, templates, theme, Marp's settings, options). */
function deckVersion(brief: Brief, markdown: string, toolkit: Toolkit, options: Record<string, unknown>): string {
  const hash = createHash('sha256')
  for (const part of [
    JSON.stringify(brief),
    markdown,
    JSON.stringify(toolkit.sources),
    toolkit.theme.css,
    JSON.stringify(toolkit.marp),
    JSON.stringify(options),
  ])
    hash.update(part).update('\0')
  return hash.digest('hex').slice(0, 16)
}

/** One deck's build once its brief is read and checked: what each stage of the outputs works from. */
interface DeckJob {
  loaded: LoadedBrief
  view: DeckView
  markdown: string
  toolkit: Toolkit
  files: OutputFiles
  staging: Staging
  formats: ReadonlySet<Format>
  options: BuildOptions
  checks: CheckOptions
  /** Marp's worker: the build's, or one of the deck's own. */
  marp: () => MarpWorker
  minFontPx: number
  /** The options' defaults filled in. */
  handoutPerPage: HandoutPerPage
  imageScale: number
}

export async function buildBrief(briefFile: string, toolkit: Toolkit, options: BuildOptions): Promise<BuildResult> {
  const started = Date.now()
  const formats = options.formats ?? new Set(DEFAULT_FORMATS)
  const checks = options.checks ?? {}
  const whole = options.variant === undefined && options.read ? options.read : await openBrief(briefFile, { variant: options.variant })
  reached('brief read')
  const loaded = options.variant === undefined ? whole : variantOf(whole, options.variant)
  const { brief } = loaded
  const source = await sourceDocument(loaded, checks.sourceFile)
  const view = buildView(brief, { charts: await drawBriefCharts(brief, toolkit.theme) })
  const markdown = renderView(view, toolkit.render)
  reached('markdown made')
  const name = options.variant === undefined ? deckName(briefFile) : `${deckName(briefFile)}.${options.variant}`
  // The layout is measured on the page the PDF is printed from; a check loads that page without printing.
  // A deck too long for the browser: its browser outputs are refused before the browser works on
  // it; a check goes without the layout measures.
  const tooLong = view.slides.length > MAX_BROWSER_SLIDES
  if (tooLong && needsBrowser(formats) && checks.dryRun !== true) throw tooManyForBrowser(view.slides.length, formats)
  const measuring = !tooLong && (needsBrowser(formats) || checks.dryRun === true)
  if (measuring && !options.browser) throw new DeckError('a browser session is needed for PDF, pictures and the layout checks', { exitCode: ExitCode.internal })
  const findings: Finding[] = [
    ...provenanceFindings(whole, source), // data-level checks see the whole brief, whichever slides a variant shows
    ...consistencyFindings(whole, toolkit.sources),
    ...glyphFindings(loaded),
    ...themeFindings(toolkit.theme, toolkit.themeFile),
  ]
  const skipped: string[] = []
  if (!source) skipped.push('provenance not verified: no source document to find the evidence in (give --source FILE, or meta.source.document)')
  if (!measuring)
    skipped.push(
      tooLong
        ? `layout not measured: the deck has ${view.slides.length} slides, more than the ${MAX_BROWSER_SLIDES} a browser lays out`
        : 'layout not measured: no PDF or images asked for',
    )

  // Errors found in the data alone stop a build before any work on the outputs.
  const early = makeReport(displayPath(briefFile), withoutSilenced(findings, brief, view), source?.file, [])
  if (early.errors > 0 && !checks.force && !checks.dryRun)
    throw new CheckFailed({ ...early, skipped: ['layout not measured: the errors above stopped the build first'] })

  const staging = await stage(options.outDir)
  let ownWorker: MarpWorker | undefined
  const minFontPx = Number.parseFloat(toolkit.theme.tokens['size-caption'] ?? '') || DEFAULT_MIN_FONT_PX
  const files = outputFiles(name, toolkit.theme.name)
  const marp = () => options.marp ?? (ownWorker ??= new MarpWorker({ html: formats.has('html') || formats.has('audience') }))
  const handoutPerPage = options.handoutPerPage ?? DEFAULT_HANDOUT
  const imageScale = options.imageScale ?? 1
  const job: DeckJob = { loaded, view, markdown, toolkit, files, staging, formats, options, checks, marp, minFontPx, handoutPerPage, imageScale }
  try {
    const browser = measuring ? options.browser?.get() : undefined
    const made = await makeOutputs(job, browser)
    findings.push(...(await builtFindings(job, made, browser, skipped)))
    const report = makeReport(displayPath(briefFile), withoutSilenced(findings, brief, view), source?.file, skipped)
    const result = {
      brief: briefFile,
      name,
      slides: view.slides.length,
      warnings: made.pptx.warnings,
      report,
      removed: [],
      ...(made.html === undefined ? {} : { html: made.html }),
    }
    if (checks.dryRun) return { ...result, outputs: [] }
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
  const mdPath = await job.staging.write(job.files.md, job.markdown)
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
async function htmlDecks({ formats, files, staging, toolkit, loaded, markdown, marp, checks, options }: DeckJob, mdPath: string, themePath: string) {
  const names: string[] = formats.has('md') ? [files.md] : []
  let html: string | undefined
  if (formats.has('html') || formats.has('audience')) {
    const keywords = loaded.brief.meta.keywords ?? []
    // The theme's CSS too: a `content: '…'` of its own is drawn in its fonts.
    const headCss = await inlineFonts(toolkit.theme.fonts, markdown + toolkit.theme.css)
    const [deck] = await marp().html({ settings: toolkit.marp, inputs: [mdPath], themeFile: themePath, headCss, keywords })
    if (formats.has('html')) {
      html = deck?.text
      names.push(files.html)
    }
    // The audience copy is the same deck without its notes: one conversion makes both.
    if (formats.has('audience')) {
      await staging.write(files.audience, withoutNotes(deck?.text ?? ''))
      names.push(files.audience)
    }
  }
  if (names.length > 0 && !checks.dryRun) options.onProgress?.(`${names.join(', ')} ready`)
  return { names, html }
}

/** What Chromium makes, at the same time: it works in its own processes while Marp works in its thread. */
async function printed(job: DeckJob, browser: Promise<Browser> | undefined, abandon: AbortSignal): Promise<ExportResult> {
  if (!browser) return { names: [], print: {} }
  const { loaded, view, markdown, toolkit, staging, files, formats, options, checks, marp, minFontPx, imageScale } = job
  const brief = loaded.brief
  const rendered = await timed('marp core', marp().slides(markdown, toolkit.theme, toolkit.marp))
  const docs = await printPages(job, rendered)
  const outputs = checks.dryRun ? new Set<Format>() : formats
  const task = { brief, view, docs, staging, files, formats: outputs, browser, imageScale, onProgress: options.onProgress, stepBounds: options.stepBounds }
  const checking = checks.dryRun === true
  return exportWithBrowser({ ...task, measure: { minFontPx }, audit: isAudit(job), measurePrint: checking, readFonts: checking, abandon })
}

/** The printed pages, with faces cut for the characters they show that the theme's subsets lack: the handout's text as well as the slides'. */
async function printPages({ loaded, view, toolkit, handoutPerPage }: DeckJob, rendered: RenderedSlides): Promise<PrintDocuments> {
  const make = (fonts: string) => printDocuments(loaded.brief, view, rendered, toolkit.print, { handoutPerPage, fonts, tokens: toolkit.theme.tokens })
  const first = make(toolkit.theme.fonts.files)
  const fonts = await printedFonts(toolkit.theme.fonts, first.slides + first.handout + first.notes)
  return fonts === toolkit.theme.fonts.files ? first : make(fonts)
}

/** Whether the HTML deck is audited with axe-core (`check` asks for it). */
const isAudit = (job: DeckJob) => job.checks.audit === true && job.formats.has('html')

/** The editable PowerPoint, drawn from the view: no browser, no Marp. */
async function editablePptx({ formats, checks, view, loaded, toolkit, staging, files, options }: DeckJob): Promise<{ names: string[]; warnings: string[] }> {
  if (!formats.has('pptx') || checks.dryRun) return { names: [], warnings: [] }
  const brief = loaded.brief
  const info = { ...documentInfo(view, brief.meta), language: brief.meta.language, size: slideSize(brief, toolkit.theme) }
  // Drawn slide by slide, letting the browser's work and a Ctrl-C in between: a long deck takes a second or two.
  const between = async () => {
    await new Promise((resolve) => setImmediate(resolve))
    if (wasInterrupted()) throw new DeckError('interrupted', { exitCode: ExitCode.interrupted })
  }
  const made = await buildPptx(view, toolkit.theme.tokens, info, between)
  await staging.write(files.pptx, made.pptx)
  options.onProgress?.(`${files.pptx} ready`)
  return { names: [files.pptx], warnings: made.warnings }
}

/** What the outputs' measurements found: the slides' layout, the printed pages, and axe-core's audit. */
async function builtFindings(job: DeckJob, outputs: { printed: ExportResult }, browser: Promise<Browser> | undefined, skipped: string[]): Promise<Finding[]> {
  const { loaded, view, toolkit, files, staging, options, minFontPx, handoutPerPage } = job
  const made = outputs.printed
  log.debug('check', 'measures: %j', made.measures)
  log.debug('check', 'printed pages: %j', made.print)
  const findings = made.measures ? measureFindings(loaded, view, made.measures, minFontPx) : []
  if (made.fonts) findings.push(...fontFindings(loaded, view, made.fonts, toolkit.theme.fonts.families))
  // Small slide text is a choice with --handout 3 (said once, below); the notes page prints slides as large as the default handout.
  const { handoutScale } = made
  const bodyPx = Number.parseFloat(toolkit.theme.tokens['size-text'] ?? '')
  const onPaper = (['handout', 'notes'] as const).flatMap((kind) => {
    const measured = made.print[kind]
    if (!measured) return []
    const counts = kind === 'notes' || handoutPerPage === DEFAULT_HANDOUT
    return printFindings(loaded, view, kind, measured, {
      smallTextCounts: counts,
      bodyPt: kind === 'handout' && bodyPx && handoutScale ? printedPt(bodyPx, handoutScale) : undefined,
    })
  })
  // The same small text on a slide is said once, for the handout, not again for the notes PDF.
  const smallIn = new Set(onPaper.filter((f) => f.code === 'small-text' && f.output === 'handout').map((f) => f.slide?.number))
  findings.push(...onPaper.filter((f) => !(f.code === 'small-text' && f.output === 'notes' && smallIn.has(f.slide?.number))))
  if (made.print.handout && handoutPerPage !== DEFAULT_HANDOUT)
    skipped.push(printedSizeNote(handoutPerPage, toolkit.theme.tokens, slideSize(loaded.brief, toolkit.theme)))
  if (isAudit(job) && browser) {
    const violations = [...(made.violations ?? []), ...(await auditHtml(await browser, join(staging.dir, files.html), view.slides.length, options.stepBounds))]
    findings.push(...axeFindings(loaded, view, uniqueViolations(violations), files.html))
  }
  return findings
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
