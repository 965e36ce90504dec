import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { parseBrief } from '../deck/brief/brief.ts'
import { DEFAULT_HANDOUT, handoutGeometry, handoutText, PAGE, PRINT_TYPE, printDocuments, printedPt, READABLE, SHEET } from '../deck/render/print.ts'
import { buildView } from '../deck/render/render.ts'
import { compilePrintTemplates, readTemplates } from '../deck/render/templates.ts'
import { readTheme } from '../deck/render/theme.ts'
import { chartsOf, DEFAULT_BRIEF, readRepoFile, ROOT } from './helpers.ts'

// The printed pages' geometry and content, decided before any browser sees them.
// The browser suite (print.browser.test.ts) measures that the pages keep to it.

const theme = await readTheme(join(ROOT, 'templates/theme.css'))
const px = (token: string) => Number.parseFloat(theme.tokens[token] ?? '')
const SHAPES = { '16:9': { width: 1280, height: 720 }, '4:3': { width: 960, height: 720 } }

describe('the handout is readable on paper at its default layout', () => {
  it.each(Object.entries(SHAPES))('%s: slide body text at 8 pt or more, captions at 6 pt or more, handout text at 9 pt or more', (_, size) => {
    const g = handoutGeometry(DEFAULT_HANDOUT, size)
    expect(g.placement).toBe('below')
    expect(printedPt(px('size-text'), g.scale)).toBeGreaterThanOrEqual(READABLE.body)
    expect(printedPt(px('size-caption'), g.scale)).toBeGreaterThanOrEqual(READABLE.smallest)
    // Room for at least four lines of handout text below the slide, and ruled lines whose last keeps a line's height
    // clear of the footer's rule (on the last row, SHEET.footGap below the slot), so the two never read as a double line.
    expect(g.text.height).toBeGreaterThanOrEqual(4 * PRINT_TYPE.handout.size * 0.3528 * 1.35)
    expect(g.ruledLines).toBeGreaterThanOrEqual(2)
    expect(g.text.height + SHEET.footGap - g.ruledLines * SHEET.ruledLine).toBeGreaterThanOrEqual(SHEET.ruledLine)
  })

  it('a slide printed full width between the margins, in a 16:9 deck', () => {
    const g = handoutGeometry(2, SHAPES['16:9'])
    expect(g.slideWidth).toBeCloseTo(PAGE.width - PAGE.left - PAGE.right, 5)
    expect(g.text.width).toBe(g.slideWidth)
  })

  it('three slides a page is an option that cannot reach it: its text sits beside smaller slides', () => {
    const g = handoutGeometry(3, SHAPES['16:9'])
    expect(g.placement).toBe('beside')
    expect(printedPt(px('size-text'), g.scale)).toBeLessThan(READABLE.body)
  })

  it('two rows of the default layout fit the page: slide, heading and text, with the gaps, header and footer', () => {
    for (const size of Object.values(SHAPES)) {
      const g = handoutGeometry(2, size)
      const row = (g.slideWidth * size.height) / size.width + SHEET.pictureGap + SHEET.label + g.text.height
      const around = SHEET.head + 2 * SHEET.rowGap + SHEET.footGap + SHEET.foot
      expect(2 * row + around).toBeLessThanOrEqual(PAGE.height - PAGE.top - PAGE.bottom + 1e-9)
    }
  })
})

describe('what is printed beside a slide', () => {
  const brief = parseBrief(readRepoFile(DEFAULT_BRIEF), DEFAULT_BRIEF)
  it('its audience text, else its speaker notes only when the brief asks for them', () => {
    expect(handoutText(brief, { handoutText: 'For the reader.', notesText: 'For the speaker.' })).toBe('For the reader.')
    expect(handoutText(brief, { handoutText: undefined, notesText: 'For the speaker.' })).toBeUndefined()
    expect(handoutText({ ...brief, handout: { speakerNotes: true } }, { handoutText: undefined, notesText: 'For the speaker.' })).toBe('For the speaker.')
  })

  it('the default brief gives most slides audience text, with its figures filled in', async () => {
    const view = buildView(brief, { charts: await chartsOf(brief) })
    const withText = view.slides.filter((s) => s.handoutText)
    expect(withText.length).toBeGreaterThan(view.slides.length / 2)
    expect(view.slides.find((s) => s.id === 'agreements')?.handoutText).toMatch(/^The extradition treaty was one of 28 agreements/)
    // Audience text is written for the reader: none repeats the speaker's notes.
    for (const s of withText) expect(s.handoutText).not.toBe(s.notesText)
  })
})

