import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

import * as fontkit from 'fontkit'
import { describe, expect, it } from 'vitest'

import { readBrand } from '../deck/render/brand.ts'
import { gapFaces, gapRule, inlineFonts, missingCodePoints, printedFonts, shownCodePoints, unicodeRange } from '../deck/render/deck-fonts.ts'
import { fontFaces, fontsourceFile, FULL_FONTS, inlineFacesFor, unicodeRanges } from '../deck/render/fonts.ts'

// The theme's fonts and each deck's own: the subsets a deck's text needs, and faces cut from
// the full font for the characters no subset has, so that no system font draws them.

const require = createRequire(import.meta.url)
const cps = (text: string) => [...text].map((c) => c.codePointAt(0) as number)
/** The fonts inside a rule's data URL, as a browser would read them. */
const fontOf = (rule: string) => {
  const data = /base64,([A-Za-z0-9+/=]+)/.exec(rule)?.[1] ?? ''
  return fontkit.create(Buffer.from(data, 'base64')) as fontkit.Font
}
/** The default brand's fonts. */
const defaultFonts = async () => (await readBrand(undefined)).fonts
const ranges = (css: string) => [...css.matchAll(/unicode-range: ([^;]+);/g)].map((m) => m[1])

describe('the theme’s fonts', () => {
  it('embed Greek besides Latin and Cyrillic, and name their families', async () => {
    const fonts = await fontFaces(await defaultFonts())
    expect(fonts.families).toEqual(['Source Sans 3', 'Source Serif 4'])
    // The greek subset of each face: four of Source Sans 3, one of Source Serif 4.
    expect(fonts.inline.match(/unicode-range: U\+0370-0377/g)).toHaveLength(5)
    expect(fonts.inline).not.toMatch(/unicode-range: U\+1F00-1FFF/) // polytonic Greek (greek-ext) stays out
  })

  it('a deck embeds only the scripts its text uses: Latin always, Cyrillic and Greek when it has them', async () => {
    const fonts = await fontFaces(await defaultFonts())
    const english = inlineFacesFor(fonts, shownCodePoints('Water prices in the Danube basin, Vučić'))
    expect(ranges(english).every((r) => r?.startsWith('U+0000-00FF') || r?.startsWith('U+0100-02BA'))).toBe(true)
    expect(english.match(/@font-face/g)).toHaveLength(10) // latin and latin-ext of the five faces
    const all = inlineFacesFor(fonts, shownCodePoints('Vučić, Вучић, Βελιγράδι'))
    expect(all).toBe(inlineFacesFor(fonts, new Set([0x41, 0x107, 0x432, 0x392])))
    expect(all).toMatch(/unicode-range: U\+0370-0377/)
    expect(all).toMatch(/unicode-range: U\+0301,U\+0400-045F/)
  })

  it('read a unicode-range as CSS writes it, and keep a rule whose range they cannot read', () => {
    expect(unicodeRanges('@font-face { unicode-range: U+0000-00FF,U+0131, U+2116; }')).toEqual([
      [0, 0xff],
      [0x131, 0x131],
      [0x2116, 0x2116],
    ])
    expect(unicodeRanges('@font-face { font-weight: 400; }')).toEqual([[0, 0x10ffff]])
    expect(unicodeRanges('@font-face { unicode-range: U+4??; }')).toEqual([[0, 0x10ffff]])
  })

  it('have a full font for each face of Source Sans 3 they embed, in the installed package', async () => {
    for (const font of await defaultFonts()) {
      const full = font.source === 'fontsource' ? FULL_FONTS[font.pkg] : undefined
      if (!full || font.source !== 'fontsource') continue
      const { family } = font
      const dir = dirname(require.resolve(`${full.pkg}/package.json`))
      for (const [face, file] of Object.entries(full.files)) {
        expect(existsSync(join(dir, file)), `${full.pkg}/${file}`).toBe(true)
        const font = fontkit.create(readFileSync(join(dir, file))) as fontkit.Font
        // Its PostScript name, as a PDF names it: the check knows the theme's fonts by it.
        expect(font.postscriptName.startsWith(family.replace(/ /g, '')), file).toBe(true)
        expect(`${font['OS/2'].usWeightClass} ${font.italicAngle === 0 ? 'normal' : 'italic'}`, file).toBe(face)
      }
      // One full face for each @fontsource file embedded.
      expect(Object.keys(full.files).sort()).toEqual(font.faces.map((f) => `${f.weight} ${f.style}`).sort())
      for (const face of font.faces) expect(existsSync(join(font.dir, fontsourceFile(face))), fontsourceFile(face)).toBe(true)
    }
  })
})

