import { PDFDocument, PDFName, type PDFRef, StandardFonts } from 'pdf-lib'
import { describe, expect, it } from 'vitest'

import { loadBrief } from '../deck/brief/brief.ts'
import { fallbackPages, fontFindings, isThemeFont } from '../deck/check/fonts.ts'
import { type PdfFont, pdfPageFonts, toUnicodeCodePoints } from '../deck/measure/pdf-fonts.ts'
import { buildView } from '../deck/render/render.ts'
import { chartsOf, fixture, lineOf } from './helpers.ts'

// The fonts a printed PDF draws with, read back from the file with pdf-lib, and the
// check that finds text drawn in a font outside the theme's families.

const FAMILIES = ['Source Sans 3', 'Source Serif 4']
const CMAP = `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar
<0003> <2248>
<0004> <D83DDE00>
endbfchar
2 beginbfrange
<0005> <0007> <0041>
<0008> <0009> [<00D7> <2116>]
endbfrange
endcmap`

/** A PDF of three pages: a standard font; a subset font with a ToUnicode map, inside a form; a Type 3 font. */
async function threePages(): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  const { context } = doc
  doc.addPage().drawText('Briefing', { font: await doc.embedFont(StandardFonts.Helvetica) })
  const font = context.register(
    context.obj({ Type: 'Font', Subtype: 'Type0', BaseFont: 'AAAAAA+SourceSans3-Regular', ToUnicode: context.register(context.flateStream(CMAP)) }),
  )
  const form = context.register(context.stream('', { Type: 'XObject', Subtype: 'Form', BBox: [0, 0, 10, 10], Resources: { Font: { F1: font } } }))
  doc.addPage().node.setXObject(PDFName.of('X1'), form)
  const type3: PDFRef = context.register(context.obj({ Type: 'Font', Subtype: 'Type3' }))
  doc.addPage().node.setFontDictionary(PDFName.of('T3'), type3)
  return doc.save()
}

describe('the fonts of a PDF', () => {
  it('are read page by page, a form’s fonts with its page’s, by name without the subset tag and with the characters they draw', async () => {
    const pages = await pdfPageFonts(await threePages())
    expect(pages).toEqual([
      [{ name: 'Helvetica', codePoints: [] }],
      [{ name: 'SourceSans3-Regular', codePoints: [0x41, 0x42, 0x43, 0xd7, 0x2116, 0x2248, 0x1f600] }],
      [{ name: undefined, codePoints: [] }],
    ])
  })

  it('draw the characters of a ToUnicode map: single glyphs, ranges, lists, and pairs of UTF-16 units', () => {
    expect(toUnicodeCodePoints(CMAP)).toEqual([0x41, 0x42, 0x43, 0xd7, 0x2116, 0x2248, 0x1f600])
    // A ligature's glyph stands for its letters.
    expect(toUnicodeCodePoints('1 beginbfchar <0010> <00660069> endbfchar')).toEqual([0x66, 0x69])
    expect(toUnicodeCodePoints('')).toEqual([])
  })

  it('belong to the theme by their PostScript names, whatever the instance the @fontsource files are cut from', () => {
    const font = (name: string | undefined): PdfFont => ({ name, codePoints: [] })
    expect(isThemeFont(font('SourceSans3ExtraLight-Regular'), FAMILIES)).toBe(true)
    expect(isThemeFont(font('SourceSans3-Semibold'), FAMILIES)).toBe(true)
    expect(isThemeFont(font('SourceSerif4-SemiBold'), FAMILIES)).toBe(true)
    expect(isThemeFont(font('SourceSansPro-Regular'), FAMILIES)).toBe(false)
    expect(isThemeFont(font('LiberationSans'), FAMILIES)).toBe(false)
    expect(isThemeFont(font(undefined), FAMILIES)).toBe(false)
    expect(fallbackPages([[font('SourceSans3-Regular')], [font('SourceSans3-Regular'), font('DejaVuSans')]], FAMILIES)).toEqual([
      { page: 2, fonts: [font('DejaVuSans')] },
    ])
  })
})

