import { describe, expect, it } from 'vitest'
import { readTheme } from '../deck/theme.ts'
import { ROOT } from './helpers.ts'

// WCAG AA contrast of every text colour of the theme on the backgrounds it is used
// on, computed from the colours declared in templates/theme.css (the same tokens
// the charts are drawn with).

const colours = (await readTheme(`${ROOT}/templates/theme.css`)).tokens

function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}

/** Text colour, background, and the ratio WCAG AA asks of it (4.5 for body text, 3 for large text). */
const PAIRS: [string, string, number][] = [
  ['ink', 'paper', 4.5],
  ['ink', 'tint', 4.5],
  ['navy', 'paper', 4.5],
  ['navy', 'tint', 4.5],
  ['muted', 'paper', 4.5], // footers, sources, page numbers
  ['muted', 'tint', 4.5],
  ['accent', 'paper', 4.5], // footnote markers, kickers
  ['accent', 'tint', 4.5],
  ['on-navy', 'navy', 4.5],
  ['on-navy-soft', 'navy', 4.5],
  ['on-navy-muted', 'navy', 4.5],
  ['on-navy-accent', 'navy', 3],
]

describe('the theme’s colours', () => {
  it('computes contrast as WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2)
  })

  it.each(PAIRS)('%s on %s meets WCAG AA (%d:1)', (text, background, minimum) => {
    const fg = colours[text]
    const bg = colours[background]
    expect(fg, `--${text} in theme.css`).toBeDefined()
    expect(bg, `--${background} in theme.css`).toBeDefined()
    expect(contrast(fg as string, bg as string)).toBeGreaterThanOrEqual(minimum)
  })
})
