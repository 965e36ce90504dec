import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { buildBrief } from '../deck/build.ts'
import { isThemeFont } from '../deck/check/fonts.ts'
import { checkBrief } from '../deck/check-brief.ts'
import { MarpWorker } from '../deck/export/marp.ts'
import { pdfPageFonts } from '../deck/measure/pdf-fonts.ts'
import { browserSuite, fixture, lineOf, tempDir } from './helpers.ts'
import { fontsDrawing } from './readers.ts'

// Every glyph drawn by the theme's fonts, in the printed PDFs as Chromium makes them: a
// brief in Latin, Serbian Cyrillic and Greek, with the signs figures take, prints with
// no other font; a character the theme's fonts lack is found by the check, at its slide.

const suite = browserSuite()
const FAMILIES = ['Source Sans 3', 'Source Serif 4']
/** Characters of every script and sign a brief may hold; the fixture's figures add ≈ and € of their own. */
const SHOWN = '≈×№€ΒελιγράδιВучићVučić'

function briefWith(find: string, replace: string): string {
  const text = fixture('all-layouts.yaml')
  if (!text.includes(find)) throw new Error(`the fixture has no ${find}`)
  return text.replace(find, replace)
}

describe('the fonts of the printed PDFs', () => {
  it('are the theme’s alone for Latin, Cyrillic and Greek text with ≈, ×, № and €: slides, handout and notes', async () => {
    const dir = tempDir('deck-fonts-')
    const file = join(dir, 'scripts.yaml')
    writeFileSync(file, briefWith('    lead: Prices differ fourfold.', '    lead: Prices differ fourfold × from Βελιγράδι to Вучић and Vučić (№, €).'))
    const formats = new Set(['pdf', 'handout', 'notes'] as const)
    const { report } = await buildBrief(file, suite.toolkit, { outDir: dir, formats, browser: suite.session })
    expect(report.errors).toBe(0)
    for (const name of ['scripts.pdf', 'scripts-handout.pdf', 'scripts-notes.pdf']) {
      const fonts = (await pdfPageFonts(readFileSync(join(dir, name)))).flat()
      expect(
        fonts.filter((font) => !isThemeFont(font, FAMILIES)).map((font) => font.name ?? 'Type 3'),
        name,
      ).toEqual([])
      // Each of the characters is drawn, by those fonts (their ToUnicode maps), and pdf.js, another reader, agrees.
      const drawn = new Set(fonts.flatMap((font) => font.codePoints))
      expect(
        [...SHOWN].filter((c) => !drawn.has(c.codePointAt(0) as number)),
        name,
      ).toEqual([])
      const drawing = [...(await fontsDrawing(join(dir, name), SHOWN))]
      expect(drawing.length, name).toBeGreaterThan(0)
      expect(
        drawing.filter((font) => !/^Source(Sans3|Serif4)/.test(font)),
        name,
      ).toEqual([])
    }
  })

  it('a character no font of the theme has fails the check, at its slide and line, named with its code point; the handout’s own text at its field', async () => {
    const dir = tempDir('deck-fonts-')
    const file = join(dir, 'cjk.yaml')
    const text = briefWith('    title: Coverage\n', '    title: Coverage 中\n').replace(
      '    lead: Prices differ fourfold.\n',
      '    lead: Prices differ fourfold.\n    handout: Prices, by 文.\n',
    )
    writeFileSync(file, text)
    const marp = new MarpWorker({ html: true })
    const report = await checkBrief(file, suite.toolkit, { workDir: join(dir, 'work'), browser: suite.session, marp }).finally(() => marp.close())
    // A check writes nothing beside the brief.
    expect(readdirSync(dir).sort()).toEqual(['cjk.yaml', 'work'])
    expect(readdirSync(join(dir, 'work'))).toEqual([])
    // Sorted by slide: the handout text of the points slide (the fourth), then the title of the fifth.
    expect(report.findings.filter((f) => f.code === 'fallback-font')).toEqual([
      expect.objectContaining({
        severity: 'error',
        slide: { number: 4, title: 'Key points' },
        line: lineOf(text, '    handout: Prices'),
        message: expect.stringMatching(/^in the handout, its handout text: text is drawn in .*, which lack “文” \(U\+6587\): write it/),
      }),
      expect.objectContaining({
        severity: 'error',
        slide: { number: 5, title: 'Coverage 中' },
        line: lineOf(text, '  - id: households'),
        message: expect.stringMatching(
          /^text is drawn in .*, not in the theme's fonts \(Source Sans 3, Source Serif 4\), which lack “中” \(U\+4E2D\): write it another way or leave it out$/,
        ),
      }),
    ])
  })
})
