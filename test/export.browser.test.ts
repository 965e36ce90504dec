import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { parseBrief } from '../deck/brief.ts'
import { browserSession, type BrowserSession } from '../deck/browser.ts'
import { buildBrief, prepare, type Toolkit } from '../deck/build.ts'
import { loadFontsFor } from '../deck/export.ts'
import { buildView } from '../deck/render.ts'
import { formatFigure } from '../deck/text.ts'
import { chartsOf, DEFAULT_BRIEF, outputsIn, readRepoFile, ROOT, tempDir, TEST_BROWSER } from './helpers.ts'
import { fontsDrawing, openPdf, pngSize, readPdf, readPptx } from './readers.ts'

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
    const decode = (xml: string) => xml.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
    expect(decode(notes.get(index + 1) ?? '')).toBe(note)
  })
})

describe('reproducible builds', () => {
  it('building the same brief again gives byte-identical Markdown, HTML and PDFs', async () => {
    const again = tempDir('deck-export-again-')
    await buildBrief(join(ROOT, DEFAULT_BRIEF), toolkit, { outDir: again, formats: new Set(['md', 'html', 'audience', 'pdf', 'handout', 'notes']), browser: session })
    for (const name of outputsIn(again)) expect(readFileSync(join(again, name)).equals(readFileSync(join(out, name))), name).toBe(true)
    expect(outputsIn(again)).toHaveLength(6)
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

  it('draws č and ć (in “Vučić”) with the embedded fonts, in the slides and in the handout', async () => {
    for (const pdf of [file('.pdf'), file('-handout.pdf')]) {
      const fonts = [...(await fontsDrawing(pdf, 'čć'))]
      expect(fonts.length).toBeGreaterThan(0)
      expect(fonts.every((name) => /^Source(Sans3|Serif4)/.test(name)), `${pdf}: ${fonts.join(', ')}`).toBe(true)
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
    expect(info).toMatchObject({ Title: brief.meta.title, Author: 'Ana Krstinovska', Subject: brief.meta.summary.replace('{fig:agreements}', '28'), Language: 'en' })
    expect(String(info.Subject)).toMatch(/^Among the 28 agreements/)
    expect(String(info.Keywords)).toContain('extradition')
  })
})

describe('the handout', () => {
  it('is A4 with three slides a page, the notes beside them and page x of y', async () => {
    const pdf = await readPdf(file('-handout.pdf'))
    expect(pdf.pages).toBe(Math.ceil(slideCount / 3))
    expect(pdf.size.width).toBeCloseTo(595, 0)
    expect(pdf.size.height).toBeCloseTo(842, 0)
    const text = pdf.text.join('\n')
    expect(text).toContain('Four parts, about fifteen minutes, then questions.')
    expect(pdf.text[0]).toContain(`Page 1 of ${pdf.pages}`)
    expect(pdf.text[0]).toContain('Serbia–China extradition treaty')
  })

  it('draws its ruled lines as lines, which every reader shows (no gradient shading)', async () => {
    const { OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs')
    const doc = await openPdf(file('-handout.pdf'))
    const last = await doc.getPage(doc.numPages) // slides 22 and 23 have no notes: lines beside them
    const { fnArray } = await last.getOperatorList()
    expect(fnArray).not.toContain(OPS.shadingFill)
    expect(fnArray.filter((op) => op === OPS.constructPath).length).toBeGreaterThan(10)
    await doc.destroy()
  })

  it('with two slides a page when asked', async () => {
    const two = tempDir('deck-handout-')
    await buildBrief(join(ROOT, DEFAULT_BRIEF), toolkit, { outDir: two, browser: session, formats: new Set(['handout']), handoutPerPage: 2 })
    expect((await readPdf(join(two, 'serbia-china-extradition-handout.pdf'))).pages).toBe(Math.ceil(slideCount / 2))
    expect(outputsIn(two)).toEqual(['serbia-china-extradition-handout.pdf'])
  })
})

describe('notes too long for their space', () => {
  it('are set smaller, and what still does not fit is reported', async () => {
    const dir = tempDir('deck-longnotes-')
    const long = Array.from({ length: 200 }, (_, i) => `Sentence ${i} of a note that goes on and on.`).join(' ')
    writeFileSync(join(dir, 'long.yaml'), readFileSync(join(ROOT, 'test/fixtures/all-layouts.yaml'), 'utf8').replace('    notes: Welcome.', `    notes: ${long}`))
    const result = await buildBrief(join(dir, 'long.yaml'), toolkit, { outDir: dir, browser: session, formats: new Set(['handout', 'notes']) })
    expect(result.warnings).toEqual([
      'the notes of slide 1 do not fit the handout even in smaller type: shorten them, or they are cut off there',
      'the notes of slide 1 do not fit the notes PDF even in smaller type: shorten them, or they are cut off there',
    ])
  })

  it('the default brief’s notes all fit', async () => {
    const result = await buildBrief(join(ROOT, DEFAULT_BRIEF), toolkit, { outDir: tempDir('deck-fit-'), browser: session, formats: new Set(['handout', 'notes']) })
    expect(result.warnings).toEqual([])
  })
})

describe('the notes PDF', () => {
  it('has each slide on its own page with its notes', async () => {
    const pdf = await readPdf(file('-notes.pdf'))
    expect(pdf.pages).toBe(slideCount)
    const page = view.slides.findIndex((s) => s.id === 'liu-v-poland')
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
    writeFileSync(page$, `<!doctype html><meta charset="utf-8"><style>${toolkit.theme.fonts.files} body { font-family: 'Source Sans 3'; }</style><body><p>Briefing</p><p hidden>Vučić</p>`)
    const browser = await session.get()
    const page = await browser.newPage()
    try {
      await page.goto(pathToFileURL(page$).href, { waitUntil: 'load' })
      await loadFontsFor(page)
      const faces = await page.evaluate(() => [...document.fonts].filter((f) => f.family === 'Source Sans 3' && f.weight === '400' && f.style === 'normal').map((f) => ({ range: f.unicodeRange, status: f.status })))
      // Chromium writes the ranges without leading zeros.
      const status = (range: string) => faces.find((f) => f.range.split(', ').includes(range))?.status
      expect(status('U+100-2BA')).toBe('loaded') // latin-ext: č and ć
      expect(status('U+400-45F')).toBe('unloaded') // cyrillic: not in the text
    } finally {
      await page.close()
    }
  })
})
