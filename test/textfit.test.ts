import { describe, expect, it } from 'vitest'

import { balancedWidth, emWidth, fitScale, lineCount, type Paragraph } from '../deck/pptx/textfit.ts'

// Text measured with the fonts' metrics, as the PowerPoint's boxes are sized.

const text = { family: 'Source Sans 3', weight: 400 } as const
const para = (t: string, size = 20): Paragraph => ({ pieces: [{ text: t, size, style: text }], lineHeight: 1.4 })
const width = (t: string, size = 20) => emWidth(t, text) * size

describe('emWidth', () => {
  it('measures the wider of the theme’s font and Arial’s metrics; bold is wider', () => {
    expect(emWidth('Vučić', text)).toBeGreaterThan(emWidth('Vucic', text) * 0.95)
    expect(emWidth('extradition', { ...text, weight: 700 })).toBeGreaterThan(emWidth('extradition', text))
    // A font this tool has no metrics for is measured as Arial.
    expect(emWidth('extradition', { family: 'Some Font', weight: 400 })).toBeGreaterThan(0)
    expect(emWidth('Кина', text)).toBeGreaterThan(1)
  })
})

describe('lineCount', () => {
  it('breaks at spaces, as PowerPoint does, and at line breaks typed in the text', () => {
    expect(lineCount(para('one two three'), width('one two three') + 1)).toBe(1)
    expect(lineCount(para('one two three'), width('one two') + 1)).toBe(2)
    expect(lineCount(para('one\ntwo'), 1000)).toBe(2)
  })

  it('breaks a word wider than the box across lines, and the next word starts after its last piece', () => {
    const w = width('xx')
    expect(lineCount(para('xxxx yy'), w + 0.01)).toBe(3)
    expect(lineCount(para('xxxxxx'), w + 0.01)).toBe(3)
  })
})

describe('balancedWidth', () => {
  it('narrows a heading that wraps to the width of even lines, keeping its number of lines; one line keeps the whole width', () => {
    const title = para('Where crime ends and persecution begins', 58)
    const full = width('Where crime ends and persecution', 58) + 2
    expect(lineCount(title, full)).toBe(2)
    const even = balancedWidth([title], full)
    expect(lineCount(title, even)).toBe(2)
    // The longer of the two even lines sets the width ("Where crime ends and" over "persecution begins"), with 2 % to spare.
    expect(even).toBeGreaterThanOrEqual(width('Where crime ends and', 58))
    expect(even).toBeLessThan(width('Where crime ends and', 58) * 1.02 + 2)
    expect(lineCount(title, (even - 1) / 1.02 - 1)).toBe(3)
    expect(balancedWidth([para('Outline', 58)], 1000)).toBe(1000)
  })
})

describe('fitScale', () => {
  it('keeps text at its size when it fits, sets it smaller when not, and says when even the smallest is too big', () => {
    const long = para('a sentence of several words that needs room '.repeat(6))
    expect(fitScale([long], { width: 2000, height: 200 }, 0.7).scale).toBe(1)
    const smaller = fitScale([long], { width: 400, height: 140 }, 0.5)
    expect(smaller.scale).toBeLessThan(1)
    expect(smaller.height).toBeLessThanOrEqual(140)
    expect(smaller.fits).toBe(true)
    const tiny = fitScale([long], { width: 200, height: 30 }, 0.7)
    expect(tiny.fits).toBe(false)
    expect(tiny.height).toBeLessThanOrEqual(30)
  })
})
