import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

import { beforeAll, describe, expect, it } from 'vitest'

import { buildBrief } from '../deck/build.ts'
import { readDeck } from '../deck/deck.ts'
import { browserSuite, DEFAULT_BRIEF, ROOT, runProgram, tempDir } from './helpers.ts'
import { hasPoppler } from './readers.ts'
import { greyPages, inkDifference, overlap, type Page, pagesOf } from './visual.ts'

// The editable PowerPoint as LibreOffice Impress draws it, slide by slide beside the deck's
// own slide (its PDF), compared where the ink is (test/visual.ts): the share of one picture's
// ink farther than 20 CSS pixels from any of the other's. Twice: with the deck's fonts
// installed (Adobe's Source Sans 3 and Source Serif 4, from npm), and with only the fonts a
// machine without them has in their place (Liberation Sans and Serif: Arial's and Times New
// Roman's metrics, which PowerPoint substitutes for a sans and a serif it lacks).
//
// The thresholds, measured on the default deck (25 slides) and its Serbian briefing (8):
// with the deck's fonts, a slide differs by at most 15.3 % (a figure whose label LibreOffice
// sets a little lower; all others under 13 %); with the fallback fonts, by at most 37.1 %
// (points wrapped a word earlier in the wider Liberation Sans). Two consecutive slides of
// different layouts differ by 42 % or more, and the last test holds the measure to that: a
// slide over its threshold looks like another slide, not like itself in other type.
const DECK_FONTS = 0.2
const FALLBACK_FONTS = 0.4

const suite = browserSuite()
const require = createRequire(import.meta.url)
const hasSoffice = spawnSync('soffice', ['--version']).error === undefined
const hasLiberation = [
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf',
].some(existsSync)

const DECKS = [
  { name: 'serbia-china-extradition', variant: undefined },
  { name: 'serbia-china-extradition.briefing-sr', variant: 'briefing-sr' },
] as const
type Fonts = 'deck' | 'fallback'

const pages = new Map<string, Uint8Array[]>()
/** Each word LibreOffice drew, by deck and fonts, as pdftotext reads it. */
const words = new Map<string, Page[]>()
let layouts: string[] = []

/** A fontconfig file: the system's fonts, and either the deck's fonts or Liberation in their place. */
function fontconfig(dir: string, fonts: Fonts): string {
  const files = join(dir, `fonts-${fonts}`)
  mkdirSync(files, { recursive: true })
  if (fonts === 'deck') {
    const ttf = (pkg: string) => join(dirname(require.resolve(`${pkg}/package.json`)), 'TTF')
    for (const style of ['Regular', 'Bold', 'It', 'BoldIt']) {
      symlinkSync(join(ttf('source-sans'), `SourceSans3-${style}.ttf`), join(files, `SourceSans3-${style}.ttf`))
      symlinkSync(join(ttf('source-serif'), `SourceSerif4-${style}.ttf`), join(files, `SourceSerif4-${style}.ttf`))
    }
  }
  const alias = (from: string, to: string) =>
    `<match target="pattern"><test name="family"><string>${from}</string></test><edit name="family" mode="assign" binding="strong"><string>${to}</string></edit></match>`
  const file = join(dir, `fonts-${fonts}.conf`)
  writeFileSync(
    file,
    `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>${files}</dir><cachedir>${join(dir, `fc-cache-${fonts}`)}</cachedir>${
      fonts === 'fallback' ? `${alias('Source Sans 3', 'Liberation Sans')}${alias('Source Serif 4', 'Liberation Serif')}` : ''
    }</fontconfig>`,
  )
  return file
}

describe.skipIf(!hasSoffice || !hasPoppler || !hasLiberation)('the PowerPoint beside the deck, slide by slide', () => {
  beforeAll(async () => {
    const dir = tempDir('deck-pptx-visual-')
    for (const { name, variant } of DECKS) {
      await buildBrief(join(ROOT, DEFAULT_BRIEF), suite.toolkit, { outDir: dir, browser: suite.session, variant, formats: new Set(['pdf', 'pptx']) })
      pages.set(`${name} slides`, greyPages(join(dir, `${name}.pdf`), dir, `${name}-slides`))
    }
    layouts = (await readDeck(join(ROOT, DEFAULT_BRIEF), suite.toolkit)).view.slides.map((s) => s.partial)
    for (const fonts of ['deck', 'fallback'] as const) {
      const out = join(dir, fonts)
      const office = await runProgram(
        'soffice',
        [
          `-env:UserInstallation=${pathToFileURL(join(dir, `profile-${fonts}`)).href}`,
          '--headless',
          '--convert-to',
          'pdf',
          '--outdir',
          out,
          ...DECKS.map((d) => join(dir, `${d.name}.pptx`)),
        ],
        { env: { ...process.env, FONTCONFIG_FILE: fontconfig(dir, fonts), HOME: dir } },
      )
      expect(office.code, office.stderr).toBe(0)
      for (const { name } of DECKS) {
        pages.set(`${name} ${fonts}`, greyPages(join(out, `${name}.pdf`), dir, `${name}-${fonts}`))
        words.set(`${name} ${fonts}`, pagesOf(join(out, `${name}.pdf`)))
      }
    }
  })

  for (const { name } of DECKS)
    for (const [fonts, threshold] of [
      ['deck', DECK_FONTS],
      ['fallback', FALLBACK_FONTS],
    ] as const)
      it(`${name}, with the ${fonts === 'deck' ? 'deck’s fonts' : 'fallback fonts only'}: every slide within ${threshold * 100} % of the deck’s`, () => {
        const deck = pages.get(`${name} slides`) ?? []
        const office = pages.get(`${name} ${fonts}`) ?? []
        expect(deck.length).toBeGreaterThan(5)
        expect(office).toHaveLength(deck.length)
        const over = deck.flatMap((page, i) => {
          const difference = inkDifference(page, office[i] ?? new Uint8Array())
          return difference > threshold ? [`slide ${i + 1}: ${(difference * 100).toFixed(1)} %`] : []
        })
        expect(over).toEqual([])
      })

  for (const { name } of DECKS)
    it(`${name}, with the deck’s fonts: nothing outside the slide, no line of text over another`, () => {
      // With the fallback fonts, test/pptx-libreoffice.process.test.ts checks the same.
      const drawn = words.get(`${name} deck`) ?? []
      expect(drawn.length).toBeGreaterThan(5)
      for (const [i, page] of drawn.entries()) {
        for (const w of page.words)
          expect(w.x0 >= 0 && w.y0 >= 0 && w.x1 <= page.width + 0.5 && w.y1 <= page.height + 0.5, `slide ${i + 1}: "${w.text}" at ${w.x0},${w.y0}`).toBe(true)
        for (const [j, a] of page.words.entries())
          for (const b of page.words.slice(j + 1)) expect(overlap(a, b), `slide ${i + 1}: "${a.text}" and "${b.text}" overlap`).toBeLessThan(0.25)
      }
    })

  it('tells slides apart: two consecutive slides of different layouts differ by more than either threshold', () => {
    const deck = pages.get('serbia-china-extradition slides') ?? []
    expect(layouts).toHaveLength(deck.length)
    const pairs = deck.slice(1).flatMap((page, i) => (layouts[i] !== layouts[i + 1] ? [{ i, difference: inkDifference(deck[i] ?? page, page) }] : []))
    expect(pairs.length).toBeGreaterThan(10)
    for (const { i, difference } of pairs) expect(difference, `slides ${i + 1} and ${i + 2}`).toBeGreaterThan(FALLBACK_FONTS)
  })
})
