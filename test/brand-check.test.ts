import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { brandFindings, glyphsOfBrand } from '../deck/check/brand.ts'
import { BRAND_FILE_NAME, readBrand } from '../deck/render/brand.ts'
import { readTheme } from '../deck/render/theme.ts'
import { HARBOUR, ROOT, tempDir } from './helpers.ts'

// The brand checked as the rest of a deck is: colour pairs against WCAG AA on screen and in
// print, a logo's alt text, and its fonts against the letters of the deck's language.

type SubsetFont = (font: Buffer, text: string, options: { targetFormat: 'woff2' }) => Promise<Buffer>
const subsetFont = createRequire(import.meta.url)('subset-font') as SubsetFont

const THEME = join(ROOT, 'templates/theme.css')
const PLEX = join(ROOT, 'test/fixtures/brands/harbour/fonts/IBMPlexSans-Regular.woff2')

/** A theme with a brand of this text, written into a folder with the files it names. */
async function themeWith(text: string, files: Record<string, Uint8Array | string> = {}) {
  const dir = tempDir('deck-brand-check-')
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data)
  writeFileSync(join(dir, BRAND_FILE_NAME), text)
  return readTheme(THEME, await readBrand(join(dir, BRAND_FILE_NAME)))
}

describe('the brand’s checks', () => {
  it('find nothing in the default look, nor in the second brand, in any language', async () => {
    for (const theme of [await readTheme(THEME), await readTheme(THEME, await readBrand(HARBOUR))])
      for (const language of ['en', 'sr-Latn', 'sr-Cyrl', 'mk', 'el', 'sq'] as const) expect(await brandFindings(theme, THEME, language), language).toEqual([])
  })

  it('name the brand’s roles and file for a colour pair below WCAG AA, on screen and in print', async () => {
    const theme = await themeWith('color:\n  secondary: "#9aa3ad"\n')
    const findings = await brandFindings(theme, THEME, 'en')
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/^--muted \(color\.secondary\) on --paper \(color\.background\) has a contrast of 2\.\d\d:1; WCAG AA asks at least 4\.5:1$/),
      expect.stringMatching(/^--muted \(color\.secondary\) on --tint \(color\.light\) has a contrast of 2\.\d\d:1/),
    ])
    expect(findings.every((f) => f.severity === 'error' && f.file?.endsWith(BRAND_FILE_NAME))).toBe(true)
    // A dark divider that prints light: its text colour is checked against the print palette too.
    const print = await brandFindings(await themeWith('defaults:\n  brief-deck:\n    color: { print-divider-ink: "#e0e0e0" }\n'), THEME, 'en')
    expect(print.map((f) => f.message)).toEqual([expect.stringMatching(/^in print \(the handout's palette\), --divider-ink .* on --divider-paper/)])
  })

  it('ask for a logo’s alt text, once per file', async () => {
    const logo = readFileSync(join(ROOT, 'test/fixtures/brands/harbour/logo.svg'))
    const theme = await themeWith('logo:\n  small: logo.svg\n  large: logo.svg\n', { 'logo.svg': logo })
    expect((await brandFindings(theme, THEME, 'en')).map((f) => [f.code, f.severity])).toEqual([['logo-alt', 'error']])
  })

  it('find the letters of the deck’s language that the brand’s fonts lack: an error for the text’s font, a warning for the headings’', async () => {
    // IBM Plex Sans cut to Latin alone: Serbian in Cyrillic cannot be set in it, English can.
    const latin = await subsetFont(readFileSync(PLEX), 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789“”‘’„«»', { targetFormat: 'woff2' })
    const fonts = '    - { family: Latin Only, source: file, files: [latin.woff2] }\n'
    const asText = await themeWith(`typography:\n  fonts:\n${fonts}  base: Latin Only\n`, { 'latin.woff2': latin })
    expect(await glyphsOfBrand(asText, 'en')).toEqual([])
    const [serbian] = await glyphsOfBrand(asText, 'sr-Cyrl')
    expect(serbian).toMatchObject({ severity: 'error', code: 'brand-font-glyphs' })
    expect(serbian?.message).toMatch(
      /^the brand's font Latin Only \(typography\.base\) lacks А Б В Г Д Ђ Е Ж and 52 more, which српски \(ћирилица\) needs: another font of the reader’s machine draws them/,
    )
    expect((await glyphsOfBrand(asText, 'hr'))[0]?.message).toMatch(/lacks Č č Ć ć Đ đ Š š and 2 more/)
    const asHeadings = await themeWith(`typography:\n  fonts:\n${fonts}  headings: Latin Only\n`, { 'latin.woff2': latin })
    expect((await glyphsOfBrand(asHeadings, 'el')).map((f) => [f.severity, f.message])).toEqual([
      ['warning', expect.stringMatching(/^the brand's font Latin Only \(typography\.headings\) lacks Α Β Γ Δ .* the text’s font draws them in titles/)],
    ])
  })
})
