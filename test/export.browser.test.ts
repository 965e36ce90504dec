import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'

import { parseBrief } from '../deck/brief/brief.ts'
import type { Figure } from '../deck/brief/schema.ts'
import { buildBrief } from '../deck/build.ts'
import { prepare, type Toolkit } from '../deck/deck.ts'
import { type BrowserSession, browserSession } from '../deck/export/browser.ts'
import { loadFontsFor } from '../deck/export/pages.ts'
import { formatFigure } from '../deck/render/format.ts'
import { buildView } from '../deck/render/render.ts'
import { chartsOf, DEFAULT_BRIEF, outputsIn, readRepoFile, ROOT, tempDir, TEST_BROWSER } from './helpers.ts'
import { darkShare, decodeXml, fontsDrawing, hasPoppler, openPdf, pngSize, readPdf, readPptx } from './readers.ts'

// Every output of a full build, read back with real readers. The build uses the
// Chromium inside the @sparticuz/chromium npm package, the path a machine with
// only Node takes, so every CI run proves it.

const brief = parseBrief(readRepoFile(DEFAULT_BRIEF), DEFAULT_BRIEF)
const view = buildView(brief, { charts: await chartsOf(brief) })
const slideCount = view.slides.length
const withNotes = view.slides.filter((s) => s.notesText)
let out: string
let toolkit: Toolkit
let session: BrowserSession
const file = (suffix: string) => join(out, `serbia-china-extradition${suffix}`)

beforeAll(async () => {
  out = tempDir('deck-export-')
  toolkit = await prepare({ templatesDir: join(ROOT, 'templates'), themeFile: join(ROOT, 'templates/theme.css') })
  session = browserSession({ only: TEST_BROWSER })
  await buildBrief(join(ROOT, DEFAULT_BRIEF), toolkit, { outDir: out, browser: session })
})

afterAll(async () => {
  await session?.close()
})

describe('hostile text', () => {
  it('is shown as the characters typed, in the PDF’s text and in the PowerPoint notes', async () => {
    const bullet = '<script>alert(1)</script> $5 and $10 # | *x* _y_ `z` [x](javascript:alert(1)) <!-- _class: x -->'
    const note = '<img src=x onerror=alert(1)> --> <!-- theme: gaia --> ***'
    const data = parse(readRepoFile('test/fixtures/all-layouts.yaml')) as { slides: { layout: string; points?: string[]; notes?: string }[] }
    const points = data.slides.find((slide) => slide.layout === 'points')
    if (!points) throw new Error('no points slide')
    points.points = [bullet]
    points.notes = note
    const dir = tempDir('deck-hostile-')
    writeFileSync(join(dir, 'hostile.yaml'), stringify(data))
    await buildBrief(join(dir, 'hostile.yaml'), toolkit, { outDir: dir, formats: new Set(['pdf', 'pptx']), browser: session })
    const pdf = await readPdf(join(dir, 'hostile.pdf'))
    expect(pdf.pages).toBe(11)
    const index = data.slides.indexOf(points)
    expect((pdf.text[index] ?? '').replace(/\s+/g, ' ')).toContain(bullet)
    const { notes } = await readPptx(join(dir, 'hostile.pptx'))
    expect(decodeXml(notes.get(index + 1) ?? '')).toBe(note)
  })
})

describe('reproducible builds', () => {
  it('building the same brief again gives byte-identical Markdown, HTML, PDFs and PowerPoint', async () => {
    const again = tempDir('deck-export-again-')
    await buildBrief(join(ROOT, DEFAULT_BRIEF), toolkit, {
      outDir: again,
      formats: new Set(['md', 'html', 'audience', 'pdf', 'handout', 'notes', 'pptx']),
      browser: session,
    })
    for (const name of outputsIn(again)) expect(readFileSync(join(again, name)).equals(readFileSync(join(out, name))), name).toBe(true)
    expect(outputsIn(again)).toHaveLength(7)
  })
})