describe('a deck’s own faces', () => {
  it('are the characters its text shows that the subsets lack and the full font has', () => {
    const shown = shownCodePoints('≈ a ‰ 中')
    expect(missingCodePoints(shown, new Set(cps(' a')), new Set(cps(' a‰≈')))).toEqual([0x2030, 0x2248])
    // Capitals too: the theme sets some labels in capitals.
    expect(shownCodePoints('ǆ').has(0x1c4)).toBe(true)
  })

  it('write their characters as a CSS unicode-range', () => {
    expect(unicodeRange([0x2248])).toBe('U+2248')
    expect(unicodeRange([0x41, 0x2260, 0x2261, 0x2262, 0x1f600])).toBe('U+0041,U+2260-2262,U+1F600')
  })

  it('cut ≈, ‰ and → from the full font in every weight, and nothing for a character no font of the theme has', async () => {
    const css = await gapFaces(shownCodePoints('≈110,000 ‰ → 中 Vučić'), await defaultFonts())
    const rules = css.split('\n@font-face').map((rule, i) => (i === 0 ? rule : `@font-face${rule}`))
    expect(rules).toHaveLength(4)
    expect(rules.map((rule) => /font-weight: (\d+)/.exec(rule)?.[1])).toEqual(['400', '400', '600', '700'])
    expect(rules.map((rule) => /font-style: (\w+)/.exec(rule)?.[1])).toEqual(['normal', 'italic', 'normal', 'normal'])
    for (const rule of rules) {
      // ‰ is in the Latin subset's range, but not in its file.
      expect(rule).toContain("font-family: 'Source Sans 3'")
      expect(rule).toContain('unicode-range: U+2030,U+2192,U+2248;')
      const font = fontOf(rule)
      expect(font.postscriptName).toMatch(/^SourceSans3-/)
      // (fontkit lists U+FFFF, the end of the cmap's last segment.)
      expect(font.characterSet.filter((cp) => cp > 0x20 && cp < 0xffff).sort()).toEqual([0x2030, 0x2192, 0x2248])
      expect(rule.length).toBeLessThan(4000) // a face for three signs: a few kilobytes at most
    }
    expect(await gapFaces(shownCodePoints('Water prices in the Danube basin, Vučić, Вучић, Βελιγράδι, € × №'), await defaultFonts())).toBe('')
  })

  it('come after the theme’s faces, in the HTML deck and the printed pages alike', async () => {
    const fonts = await fontFaces(await defaultFonts())
    const html = await inlineFonts(fonts, 'About ≈500 workers')
    expect(html.indexOf('U+2248')).toBeGreaterThan(html.lastIndexOf('U+0000-00FF'))
    const printed = await printedFonts(fonts, 'About ≈500 workers')
    expect(printed.startsWith(fonts.files)).toBe(true)
    expect(printed.slice(fonts.files.length)).toMatch(/^\n@font-face[^]*unicode-range: U\+2248;/)
    expect(await printedFonts(fonts, 'About 500 workers')).toBe(fonts.files)
  })

  it('are data URLs of TrueType fonts, in the family, weight and style of the face they fill in', () => {
    const rule = gapRule('Source Sans 3', '400 italic', new Uint8Array([0, 1, 0, 0]), [0x2248])
    expect(rule).toContain("font-family: 'Source Sans 3';")
    expect(rule).toContain('font-style: italic;')
    expect(rule).toContain('font-weight: 400;')
    expect(rule).toContain("src: url(data:font/ttf;base64,AAEAAA==) format('truetype');")
    expect(rule).toContain('unicode-range: U+2248;')
  })
})
