// Everything Chromium makes, from one browser: the slide PDF and images from one
// page, the handout and the notes from two more, all three pages at once; then
// pdf-lib finishes the PDFs and pptxgenjs wraps the images into PowerPoint.
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'puppeteer-core'
import type { Format, OutputFiles } from './build.ts'
import type { Staging } from './fs.ts'
import { log } from './log.ts'
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
}

/** A large deck takes a while to lay out; the browser's default 30 s is too short for 500 slides. */
const PAGE_TIMEOUT_MS = 300_000

async function withPage<T>(browser: Browser, url: string, viewport: { width: number; height: number; deviceScaleFactor?: number }, work: (page: Page) => Promise<T>): Promise<T> {
  const page = await browser.newPage()
  try {
    page.setDefaultTimeout(PAGE_TIMEOUT_MS)
    await page.setViewport(viewport)
    await page.goto(url, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS })
    await page.evaluate(() => document.fonts.ready.then(() => undefined))
    return await work(page)
  } finally {
    await page.close().catch(() => undefined)
  }
}

/** Logs (DEBUG=deck:time) how long `work` took, and when it ended since the process started. */
export async function timed<T>(label: string, work: Promise<T>): Promise<T> {
  const started = performance.now()
  const result = await work
  const now = performance.now()
  log.debug('time', `${label}: ${Math.round(now - started)} ms (at ${Math.round(now)} ms)`)
  return result
}

export async function printWithBrowser(browser: Browser, docs: PrintPages, work: BrowserWork): Promise<BrowserOutputs> {
  const { width, height } = docs.size
  const a4 = { width: 794, height: 1123 }
  const outputs: BrowserOutputs = {}
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
        outputs.handout = await timed('handout pdf', page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, timeout: PAGE_TIMEOUT_MS }))
      }),
    )
  }
  if (work.notes) {
    jobs.push(
      withPage(browser, docs.notes, a4, async (page) => {
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

/** Prints, finishes and stages every browser-made output the formats ask for; returns the staged names. */
export async function exportWithBrowser(job: BrowserJob): Promise<string[]> {
  const { brief, view, docs, staging, files, formats } = job
  const page = async (name: 'slides' | 'handout' | 'notes', html: string, wanted: boolean) => (wanted ? pathToFileURL(await staging.write(`print/${name}.html`, html)).href : '')
  const wants = { pdf: formats.has('pdf'), handout: formats.has('handout'), notes: formats.has('notes'), images: formats.has('png') || formats.has('pptx') }
  const pages = {
    slides: await page('slides', docs.slides, wants.pdf || wants.images),
    handout: await page('handout', docs.handout, wants.handout),
    notes: await page('notes', docs.notes, wants.notes),
    size: docs.size,
  }
  const made = await printWithBrowser(await timed('waiting for the browser', job.browser), pages, { ...wants, imageScale: job.imageScale })

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
  return names
}