describe('the slide PDF', () => {
  it('has one page per slide at the slide size, the title and every figure in its text', async () => {
    const pdf = await readPdf(file('.pdf'))
    expect(pdf.pages).toBe(slideCount)
    expect(pdf.size).toEqual({ width: 960, height: 540 }) // 1280×720 CSS pixels
    const text = pdf.text.join('\n')
    expect(text).toContain('Serbia’s extradition treaty with China')
    for (const [id, figure] of Object.entries(brief.figures)) expect(text, id).toContain(formatFigure({ ...figure, suffix: undefined }, 'en'))
  })

  it('carries each chart’s alt text in the text of its page, and its data labels as text', async () => {
    const pdf = await readPdf(file('.pdf'))
    const charts = view.slides.flatMap((s, i) => (s.partial === 'chart' ? [{ page: i, alt: String(s.alt) }] : []))
    expect(charts).toHaveLength(2)
    for (const { page, alt } of charts) {
      const text = (pdf.text[page] ?? '').replace(/\s+/g, ' ')
      expect(text).toContain(alt)
    }
    expect(pdf.text[charts[0]?.page ?? 0]).toMatch(/15,000[\s\S]*≈110,000|≈110,000[\s\S]*15,000/)
  })

  it('draws č and ć (in “Vučić”) and ≈ (approximate figures, big numbers and charts) with the embedded fonts, in the slides and in the handout', async () => {
    for (const pdf of [file('.pdf'), file('-handout.pdf')]) {
      for (const needle of ['čć', '≈']) {
        const fonts = [...(await fontsDrawing(pdf, needle))]
        expect(fonts.length).toBeGreaterThan(0)
        expect(
          fonts.every((name) => /^Source(Sans3|Serif4)/.test(name)),
          `${pdf}, ${needle}: ${fonts.join(', ')}`,
        ).toBe(true)
      }
    }
  })

  it('prints background colours: the section divider is navy', async () => {
    const { OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs')
    const doc = await openPdf(file('.pdf'))
    const divider = view.slides.findIndex((s) => s.partial === 'section') + 1
    const { fnArray, argsArray } = await (await doc.getPage(divider)).getOperatorList()
    const fills = fnArray.flatMap((op, i) => (op === OPS.setFillRGBColor ? [String((argsArray[i] as unknown[])[0])] : []))
    expect(fills).toContain('#14305a')
    await doc.destroy()
  })

  it('has a bookmark per slide, named by its title', async () => {
    const { outline } = await readPdf(file('.pdf'))
    expect(outline).toEqual(view.slides.map((s) => s.outline))
    expect(outline).toContain('The brief at a glance')
  })

  it('carries the brief’s title, author, subject, keywords and language', async () => {
    const { info } = await readPdf(file('.pdf'))
    // The summary as the deck shows it: the figure written out, no {fig:…} token.
    expect(info).toMatchObject({
      Title: brief.meta.title,
      Author: 'Ana Krstinovska',
      Subject: brief.meta.summary.replace('{fig:agreements}', '28'),
      Language: 'en-GB',
    })
    expect(String(info.Subject)).toMatch(/^Among the 28 agreements/)
    expect(String(info.Keywords)).toContain('extradition')
  })
})

describe('the handout', () => {
  it('is A4 with two slides a page, each with its audience text, and page x of y', async () => {
    const pdf = await readPdf(file('-handout.pdf'))
    expect(pdf.pages).toBe(Math.ceil(slideCount / 2))
    expect(pdf.size.width).toBeCloseTo(595, 0)
    expect(pdf.size.height).toBeCloseTo(842, 0)
    const text = pdf.text.join('\n')
    expect(text).toContain('Each measure, taken alone, looks like routine police cooperation.')
    expect(pdf.text[0]).toContain(`Page 1 of ${pdf.pages}`)
    expect(pdf.text[0]).toContain('Serbia–China extradition treaty')
  })

  it('never prints the presenter’s cues: the speaker notes stay in the notes PDF', async () => {
    const handout = (await readPdf(file('-handout.pdf'))).text.join(' ')
    const notes = (await readPdf(file('-notes.pdf'))).text.join(' ')
    for (const cue of ['Thank the hosts', 'skip it if time is short', 'Invite questions']) {
      expect(notes, cue).toContain(cue)
      expect(handout, cue).not.toContain(cue)
    }
    for (const slide of withNotes) expect(handout).not.toContain((slide.notesText ?? '').replace(/\s+/g, ' ').slice(0, 30))
  })

  it('heads each slide with its number apart from its title: a figure’s value never runs into the number', async () => {
    const text = (await readPdf(file('-handout.pdf'))).text.join(' ')
    expect(text).toContain('Slide 5 · 28 agreements signed by Serbia and China')
    expect(text).not.toMatch(/\b5 28 agreements/)
  })

  it('has a bookmark per slide, pointing at the page the slide is printed on', async () => {
    const doc = await openPdf(file('-handout.pdf'))
    try {
      const outline = (await doc.getOutline()) ?? []
      expect(outline.map((o) => o.title)).toEqual(view.slides.map((s) => s.outline))
      const pages = await Promise.all(outline.map(async (o) => doc.getPageIndex((o.dest as [{ num: number; gen: number }])[0])))
      expect(pages).toEqual(view.slides.map((_, i) => Math.floor(i / 2)))
    } finally {
      await doc.destroy()
    }
  })

  it.skipIf(!hasPoppler)('prints the navy section dividers light (the theme’s print palette); the slide PDF keeps them navy', () => {
    const divider = view.slides.findIndex((s) => s.partial === 'section')
    expect(darkShare(file('.pdf'), divider + 1)).toBeGreaterThan(0.8)
    // Every handout page, the one with a divider included, is mostly paper.
    const pages = Math.ceil(slideCount / 2)
    for (let page = 1; page <= pages; page += 1) expect(darkShare(file('-handout.pdf'), page), `handout page ${page}`).toBeLessThan(0.06)
  })

  it('draws its ruled lines as lines, which every reader shows (no gradient shading)', async () => {
    const { OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs')
    const doc = await openPdf(file('-handout.pdf'))
    const agenda = view.slides.findIndex((s) => s.partial === 'agenda') // no audience text: lines beside it
    const page = await doc.getPage(Math.floor(agenda / 2) + 1)
    const { fnArray } = await page.getOperatorList()
    expect(fnArray).not.toContain(OPS.shadingFill) // the paths that draw them: test/print.browser.test.ts
    await doc.destroy()
  })

  it('with three slides a page when asked', async () => {
    const three = tempDir('deck-handout-')
    await buildBrief(join(ROOT, DEFAULT_BRIEF), toolkit, { outDir: three, browser: session, formats: new Set(['handout']), handoutPerPage: 3 })
    expect((await readPdf(join(three, 'serbia-china-extradition-handout.pdf'))).pages).toBe(Math.ceil(slideCount / 3))
    expect(outputsIn(three)).toEqual(['serbia-china-extradition-handout.pdf'])
  })
})

describe('PDF text', () => {
  const figureSlides = view.slides.flatMap((slide, i) => {
    const ids =
      slide.partial === 'figure'
        ? [(slide.figure as { id: string }).id]
        : slide.partial === 'comparison'
          ? (slide.figures as { id: string }[]).map((f) => f.id)
          : []
    // As a reader extracts it: the no-break space between a number and its unit is a space.
    return ids.map((id) => ({ page: i, id, value: formatFigure(brief.figures[id] as Figure, 'en').replace(/\u00A0/g, ' ') }))
  })
  const whole = (value: string) => new RegExp(`(^|\\s)${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`)

  it('reads every figure whole in pdf.js, its footnote marker apart: “≈110,000 4”, never “≈110,0004”', async () => {
    const pdf = await readPdf(file('.pdf'))
    expect(figureSlides.length).toBeGreaterThan(5)
    for (const { page, id, value } of figureSlides) {
      const text = pdf.text[page] ?? ''
      expect(text, `${id} on page ${page + 1}`).toMatch(whole(value))
      const refs = (brief.figures[id] as Figure).refs
      if (refs.length > 0) expect(text, `${id}: marker glued to the value`).not.toContain(`${value}${refs.join(',')}`)
    }
    expect(pdf.text.join(' ')).not.toMatch(/The Economist, 2021\d/)
  })

  it.skipIf(!hasPoppler)('reads every figure whole in pdftotext (poppler) too', () => {
    for (const { page, id, value } of figureSlides) {
      const text = execFileSync('pdftotext', ['-f', String(page + 1), '-l', String(page + 1), file('.pdf'), '-'], { encoding: 'utf8' })
      expect(text, `${id} on page ${page + 1}`).toMatch(whole(value))
    }
  })

  it('keeps each keyword apart (“; ” between them) and writes XMP metadata, in every PDF', async () => {
    for (const suffix of ['.pdf', '-handout.pdf', '-notes.pdf']) {
      const doc = await openPdf(file(suffix))
      try {
        const { info, metadata } = await doc.getMetadata()
        expect((info as { Keywords?: string }).Keywords).toBe('Serbia; China; extradition; human rights; EU accession; Western Balkans')
        expect(metadata?.get('dc:title')).toBe(brief.meta.title)
        expect(metadata?.get('dc:creator')).toEqual(['Ana Krstinovska'])
        expect(metadata?.get('dc:subject')).toEqual(['Serbia', 'China', 'extradition', 'human rights', 'EU accession', 'Western Balkans'])
        expect(metadata?.get('dc:language')).toBe('en-GB')
        expect(metadata?.get('dc:description')).toMatch(/^Among the 28 agreements/)
      } finally {
        await doc.destroy()
      }
    }
  })
})

describe('the notes PDF', () => {
  it('has every slide with its notes, two on a page where both fit, in order', async () => {
    const pdf = await readPdf(file('-notes.pdf'))
    // The default brief's notes are short: every page but the last holds two slides.
    expect(pdf.pages).toBe(Math.ceil(slideCount / 2))
    const n = view.slides.findIndex((s) => s.id === 'liu-v-poland') + 1
    const page = pdf.text.findIndex((text) => text.includes(`Slide ${n} ·`))
    expect(page).toBe(Math.floor((n - 1) / 2))
    expect(pdf.text[page]).toContain('The Court stopped the extradition of a Taiwanese national to Beijing.')
  })
})

describe('PowerPoint', () => {
  it('has one slide per slide and the speaker notes in the notes pane', async () => {
    const pptx = await readPptx(file('.pptx'))
    expect(pptx.slides).toBe(slideCount)
    expect(pptx.notes.size).toBe(withNotes.length)
    expect(pptx.notes.get(1)).toContain('Thank the hosts.')
  })

  it('carries the brief’s date, not the build’s, and names its slides by their titles in its properties', async () => {
    const zip = await JSZip.loadAsync(readFileSync(file('.pptx')))
    const core = (await zip.file('docProps/core.xml')?.async('string')) ?? ''
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2024-06-01T00:00:00Z</dcterms:created>')
    expect(core).toContain('<dcterms:modified xsi:type="dcterms:W3CDTF">2024-06-01T00:00:00Z</dcterms:modified>')
    const app = (await zip.file('docProps/app.xml')?.async('string')) ?? ''
    expect(app).toContain('<vt:lpstr>The brief at a glance</vt:lpstr>')
    expect(app).not.toMatch(/<vt:lpstr>Slide \d+<\/vt:lpstr>/)
    for (const entry of Object.values(zip.files)) expect(entry.date.getTime(), entry.name).toBe(Date.UTC(2024, 5, 1))
  })
})

describe('the picture PowerPoint (--format pptx-images)', () => {
  it('has each slide as one picture at twice the slide’s pixels, its whole text as alt text, titles in its properties; the PNGs stay 1×', async () => {
    const dir = tempDir('deck-pptx-images-')
    await buildBrief(join(ROOT, DEFAULT_BRIEF), toolkit, { outDir: dir, formats: new Set(['pptx-images', 'png']), browser: session })
    const zip = await JSZip.loadAsync(readFileSync(join(dir, 'serbia-china-extradition-images.pptx')))
    const slides = Object.keys(zip.files).filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
    expect(slides).toHaveLength(slideCount)
    const three = (await zip.file('ppt/slides/slide3.xml')?.async('string')) ?? ''
    expect(three.match(/<p:pic>/g)).toHaveLength(1)
    expect(three).not.toContain('<a:t>')
    // The alt text is what the slide says, not its title alone.
    const alt = /descr="([^"]*)"/.exec(three)?.[1] ?? ''
    expect(alt).toContain('The brief at a glance')
    expect(alt).toContain('Belgrade has ignored abuses by Chinese investors before.')
    const media = Object.keys(zip.files).filter((n) => n.startsWith('ppt/media/'))
    const png = (await zip.file(media[0] ?? '')?.async('uint8array')) ?? new Uint8Array()
    expect(pngSize(png)).toEqual({ width: 2560, height: 1440 })
    const app = (await zip.file('docProps/app.xml')?.async('string')) ?? ''
    expect(app).toContain('<vt:lpstr>The brief at a glance</vt:lpstr>')
    expect(pngSize(readFileSync(join(dir, 'serbia-china-extradition-slides', '003.png')))).toEqual({ width: 1280, height: 720 })
    const { notes } = await readPptx(join(dir, 'serbia-china-extradition-images.pptx'))
    expect(notes.get(1)).toContain('Thank the hosts.')
  })
})

