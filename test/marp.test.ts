import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'

import { beforeAll, describe, expect, it } from 'vitest'

import { parseBrief } from '../deck/brief/brief.ts'
import { prepare } from '../deck/deck.ts'
import { type MarpSettings, MarpWorker, readMarpSettings, withoutNotes } from '../deck/export/marp.ts'
import type { MarpReply, MarpWorkerData } from '../deck/export/marp.worker.ts'
import { renderDeck } from '../deck/render/render.ts'
import { readTheme, type Theme } from '../deck/render/theme.ts'
import { sideBundle } from '../deck/shared/bundles.ts'
import { ExitCode } from '../deck/shared/errors.ts'
import { chartsOf, deckErrorOf, fixture, ROOT, tempDir } from './helpers.ts'

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

  it('answers every job with the patch’s message when Marp is not what marp-cache.ts patches', async () => {
    const require = createRequire(import.meta.url)
    const fakeMarpit = join(tempDir(), 'marpit.cjs')
    writeFileSync(fakeMarpit, 'module.exports = { Theme: {}, ThemeSet: class {} }')
    const workerData: MarpWorkerData = {
      marpCore: require.resolve('@marp-team/marp-core'),
      marpit: fakeMarpit,
      marpCli: require.resolve('@marp-team/marp-cli'),
      preloadCli: false,
    }
    const worker = new Worker(sideBundle('marp.worker'), { workerData })
    try {
      const reply = await new Promise<MarpReply>((resolve, reject) => {
        worker.on('message', (message: MarpReply | { ready: number }) => {
          if ('id' in message) resolve(message)
        })
        worker.on('error', reject)
        worker.postMessage({ id: 7, kind: 'html', args: [] })
      })
      expect(reply).toMatchObject({ id: 7, patch: true })
      expect(reply.error).toMatch(
        /^Marp has no Theme\.fromCSS, ThemeSet#themes: its theme work cannot be kept\. keepThemeWork \(deck\/export\/marp-cache\.ts\) patches @marp-team\/marpit 3\.2\.3/,
      )
    } finally {
      await worker.terminate()
    }
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
      expect(deck?.text, 'Marp CLI no longer writes notes as withoutNotes (deck/export/marp.ts) expects them').toMatch(
        /<div class="bespoke-marp-note" data-index="1" tabindex="0"><p>A note with &lt;\/div&gt; in it/,
      )
      expect(withoutNotes(deck?.text ?? ''), 'withoutNotes (deck/export/marp.ts) no longer makes what Marp CLI writes without the notes: revisit it').toBe(
        audience?.text,
      )
    } finally {
      await worker.close()
    }
  })
})

describe('withoutNotes', () => {
  const head = '<style>.bespoke-marp-note{display:none}</style><script>document.querySelectorAll(".bespoke-marp-note")</script>'
  it('removes each note as Marp CLI’s bespoke template writes it, and nothing else', () => {
    const notes =
      '<div class="bespoke-marp-note" data-index="0" tabindex="0"><p>One</p></div><div class="bespoke-marp-note" data-index="12" tabindex="0"><p>a</p><p>b</p></div>'
    expect(withoutNotes(`${head}<div class="bespoke-marp">slides</div>${notes}<script>x</script>`)).toBe(
      `${head}<div class="bespoke-marp">slides</div><script>x</script>`,
    )
    expect(withoutNotes(head)).toBe(head) // a deck without notes
  })

  it('stops, as a bug naming the patch, when the notes are written otherwise or not named at all', () => {
    for (const html of [
      `${head}<div class="bespoke-marp-note" tabindex="0" data-index="0"><p>One</p></div>`,
      `${head}<div data-index="0" class="bespoke-marp-note"><p>One</p></div>`,
      '<div class="marp-note" data-index="0"><p>One</p></div>',
    ]) {
      const err = deckErrorOf(() => withoutNotes(html))
      expect(err.exitCode).toBe(ExitCode.internal)
      expect(err.message).toMatch(/withoutNotes \(deck\/export\/marp\.ts\) patches @marp-team\/marp-cli 4\.5\.1 \(installed: 4\.5\.1\)/)
    }
  })
})
