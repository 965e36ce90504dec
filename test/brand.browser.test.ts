import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { buildBrief } from '../deck/build.ts'
import { CheckFailed, prepare, type Toolkit } from '../deck/deck.ts'
import { type BrowserSession, browserSession } from '../deck/export/browser.ts'
import { DEFAULT_BRIEF, fixture, HARBOUR, ROOT, tempDir, TEST_BROWSER } from './helpers.ts'
import { colourShare, hasPoppler, pdfFonts, pdfPagePixels, pngPixels } from './readers.ts'

// The default brief built under a second brand (test/fixtures/brands/harbour: another
// palette, an SVG logo with a PNG for dark backgrounds, IBM Plex as font files): its logo,
// colours and fonts in every output, and none of the default look's.

const TEAL = '#0b5563' // the brand's primary: headings, the title slide's bar, the logo's mark
const NAVY = '#14305a' // the default look's primary
/** Where the theme puts the large logo on the title slide (320 × 96 at the bottom right of 1280 × 720), and the small one in a footer. */
const LARGE_LOGO = { x: 880 / 1280, y: 560 / 720, w: 320 / 1280, h: 96 / 720 }
const SMALL_LOGO = { x: 1030 / 1280, y: 670 / 720, w: 114 / 1280, h: 26 / 720 }

let out: string
let session: BrowserSession
let toolkit: Toolkit
const file = (suffix: string) => join(out, `serbia-china-extradition${suffix}`)

beforeAll(async () => {
  out = tempDir('deck-brand-')
  toolkit = await prepare({ templatesDir: join(ROOT, 'templates'), themeFile: join(ROOT, 'templates/theme.css'), brandFile: HARBOUR })
  session = browserSession({ only: TEST_BROWSER })
  await buildBrief(join(ROOT, DEFAULT_BRIEF), toolkit, {
    outDir: out,
    formats: new Set(['html', 'pdf', 'handout', 'notes', 'pptx', 'png']),
    browser: session,
  })
})

afterAll(async () => {
  await session?.close()
})

