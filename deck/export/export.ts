// Everything Chromium makes, from one browser: the slide PDF and images from one
// page, the handout and the notes from two more, all three pages at once; then
// pdf-lib finishes the PDFs and pptxgenjs wraps the images into PowerPoint.
import { pathToFileURL } from 'node:url'

import type { Browser, Page } from 'puppeteer-core'

import type { Brief } from '../brief/schema.ts'
import { auditPage, type AxeViolation, measurePrintedPages, measureSlides, type PrintMeasure, type SlideMeasure } from '../measure/measure.ts'
import { type PdfFont, pdfPageFonts } from '../measure/pdf-fonts.ts'
import { buildPicturePptx } from '../pptx/images.ts'
import { notesPane } from '../pptx/pptx.ts'
import { PAGE, PRINT_TYPE, type PrintDocuments } from '../render/print.ts'
import { slideAltText } from '../render/render.ts'
import { type DeckView } from '../render/view.ts'
import { sideBundleText } from '../shared/bundles.ts'
import { DeckError, errorMessage, ExitCode } from '../shared/errors.ts'
import type { Staging } from '../shared/fs.ts'
import { timed } from '../shared/log.ts'
import { loadPdfLib } from '../shared/pdf-lib.ts'
import { describeBrowser } from './browser.ts'
import { type Format, type OutputFiles, PICTURE_PPTX_SCALE } from './outputs.ts'
import { type PageSource, withPage } from './pages.ts'
import { documentInfo, finishPdf } from './pdf.ts'
import type {} from './print.client.ts'
import { type StepBounds, type Stepper, stepper } from './steps.ts'

/** The printed pages, written to files (file: pages may load the font files they name), with their HTML (a kept page takes it in place). */
export interface PrintPages {
  slides: PageSource
  handout: PageSource
  notes: PageSource
  size: { width: number; height: number }
}

export interface BrowserWork {
  pdf: boolean
  handout: boolean
  notes: boolean
  /** The slide images to take, by their device pixels per CSS pixel (the PNGs', the picture PowerPoint's). */
  imageScales: readonly number[]
  /** Measure every slide's layout (for the checks), with the smallest text size the theme allows. */
  measure?: { minFontPx: number } | undefined
  /** Run axe-core on the slides page too. */
  audit?: boolean | undefined
  /** Load and measure the handout and notes pages even where they are not printed (a check). */
  measurePrint?: boolean | undefined
}

export interface BrowserOutputs {
  measures?: SlideMeasure[]
  violations?: AxeViolation[]
  /** The slide images, by scale. */
  images: Map<number, Uint8Array[]>
  /** The print check of the handout and the notes pages. */
  print: { handout?: PrintMeasure; notes?: PrintMeasure }
}

/**
 * Text too long for its slot is set smaller, down to the smallest size its page allows
 * (`PRINT_TYPE`); what still does not fit is reported by the print check, never cut off in silence.
 */
async function fitText(page: Page, smallest: number): Promise<void> {
  await page.evaluate((smallestShare) => {
    for (const el of document.querySelectorAll<HTMLElement>('.p-text')) {
      const full = Number.parseFloat(getComputedStyle(el).fontSize)
      let size = full
      const smallest = full * smallestShare
      while (el.scrollHeight > el.clientHeight + 1 && size > smallest) {
        size = Math.max(size - 0.25, smallest)
        el.style.fontSize = `${size}px`
      }
    }
  }, smallest)
}

/** The printed pages' header and footer lines, fitted to their room (print.client.ts). */
async function fitLines(page: Page): Promise<void> {
  // Evaluated through the browser's own channel: the pages' Content-Security-Policy refuses scripts.
  if (!(await page.evaluate(() => window.deckPrint !== undefined))) await page.evaluate(await sideBundleText('print.client'))
  await page.evaluate(() => (window.deckPrint as NonNullable<Window['deckPrint']>).fitLines())
}

type PdfKind = 'pdf' | 'handout' | 'notes'

