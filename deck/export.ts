import type { Browser, Page } from 'puppeteer-core'
import { log } from './log.ts'
/** The printed pages, written to files so that they can load the font files beside them. */
export interface PrintPages {
  slides: string
  handout: string
  notes: string
  size: { width: number; height: number }
}

// Everything Chromium makes, from one browser: the slide PDF and images from one
// page, the handout and the notes from two more, all three pages at once.

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
