import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

import JSZip from 'jszip'
import { beforeAll, describe, expect, it } from 'vitest'

import { buildBrief } from '../deck/build.ts'
import { prepare } from '../deck/deck.ts'
import { DEFAULT_BRIEF, fixture, ROOT, runProgram, tempDir } from './helpers.ts'
import { type AddedSlide, packageProblems, withSlideFromEachLayout } from './pptx-valid.ts'
import { decodeXml, hasPoppler } from './readers.ts'
import { overlap, type Page, pagesOf, type Word } from './visual.ts'

// The editable PowerPoint opened in another program than the one that wrote it:
// LibreOffice Impress, headless, converts it to PDF, and poppler reads every word's box.
// The theme's fonts are replaced by Liberation Sans and Serif (Arial's and Times New
// Roman's metrics), as on a colleague's machine without them: the text must still fit.
// Skipped where LibreOffice is missing; .ci/run installs it.

const hasSoffice = spawnSync('soffice', ['--version']).error === undefined
const hasLiberation = [
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf',
].some(existsSync)

/** The words of a slide's text runs, but for a title kept above the slide (not shown). */
async function slideWords(zip: JSZip, n: number): Promise<string[]> {
  const xml = (await zip.file(`ppt/slides/slide${n}.xml`)?.async('string')) ?? ''
  const shown = xml.split('<p:sp>').filter((shape) => !/<a:off x="-?\d+" y="-\d+"/.test(shape))
  return shown
    .flatMap((shape) => [...shape.matchAll(/<a:t>([^<]*)<\/a:t>/g)].flatMap((m) => decodeXml(m[1] ?? '').split(/[\s\u00A0]+/)))
    .filter((w) => w.length >= 3)
}

/** The default brief, its Serbian briefing, every layout once (in 4:3 too), and the next brief's fixture. */
const decks = ['serbia-china-extradition', 'serbia-china-extradition.briefing-sr', 'all-layouts', 'all-layouts-4x3', 'eu-enlargement'] as const
const converted = new Map<string, { pages: Page[]; zip: JSZip; bytes: Uint8Array }>()
let officeSaid = ''
let added: AddedSlide[] = []
let addedPages: Page[] = []

