import type { PDFContext, PDFDict, PDFObject } from 'pdf-lib'

import { loadPdfLib } from '../shared/pdf-lib.ts'

// The fonts a printed PDF draws its text with, page by page, as a PDF reader lists them
// (pdffonts): what Chromium actually used, fallbacks included, read back from the file.

export interface PdfFont {
  /** Its PostScript name without the subset tag ("SourceSans3-Regular"); none for a font that names none (Type 3). */
  name: string | undefined
  /** The characters it draws anywhere in the file, by its ToUnicode map (none if it has no map). */
  codePoints: number[]
}

/** A subset font's name starts with six capitals and a plus: "AAAAAA+SourceSans3-Regular". */
const RE_SUBSET_TAG = /^[A-Z]{6}\+/
const RE_BFCHAR = /beginbfchar([\s\S]*?)endbfchar/g
const RE_BFRANGE = /beginbfrange([\s\S]*?)endbfrange/g
const RE_CHAR_PAIR = /<([0-9a-f]+)>\s*<([0-9a-f]*)>/gi
const RE_RANGE_ENTRY = /<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*(?:<([0-9a-f]*)>|\[([^\]]*)\])/gi
const RE_HEX = /<([0-9a-f]*)>/gi
/** A range of more glyphs than a font can have is not one: its characters are not read. */
const MAX_RANGE = 0xffff

/** The fonts each page draws with (index 0 is page 1), each font once per page, XObjects included. */
export async function pdfPageFonts(bytes: Uint8Array): Promise<PdfFont[][]> {
  const lib = loadPdfLib()
  const doc = await lib.PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: lib.ParseSpeeds.Fastest })
  const known = new Map<PDFDict, PdfFont>()
  return doc.getPages().map((page) => {
    const found = new Set<PdfFont>()
    walkResources(doc.context, page.node.Resources(), new Set(), (dict) => {
      const font = known.get(dict) ?? readFont(doc.context, dict)
      known.set(dict, font)
      found.add(font)
    })
    return [...found]
  })
}

/** Calls `onFont` with each font of a resource dictionary and of the forms and patterns it draws, each dictionary once. */
function walkResources(context: PDFContext, resources: PDFObject | undefined, seen: Set<PDFObject>, onFont: (font: PDFDict) => void): void {
  const { PDFDict, PDFName, PDFStream } = loadPdfLib()
  const dict = resources === undefined ? undefined : context.lookup(resources)
  if (!(dict instanceof PDFDict) || seen.has(dict)) return
  seen.add(dict)
  const entries = (key: string) => {
    const inner = context.lookup(dict.get(PDFName.of(key)))
    return inner instanceof PDFDict ? inner.entries().map(([, value]) => context.lookup(value)) : []
  }
  for (const font of entries('Font')) if (font instanceof PDFDict) onFont(font)
  // Chromium puts a group with its own opacity into a form, with the fonts it uses in the form's resources.
  for (const drawn of [...entries('XObject'), ...entries('Pattern')]) {
    const own = drawn instanceof PDFStream ? drawn.dict : drawn instanceof PDFDict ? drawn : undefined
    if (own) walkResources(context, own.get(PDFName.of('Resources')), seen, onFont)
  }
}

function readFont(context: PDFContext, dict: PDFDict): PdfFont {
  const { PDFName, PDFRawStream, decodePDFRawStream } = loadPdfLib()
  const base = context.lookup(dict.get(PDFName.of('BaseFont')))
  const name = base instanceof PDFName ? base.decodeText().replace(RE_SUBSET_TAG, '') : undefined
  const map = context.lookup(dict.get(PDFName.of('ToUnicode')))
  const cmap = map instanceof PDFRawStream ? new TextDecoder('latin1').decode(decodePDFRawStream(map).decode()) : ''
  return { name, codePoints: toUnicodeCodePoints(cmap) }
}

/** The characters a ToUnicode CMap maps glyphs to (its bfchar and bfrange entries), ascending. */
export function toUnicodeCodePoints(cmap: string): number[] {
  const found = new Set<number>()
  const add = (hex: string) => {
    for (const c of utf16(hex)) found.add(c.codePointAt(0) as number)
  }
  for (const [, body = ''] of cmap.matchAll(RE_BFCHAR)) for (const [, , target = ''] of body.matchAll(RE_CHAR_PAIR)) add(target)
  for (const [, body = ''] of cmap.matchAll(RE_BFRANGE)) {
    for (const [, low = '', high = '', start, list] of body.matchAll(RE_RANGE_ENTRY)) {
      if (list !== undefined) {
        for (const [, target = ''] of list.matchAll(RE_HEX)) add(target)
        continue
      }
      const count = Number.parseInt(high, 16) - Number.parseInt(low, 16)
      if (start === undefined || start.length < 4 || count < 0 || count > MAX_RANGE) continue
      // The range counts up in the target's last UTF-16 unit.
      const head = start.slice(0, -4)
      const last = Number.parseInt(start.slice(-4), 16)
      for (let i = 0; i <= count && last + i <= 0xffff; i += 1) add(head + (last + i).toString(16).padStart(4, '0'))
    }
  }
  return [...found].sort((a, b) => a - b)
}

/** Big-endian UTF-16 in hex ("D83DDE00") as text. */
function utf16(hex: string): string {
  const units: number[] = []
  for (let i = 0; i + 4 <= hex.length; i += 4) units.push(Number.parseInt(hex.slice(i, i + 4), 16))
  return String.fromCharCode(...units)
}
