import { describe, expect, it } from 'vitest'

import { contrast, contrastFindings, TEXT_ON_BACKGROUND } from '../deck/check/contrast.ts'
import { readTheme } from '../deck/render/theme.ts'
import { printPalette, resolveTokens } from '../deck/render/tokens.ts'
import { ROOT } from './helpers.ts'

// WCAG AA contrast of every text colour of the theme on the backgrounds it is used
// on, computed from the colours declared in templates/theme.css (the same tokens
// the charts are drawn with).

const tokens = (await readTheme(`${ROOT}/templates/theme.css`)).tokens
const colours = resolveTokens(tokens)
const printed = resolveTokens(printPalette(tokens))

const PAIRS = TEXT_ON_BACKGROUND

describe('the theme’s colours', () => {
  it('computes contrast as WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2)
  })

  it('finds a pair that falls short, as a low-contrast theme override would', () => {
    expect(contrastFindings({ ...tokens, muted: '#a0a8b0' })).toEqual([
      { palette: 'screen', text: 'muted', background: 'paper', ratio: expect.closeTo(2.4, 1), minimum: 4.5 },
      { palette: 'screen', text: 'muted', background: 'tint', ratio: expect.closeTo(2.2, 1), minimum: 4.5 },
    ])
    expect(contrastFindings(tokens)).toEqual([])
  })

  it('checks the print palette too: a pale divider text that only the handout prints is found', () => {
    // The screen palette is untouched; on paper the divider's subtitle would be pale grey on light grey.
    expect(contrastFindings({ ...tokens, 'print-divider-soft': '#c0c4c8' })).toEqual([
      { palette: 'print', text: 'divider-soft', background: 'divider-paper', ratio: expect.closeTo(1.6, 1), minimum: 4.5 },
    ])
  })

  it.each(PAIRS)('%s on %s meets WCAG AA (%d:1) on screen and in print', (text, background, minimum) => {
    const fg = colours[text]
    const bg = colours[background]
    expect(fg, `--${text} in theme.css`).toBeDefined()
    expect(bg, `--${background} in theme.css`).toBeDefined()
    expect(contrast(fg as string, bg as string)).toBeGreaterThanOrEqual(minimum)
    expect(contrast(printed[text] as string, printed[background] as string), 'in the print palette').toBeGreaterThanOrEqual(minimum)
  })

  it('a print colour the same as on screen (`--print-accent: var(--accent)`) is that colour, not a loop', () => {
    const same = printPalette({ ...tokens, 'print-accent': 'var(--accent)' })
    expect(resolveTokens(same).accent).toBe(colours.accent)
  })

  it('prints the dark section dividers light: the print palette gives them a light background', () => {
    expect(contrast(colours['divider-paper'] as string, '#ffffff')).toBeGreaterThan(10) // navy on screen
    expect(contrast(printed['divider-paper'] as string, '#ffffff')).toBeLessThan(1.1) // near-white on paper
  })
})
