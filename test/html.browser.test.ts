import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

import type { Browser, Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { parseBrief } from '../deck/brief/brief.ts'
import { buildBrief } from '../deck/build.ts'
import { prepare } from '../deck/deck.ts'
import { findBrowser, launchBrowser } from '../deck/export/browser.ts'
import { formatFigure } from '../deck/render/format.ts'
import { DEFAULT_BRIEF, readRepoFile, ROOT, tempDir, testBrowser } from './helpers.ts'

// The built HTML deck in a real Chromium, found the way a user's build finds it
// (CHROME_PATH, a system browser, else the one in the @sparticuz/chromium package).

const brief = parseBrief(readRepoFile(DEFAULT_BRIEF), DEFAULT_BRIEF)
let browser: Browser
let deckUrl: string
const requests: string[] = []
let page: Page

beforeAll(async () => {
  const out = tempDir('deck-html-')
  const toolkit = await prepare({ templatesDir: join(ROOT, 'templates'), themeFile: join(ROOT, 'templates/theme.css') })
  await buildBrief(join(ROOT, DEFAULT_BRIEF), toolkit, { outDir: out, formats: new Set(['html']) })
  deckUrl = pathToFileURL(join(out, 'serbia-china-extradition.html')).href
  browser = await launchBrowser(await testBrowser())
  page = await browser.newPage()
  await page.setViewport({ width: 1280, height: 720 })
  page.on('request', (r) => requests.push(r.url()))
  await page.goto(deckUrl, { waitUntil: 'networkidle0' })
  await page.evaluate(() => document.fonts.ready)
})

afterAll(async () => {
  await browser?.close()
})

/** The fonts Chromium drew an element's text with (the first `selector` whose text has `needle`), shown on its slide. */
async function platformFonts(selector: string, needle: string): Promise<{ familyName: string; isCustomFont: boolean; glyphCount: number }[]> {
  const mark = ([selector, needle]: [string, string]) => {
    for (const marked of document.querySelectorAll('[data-test-glyphs]')) marked.removeAttribute('data-test-glyphs')
    const element = [...document.querySelectorAll(selector)].find((e) => e.textContent?.includes(needle))
    element?.setAttribute('data-test-glyphs', '')
    return [...document.querySelectorAll('svg[data-marpit-svg]')].findIndex((svg) => svg.contains(element ?? null)) + 1
  }
  const slide = await page.evaluate(mark, [selector, needle] as [string, string])
  expect(slide, `${selector} with ${needle}`).toBeGreaterThan(0)
  await page.goto(`${deckUrl}#${slide}`, { waitUntil: 'load' })
  await page.evaluate(mark, [selector, needle] as [string, string])
  await page.evaluate(() => document.fonts.ready)
  const cdp = await page.createCDPSession()
  try {
    await cdp.send('DOM.enable')
    await cdp.send('CSS.enable')
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true })
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '[data-test-glyphs]' })
    return (await cdp.send('CSS.getPlatformFontsForNode', { nodeId })).fonts
  } finally {
    await cdp.detach()
  }
}

