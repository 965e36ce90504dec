// Everything Chromium makes, from one browser: the slide PDF and images from one
// page, the handout and the notes from two more, all three pages at once; then
// pdf-lib finishes the PDFs and pptxgenjs wraps the images into PowerPoint.
import { basename } from 'node:path'
import { pathToFileURL } from 'node:url'

import type { Browser, Page } from 'puppeteer-core'

import type { Brief } from '../brief/schema.ts'
import { auditPage, type AxeViolation, measurePrintedPages, measureSlides, type PrintMeasure, type SlideMeasure } from '../check/measure.ts'
import { buildPicturePptx } from '../pptx/images.ts'
import { notesPane } from '../pptx/pptx.ts'
import { slideAltText } from '../render/render.ts'
import { type DeckView } from '../render/view.ts'
import { interruption } from '../shared/cleanup.ts'
import { DeckError, errorMessage, ExitCode } from '../shared/errors.ts'
import type { Staging } from '../shared/fs.ts'
import { reached, timed } from '../shared/log.ts'
import { describeBrowser } from './browser.ts'
import { BROWSER_FORMATS, type Format, type OutputFiles, PICTURE_PPTX_SCALE } from './outputs.ts'
import { documentInfo, finishPdf, loadPdfLib } from './pdf.ts'
import { PAGE, PRINT_TYPE, type PrintDocuments } from './print.ts'

/** The printed pages, written to files so that they can load the font files beside them. */
export interface PrintPages {
  slides: string
  handout: string
  notes: string
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

/**
 * How long one browser step may take: a few seconds, plus an allowance for each slide it
 * works on (a 500-slide deck still builds). A step that takes longer has hung: it fails
 * its deck with a message that names the step and the browser, instead of waiting on.
 */
export interface StepBounds {
  baseMs: number
  perSlideMs: number
}

export const STEP_BOUNDS: StepBounds = { baseMs: 20_000, perSlideMs: 200 }

/** One step of the browser's work: what it is called in messages, its share of work per slide, and the outputs that need it. */
interface Step {
  name: string
  /** Allowances per slide (a slide image at scale 2 is four times the pixels). */
  weight?: number
  /** The formats that cannot be made without this step; none means every browser output needs it. */
  outputs?: readonly Format[]
}

/** A browser step ran past its bound. */
export class StepTimeout extends DeckError {}

/** Runs browser steps within their bounds, and names the step and the browser when one is exceeded. */
export interface Stepper {
  run<T>(step: Step, work: Promise<T>): Promise<T>
}

export function stepper(browser: Browser, slides: number, formats: ReadonlySet<Format>, bounds: StepBounds = STEP_BOUNDS): Stepper {
  const boundOf = (step: Step) => bounds.baseMs + bounds.perSlideMs * slides * (step.weight ?? 1)
  return {
    async run(step, work) {
      const ms = boundOf(step)
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StepTimeout(timeoutMessage(browser, step, ms, slides, formats), { exitCode: ExitCode.environment })), ms)
      })
      work.catch(() => undefined) // still pending when its bound ran out: its failure later is no news
      try {
        // Ctrl-C closes the browser: a step waiting on it fails at once, and the build reports.
        return await Promise.race([work, timeout, interruption()])
      } finally {
        clearTimeout(timer)
      }
    },
  }
}

function timeoutMessage(browser: Browser, step: Step, ms: number, slides: number, formats: ReadonlySet<Format>): string {
  const seconds = `${Math.round(ms / 1000)} s`
  const others = step.outputs ? BROWSER_FORMATS.filter((f) => formats.has(f) && !step.outputs?.includes(f)) : []
  const without = [...formats].filter((f) => !step.outputs?.includes(f))
  const ways = [`use another browser: --browser-path /path/to/chrome (or CHROME_PATH)`]
  if (step.outputs && without.length > 0) ways.push(`build without ${step.outputs.filter((f) => formats.has(f)).join(' and ')}: --format ${without.join(',')}`)
  return [
    `${describeBrowser(browser)} did not finish ${step.name} within ${seconds} (the time allowed for ${slides} slides), so this deck was not built.`,
    others.length > 0 ? `The other browser outputs (${others.join(', ')}) were not affected by this step.` : '',
    `Ways out: ${ways.join('; or ')}.`,
  ]
    .filter(Boolean)
    .join('\n')
}

