// Everything Chromium makes, from one browser: the slide PDF and images from one
// page, the handout and the notes from two more, all three pages at once; then
// pdf-lib finishes the PDFs and pptxgenjs wraps the images into PowerPoint.
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'puppeteer-core'
import type { Format, OutputFiles } from './outputs.ts'
import type { Staging } from './fs.ts'
import { DeckError, ExitCode } from './errors.ts'
import { timed } from './log.ts'
import { buildDate, finishPdf, type PdfInfo } from './pdf.ts'
import { buildPptx } from './pptx.ts'
import type { PrintDocuments } from './print.ts'
import type { DeckView } from './render.ts'
import type { Brief } from './schema.ts'
import { noteParagraphs } from './text.ts'
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
  images: boolean
  /** Device pixels per CSS pixel for the slide images. */
  imageScale: number
}

export interface BrowserOutputs {
  pdf?: Uint8Array
  handout?: Uint8Array
  notes?: Uint8Array
  images?: Uint8Array[]
  /** Slides whose notes did not fit their space even in smaller type, by printed page. */
  overflowing: { handout: number[]; notes: number[] }
}

/**
 * Notes too long for their space are set smaller, down to this share of their size;
 * what still does not fit is reported, never cut off in silence.
 */
const SMALLEST_NOTES = 0.75

/** Shrinks each `.p-notes` that overflows; returns the slide numbers that still overflow. */
async function fitNotes(page: Page): Promise<number[]> {
  return page.evaluate((smallest) => {
    const over: number[] = []
    for (const el of document.querySelectorAll<HTMLElement>('.p-notes')) {
      const full = Number.parseFloat(getComputedStyle(el).fontSize)
      let size = full
      while (el.scrollHeight > el.clientHeight + 1 && size > full * smallest) {
        size -= 0.25
        el.style.fontSize = `${size}px`
      }
      if (el.scrollHeight > el.clientHeight + 1) over.push(Number(el.dataset.slide))
    }
    return over
  }, SMALLEST_NOTES)
}

/** A large deck takes a while to lay out; the browser's default 30 s is too short for 500 slides. */
const PAGE_TIMEOUT_MS = 300_000

async function withPage<T>(browser: Browser, url: string, viewport: { width: number; height: number; deviceScaleFactor?: number }, work: (page: Page) => Promise<T>): Promise<T> {
  const page = await browser.newPage()
  try {
    page.setDefaultTimeout(PAGE_TIMEOUT_MS)
    await page.setViewport(viewport)
    await page.goto(url, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS })
    // Load every face now: a face needed only for a rare sign (≈) may not have started loading when the
    // page fires "load", and a PDF printed before it arrives draws that sign in a system font.
    await page.evaluate(async () => {
      await Promise.all([...document.fonts].map((face) => face.load().catch(() => undefined)))
      await document.fonts.ready
    })
    return await work(page)
  } finally {
    await page.close().catch(() => undefined)
  }
}

export async function printWithBrowser(browser: Browser, docs: PrintPages, work: BrowserWork): Promise<BrowserOutputs> {
  const { width, height } = docs.size
  const a4 = { width: 794, height: 1123 }
  const outputs: BrowserOutputs = { overflowing: { handout: [], notes: [] } }
  const jobs: Promise<void>[] = []

  if (work.pdf || work.images) {
    jobs.push(
      withPage(browser, docs.slides, { width, height, deviceScaleFactor: work.imageScale }, async (page) => {
        if (work.pdf) outputs.pdf = await timed('slides pdf', page.pdf({ width: `${width}px`, height: `${height}px`, printBackground: true, tagged: true, timeout: PAGE_TIMEOUT_MS }))
        if (work.images) outputs.images = await timed('slide images', slideImages(page, width, height))
      }),
    )
  }
  if (work.handout) {
    jobs.push(
      withPage(browser, docs.handout, a4, async (page) => {
        outputs.overflowing.handout = await fitNotes(page)
        outputs.handout = await timed('handout pdf', page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, timeout: PAGE_TIMEOUT_MS }))
      }),
    )
  }
  if (work.notes) {
    jobs.push(
      withPage(browser, docs.notes, a4, async (page) => {
        outputs.overflowing.notes = await fitNotes(page)
        outputs.notes = await timed('notes pdf', page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, timeout: PAGE_TIMEOUT_MS }))
      }),
    )
  }
  await Promise.all(jobs)
  return outputs
}