describe('images', () => {
  it('one PNG per slide at 1280×720, and the title slide as the cover', () => {
    const dir = file('-slides')
    const pngs = readdirSync(dir)
    expect(pngs).toHaveLength(slideCount)
    expect(pngs[0]).toBe('001.png')
    expect(pngSize(readFileSync(join(dir, '007.png')))).toEqual({ width: 1280, height: 720 })
    expect(readFileSync(file('-cover.png')).equals(readFileSync(join(dir, '001.png')))).toBe(true)
  })
})

describe('the audience copy', () => {
  it('is the same deck without a word of the speaker notes', () => {
    const audience = readFileSync(file('-audience.html'), 'utf8')
    const presenter = readFileSync(file('.html'), 'utf8')
    expect(audience).toContain('The brief at a glance')
    for (const slide of withNotes) {
      const sample = (slide.notesText ?? '').slice(0, 40)
      expect(presenter.includes(sample), `presenter copy has “${sample}”`).toBe(true)
      expect(audience.includes(sample), `audience copy has “${sample}”`).toBe(false)
    }
    expect(audience.includes('<div class="bespoke-marp-note"')).toBe(false)
  })
})

describe('fonts of the printed pages', () => {
  it('are loaded for every character of the text before printing, even text not laid out yet; unused scripts stay unloaded', async () => {
    const page$ = join(out, 'fonts.html')
    // Hidden text is never laid out, so only loading the faces its characters need brings its latin-ext face in.
    writeFileSync(
      page$,
      `<!doctype html><meta charset="utf-8"><style>${toolkit.theme.fonts.files} body { font-family: 'Source Sans 3'; }</style><body><p>Briefing</p><p hidden>Vučić</p>`,
    )
    const browser = await session.get()
    const page = await browser.newPage()
    try {
      await page.goto(pathToFileURL(page$).href, { waitUntil: 'load' })
      await loadFontsFor(page)
      const faces = await page.evaluate(() =>
        [...document.fonts]
          .filter((f) => f.family === 'Source Sans 3' && f.weight === '400' && f.style === 'normal')
          .map((f) => ({ range: f.unicodeRange, status: f.status })),
      )
      // Chromium writes the ranges without leading zeros.
      const status = (range: string) => faces.find((f) => f.range.split(', ').includes(range))?.status
      expect(status('U+100-2BA')).toBe('loaded') // latin-ext: č and ć
      expect(status('U+400-45F')).toBe('unloaded') // cyrillic: not in the text
    } finally {
      await page.close()
    }
  })
})