/**
 * Pages that finished their work, kept open for the next build in the same browser (the
 * dev server's warm browser): opening a page starts a renderer, which takes longer than
 * loading a page into one that runs. Tabs and windows are kept apart.
 */
const idlePages = new WeakMap<Browser, { tab: Page[]; window: Page[] }>()

interface PageOptions {
  viewport: { width: number; height: number; deviceScaleFactor?: number }
  /** Let the page past its Content-Security-Policy (to run axe-core in it). */
  bypassCsp?: boolean
  /** The outputs made on this page; none: every browser output needs it. */
  outputs?: readonly Format[]
  /**
   * A page whose pixels are captured gets a window of its own: a tab behind another tab
   * draws no frames, and a screenshot of it waits for one that never comes (Chromium 156).
   * Pages that only print open as background tabs, so they never cover it.
   */
  window?: boolean
}

/** A new page; one that opens only after its step ran out of time is closed when it comes. */
async function openPage(browser: Browser, steps: Stepper, step: Step, window: boolean): Promise<Page> {
  const opening = browser.newPage(window ? { type: 'window' } : { background: true })
  return steps.run(step, opening).catch((err: unknown) => {
    void opening.then((late) => late.close()).catch(() => undefined)
    throw err
  })
}

async function withPage<T>(browser: Browser, steps: Stepper, url: string, options: PageOptions, work: (page: Page) => Promise<T>): Promise<T> {
  const idle = idlePages.get(browser) ?? { tab: [], window: [] }
  idlePages.set(browser, idle)
  const kind = options.window ? 'window' : 'tab'
  const name = basename(url, '.html')
  const page =
    idle[kind].pop() ??
    (await openPage(browser, steps, { name: `opening a ${kind} for the ${name} page`, weight: 0, outputs: options.outputs }, options.window === true))
  let reusable = false
  try {
    page.setDefaultTimeout(0) // every call on the page runs inside a step, with the step's bound
    const setUp = { name: `setting up the ${name} page`, weight: 0, outputs: options.outputs }
    await steps.run(setUp, page.setBypassCSP(options.bypassCsp ?? false))
    await steps.run(setUp, page.setViewport(options.viewport))
    await steps.run({ name: `loading the ${name} page`, outputs: options.outputs }, page.goto(url, { waitUntil: 'load' }))
    reached(`${basename(url)} loaded`)
    await steps.run({ name: `loading the fonts of the ${name} page`, outputs: options.outputs }, loadFontsFor(page))
    reached(`${basename(url)} fonts loaded`)
    const result = await work(page)
    reusable = true
    return result
  } finally {
    // A page whose work failed may be in any state, or hung: it is closed (without waiting on it), not kept.
    if (reusable && !page.isClosed()) idle[kind].push(page)
    else await Promise.race([page.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2000).unref())])
  }
}

/**
 * Loads every font face the page's text needs, and waits for them: a face needed only for a
 * rare sign (č in a name) may not have started loading when the page fires "load", and a PDF
 * printed before it arrives draws that sign in a system font. Faces for characters the page
 * never uses (Cyrillic in an English deck) stay unloaded. A face that fails to load is left
 * to the fallback, as a browser would.
 */
export async function loadFontsFor(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const text = document.body.textContent ?? ''
    // FontFace.family is the bare name; a font shorthand needs it quoted ("Source Sans 3" ends in a digit).
    const fonts = new Set([...document.fonts].map((face) => `${face.style} ${face.weight} 16px "${face.family.replace(/["\\]/g, '\\$&')}"`))
    await Promise.all(
      [...fonts].map((font) =>
        document.fonts.load(font, text).catch((err: unknown) => (err instanceof DOMException && err.name === 'NetworkError' ? [] : Promise.reject(err))),
      ),
    )
    await document.fonts.ready
  })
}

