import type { Marp } from '@marp-team/marp-core'
import type * as Marpit from '@marp-team/marpit'

import { patchFailed } from '../shared/patches.ts'

/**
 * Marp parses the CSS of every theme each time an engine is made (Marp CLI makes one per
 * deck: Marp Core's three built-in themes and ours), and packs the deck's theme anew on
 * every render. Both results depend only on their inputs, so the worker keeps them: a
 * theme is parsed once, and a style is packed once for the same themes, options and
 * deck-wide settings. A Marpit theme is frozen once made, so sharing one is safe. This is
 * most of the time Marp takes on each save in `npm run dev`.
 *
 * A patch of the internals of Marpit 3.2.3 and Marp Core 4.4.0, pinned in package.json.
 * Marpit has no cache of its own and no option for one (lib/theme.js `Theme.fromCSS` runs
 * PostCSS on every call; lib/marpit.js `renderStyle` calls `ThemeSet#pack` on every
 * render), 3.2.3 is its newest release, and no upstream issue about it was found. The
 * style's key holds everything `pack` reads there: the theme set's themes and default,
 * `themeSetPackOptions()` (Marp Core adds to it), and the engine's options, from which
 * Marp Core's constructor registers its PostCSS plugins. Missing methods fail every job
 * of the worker with the message thrown here; test/marp-cache.test.ts fails when the code
 * the keys stand for changes.
 */
export function keepThemeWork(marpit: typeof Marpit, marp: typeof Marp): void {
  const proto = marp.prototype as unknown as Partial<Internals>
  const missing = [
    ['Theme.fromCSS', marpit.Theme?.fromCSS],
    ['ThemeSet#themes', marpit.ThemeSet?.prototype.themes],
    ['Marp#renderStyle', proto.renderStyle],
    ['Marp#themeSetPackOptions', proto.themeSetPackOptions],
  ].filter(([, fn]) => typeof fn !== 'function')
  if (missing.length > 0)
    throw patchFailed(
      '@marp-team/marpit',
      'keepThemeWork (deck/export/marp-cache.ts)',
      `Marp has no ${missing.map(([name]) => name).join(', ')}: its theme work cannot be kept`,
    )
  const LIMIT = 64
  const remember = <T>(cache: Map<string, T>, key: string, make: () => T): T => {
    const known = cache.get(key)
    if (known !== undefined) return known
    const made = make()
    if (cache.size >= LIMIT) cache.clear() // a long dev session with many theme edits never grows without end
    cache.set(key, made)
    return made
  }
  const themes = new Map<string, ReturnType<typeof marpit.Theme.fromCSS>>()
  const fromCSS = marpit.Theme.fromCSS.bind(marpit.Theme)
  marpit.Theme.fromCSS = (css: string, opts: Parameters<typeof fromCSS>[1] = {}) => {
    // Marpit's own scaffold theme is made with a private flag: left alone.
    if (Object.getOwnPropertySymbols(opts).length > 0) return fromCSS(css, opts)
    const meta = Object.entries((opts as { metaType?: Record<string, unknown> }).metaType ?? {}).map(([k, type]) => [
      k,
      (type as { name?: string } | undefined)?.name,
    ])
    return remember(themes, JSON.stringify([css, Boolean((opts as { cssNesting?: boolean }).cssNesting), meta]), () => fromCSS(css, opts))
  }
  const styles = new Map<string, string>()
  const renderStyle = (proto as Internals).renderStyle
  ;(proto as Internals).renderStyle = function (this: Marp & Internals, theme?: string): string {
    const set = this.themeSet
    const key = JSON.stringify([
      theme,
      this.options,
      this.themeSetPackOptions(),
      set.default?.css,
      [...set.themes()].map((t) => [t.name, t.css, t.width, t.height]),
    ])
    return remember(styles, key, () => renderStyle.call(this, theme))
  }
}

/** The methods of Marpit's (and Marp Core's) engine the patch uses, private in their types. */
type Internals = { renderStyle(theme?: string): string; themeSetPackOptions(): unknown; options: unknown }