describe('the printed pages take every colour from the theme', () => {
  const dir = join(ROOT, 'templates/print')
  it.each(readdirSync(dir))('print/%s has no colour of its own', (name) => {
    const source = readFileSync(join(dir, name), 'utf8')
    expect(source).not.toMatch(/#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/i)
  })

  it('the page’s variables and the print palette come from theme.css', async () => {
    const brief = parseBrief(readRepoFile(DEFAULT_BRIEF), DEFAULT_BRIEF)
    const view = buildView(brief, { charts: await chartsOf(brief) })
    const svg = '<svg viewBox="0 0 1280 720"></svg>'
    const rendered = { slides: view.slides.map(() => svg), css: '' }
    const print = compilePrintTemplates(await readTemplates(join(ROOT, 'templates')))
    const docs = printDocuments(brief, view, rendered, print, { handoutPerPage: 2, fonts: '', tokens: theme.tokens })
    expect(docs.handout).toContain('--navy: #14305a;')
    // The divider's navy (--divider-paper) prints as the theme's --print-divider-paper, the tint.
    expect(docs.handout).toContain('--divider-paper: #f3f5f8;')
    expect(docs.notes).toContain('--divider-paper: #f3f5f8;')
    // A theme value cannot close the page's style element.
    const hostile = printDocuments(brief, view, rendered, print, {
      handoutPerPage: 2,
      fonts: '',
      tokens: { ...theme.tokens, ink: '#000</style><script>x()</script>' },
    })
    expect(hostile.handout).not.toContain('</style><script>')
  })
})

describe('the notes pages and the slide pictures on paper', () => {
  const svg = '<svg viewBox="0 0 1280 720"></svg>'
  const documents = async (notes: (i: number) => string | undefined, handoutPerPage: 2 | 3 = 2) => {
    const brief = parseBrief(readRepoFile(DEFAULT_BRIEF), DEFAULT_BRIEF)
    const theme = await readTheme(join(ROOT, 'templates/theme.css'))
    const view = buildView(brief, { charts: await chartsOf(brief) })
    const shown = { ...view, slides: view.slides.map((s, i) => ({ ...s, notesText: notes(i) })) }
    const print = compilePrintTemplates(await readTemplates(join(ROOT, 'templates')))
    return {
      view,
      docs: printDocuments(brief, shown, { slides: view.slides.map(() => svg), css: '' }, print, { handoutPerPage, fonts: '', tokens: theme.tokens }),
    }
  }
  const sheets = (html: string) => html.split('<div class="p-sheet">').slice(1)
  const rows = (sheet: string) => (sheet.match(/<div class="p-row" data-slide="\d+">/g) ?? []).length

  it('puts two slides on a notes page when both their notes fit half of it at 14 pt, and one when they do not', async () => {
    const short = await documents(() => 'Four parts, about fifteen minutes, then questions.')
    expect(sheets(short.docs.notes).map(rows)).toEqual(
      Array.from({ length: Math.ceil(short.view.slides.length / 2) }, (_, i) => (2 * i + 1 < short.view.slides.length ? 2 : 1)),
    )
    // Notes of six long lines take the room two slides would share: each has its page.
    const long = await documents((i) => (i === 0 ? 'A sentence of the speaker’s notes that runs on for a while. '.repeat(8) : 'Short.'))
    expect(rows(sheets(long.docs.notes)[0] ?? '')).toBe(1)
    expect(rows(sheets(long.docs.notes)[1] ?? '')).toBe(2)
    expect(sheets(long.docs.notes).at(-1)).toContain(`Page ${sheets(long.docs.notes).length} of ${sheets(long.docs.notes).length}`)
  })

  it('prints footnote markers at 6 pt or more on the default handout and the notes pages, and leaves them be three a page', async () => {
    const { docs } = await documents(() => undefined)
    // A 1280 px slide 170 mm wide is printed at 0.502: 6 pt there is 15.94 px on the slide, rounded up to a tenth.
    expect(docs.handout).toMatch(/--marker-min: 16px;/)
    expect(docs.notes).toMatch(/--marker-min: 16px;/)
    expect((await documents(() => undefined, 3)).docs.handout).toMatch(/--marker-min: 0px;/)
  })
})
