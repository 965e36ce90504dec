import type { LoadedBrief } from '../brief/brief.ts'
import type { PdfFont } from '../measure/pdf-fonts.ts'
import { handoutText } from '../render/print.ts'
import type { DeckView } from '../render/view.ts'
import type { Finding } from './report.ts'

// Every glyph drawn by the theme's fonts: a character none of them has is drawn by the
// browser with some font of the machine's (Liberation, DejaVu, Noto), which the PDF names.
// Read from the printed PDFs themselves, so the check sees what a reader of them sees.

/** The fonts each page of the printed PDFs draws with (pdfPageFonts), for those that were printed. */
export interface PrintedFonts {
  pdf?: PdfFont[][] | undefined
  handout?: PdfFont[][] | undefined
  notes?: PdfFont[][] | undefined
}

/** "Source Sans 3" and "SourceSans3ExtraLight-Regular" alike: letters and digits. */
const compact = (name: string) => name.replace(/[^A-Za-z0-9]/g, '').toLowerCase()

/** Whether a font of the PDF is one of the theme's families: its PostScript name starts with the family's name. */
export function isThemeFont(font: PdfFont, families: readonly string[]): boolean {
  const name = font.name
  return name !== undefined && families.some((family) => compact(name).startsWith(compact(family)))
}

/** The pages (1-based) that draw with a font outside the theme's families, and those fonts. */
export function fallbackPages(pages: readonly PdfFont[][], families: readonly string[]): { page: number; fonts: PdfFont[] }[] {
  return pages.flatMap((fonts, i) => {
    const others = fonts.filter((font) => !isThemeFont(font, families))
    return others.length > 0 ? [{ page: i + 1, fonts: others }] : []
  })
}

const MAX_NAMED = 5

/** "“中” (U+4E2D), “文” (U+6587) and 2 more". */
function characterList(codePoints: readonly number[]): string {
  const named = codePoints.slice(0, MAX_NAMED).map((cp) => `“${String.fromCodePoint(cp)}” (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`)
  const more = codePoints.length - named.length
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ')
}

/** The characters fonts draw, ascending. */
const charactersOf = (fonts: readonly PdfFont[]) => [...new Set(fonts.flatMap((f) => f.codePoints))].sort((a, b) => a - b)

/** What fallback fonts draw, in words: their names and the characters (those known) the theme's fonts lack. */
function fallbackWords(fonts: readonly PdfFont[], families: readonly string[], chars: readonly number[]): string {
  const names = [...new Set(fonts.map((f) => f.name ?? 'an unnamed Type 3 font'))].join(', ')
  const lack = chars.length > 0 ? characterList(chars) : 'a character of it'
  return `text is drawn in ${names}, not in the theme's fonts (${families.join(', ')}), which lack ${lack}: write it another way or leave it out`
}

const FALLBACK = { severity: 'error', check: 'readability', code: 'fallback-font' } as const

/**
 * A finding (an error) for each slide of the slide PDF that draws with a font outside the
 * theme's families, and for what the handout and the notes PDF draw so that the slides do
 * not (their own text): with the fonts and the characters, at the slide and field they come from.
 */
export function fontFindings(loaded: LoadedBrief, view: DeckView, printed: PrintedFonts, families: readonly string[]): Finding[] {
  const findings: Finding[] = []
  const slideFonts: PdfFont[] = []
  for (const { page, fonts } of fallbackPages(printed.pdf ?? [], families)) {
    slideFonts.push(...fonts)
    const slide = view.slides[page - 1]
    const where = slide ? { slide: { number: page, title: slide.outline }, line: loaded.locate(['slides', slide.index]).line } : {}
    findings.push({ ...FALLBACK, message: fallbackWords(fonts, families, charactersOf(fonts)), file: loaded.file, ...where })
  }
  const shown = { chars: new Set(charactersOf(slideFonts)), unmapped: new Set(slideFonts.filter((f) => f.codePoints.length === 0).map((f) => f.name)) }
  for (const kind of ['handout', 'notes'] as const)
    findings.push(...ownTextFindings(loaded, view, kind, fallbackPages(printed[kind] ?? [], families), families, shown))
  return findings
}

const PRINTED = { handout: 'the handout', notes: 'the notes PDF' } as const

/**
 * What the handout or the notes draw in fallback fonts that the slides do not: each
 * character at the slide whose text on that page holds it (its handout text, its notes);
 * the rest (a character of the pages' header, a font whose characters the file does not
 * name) at the pages that draw with those fonts.
 */
function ownTextFindings(
  loaded: LoadedBrief,
  view: DeckView,
  kind: 'handout' | 'notes',
  pages: readonly { page: number; fonts: PdfFont[] }[],
  families: readonly string[],
  shown: { chars: ReadonlySet<number>; unmapped: ReadonlySet<string | undefined> },
): Finding[] {
  const fonts = [...new Set(pages.flatMap((p) => p.fonts))]
  let own = charactersOf(fonts).filter((cp) => !shown.chars.has(cp))
  const drawing = (chars: readonly number[]) => fonts.filter((f) => f.codePoints.some((cp) => chars.includes(cp)))
  const findings: Finding[] = []
  view.slides.forEach((slide, i) => {
    const text = kind === 'handout' ? handoutText(loaded.brief, slide) : slide.notesText
    const here = own.filter((cp) => text?.includes(String.fromCodePoint(cp)))
    if (here.length === 0) return
    own = own.filter((cp) => !here.includes(cp))
    const field = kind === 'handout' && loaded.brief.slides[slide.index]?.handout !== undefined ? 'handout' : 'notes'
    const where = { slide: { number: i + 1, title: slide.outline }, line: loaded.locate(['slides', slide.index, field]).line }
    const message = `in ${PRINTED[kind]}, its ${field === 'handout' ? 'handout text' : 'notes'}: ${fallbackWords(drawing(here), families, here)}`
    findings.push({ ...FALLBACK, message, file: loaded.file, ...where })
  })
  const unmapped = fonts.filter((f) => f.codePoints.length === 0 && !shown.unmapped.has(f.name))
  if (own.length === 0 && unmapped.length === 0) return findings
  const rest = [...drawing(own), ...unmapped]
  const numbers = pages.filter((p) => p.fonts.some((f) => rest.includes(f))).map((p) => p.page)
  const on = `in ${PRINTED[kind]}, page${numbers.length > 1 ? 's' : ''} ${numbers.join(', ')}`
  return [...findings, { ...FALLBACK, message: `${on}: ${fallbackWords(rest, families, own)}`, file: loaded.file }]
}
