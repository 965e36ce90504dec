import { basename } from 'node:path'

import type { Browser, Page } from 'puppeteer-core'

import { reached } from '../shared/log.ts'
import type { Format } from './outputs.ts'
import type { Step, Stepper } from './steps.ts'

// The browser pages a build works on: opened, loaded, and kept for the next build in the
// same browser (the dev server's warm browser, the next deck of a multi-deck build). A kept
// page takes the next printed page in place, without a new document: its fonts stay loaded.

/** A page to load: its file, and for a printed page the HTML in that file. */
export interface PageSource {
  url: string
  /** The file's text: given, a page kept from a printed page takes it in place. */
  html?: string | undefined
}

/**
 * Pages that finished their work, kept open for the next build in the same browser:
 * opening a page starts a renderer, which takes longer than loading a page into one that
 * runs. Tabs and windows are kept apart.
 */
const idlePages = new WeakMap<Browser, { tab: Page[]; window: Page[] }>()

/** Pages that show a printed page of ours (no script, our fonts), which the next printed page may replace in place. */
const showsPrintedPage = new WeakSet<Page>()

export interface PageOptions {
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
    // Tidying after a step that already failed: a page that cannot be closed goes with its browser.
    void opening.then((late) => late.close()).catch(() => undefined)
    throw err
  })
}

/** Loads `source` into a page (a kept one if there is one), runs `work` on it, and keeps the page if the work succeeded. */
export async function withPage<T>(browser: Browser, steps: Stepper, source: PageSource, options: PageOptions, work: (page: Page) => Promise<T>): Promise<T> {
  const idle = idlePages.get(browser) ?? { tab: [], window: [] }
  idlePages.set(browser, idle)
  const kind = options.window ? 'window' : 'tab'
  const name = basename(source.url, '.html')
  const page =
    idle[kind].pop() ??
    (await openPage(browser, steps, { name: `opening a ${kind} for the ${name} page`, weight: 0, outputs: options.outputs }, options.window === true))
  let reusable = false
  try {
    page.setDefaultTimeout(0) // every call on the page runs inside a step, with the step's bound
    const setUp = { name: `setting up the ${name} page`, weight: 0, outputs: options.outputs }
    await steps.run(setUp, page.setBypassCSP(options.bypassCsp ?? false))
    await steps.run(setUp, page.setViewport(options.viewport))
    // A printed page goes into a page that shows one already; any other page is loaded from its file.
    const inPlace = showsPrintedPage.has(page) ? source.html : undefined
    showsPrintedPage.delete(page)
    const loading = inPlace === undefined ? page.goto(source.url, { waitUntil: 'load' }).then(() => undefined) : replaceDocument(page, inPlace)
    await steps.run({ name: `loading the ${name} page`, outputs: options.outputs }, loading)
    reached(`${basename(source.url)} ${inPlace === undefined ? 'loaded' : 'put in place'}`)
    await steps.run({ name: `loading the fonts of the ${name} page`, outputs: options.outputs }, loadFontsFor(page))
    reached(`${basename(source.url)} fonts loaded`)
    const result = await work(page)
    reusable = true
    if (source.html !== undefined) showsPrintedPage.add(page)
    return result
  } finally {
    // A page whose work failed may be in any state, or hung: it is closed (waiting 2 s at most), not kept.
    if (reusable && !page.isClosed()) idle[kind].push(page)
    // (Its timer is kept referenced: a page of a browser that is gone settles nothing, and the build must still report.)
    // (A page that cannot be closed, its browser gone, goes with the browser: the work's own outcome is what is reported.)
    else await Promise.race([page.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2000))])
  }
}

/**
 * Puts a printed page into a page that shows another one, as loading its file would: the
 * head's elements that are the same, in the same order (the fonts' style sheet), are
 * kept, so the font faces they declare stay loaded; the rest is replaced. The printed
 * pages name no relative address (their policy allows no <base>), so the page's own
 * address does not matter. It waits for the fonts (loadFontsFor, after it) and the <img>
 * elements; a print template that draws a picture another way (a CSS background, an SVG
 * <image>) is not waited for, where loading its file would be. The same pages print the
 * same PDF either way (test/pages.browser.test.ts).
 */
async function replaceDocument(page: Page, html: string): Promise<void> {
  await page.evaluate(async (text: string) => {
    const next = new DOMParser().parseFromString(text, 'text/html')
    const old = [...document.head.children]
    let at = 0
    for (const element of [...next.head.children]) {
      let same = at
      while (same < old.length && !old[same]?.isEqualNode(element)) same += 1
      if (same < old.length) {
        for (const skipped of old.slice(at, same)) skipped.remove()
        at = same + 1
      } else {
        const copy = document.importNode(element, true)
        const before = old[at]
        if (before) before.before(copy)
        else document.head.append(copy)
      }
    }
    for (const extra of old.slice(at)) extra.remove()
    const root = document.documentElement
    for (const { name } of [...root.attributes]) root.removeAttribute(name)
    for (const { name, value } of [...next.documentElement.attributes]) root.setAttribute(name, value)
    document.body.replaceWith(document.importNode(next.body, true))
    window.scrollTo(0, 0) // as a page loaded anew: the slide images left it at the last slide
    // An image that does not decode shows as broken, as on a page loaded anew: waited for, not fatal.
    await Promise.all([...document.images].map((image) => image.decode().catch(() => undefined)))
  }, html)
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
