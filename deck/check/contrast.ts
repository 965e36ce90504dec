// WCAG contrast of the theme's text colours on the backgrounds the layouts put them
// on, computed from the theme's own variables (`--ink`, `--paper`, …).
import { printPalette, resolveTokens } from '../render/tokens.ts'

const RE_HEX = /^#([0-9a-f]{6}|[0-9a-f]{3})$/i

/** Relative luminance of an sRGB colour written #rrggbb or #rgb. */
export function luminance(hex: string): number {
  const full = hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex
  const [r = 0, g = 0, b = 0] = [1, 3, 5]
    .map((i) => Number.parseInt(full.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}

/** Text colour, background, and the ratio WCAG AA asks of it (4.5 for body text, 3 for large text). */
export const TEXT_ON_BACKGROUND: readonly [text: string, background: string, minimum: number][] = [
  ['ink', 'paper', 4.5],
  ['ink', 'tint', 4.5],
  ['navy', 'paper', 4.5],
  ['navy', 'tint', 4.5],
  ['muted', 'paper', 4.5], // footers, sources, page numbers, chart axes
  ['muted', 'tint', 4.5],
  ['accent', 'paper', 4.5], // footnote markers, kickers
  ['accent', 'tint', 4.5],
  ['divider-ink', 'divider-paper', 4.5],
  ['divider-soft', 'divider-paper', 4.5],
  ['divider-muted', 'divider-paper', 4.5],
  ['divider-accent', 'divider-paper', 3], // the section number: large text
]

export interface ContrastResult {
  /** Where the pair is seen: on screen (the deck, its PDF) or in print (the handout). */
  palette: 'screen' | 'print'
  text: string
  background: string
  ratio: number
  minimum: number
}

/**
 * Every pair of the theme's colours below its minimum, on screen and in the print palette;
 * pairs whose colours the theme does not define as hex (directly or through var()) are skipped.
 */
export function contrastFindings(tokens: Record<string, string>): ContrastResult[] {
  const palettes = { screen: resolveTokens(tokens), print: resolveTokens(printPalette(tokens)) }
  const seen = new Set<string>()
  return (['screen', 'print'] as const).flatMap((palette) =>
    TEXT_ON_BACKGROUND.flatMap(([text, background, minimum]) => {
      const fg = palettes[palette][text]
      const bg = palettes[palette][background]
      if (!fg || !bg || !RE_HEX.test(fg) || !RE_HEX.test(bg)) return []
      const ratio = contrast(fg, bg)
      const key = `${fg} ${bg}`
      if (ratio >= minimum || seen.has(key)) return [] // a pair that prints as it shows is reported once
      seen.add(key)
      return [{ palette, text, background, ratio, minimum }]
    }),
  )
}
