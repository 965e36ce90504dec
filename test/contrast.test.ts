import { describe, expect, it } from 'vitest'
import { contrast, contrastFindings, TEXT_ON_BACKGROUND } from '../deck/contrast.ts'
import { readTheme } from '../deck/theme.ts'
import { ROOT } from './helpers.ts'

// WCAG AA contrast of every text colour of the theme on the backgrounds it is used
// on, computed from the colours declared in templates/theme.css (the same tokens
// the charts are drawn with).

const colours = (await readTheme(`${ROOT}/templates/theme.css`)).tokens

const PAIRS = TEXT_ON_BACKGROUND

describe('the theme’s colours', () => {
  it('computes contrast as WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2)
  })

  it('finds a pair that falls short, as a low-contrast theme override would', () => {
    expect(contrastFindings({ ...colours, muted: '#a0a8b0' })).toEqual([
      { text: 'muted', background: 'paper', ratio: expect.closeTo(2.4, 1), minimum: 4.5 },
      { text: 'muted', background: 'tint', ratio: expect.closeTo(2.2, 1), minimum: 4.5 },
    ])
    expect(contrastFindings(colours)).toEqual([])
  })

  it.each(PAIRS)('%s on %s meets WCAG AA (%d:1)', (text, background, minimum) => {
    const fg = colours[text]
    const bg = colours[background]
    expect(fg, `--${text} in theme.css`).toBeDefined()
    expect(bg, `--${background} in theme.css`).toBeDefined()
    expect(contrast(fg as string, bg as string)).toBeGreaterThanOrEqual(minimum)
  })
})
