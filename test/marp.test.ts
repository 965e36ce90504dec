import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { beforeAll, describe, expect, it } from 'vitest'

import { parseBrief } from '../deck/brief/brief.ts'
import { prepare } from '../deck/deck.ts'
import { type MarpSettings, MarpWorker, readMarpSettings, withoutNotes } from '../deck/export/marp.ts'
import { renderDeck } from '../deck/render/render.ts'
import { readTheme, type Theme } from '../deck/render/theme.ts'
import { chartsOf, fixture, ROOT, tempDir } from './helpers.ts'

// Marp's worker (a worker thread, in this process): the slides and HTML decks it renders. Its
// comparisons with Marp run on its own, in a fresh Node process, are in marp.process.test.ts.

let settings: MarpSettings
let theme: Theme
beforeAll(async () => {
  settings = await readMarpSettings(`${ROOT}/templates`)
  theme = await readTheme(`${ROOT}/templates/theme.css`)
})

describe("Marp's worker", () => {
  it('renders one <svg> per slide for the printed pages', async () => {
    const worker = new MarpWorker()
    try {
      const { slides, css } = await worker.slides('---\ntheme: brief\n---\n\n# One\n\n---\n\n# Two\n', theme, settings)
      expect(slides).toHaveLength(2)
      expect(slides[1]).toContain('Two')
      expect(css).toContain('section')
    } finally {
      await worker.close()
    }
  })

  it('once stopped, refuses new work at once instead of waiting forever', async () => {
    const worker = new MarpWorker()
    await worker.close()
    await expect(worker.slides('# x', theme, settings)).rejects.toThrow(/Marp Core could not render the slides: Marp's worker stopped/)
  })

  it('makes the audience copy from the deck: the same bytes as Marp writes from the Markdown without notes, whatever the notes say', async () => {
    const toolkit = await prepare()
    const brief = parseBrief(fixture('all-layouts.yaml'), 'all-layouts.yaml')
    const slide = brief.slides[1]
    if (slide) slide.notes = 'A note with </div> in it, <script>alert(1)</script>, *stars*,\n\n- a list\n- of two\n\n<!-- a comment -->'
    const charts = await chartsOf(brief)
    const dir = tempDir()
    const themeFile = join(dir, `${toolkit.theme.name}.css`)
    writeFileSync(themeFile, toolkit.theme.css)
    const deckMd = join(dir, 'deck.md')
    const audienceMd = join(dir, 'audience.md')
    writeFileSync(deckMd, renderDeck(brief, toolkit.render, { charts }))
    writeFileSync(audienceMd, renderDeck(brief, toolkit.render, { charts, notes: false }))
    const worker = new MarpWorker({ html: true })
    try {
      const [deck, audience] = await worker.html({ settings: toolkit.marp, inputs: [deckMd, audienceMd], themeFile, headCss: toolkit.theme.fonts.inline })
      expect(deck?.text).toContain('a list')
      expect(withoutNotes(deck?.text ?? '')).toBe(audience?.text)
    } finally {
      await worker.close()
    }
  })
})