describe.skipIf(!hasSoffice || !hasPoppler || !hasLiberation)('the editable PowerPoint in LibreOffice Impress', () => {
  beforeAll(async () => {
    const dir = tempDir('deck-pptx-lo-')
    const toolkit = await prepare({ templatesDir: join(ROOT, 'templates'), themeFile: join(ROOT, 'templates/theme.css') })
    await buildBrief(join(ROOT, DEFAULT_BRIEF), toolkit, { outDir: dir, formats: new Set(['pptx']) })
    await buildBrief(join(ROOT, DEFAULT_BRIEF), toolkit, { outDir: dir, formats: new Set(['pptx']), variant: 'briefing-sr' })
    for (const name of ['all-layouts', 'eu-enlargement'])
      await buildBrief(join(ROOT, 'test/fixtures', `${name}.yaml`), toolkit, { outDir: dir, formats: new Set(['pptx']) })
    writeFileSync(join(dir, 'all-layouts-4x3.yaml'), fixture('all-layouts.yaml').replace(/^ {2}language: en$/m, '  language: en\n  size: "4:3"'))
    await buildBrief(join(dir, 'all-layouts-4x3.yaml'), toolkit, { outDir: dir, formats: new Set(['pptx']) })
    // Without the theme's fonts: Liberation in their place, as Arial and Times New Roman on a PowerPoint machine.
    const fonts = join(dir, 'fonts.conf')
    const alias = (from: string, to: string) =>
      `<match target="pattern"><test name="family"><string>${from}</string></test><edit name="family" mode="assign" binding="strong"><string>${to}</string></edit></match>`
    writeFileSync(
      fonts,
      `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><cachedir>${join(dir, 'fc-cache')}</cachedir>${alias('Source Sans 3', 'Liberation Sans')}${alias('Source Serif 4', 'Liberation Serif')}</fontconfig>`,
    )
    // The default deck with a slide added from each of its layouts, as a colleague adds one.
    const withAdded = await withSlideFromEachLayout(readFileSync(join(dir, 'serbia-china-extradition.pptx')))
    writeFileSync(join(dir, 'added-slides.pptx'), withAdded.bytes)
    added = withAdded.added
    const files = [...decks.map((d) => join(dir, `${d}.pptx`)), join(dir, 'added-slides.pptx')]
    // Not synchronously: a conversion that takes a minute on a busy machine would block the test's thread.
    const office = await runProgram(
      'soffice',
      [`-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, ...files],
      { env: { ...process.env, FONTCONFIG_FILE: fonts, HOME: dir } },
    )
    expect(office.code, office.stderr).toBe(0)
    officeSaid = office.stdout
    addedPages = pagesOf(join(dir, 'added-slides.pdf')).slice(-added.length)
    for (const d of decks) {
      const bytes = readFileSync(join(dir, `${d}.pptx`))
      converted.set(d, { pages: pagesOf(join(dir, `${d}.pdf`)), zip: await JSZip.loadAsync(bytes), bytes })
    }
  })

  for (const deck of decks) {
    it(`${deck}: a valid package (test/pptx-valid.ts), converted as a presentation`, async () => {
      const { bytes } = converted.get(deck) ?? { bytes: new Uint8Array() }
      expect(await packageProblems(bytes)).toEqual([])
      expect(officeSaid).toMatch(new RegExp(`${deck.replace(/\./g, '\\.')}\\.pptx -> \\S+ using filter : impress_pdf_Export`))
    })

    it(`${deck}: one page per slide, every word of every slide on its page`, async () => {
      const { pages, zip } = converted.get(deck) ?? { pages: [], zip: new JSZip() }
      const slides = Object.keys(zip.files).filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n)).length
      expect(pages).toHaveLength(slides)
      for (const [i, page] of pages.entries()) {
        const text = page.words.map((w) => w.text).join(' ')
        for (const word of await slideWords(zip, i + 1)) expect(text, `slide ${i + 1}`).toContain(word)
      }
    })

    it(`${deck}: nothing outside the slide, no line of text over another`, () => {
      const { pages } = converted.get(deck) ?? { pages: [] }
      for (const [i, page] of pages.entries()) {
        for (const w of page.words) {
          expect(
            w.x0 >= 0 && w.y0 >= 0 && w.x1 <= page.width + 0.5 && w.y1 <= page.height + 0.5,
            `slide ${i + 1}: "${w.text}" at ${w.x0},${w.y0}–${w.x1},${w.y1}`,
          ).toBe(true)
        }
        for (const [j, a] of page.words.entries()) {
          for (const b of page.words.slice(j + 1)) expect(overlap(a, b), `slide ${i + 1}: "${a.text}" and "${b.text}" overlap`).toBeLessThan(0.25)
        }
      }
    })
  }

  it('a slide added from each layout, as a colleague adds one, sets its title and points in their places, in the master’s sizes', () => {
    expect(added.length).toBeGreaterThanOrEqual(11)
    expect(addedPages).toHaveLength(added.length)
    // A word's box is its font's: it reaches a descender's depth (a sixth of its height) below the line.
    const inside = (w: Word, box: AddedSlide['title']['box']) => {
      const slack = (w.y1 - w.y0) / 6
      return w.x0 >= box.x - 2 && w.x1 <= box.x + box.w + 2 && w.y0 >= box.y - slack && w.y1 <= box.y + box.h + slack
    }
    const height = (words: Word[]) => Math.max(...words.map((w) => w.y1 - w.y0))
    for (const [i, slide] of added.entries()) {
      const words = addedPages[i]?.words ?? []
      const of = (text: string) => words.filter((w) => text.split(' ').includes(w.text))
      const title = of(slide.title.text)
      expect(title.map((w) => w.text).join(' '), slide.layout).toBe(slide.title.text)
      for (const w of title) expect(inside(w, slide.title.box), `${slide.layout}: title word "${w.text}" outside its place`).toBe(true)
      if (!slide.body) continue
      // Every word typed is drawn, before where and how large it is drawn is compared.
      for (const p of slide.body.paragraphs)
        for (const word of p.text.split(' '))
          expect(
            words.some((w) => w.text === word),
            `${slide.layout}: "${word}" is not drawn`,
          ).toBe(true)
      const [first, , under] = slide.body.paragraphs.map((p) => of(p.text))
      for (const w of slide.body.paragraphs.flatMap((p) => of(p.text)))
        expect(inside(w, slide.body.box), `${slide.layout}: "${w.text}" outside the body's place`).toBe(true)
      // A title is larger than its points on the slides' layouts, a point under another smaller than its parent.
      if (slide.layout !== 'title' && slide.layout !== 'section') {
        expect(height(title), slide.layout).toBeGreaterThan(height(first ?? []))
        expect(height(under ?? []), slide.layout).toBeLessThan(height(first ?? []))
      }
    }
  })
})