type PdfKind = 'pdf' | 'handout' | 'notes'

/** The printed page (A4) in CSS pixels, 96 to the inch: the viewport of the printed pages. */
const PAGE_CSS_PX = { width: Math.round((PAGE.width / 25.4) * 96), height: Math.round((PAGE.height / 25.4) * 96) }

/**
 * Prints what `work` asks for, the three pages at once. Each PDF goes to `finish` as
 * soon as its page's work is done, so pdf-lib works on the slides while Chromium still
 * prints the handout. Every page's work ends (or runs out of time) before this returns
 * or fails, so nothing is written after the build has given up; the failure reported is
 * the first in time.
 */
export async function printWithBrowser(
  browser: Browser,
  steps: Stepper,
  docs: PrintPages,
  work: BrowserWork,
  finish: (kind: PdfKind, pdf: Uint8Array) => Promise<void>,
): Promise<BrowserOutputs> {
  const { width, height } = docs.size
  const outputs: BrowserOutputs = { print: {}, images: new Map() }
  const jobs: Promise<void>[] = []
  const failures: unknown[] = []
  const job = (work: Promise<void>) =>
    jobs.push(
      work.catch((err: unknown) => {
        failures.push(err)
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
  /** How long each browser step may take (the default suits every deck; tests make it short). */
  stepBounds?: StepBounds | undefined
}

export interface ExportResult {
  /** Staged file names, to be committed. */
  names: string[]
  measures?: SlideMeasure[] | undefined
  violations?: AxeViolation[] | undefined
  print: BrowserOutputs['print']
  /** The scale the handout printed its slide pictures at. */
  handoutScale?: number | undefined
}

/** The screen the HTML deck is audited on: a laptop's, as a reader would open the deck. */
const AUDIT_SCREEN = { width: 1280, height: 720 }

/** Runs axe-core on the HTML deck as a browser shows it. */
export async function auditHtml(browser: Browser, file: string, slides: number, bounds?: StepBounds): Promise<AxeViolation[]> {
  const steps = stepper(browser, slides, new Set(), bounds)
  // The deck's Content-Security-Policy would refuse axe-core's script: this page alone is let past it.
  const options = { viewport: AUDIT_SCREEN, bypassCsp: true }
  return withPage(browser, steps, pathToFileURL(file).href, options, (page) =>
    steps.run({ name: 'auditing the HTML deck with axe-core', weight: 4 }, timed('axe on the HTML deck', auditPage(page))),
  )
}

/** Prints, finishes and stages every browser-made output the formats ask for. */
export async function exportWithBrowser(job: BrowserJob): Promise<ExportResult> {
  const { brief, view, docs, staging, files, formats } = job
  const pdfOrder = [files.pdf, files.handout, files.notes]
  const page = async (name: 'slides' | 'handout' | 'notes', html: string, wanted: boolean) =>
    wanted ? pathToFileURL(await staging.write(`print/${name}.html`, html)).href : ''
  const imageScales = [
    ...new Set([...(formats.has('png') ? [job.imageScale] : []), ...(formats.has('pptx-images') ? [Math.max(PICTURE_PPTX_SCALE, job.imageScale)] : [])]),
  ]
  const wants = { pdf: formats.has('pdf'), handout: formats.has('handout'), notes: formats.has('notes'), imageScales }
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
  const finish = async (kind: PdfKind, pdf: Uint8Array) => {
    await staging.write(files[kind], await timed(`${kind} metadata`, finishPdf(pdf, { ...info, outline: outlines[kind] })))
    names.push(files[kind])
    job.onProgress?.(`${files[kind]} printed`)
  }
  let made: BrowserOutputs
  try {
    const steps = stepper(browser, view.slides.length, formats, job.stepBounds)
    const printing = printWithBrowser(browser, steps, pages, { ...wants, measure: job.measure, audit: job.audit, measurePrint: job.measurePrint }, finish)
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
  return { names, measures: made.measures, violations: made.violations, print: made.print, handoutScale: docs.handoutGeometry.scale }
}