/** The printed page (A4) in CSS pixels, 96 to the inch: the viewport of the printed pages. */
const PAGE_CSS_PX = { width: Math.round((PAGE.width / 25.4) * 96), height: Math.round((PAGE.height / 25.4) * 96) }

/**
 * Prints what `work` asks for, the three pages at once. Each PDF goes to `finish` as
 * soon as its page's work is done, so pdf-lib works on the slides while Chromium still
 * prints the handout. Every page's work ends (or runs out of time) before this returns
 * or fails, so nothing is written after the build has given up; the failure reported is
 * the first in time, and `failed` hears of it at once (to stop the other pages' steps).
 */
export async function printWithBrowser(
  browser: Browser,
  steps: Stepper,
  docs: PrintPages,
  work: BrowserWork,
  finish: (kind: PdfKind, pdf: Uint8Array) => Promise<void>,
  failed?: (err: unknown) => void,
): Promise<BrowserOutputs> {
  const { width, height } = docs.size
  const outputs: BrowserOutputs = { print: {}, images: new Map() }
  const jobs: Promise<void>[] = []
  const failures: unknown[] = []
  const job = (work: Promise<void>) =>
    jobs.push(
      work.catch((err: unknown) => {
        failures.push(err)
        failed?.(err)
      }),
    )
  const print = (page: Page, options: Parameters<Page['pdf']>[0]) => page.pdf({ printBackground: true, tagged: true, timeout: 0, ...options })
  const [firstScale, ...otherScales] = work.imageScales
  const images = firstScale !== undefined

  if (work.pdf || images || work.measure || work.audit) {
    const viewport = { width, height, deviceScaleFactor: firstScale ?? 1 }
    const slides = withPage(browser, steps, docs.slides, { viewport, window: images }, async (page) => {
      // Measured on the page the PDF is printed from: the checks cost no page of their own.
      if (work.measure)
        outputs.measures = await steps.run({ name: 'measuring the slides' }, timed('layout measured', measureSlides(page, work.measure.minFontPx)))
      const pdf = work.pdf
        ? await steps.run(
            { name: 'printing the slide PDF', outputs: ['pdf'] },
            timed('slides pdf', print(page, { width: `${width}px`, height: `${height}px` })),
          )
        : undefined
      for (const scale of work.imageScales) {
        if (scale !== firstScale)
          await steps.run(
            { name: 'setting up the slides page for images', weight: 0, outputs: ['png', 'pptx-images'] },
            page.setViewport({ ...viewport, deviceScaleFactor: scale }),
          )
        const taken = await steps.run(
          { name: 'taking the slide images', weight: 2 * scale ** 2, outputs: ['png', 'pptx-images'] },
          timed(`slide images at ${scale}x`, slideImages(page, width, height)),
        )
        outputs.images.set(scale, taken)
      }
      if (otherScales.length > 0) await steps.run({ name: 'setting up the slides page for images', weight: 0 }, page.setViewport(viewport))
      if (work.audit)
        outputs.violations = await steps.run({ name: 'auditing the slides with axe-core', weight: 4 }, timed('axe on the slides', auditPage(page)))
      return pdf
    })
    job(slides.then((pdf) => (pdf ? finish('pdf', pdf) : undefined)))
  }
  for (const kind of ['handout', 'notes'] as const) {
    if (!work[kind] && !work.measurePrint) continue
    const printed = withPage(browser, steps, docs[kind], { viewport: PAGE_CSS_PX, outputs: [kind] }, async (page) => {
      // Fitted and measured as laid out for print, in the pass that prints it.
      const media = { name: `setting up the ${kind} page for print`, weight: 0, outputs: [kind] }
      await steps.run(media, page.emulateMediaType('print'))
      await steps.run({ name: `fitting the text of the ${kind}`, outputs: [kind] }, fitText(page, PRINT_TYPE[kind].min / PRINT_TYPE[kind].size))
      await steps.run({ name: `fitting the header and footer of the ${kind}`, outputs: [kind] }, fitLines(page))
      outputs.print[kind] = await steps.run(
        { name: `checking the printed pages of the ${kind}`, outputs: [kind] },
        timed(`${kind} measured`, measurePrintedPages(page)),
      )
      const pdf = work[kind]
        ? await steps.run({ name: `printing the ${kind}`, outputs: [kind] }, timed(`${kind} pdf`, print(page, { preferCSSPageSize: true })))
        : undefined
      await steps.run(media, page.emulateMediaType()) // the page may be kept for the next build's slides
      return pdf
    })
    job(printed.then((pdf) => (pdf ? finish(kind, pdf) : undefined)))
  }
  await Promise.all(jobs)
  if (failures.length > 0) throw failures[0]
  return outputs
}

