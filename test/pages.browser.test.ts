import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

import type { Browser, Page } from 'puppeteer-core'
import { describe, expect, it } from 'vitest'

import { parseBrief } from '../deck/brief/brief.ts'
import { selectVariant } from '../deck/brief/queries.ts'
import type { Brief } from '../deck/brief/schema.ts'
import { loadFontsFor, type PageSource, withPage } from '../deck/export/pages.ts'
import { stepper } from '../deck/export/steps.ts'
import { printDocuments } from '../deck/render/print.ts'
import { buildView, renderDeck } from '../deck/render/render.ts'
import { browserSuite, chartsOf, DEFAULT_BRIEF, marpEngine, readRepoFile, tempDir } from './helpers.ts'
import { hasPoppler, readPdf } from './readers.ts'

// A page kept from one printed page takes the next in place (the dev server's warm
// browser, the next deck of a build): it must print exactly what a fresh page prints.

const suite = browserSuite()
const base = parseBrief(readRepoFile(DEFAULT_BRIEF), DEFAULT_BRIEF)

/** The printed pages of a brief, written to a folder of their own, as a build stages them. */
async function printedPages(brief: Brief, name: string): Promise<{ slides: PageSource; handout: PageSource; size: { width: number; height: number } }> {
  const { toolkit } = suite
  const charts = await chartsOf(brief)
  const engine = await marpEngine({ ...toolkit.marp, options: { ...toolkit.marp.options, script: false } })
  engine.themeSet.add(toolkit.theme.css)
  const { html, css } = engine.render(renderDeck(brief, toolkit.render, { charts }), { htmlAsArray: true })
  const view = buildView(brief, { charts })
  const docs = printDocuments(brief, view, { slides: html, css }, toolkit.print, {
    handoutPerPage: 2,
    fonts: toolkit.theme.fonts.files,
    tokens: toolkit.theme.tokens,
  })
  const dir = join(tempDir('deck-pages-'), name)
  mkdirSync(dir)
  const source = (kind: 'slides' | 'handout', text: string): PageSource => {
    const file = join(dir, `${kind}.html`)
    writeFileSync(file, text)
    return { url: pathToFileURL(file).href, html: text }
  }
  return { slides: source('slides', docs.slides), handout: source('handout', docs.handout), size: docs.size }
}

/** Each page of a PDF as poppler draws it (PNG bytes), and its text. */
async function looks(pdf: Uint8Array): Promise<{ pngs: string[]; text: string[] }> {
  const dir = tempDir('deck-pages-pdf-')
  const file = join(dir, 'out.pdf')
  writeFileSync(file, pdf)
  execFileSync('pdftoppm', ['-r', '30', '-png', file, join(dir, 'page')])
  const { pages, text } = await readPdf(file)
  const png = (i: number) => readFileSync(join(dir, `page-${String(i + 1).padStart(String(pages).length, '0')}.png`))
  return { pngs: Array.from({ length: pages }, (_, i) => createHash('sha256').update(png(i)).digest('hex')), text }
}

/** What a fresh page prints of `source`, loaded from its file as a page of a build is. */
async function printedFresh(browser: Browser, source: PageSource, viewport: { width: number; height: number }, print: (page: Page) => Promise<Uint8Array>) {
  const fresh = await browser.newPage({ background: true })
  try {
    await fresh.setViewport(viewport)
    await fresh.goto(source.url, { waitUntil: 'load' })
    await loadFontsFor(fresh)
    return await looks(await print(fresh))
  } finally {
    await fresh.close()
  }
}

describe.skipIf(!hasPoppler)('a kept page takes the next printed page in place', () => {
  it('prints the same pages, text and fonts as a fresh page, and keeps its window (so its fonts stay loaded)', async () => {
    const browser = await suite.session.get()
    const english = await printedPages(base, 'english')
    // Another deck: other slides, another language (the page's lang), another title.
    const serbian = await printedPages(
      { ...selectVariant(base, 'briefing'), meta: { ...base.meta, language: 'sr-Latn', title: 'Izručenje: Vučić i Kina' } },
      'serbian',
    )
    const steps = stepper(browser, 30, new Set())
    const viewport = { width: serbian.size.width, height: serbian.size.height }
    const print = (page: Page) => page.pdf({ width: `${viewport.width}px`, height: `${viewport.height}px`, printBackground: true, tagged: true })

    let kept: Page | undefined
    await withPage(browser, steps, english.slides, { viewport }, async (page) => {
      kept = page
      await page.evaluate(() => {
        Object.assign(window, { deckMarker: 'first document' })
        // Marked with a property of its own (an attribute would make it another element).
        const fonts = [...document.querySelectorAll('style')].find((style) => style.textContent?.includes('@font-face'))
        if (fonts) Object.assign(fonts, { deckMarker: 'kept' })
      })
    })
    const inPlace = await withPage(browser, steps, serbian.slides, { viewport }, async (page) => {
      expect(page).toBe(kept)
      // The same window: the document was replaced in place, not loaded anew.
      expect(await page.evaluate(() => (window as unknown as { deckMarker?: string }).deckMarker)).toBe('first document')
      // The fonts' style sheet is the same element: its font faces stayed loaded.
      const fontsMarker = () => {
        const fonts = [...document.querySelectorAll('style')].find((style) => style.textContent?.includes('@font-face'))
        return (fonts as unknown as { deckMarker?: string } | undefined)?.deckMarker
      }
      expect(await page.evaluate(fontsMarker)).toBe('kept')
      expect(await page.evaluate(() => [document.documentElement.lang, document.title])).toEqual(['sr-Latn-RS', 'Izručenje: Vučić i Kina'])
      expect(await page.evaluate(() => document.fonts.check('16px "Source Sans 3"', 'Vučić'))).toBe(true)
      return print(page)
    })

    const [got, want] = await Promise.all([looks(inPlace), printedFresh(browser, serbian.slides, viewport, print)])
    expect(got.text).toEqual(want.text)
    expect(got.text.join(' ')).toContain('Vučić')
    expect(got.pngs).toEqual(want.pngs)
  })

  it('replaces a page of another kind (slides, then a handout) as a fresh page prints it', async () => {
    const browser = await suite.session.get()
    const pages = await printedPages(base, 'kinds')
    const steps = stepper(browser, 30, new Set())
    const a4 = { width: 794, height: 1123 }
    const print = (page: Page) => page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true })
    await withPage(browser, steps, pages.slides, { viewport: a4 }, async () => undefined)
    const inPlace = await withPage(browser, steps, pages.handout, { viewport: a4 }, async (page) => {
      await page.emulateMediaType('print')
      return print(page)
    })
    const [got, want] = await Promise.all([
      looks(inPlace),
      printedFresh(browser, pages.handout, a4, async (page) => {
        await page.emulateMediaType('print')
        return print(page)
      }),
    ])
    expect(got.pngs.length).toBeGreaterThan(1)
    expect(got).toEqual(want)
  })
})