describe('a deck under another brand', () => {
  it('the HTML deck embeds the brand’s fonts and logo, and nothing of the default look', () => {
    const html = readFileSync(file('.html'), 'utf8')
    expect(html).toMatch(/font-family: 'IBM Plex Sans';[^}]*src: url\(data:font\/woff2;base64,/)
    expect(html).toMatch(/font-family: 'IBM Plex Serif';/)
    expect(html).toMatch(/--logo-large: url\("data:image\/svg\+xml;base64,/)
    expect(html).toMatch(/--navy: #0b5563;/)
    expect(html).not.toMatch(/Source Sans 3|Source Serif 4|#14305a/i)
  })

  it.runIf(hasPoppler)('the slide PDF, the handout and the notes are set in its fonts alone, with its colours and logo', async () => {
    for (const suffix of ['.pdf', '-handout.pdf', '-notes.pdf']) {
      const fonts = [...(await pdfFonts(file(suffix))).keys()]
      expect(fonts.length, suffix).toBeGreaterThan(1)
      expect(
        fonts.filter((name) => !name.startsWith('IBMPlex')),
        suffix,
      ).toEqual([])
      const first = pdfPagePixels(file(suffix), 1)
      expect(colourShare(first, TEAL), suffix).toBeGreaterThan(0.005)
      expect(colourShare(first, NAVY, undefined, 8), suffix).toBe(0)
    }
    const title = pdfPagePixels(file('.pdf'), 1)
    expect(colourShare(title, TEAL, LARGE_LOGO)).toBeGreaterThan(0.1) // the logo's mark and letters
    expect(colourShare(title, TEAL, SMALL_LOGO)).toBe(0) // no footer on the title slide
    const content = pdfPagePixels(file('.pdf'), 3, 60)
    expect(colourShare(content, TEAL, SMALL_LOGO)).toBeGreaterThan(0.05)
    expect(colourShare(content, TEAL, LARGE_LOGO)).toBeLessThan(0.01)
  })

  it('the slide images show its logo where the PDF does', () => {
    const cover = pngPixels(readFileSync(file('-cover.png')))
    expect(colourShare(cover, TEAL, LARGE_LOGO)).toBeGreaterThan(0.1)
    const slides = readdirSync(file('-slides')).sort()
    const third = pngPixels(readFileSync(join(file('-slides'), slides[2] as string)))
    expect(colourShare(third, TEAL, SMALL_LOGO)).toBeGreaterThan(0.05)
  })

  it('the PowerPoint’s theme has its colours and fonts, and every layout its logo, with its alt text', async () => {
    const zip = await JSZip.loadAsync(readFileSync(file('.pptx')))
    const theme = (await zip.file('ppt/theme/theme1.xml')?.async('string')) ?? ''
    expect(theme).toContain('<a:dk2><a:srgbClr val="0B5563"/></a:dk2>')
    expect(theme).toMatch(/<a:majorFont><a:latin typeface="IBM Plex Serif"\/>/)
    expect(theme).toMatch(/<a:minorFont><a:latin typeface="IBM Plex Sans"\/>/)
    const layouts = Object.keys(zip.files).filter((n) => /^ppt\/slideLayouts\/slideLayout\d+\.xml$/.test(n))
    expect(layouts.length).toBeGreaterThan(10)
    const media = new Map<string, string>()
    for (const name of layouts) {
      const xml = (await zip.file(name)?.async('string')) ?? ''
      const layout = /<p:cSld name="([^"]+)"/.exec(xml)?.[1] ?? name
      expect(xml, layout).toMatch(/<p:pic>[^]*descr="Harbour Policy Institute"/)
      const rels = (await zip.file(name.replace('slideLayouts/', 'slideLayouts/_rels/').concat('.rels'))?.async('string')) ?? ''
      const image = /Target="\.\.\/media\/([^"]+\.png)"/.exec(rels)?.[1] ?? ''
      media.set(layout, ((await zip.file(`ppt/media/${image}`)?.async('base64')) ?? '').slice(0, 200))
    }
    // The title's large logo, the dark divider's logo for dark backgrounds, and the small one elsewhere.
    expect(new Set([media.get('title'), media.get('section'), media.get('points')]).size).toBe(3)
    expect(media.get('points')).toBe(media.get('sources'))
  })

  it.runIf(hasPoppler)('a brand in a folder whose name has brackets and spaces sets every printed page in its fonts', async () => {
    const dir = join(tempDir('deck-brand-folder-'), 'Brand (2024) [final]')
    cpSync(join(ROOT, 'test/fixtures/brands/harbour'), dir, { recursive: true })
    const branded = await prepare({ templatesDir: join(ROOT, 'templates'), themeFile: join(ROOT, 'templates/theme.css'), brandFile: join(dir, '_brand.yml') })
    const briefDir = tempDir('deck-brand-folder-brief-')
    writeFileSync(join(briefDir, 'brief.yaml'), fixture('all-layouts.yaml'))
    await buildBrief(join(briefDir, 'brief.yaml'), branded, { outDir: briefDir, formats: new Set(['pdf', 'handout']), browser: session })
    for (const name of ['brief.pdf', 'brief-handout.pdf']) {
      const fonts = [...(await pdfFonts(join(briefDir, name))).keys()]
      expect(
        fonts.filter((font) => !font.startsWith('IBMPlex')),
        name,
      ).toEqual([])
    }
  })

  it('a title slide whose byline runs into the logo stops the build, saying so; without a logo the same slide builds', async () => {
    // A long title, subtitle and affiliation push the byline's last wide line down to the logo's height.
    const text = fixture('all-layouts.yaml')
      .replace('  title: Water prices in the Danube basin\n', '  title: Water prices in the Danube basin, and the households that pay them\n')
      .replace(
        '  subtitle: What households pay and why',
        '  subtitle: What households pay for the same water in eleven countries along the river, why the prices differ so much, and what the next decade may bring to them',
      )
      .replace(
        '  affiliation: Example Institute',
        '  affiliation: Example Institute for the Study of Water, Energy and Public Services in the Danube Region and the Western Balkans, with Partners in Eleven Countries Along the River and Its Tributaries',
      )
    const dir = tempDir('deck-brand-overlap-')
    writeFileSync(join(dir, 'long-byline.yaml'), text)
    const built = buildBrief(join(dir, 'long-byline.yaml'), toolkit, { outDir: dir, formats: new Set(['pdf']), browser: session })
    const err = await built.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(CheckFailed)
    const overlap = (err as CheckFailed).report.findings.filter((f) => f.code === 'logo-overlap')
    expect(overlap).toEqual([expect.objectContaining({ severity: 'error', slide: expect.objectContaining({ number: 1 }) })])
    const plain = await prepare({ templatesDir: join(ROOT, 'templates'), themeFile: join(ROOT, 'templates/theme.css') })
    const result = await buildBrief(join(dir, 'long-byline.yaml'), plain, { outDir: dir, formats: new Set(['pdf']), browser: session })
    expect(result.report.findings.filter((f) => f.code === 'logo-overlap')).toEqual([])
  })
})