/** One PNG per slide: the slides page is a column of slides, each exactly one viewport tall. */
async function slideImages(page: Page, width: number, height: number): Promise<Uint8Array[]> {
  const count = await page.$$eval('.marpit > svg', (svgs) => svgs.length)
  const images: Uint8Array[] = []
  for (let i = 0; i < count; i += 1) {
    // Each slide is brought into the viewport and captured there, one after another.
    await page.evaluate((y) => window.scrollTo(0, y), i * height)
    images.push(await page.screenshot({ type: 'png', clip: { x: 0, y: i * height, width, height }, captureBeyondViewport: false, optimizeForSpeed: true }))
  }
  return images
}

export interface BrowserJob {
  brief: Brief
  view: DeckView
  docs: PrintDocuments
  staging: Staging
  files: OutputFiles
  formats: ReadonlySet<Format>
  browser: Promise<Browser>
  imageScale: number
  onProgress?: ((message: string) => void) | undefined
  measure?: { minFontPx: number } | undefined
  audit?: boolean | undefined
  /** Check the printed pages of the handout and notes even when they are not asked for. */
  measurePrint?: boolean | undefined
  /** Print the three PDFs, whether asked for or not, and read the fonts each page draws with (a check). */
  readFonts?: boolean | undefined
  /** How long each browser step may take (the default suits every deck; tests make it short). */
  stepBounds?: StepBounds | undefined
  /** Aborted when the build gives up on the deck (another output failed): the browser's step under way fails at once, and every later one. */
  abandon?: AbortSignal | undefined
}

export interface ExportResult {
  /** Staged file names, to be committed. */
  names: string[]
  measures?: SlideMeasure[] | undefined
  violations?: AxeViolation[] | undefined
  print: BrowserOutputs['print']
  /** The scale the handout printed its slide pictures at. */
  handoutScale?: number | undefined
  /** The fonts each page of each PDF draws with, when the job asked to read them. */
  fonts?: Partial<Record<PdfKind, PdfFont[][]>> | undefined
}

/** The screen the HTML deck is audited on: a laptop's, as a reader would open the deck. */
const AUDIT_SCREEN = { width: 1280, height: 720 }

/** Runs axe-core on the HTML deck as a browser shows it. */
export async function auditHtml(browser: Browser, file: string, slides: number, bounds?: StepBounds): Promise<AxeViolation[]> {
  const steps = stepper(browser, slides, new Set(), bounds)
  // The deck's Content-Security-Policy would refuse axe-core's script: this page alone is let past it.
  const options = { viewport: AUDIT_SCREEN, bypassCsp: true }
  return withPage(browser, steps, { url: pathToFileURL(file).href }, options, (page) =>
    steps.run({ name: 'auditing the HTML deck with axe-core', weight: 4 }, timed('axe on the HTML deck', auditPage(page))),
  )
}

