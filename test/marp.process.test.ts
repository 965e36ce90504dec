import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

import { beforeAll, describe, expect, it } from 'vitest'

import { type MarpSettings, MarpWorker, readMarpSettings } from '../deck/export/marp.ts'
import { readTheme, type Theme } from '../deck/render/theme.ts'
import { ROOT, runProgram, tempDir } from './helpers.ts'

// Marp's worker against Marp on its own: Marp Core and Marp CLI run in a Node process of their
// own (through tsx), where nothing is kept from earlier work, to prove that what the worker keeps
// between decks changes nothing in what Marp gives. The rest of the worker's tests: marp.test.ts.

const require = createRequire(import.meta.url)
const MARP_CORE = require.resolve('@marp-team/marp-core')
const MARP_CLI = require.resolve('@marp-team/marp-cli')
const MARPIT = createRequire(MARP_CORE).resolve('@marp-team/marpit')

/** Runs `script` in a Node process of its own, where Marp has nothing kept from earlier work (TypeScript modules load through tsx); returns its JSON. */
async function plainNode(script: string): Promise<unknown> {
  const run = await runProgram(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT })
  if (run.code !== 0) throw new Error(run.stderr)
  return JSON.parse(run.stdout)
}

const DECK = '---\ntheme: brief\nsize: 4:3\n---\n\n# One\n\n<style>section { letter-spacing: 0.01em }</style>\n\n---\n\n# Two\n'
/** The same theme with another accent colour: a cached style of the first must not be served for it. */
const recoloured = (theme: Theme): Theme => ({ ...theme, css: `${theme.css}\nsection { --deck-test-accent: #123456; }` })

let settings: MarpSettings
let theme: Theme
beforeAll(async () => {
  settings = await readMarpSettings(`${ROOT}/templates`)
  theme = await readTheme(`${ROOT}/templates/theme.css`)
})

/** DECK and the theme written to a folder of their own, and the arguments Marp CLI converts them with. */
function deckOnDisk(): { dir: string; md: string; themeFile: string; cliArgs: string[] } {
  const dir = tempDir()
  const themeFile = join(dir, 'brief.css')
  writeFileSync(themeFile, theme.css)
  const md = join(dir, 'deck.md')
  writeFileSync(md, DECK)
  return { dir, md, themeFile, cliArgs: [md, '--no-stdin', '--config-file', settings.file, '--theme-set', themeFile] }
}

describe("Marp's worker", () => {
  it('keeps parsed themes and packed styles, and gives exactly what Marp gives without them, also after the theme changes', async () => {
    const other = recoloured(theme)
    const options = { ...settings.options, html: settings.html, script: false }
    const plain = (await plainNode(`
      const { Marp } = require(${JSON.stringify(MARP_CORE)})
      const render = (css) => { const m = new Marp(${JSON.stringify(options)}); m.themeSet.add(css); const { html, css: style } = m.render(${JSON.stringify(DECK)}, { htmlAsArray: true }); return { slides: html, css: style } }
      process.stdout.write(JSON.stringify([render(${JSON.stringify(theme.css)}), render(${JSON.stringify(other.css)})]))
    `)) as { slides: string[]; css: string }[]
    const worker = new MarpWorker()
    try {
      const first = await worker.slides(DECK, theme, settings)
      const again = await worker.slides(DECK, theme, settings)
      const changed = await worker.slides(DECK, other, settings)
      expect(first).toEqual(plain[0])
      expect(again).toEqual(plain[0])
      expect(changed).toEqual(plain[1])
      expect(changed.css).toContain('#123456')
    } finally {
      await worker.close()
    }
  })

  it('writes the same HTML deck as Marp CLI on its own, every time (its Content-Security-Policy aside)', async () => {
    const { dir, md, themeFile, cliArgs } = deckOnDisk()
    const plain = await plainNode(`
      const { marpCli } = require(${JSON.stringify(MARP_CLI)})
      console.warn = () => {}
      marpCli(${JSON.stringify([...cliArgs, '-o', join(dir, 'plain.html')])}, {}).then((status) => process.stdout.write(JSON.stringify({ status })))
    `)
    expect(plain).toEqual({ status: 0 })
    const expected = readFileSync(join(dir, 'plain.html'), 'utf8')
    const worker = new MarpWorker()
    try {
      for (let round = 0; round < 3; round += 1) {
        const [deck] = await worker.html({ settings, inputs: [md], themeFile })
        const written = readFileSync(deck?.file ?? '', 'utf8')
        expect(deck?.text).toBe(written)
        expect(written.replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, '')).toBe(expected)
      }
    } finally {
      await worker.close()
    }
  })

  it('parses a theme and packs a style once: a second engine, and Marp CLI run again, do neither again', async () => {
    const { cliArgs } = deckOnDisk()
    const counts = (await plainNode(`
      const marpit = require(${JSON.stringify(MARPIT)})
      const { Marp } = require(${JSON.stringify(MARP_CORE)})
      const { marpCli } = require(${JSON.stringify(MARP_CLI)})
      console.warn = () => {}
      const count = { parsed: 0, packed: 0 }
      const fromCSS = marpit.Theme.fromCSS
      marpit.Theme.fromCSS = function (...args) { count.parsed += 1; return fromCSS.apply(this, args) }
      const pack = marpit.ThemeSet.prototype.pack
      marpit.ThemeSet.prototype.pack = function (...args) { count.packed += 1; return pack.apply(this, args) }
      const render = () => { const m = new Marp(${JSON.stringify({ ...settings.options, html: settings.html })}); m.themeSet.add(${JSON.stringify(theme.css)}); m.render(${JSON.stringify(DECK)}) }
      const cli = () => marpCli(${JSON.stringify(cliArgs)}, {})
      ;(async () => {
        const { keepThemeWork } = await import(${JSON.stringify(`${ROOT}/deck/export/marp-cache.ts`)})
        keepThemeWork(marpit, Marp)
        const seen = []
        render(); seen.push({ ...count })
        render(); seen.push({ ...count })
        await cli(); seen.push({ ...count })
        await cli(); seen.push({ ...count })
        process.stdout.write(JSON.stringify(seen))
      })()
    `)) as { parsed: number; packed: number }[]
    const [engine, again, cli, cliAgain] = counts
    expect(engine?.parsed).toBeGreaterThan(0)
    expect(again).toEqual(engine)
    expect(cli?.packed).toBeGreaterThan(engine?.packed ?? 0) // Marp CLI's engine is set up otherwise: its style is packed once…
    expect(cliAgain).toEqual(cli) // …and not again
  })
})