describe('the HTML deck', () => {
  it('loads with no network request at all: fonts, scripts and styles are inside the file', () => {
    const fetched = requests.filter((url) => url !== deckUrl && !url.startsWith('data:'))
    expect(fetched).toEqual([])
    expect(requests).toContain(deckUrl)
  })

  it('shows every slide, the title, every figure and the 12 references', async () => {
    const slides = await page.$$eval('svg[data-marpit-svg]', (s) => s.length)
    expect(slides).toBeGreaterThanOrEqual(12)
    expect(await page.title()).toBe(brief.meta.title)
    const text = await page.$eval('body', (b) => b.textContent ?? '')
    for (const [id, figure] of Object.entries(brief.figures)) expect(text, id).toContain(formatFigure({ ...figure, suffix: undefined }, 'en'))
    expect(text).toContain('€140 million')
    expect(await page.$$eval('section.sources .n', (n) => n.map((e) => e.textContent))).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'])
  })

  it('declares its language and draws “Vučić” with the embedded font, not a fallback', async () => {
    expect(await page.$eval('html', (h) => h.lang)).toBe('en-GB')
    const fonts = await platformFonts('section.sources .entry', 'Vučić')
    // The name comes from the font file's own table (the @fontsource files call themselves "Source Sans 3 ExtraLight").
    expect(fonts.length).toBeGreaterThan(0)
    for (const font of fonts) expect(font).toMatchObject({ familyName: expect.stringMatching(/^Source Sans 3/), isCustomFont: true })
  })

  it('draws ≈ with the theme’s fonts, in a big number (a serif face) and in a chart’s label (SVG text), as no subset has it', async () => {
    for (const selector of ['.figure .value', 'svg.marks text']) {
      const fonts = await platformFonts(selector, '≈')
      expect(fonts.length, selector).toBeGreaterThan(0)
      for (const font of fonts) expect(font, selector).toMatchObject({ familyName: expect.stringMatching(/^Source (Sans|Serif) [34]/), isCustomFont: true })
      // The sign itself comes from the face cut for this deck, in the family of the text's font or of the headings' second one.
      expect(
        fonts.some((font) => font.familyName.startsWith('Source Sans 3')),
        JSON.stringify(fonts),
      ).toBe(true)
    }
  })

  it('moves between slides with the arrow keys, as a presenter expects', async () => {
    await page.goto(`${deckUrl}#1`, { waitUntil: 'load' })
    await page.keyboard.press('ArrowRight')
    await page.waitForFunction(() => location.hash === '#2')
    await page.keyboard.press('ArrowLeft')
    await page.waitForFunction(() => location.hash === '#1')
  })

  it('runs only its own scripts under a Content-Security-Policy that blocks everything else, presenter view included', async () => {
    const p = await browser.newPage()
    try {
      await p.evaluateOnNewDocument(() => {
        const seen: string[] = []
        Object.assign(window, { cspViolations: seen })
        document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`))
      })
      await p.goto(`${deckUrl}?view=presenter#2`, { waitUntil: 'load' })
      await p.waitForSelector('.bespoke-marp-presenter-note-container')
      const next = await p.waitForSelector('iframe.bespoke-marp-presenter-next')
      const frame = await next?.contentFrame()
      await frame?.waitForSelector('svg[data-marpit-svg]')
      expect(await p.$eval('.bespoke-marp-presenter-note-container', (n) => n.textContent)).toContain('Four parts')
      const csp = await p.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.getAttribute('content'))
      expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-/)
      // A script the deck did not bring is refused.
      const injected = await p.evaluate(() => {
        const s = document.createElement('script')
        s.textContent = 'window.injected = true'
        document.head.append(s)
        return (window as unknown as { injected?: boolean }).injected === true
      })
      expect(injected).toBe(false)
      const violations = await p.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)
      expect(violations).toEqual([expect.stringMatching(/^script-src-elem inline/)])
    } finally {
      await p.close()
    }
  })

  it('loads and moves between slides, in the deck and in the presenter view, with no error in the console and no policy violation', async () => {
    for (const view of ['', '?view=presenter']) {
      const p = await browser.newPage()
      const logged: string[] = []
      // Errors only: the headless shell refuses Marp's screen wake lock with a warning, as a browser may.
      p.on('console', (m) => m.type() === 'error' && logged.push(`${m.type()}: ${m.text()}`))
      p.on('pageerror', (e) => logged.push(`page error: ${e instanceof Error ? e.message : String(e)}`))
      try {
        await p.evaluateOnNewDocument(() => {
          const seen: string[] = []
          Object.assign(window, { cspViolations: seen })
          document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`))
        })
        await p.goto(`${deckUrl}${view}#1`, { waitUntil: 'load' })
        // Marp's slide transitions add their style sheet on the first move.
        for (const key of ['ArrowRight', 'ArrowRight', 'ArrowLeft'] as const) await p.keyboard.press(key)
        await p.waitForFunction(() => location.hash === '#2')
        // The moves' transitions have run to their end (what they load, they have loaded by then).
        await p.evaluate(async () => void (await Promise.all(document.getAnimations().map((a) => a.finished))))
        expect(await p.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations), view || 'deck').toEqual([])
        expect(logged, view || 'deck').toEqual([])
      } finally {
        await p.close()
      }
    }
  })

  it('carries the speaker notes for the presenter view', async () => {
    const notes = await page.$$eval('.bespoke-marp-note', (n) => n.map((e) => e.textContent ?? ''))
    expect(notes.some((n) => n.includes('Vučić'))).toBe(true)
  })
})

describe('on a machine with Node only', () => {
  it('the Chromium inside the @sparticuz/chromium package starts and shows the deck', async () => {
    const choice = await findBrowser({ only: 'npm' })
    expect(choice.source).toBe('npm')
    // Unpacked once, per package version, where removing node_modules removes it too.
    const { version } = JSON.parse(readRepoFile('node_modules/@sparticuz/chromium/package.json')) as { version: string }
    expect(choice.path).toBe(join(ROOT, 'node_modules', '.cache', 'brief-deck', `chromium-${version}`, 'chromium'))
    const npmBrowser = await launchBrowser(choice)
    try {
      const p = await npmBrowser.newPage()
      await p.goto(deckUrl, { waitUntil: 'load' })
      expect(await p.title()).toBe(brief.meta.title)
    } finally {
      await npmBrowser.close()
    }
  })
})
