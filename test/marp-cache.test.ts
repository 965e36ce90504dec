import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'

import type { Marp as MarpClass, MarpOptions } from '@marp-team/marp-core'
import type * as Marpit from '@marp-team/marpit'
import { beforeAll, describe, expect, it } from 'vitest'

import { keepThemeWork } from '../deck/export/marp-cache.ts'
import { readTheme, type Theme } from '../deck/render/theme.ts'
import { ExitCode } from '../deck/shared/errors.ts'
import { deckErrorOf, ROOT } from './helpers.ts'

// The patch that keeps Marp's theme work (export/marp-cache.ts), against the Marp installed:
// the code its cache key stands for, its loud failure, and its renders beside Marp's own.
// Patched here on subclasses, so that Marp itself stays as it is for the other tests; its
// counts of work done, patched as the worker patches it, are in marp.process.test.ts.

const require = createRequire(import.meta.url)
const { Marp } = require('@marp-team/marp-core') as { Marp: typeof MarpClass }
const marpit = require('@marp-team/marpit') as typeof Marpit

/** Marpit's engine methods, which its types call protected. */
const engine = marpit.Marpit.prototype as unknown as Record<'renderStyle' | 'themeSetPackOptions', () => unknown>
const fingerprint = (code: { toString(): string }) => createHash('sha256').update(code.toString()).digest('hex').slice(0, 16)

/**
 * The source of what the patch replaces and of what its cache keys stand for, in Marpit
 * 3.2.3 and Marp Core 4.4.0: a change in one may make the key miss something a style or a
 * theme depends on, and the cache serve a stale one.
 */
const WRITTEN_FOR: [string, () => unknown, string][] = [
  ['Marpit Theme.fromCSS (its key: the CSS, cssNesting, metaType)', () => marpit.Theme.fromCSS, '5288c7725775a23e'],
  ['Marpit ThemeSet#pack (what a packed style depends on)', () => marpit.ThemeSet.prototype.pack, '487bd188cd04adcd'],
  ['Marpit ThemeSet#themes', () => marpit.ThemeSet.prototype.themes, '80cfa7d4e565472b'],
  ['Marpit Marpit#renderStyle', () => engine.renderStyle, 'd5c0dcb1e98e0918'],
  ['Marpit Marpit#themeSetPackOptions', () => engine.themeSetPackOptions, '94822fb6e7443797'],
  ['Marp Core Marp (its constructor adds PostCSS plugins by its options; its themeSetPackOptions)', () => Marp, '099e680b210cc146'],
]

describe('keepThemeWork', () => {
  it.each(WRITTEN_FOR)('%s is the code it was written for', (name, code, hash) => {
    expect(
      fingerprint(code() as { toString(): string }),
      `${name} changed: check that keepThemeWork (deck/export/marp-cache.ts) still keys on everything it reads, then update this fingerprint`,
    ).toBe(hash)
  })

  it('stops, naming what is missing and the version it was written for, when Marp lacks what it replaces', () => {
    const err = deckErrorOf(() => keepThemeWork({ ...marpit, Theme: class {} } as unknown as typeof Marpit, class {} as unknown as typeof MarpClass))
    expect(err.exitCode).toBe(ExitCode.internal)
    expect(err.message).toMatch(
      /^Marp has no Theme\.fromCSS, Marp#renderStyle, Marp#themeSetPackOptions: its theme work cannot be kept\. keepThemeWork \(deck\/export\/marp-cache\.ts\) patches @marp-team\/marpit 3\.2\.3 \(installed: 3\.2\.3\)/,
    )
  })

  describe('patched', () => {
    let theme: Theme
    class CachedTheme extends marpit.Theme {}
    class CachedMarp extends Marp {}
    beforeAll(async () => {
      theme = await readTheme(`${ROOT}/templates/theme.css`)
      keepThemeWork({ ...marpit, Theme: CachedTheme } as typeof Marpit, CachedMarp)
    })

    it('parses a theme once, into the theme Marpit makes', () => {
      const first = CachedTheme.fromCSS(theme.css)
      expect(CachedTheme.fromCSS(theme.css)).toBe(first)
      const own = marpit.Theme.fromCSS(theme.css)
      expect({ ...first, meta: { ...first.meta } }).toEqual({ ...own, meta: { ...own.meta } })
      expect(CachedTheme.fromCSS(theme.css, { cssNesting: true })).not.toBe(first)
    })

    it('renders the same styles as Marp, for engines of other options and decks of other themes rendered in turn', () => {
      const decks = [
        '---\ntheme: brief\n---\n\n# One',
        '---\ntheme: gaia\n---\n\n# Two',
        '# Default\n\n<style>h1 { color: red; }</style>',
        '---\ntheme: brief\nsize: 4:3\n---\n\n# Three',
      ]
      const options: MarpOptions[] = [
        {},
        { inlineSVG: true },
        { minifyCSS: false },
        { container: false },
        { cssContainerQuery: true },
        { html: true, inlineSVG: true },
      ]
      for (let round = 0; round < 2; round += 1)
        for (const opts of options)
          for (const md of decks) {
            const render = (Engine: typeof MarpClass) => {
              const marp = new Engine(opts)
              marp.themeSet.add(theme.css)
              return marp.render(md).css
            }
            expect(render(CachedMarp), `${JSON.stringify(opts)}: ${md}`).toBe(render(Marp))
          }
    })
  })
})