/** One PNG per slide: the slides page is a column of slides, each exactly one viewport tall. */
async function slideImages(page: Page, width: number, height: number): Promise<Uint8Array[]> {
  const count = await page.$$eval('.marpit > svg', (svgs) => svgs.length)
  const images: Uint8Array[] = []
  for (let i = 0; i < count; i += 1) {
    // Scrolling the slide into the viewport is several times faster than capturing beyond it.
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
}

export interface ExportResult {
  /** Staged file names, to be committed. */
  names: string[]
  warnings: string[]
}

/** Prints, finishes and stages every browser-made output the formats ask for. */
export async function exportWithBrowser(job: BrowserJob): Promise<ExportResult> {
  const { brief, view, docs, staging, files, formats } = job
  const page = async (name: 'slides' | 'handout' | 'notes', html: string, wanted: boolean) => (wanted ? pathToFileURL(await staging.write(`print/${name}.html`, html)).href : '')
  const wants = { pdf: formats.has('pdf'), handout: formats.has('handout'), notes: formats.has('notes'), images: formats.has('png') || formats.has('pptx') }
  const pages = {
    slides: await page('slides', docs.slides, wants.pdf || wants.images),
    handout: await page('handout', docs.handout, wants.handout),
    notes: await page('notes', docs.notes, wants.notes),
    size: docs.size,
  }
  const browser = await timed('waiting for the browser', job.browser)
  let made: BrowserOutputs
  try {
    made = await printWithBrowser(browser, pages, { ...wants, imageScale: job.imageScale })
  } catch (cause) {
    // Timeouts, a crashed page, a closed target: the machine's browser failed, not the brief.
    throw new DeckError(`Chromium failed while printing: ${cause instanceof Error ? cause.message : String(cause)}`, { exitCode: ExitCode.environment, cause })
  }
  const warnings: string[] = []
  const tooLong = (where: string, slides: number[]) =>
    slides.length > 0 && warnings.push(`the notes of slide ${slides.join(', ')} do not fit the ${where} even in smaller type: shorten them, or they are cut off there`)
  tooLong('handout', made.overflowing.handout)
  tooLong('notes PDF', made.overflowing.notes)

  const m = brief.meta
  const info: PdfInfo = { title: m.title, author: m.author, subject: m.summary, keywords: m.keywords ?? [], language: m.language, date: buildDate() }
  const outline = view.slides.map((s, i) => ({ title: s.outline, page: i }))
  const finishing: Promise<unknown>[] = []
  if (made.pdf) finishing.push(finishPdf(made.pdf, { ...info, outline }).then((pdf) => staging.write(files.pdf, pdf)))
  if (made.handout) finishing.push(finishPdf(made.handout, info).then((pdf) => staging.write(files.handout, pdf)))
  if (made.notes) finishing.push(finishPdf(made.notes, { ...info, outline }).then((pdf) => staging.write(files.notes, pdf)))
  await timed('pdf metadata', Promise.all(finishing))
  const names = (['pdf', 'handout', 'notes'] as const).filter((format) => made[format]).map((format) => files[format])

  const images = made.images ?? []
  if (formats.has('pptx')) {
    const slides = images.map((png, i) => {
      const notes = view.slides[i]?.notesText
      return { png, title: view.slides[i]?.outline ?? '', notes: notes === undefined ? undefined : noteParagraphs(notes).join('\n\n') }
    })
    await staging.write(files.pptx, await buildPptx(slides, { title: m.title, author: m.author, subject: m.summary, size: docs.size }))
    names.push(files.pptx)
  }
  if (formats.has('png') && images[0]) {
    for (const [i, png] of images.entries()) await staging.write(`${files.slides}/${String(i + 1).padStart(3, '0')}.png`, png)
    await staging.write(files.cover, images[0])
    names.push(files.cover, files.slides)
  }
  return { names, warnings }
}