describe('the fallback-font check', () => {
  const YAML = fixture('all-layouts.yaml')
  const theme = (name: string): PdfFont => ({ name, codePoints: [0x41] })
  const text = [theme('SourceSans3ExtraLight-Regular'), theme('SourceSerif4-SemiBold')]

  it('finds a slide drawn partly in a system font, at its slide and line, naming the font and the characters', async () => {
    const loaded = loadBrief(YAML, 'brief.yaml')
    const view = buildView(loaded.brief, { charts: await chartsOf(loaded.brief) })
    const pdf = view.slides.map(() => text)
    pdf[4] = [...text, { name: 'DroidSansFallbackFull', codePoints: [0x4e2d] }]
    const handout = [text, text, [...text, { name: 'DroidSansFallbackFull', codePoints: [0x4e2d] }]]
    const findings = fontFindings(loaded, view, { pdf, handout, notes: [] }, FAMILIES)
    expect(findings).toEqual([
      {
        severity: 'error',
        check: 'readability',
        code: 'fallback-font',
        message:
          "text is drawn in DroidSansFallbackFull, not in the theme's fonts (Source Sans 3, Source Serif 4), which lack “中” (U+4E2D): write it another way or leave it out",
        slide: { number: 5, title: 'Coverage' },
        file: 'brief.yaml',
        line: lineOf(YAML, '  - id: households'),
      },
    ])
  })

  it('finds the handout’s and the notes’ own text, once for each, at their pages; what the slides show is said once, for the slides', async () => {
    const loaded = loadBrief(YAML, 'brief.yaml')
    const view = buildView(loaded.brief, { charts: await chartsOf(loaded.brief) })
    const pdf = view.slides.map(() => text)
    pdf[0] = [...text, { name: 'LiberationSans', codePoints: [0x2248] }]
    const handout = [
      [...text, { name: 'LiberationSans', codePoints: [0x2248] }],
      [...text, { name: 'DejaVuSans', codePoints: [0x6587, 0x2248] }],
      [...text, { name: 'DejaVuSans', codePoints: [0x6587, 0x2248] }],
    ]
    const notes = [text, [...text, { name: undefined, codePoints: [] }]]
    const messages = fontFindings(loaded, view, { pdf, handout, notes }, FAMILIES).map((f) => [f.slide?.number, f.message])
    expect(messages).toEqual([
      [1, expect.stringMatching(/^text is drawn in LiberationSans, .* which lack “≈” \(U\+2248\):/)],
      [undefined, expect.stringMatching(/^in the handout, pages 2, 3: text is drawn in DejaVuSans, .* which lack “文” \(U\+6587\): write it/)],
      [undefined, expect.stringMatching(/^in the notes PDF, page 2: text is drawn in an unnamed Type 3 font, .* which lack a character of it:/)],
    ])
  })

  it('finds a character of a slide’s handout text at that slide and field', async () => {
    const yaml = YAML.replace('    lead: Prices differ fourfold.\n', '    lead: Prices differ fourfold.\n    handout: Prices, by 文.\n')
    const loaded = loadBrief(yaml, 'brief.yaml')
    const view = buildView(loaded.brief, { charts: await chartsOf(loaded.brief) })
    const handout = [text, [...text, { name: 'DejaVuSans', codePoints: [0x6587] }]]
    expect(fontFindings(loaded, view, { pdf: view.slides.map(() => text), handout }, FAMILIES)).toEqual([
      {
        severity: 'error',
        check: 'readability',
        code: 'fallback-font',
        message:
          "in the handout, its handout text: text is drawn in DejaVuSans, not in the theme's fonts (Source Sans 3, Source Serif 4), which lack “文” (U+6587): write it another way or leave it out",
        slide: { number: 4, title: 'Key points' },
        file: 'brief.yaml',
        line: lineOf(yaml, '    handout: Prices'),
      },
    ])
  })

  it('has nothing to say of a deck drawn in the theme’s fonts alone', async () => {
    const loaded = loadBrief(YAML, 'brief.yaml')
    const view = buildView(loaded.brief, { charts: await chartsOf(loaded.brief) })
    const pages = view.slides.map(() => text)
    expect(fontFindings(loaded, view, { pdf: pages, handout: pages, notes: pages }, FAMILIES)).toEqual([])
  })
})