/** Prints, finishes and stages every browser-made output the formats ask for. */
export async function exportWithBrowser(job: BrowserJob): Promise<ExportResult> {
  const { brief, view, docs, staging, files, formats } = job
  const pdfOrder = [files.pdf, files.handout, files.notes]
  const page = async (name: 'slides' | 'handout' | 'notes', html: string, wanted: boolean): Promise<PageSource> =>
    wanted ? { url: pathToFileURL(await staging.write(`print/${name}.html`, html)).href, html } : { url: '' }
  const imageScales = [
    ...new Set([...(formats.has('png') ? [job.imageScale] : []), ...(formats.has('pptx-images') ? [Math.max(PICTURE_PPTX_SCALE, job.imageScale)] : [])]),
  ]
  const reading = job.readFonts === true
  const wants = { pdf: formats.has('pdf') || reading, handout: formats.has('handout') || reading, notes: formats.has('notes') || reading, imageScales }
  const pages = {
    slides: await page('slides', docs.slides, wants.pdf || imageScales.length > 0 || job.measure !== undefined || job.audit === true),
    handout: await page('handout', docs.handout, wants.handout || job.measurePrint === true),
    notes: await page('notes', docs.notes, wants.notes || job.measurePrint === true),
    size: docs.size,
  }
  const browser = await timed('waiting for the browser', job.browser)
  const m = brief.meta
  const info = documentInfo(view, m)
  // A bookmark per slide, to the page it is printed on: its own page in the slide PDF and the notes, its sheet in the handout.
  const perPage = docs.handoutGeometry.perPage
  const outlines = {
    pdf: view.slides.map((s, i) => ({ title: s.outline, page: i })),
    notes: view.slides.map((s, i) => ({ title: s.outline, page: i })),
    handout: view.slides.map((s, i) => ({ title: s.outline, page: Math.floor(i / perPage) })),
  }
  const names: string[] = []
  const fonts: ExportResult['fonts'] = reading ? {} : undefined
  const finish = async (kind: PdfKind, pdf: Uint8Array) => {
    if (fonts) fonts[kind] = await timed(`${kind} fonts read`, pdfPageFonts(pdf))
    if (!formats.has(kind)) return
    await staging.write(files[kind], await timed(`${kind} metadata`, finishPdf(pdf, { ...info, outline: outlines[kind] })))
    names.push(files[kind])
    job.onProgress?.(`${files[kind]} printed`)
  }
  let made: BrowserOutputs
  try {
    // The first page that fails fails the others' steps at once: the deck fails now, not when the slowest gives up.
    const pageFailed = new AbortController()
    const steps = stepper(browser, view.slides.length, formats, job.stepBounds, AbortSignal.any([pageFailed.signal, ...(job.abandon ? [job.abandon] : [])]))
    const work = { ...wants, measure: job.measure, audit: job.audit, measurePrint: job.measurePrint }
    const printing = printWithBrowser(browser, steps, pages, work, finish, (err) => pageFailed.abort(err))
    if (wants.pdf || wants.handout || wants.notes) loadPdfLib() // while Chromium loads the pages
    made = await printing
  } catch (cause) {
    if (cause instanceof DeckError) throw cause
    // Timeouts, a crashed page, a closed target: the machine's browser failed, not the brief.
    throw new DeckError(`${describeBrowser(browser)} failed while printing: ${errorMessage(cause)}`, { exitCode: ExitCode.environment, cause })
  }
  names.sort((a, b) => pdfOrder.indexOf(a) - pdfOrder.indexOf(b))

  const pngs = made.images.get(job.imageScale) ?? []
  if (made.images.size > 0) job.onProgress?.(`${view.slides.length} slide images made`)
  const pictures = made.images.get(Math.max(PICTURE_PPTX_SCALE, job.imageScale))
  if (formats.has('pptx-images') && pictures) {
    const slides = pictures.map((png, i) => {
      const slide = view.slides[i]
      const notes = slide?.notesText
      return { png, title: slide?.outline ?? '', alt: slide ? slideAltText(slide, view.meta) : '', notes: notes === undefined ? undefined : notesPane(notes) }
    })
    const pptxInfo = { ...info, language: m.language, size: docs.size }
    await staging.write(files.pptxImages, await timed('picture pptx', buildPicturePptx(slides, pptxInfo)))
    names.push(files.pptxImages)
  }
  if (formats.has('png') && pngs[0]) {
    for (const [i, png] of pngs.entries()) await staging.write(`${files.slides}/${String(i + 1).padStart(3, '0')}.png`, png)
    await staging.write(files.cover, pngs[0])
    names.push(files.cover, files.slides)
  }
  return { names, measures: made.measures, violations: made.violations, print: made.print, handoutScale: docs.handoutGeometry.scale, fonts }
}
