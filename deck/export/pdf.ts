import type { PDFDocument, PDFRef } from 'pdf-lib'

import { dateParts, utcDate } from '../brief/dates.ts'
import type { Brief } from '../brief/schema.ts'
import { CATALOGUES } from '../languages/languages.ts'
import { escapeHtml } from '../render/escape.ts'
import type { DeckView } from '../render/view.ts'
import { DeckError, ExitCode } from '../shared/errors.ts'
import { loadPdfLib, type PdfLib } from '../shared/pdf-lib.ts'

// Chromium prints the pages; pdf-lib gives the file its document information
// and its bookmarks, which Chromium cannot take from us. pdf-lib is loaded on first use.

export interface PdfInfo {
  title: string
  /** Absent when the brief names no author: the file then names none. */
  author: string | undefined
  subject: string
  keywords: readonly string[]
  language: string
  /** One bookmark per entry: its title and the 0-based page it opens. */
  outline?: readonly { title: string; page: number }[]
  /** Creation and modification date; fixed by SOURCE_DATE_EPOCH for reproducible files. */
  date: Date
}

/**
 * A deck's document properties as its files carry them (the PDFs, both PowerPoints): the
 * title, author and summary as the deck shows them ({fig:…} filled in, {ref:…} dropped).
 */
export function documentInfo(view: DeckView, meta: Brief['meta']): PdfInfo {
  return {
    title: view.meta.title.plain,
    author: view.meta.author?.plain,
    subject: view.meta.summary.plain,
    keywords: meta.keywords ?? [],
    language: CATALOGUES[meta.language].locale,
    date: buildDate(meta.date),
  }
}

export const PRODUCER = 'brief-deck (Chromium, pdf-lib)'

export async function finishPdf(bytes: Uint8Array, info: PdfInfo): Promise<Uint8Array> {
  const lib = loadPdfLib()
  // pdf-lib yields to the event loop every 50 objects by default; in a busy build each
  // yield waits behind other work, so it parses and writes in one go instead.
  const doc = await lib.PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: lib.ParseSpeeds.Fastest })
  doc.setTitle(info.title, { showInWindowTitleBar: true })
  if (info.author !== undefined) doc.setAuthor(info.author)
  doc.setSubject(info.subject)
  // One string, "Serbia; human rights; EU accession": pdf-lib's own join (a space) would run multi-word keywords together.
  if (info.keywords.length > 0) doc.setKeywords([info.keywords.join(KEYWORD_SEPARATOR)])
  doc.setLanguage(info.language)
  doc.setCreator('brief-deck')
  doc.setProducer(PRODUCER)
  doc.setCreationDate(info.date)
  doc.setModificationDate(info.date)
  setXmp(doc, info)
  if (info.outline && info.outline.length > 0) setOutline(lib, doc, info.outline)
  searchableQuotes(lib, doc)
  return doc.save({ objectsPerTick: Infinity, useObjectStreams: false })
}

/** Between keywords in the document information (as Acrobat writes them). */
export const KEYWORD_SEPARATOR = '; '

/**
 * The same information as XMP metadata, which archives, search engines and PDF/A readers
 * read instead of the document information: title, author, subject, every keyword on its
 * own, language, dates and the tools that made the file.
 */
export function xmpPacket(info: PdfInfo): string {
  const date = info.date.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const alt = (value: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${escapeHtml(value)}</rdf:li></rdf:Alt>`
  const list = (kind: 'Bag' | 'Seq', values: readonly string[]) =>
    `<rdf:${kind}>${values.map((v) => `<rdf:li>${escapeHtml(v)}</rdf:li>`).join('')}</rdf:${kind}>`
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
    '<dc:format>application/pdf</dc:format>',
    `<dc:title>${alt(info.title)}</dc:title>`,
    info.author === undefined ? '' : `<dc:creator>${list('Seq', [info.author])}</dc:creator>`,
    `<dc:description>${alt(info.subject)}</dc:description>`,
    info.keywords.length === 0 ? '' : `<dc:subject>${list('Bag', info.keywords)}</dc:subject>`,
    `<dc:language>${list('Bag', [info.language])}</dc:language>`,
    info.keywords.length === 0 ? '' : `<pdf:Keywords>${escapeHtml(info.keywords.join(KEYWORD_SEPARATOR))}</pdf:Keywords>`,
    `<pdf:Producer>${escapeHtml(PRODUCER)}</pdf:Producer>`,
    '<xmp:CreatorTool>brief-deck</xmp:CreatorTool>',
    `<xmp:CreateDate>${date}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${date}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${date}</xmp:MetadataDate>`,
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n')
}

/** The XMP packet as the catalog's uncompressed /Metadata stream, replacing any the file had. */
function setXmp(doc: PDFDocument, info: PdfInfo): void {
  const { PDFName } = loadPdfLib()
  const stream = doc.context.stream(new TextEncoder().encode(xmpPacket(info)), { Type: 'Metadata', Subtype: 'XML' })
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(stream))
}

/** Quote glyphs the fonts share with "modifier letter" code points, and the code points a reader searches for. */
const QUOTE_UNICODE: Record<string, string> = { C: '<2019>', B: '<2018>' }
/** `<glyph> <02BC>`: a destination at the end of a CMap line, never a glyph number on the left. */
const RE_MODIFIER_QUOTE_TARGET = /(?<=>\s*)<02B(B|C)>(?=\s*$)/gm

/**
 * Source Sans and Source Serif draw ’ (U+2019) and ʼ (U+02BC) with one glyph, and
 * Chromium's PDF names that glyph U+02BC, so "Serbia’s" could not be found or
 * copied as typed. Map those glyphs back to the quotation marks in every font's
 * ToUnicode table.
 */
export function searchableQuotesCmap(cmap: string): string {
  return cmap.replace(RE_MODIFIER_QUOTE_TARGET, (code, which: string) => QUOTE_UNICODE[which] ?? code)
}

function searchableQuotes({ PDFDict, PDFName, PDFRawStream, decodePDFRawStream }: PdfLib, doc: PDFDocument): void {
  const { context } = doc
  for (const [, object] of context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Type')) !== PDFName.of('Font')) continue
    const ref = object.get(PDFName.of('ToUnicode'))
    const stream = ref ? context.lookup(ref) : undefined
    if (!(stream instanceof PDFRawStream) || !ref) continue
    const cmap = new TextDecoder('latin1').decode(decodePDFRawStream(stream).decode())
    const fixed = searchableQuotesCmap(cmap)
    if (fixed !== cmap) context.assign(ref as PDFRef, context.flateStream(fixed))
  }
}

/** A flat outline, one bookmark per entry, replacing any the file had. */
function setOutline({ PDFArray, PDFHexString, PDFName }: PdfLib, doc: PDFDocument, entries: readonly { title: string; page: number }[]): void {
  const { context } = doc
  const pages = doc.getPages()
  const rootRef = context.nextRef()
  const refs: PDFRef[] = entries.map(() => context.nextRef())
  entries.forEach((entry, i) => {
    const page = pages[Math.min(entry.page, pages.length - 1)]
    if (!page) return
    const dest = PDFArray.withContext(context)
    dest.push(page.ref)
    dest.push(PDFName.of('Fit'))
    const item = context.obj({ Title: PDFHexString.fromText(entry.title), Parent: rootRef, Dest: dest })
    const prev = refs[i - 1]
    const next = refs[i + 1]
    if (prev) item.set(PDFName.of('Prev'), prev)
    if (next) item.set(PDFName.of('Next'), next)
    context.assign(refs[i] as PDFRef, item)
  })
  context.assign(rootRef, context.obj({ Type: 'Outlines', First: refs[0], Last: refs[refs.length - 1], Count: refs.length }))
  doc.catalog.set(PDFName.of('Outlines'), rootRef)
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'))
}

/**
 * The date written into the PDFs: SOURCE_DATE_EPOCH when it is set, else the brief's
 * own date, never the clock, so that the same brief always builds the same bytes.
 */
export function buildDate(briefDate: string, env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH
  if (epoch !== undefined && epoch !== '') {
    // As the reproducible-builds specification asks: a malformed value ends the build, never a silent other date.
    if (!RE_EPOCH.test(epoch) || Number(epoch) > LAST_EPOCH)
      throw new DeckError(
        `SOURCE_DATE_EPOCH is not a time this build can use: give whole seconds since 1970 (as date +%s prints), at most ${LAST_EPOCH} (the last second of 9999)`,
        {
          exitCode: ExitCode.usage,
        },
      )
    return new Date(Number(epoch) * 1000)
  }
  const { year, month, day } = dateParts(briefDate)
  return utcDate(year, month, day)
}
const RE_EPOCH = /^\d{1,12}$/
const LAST_EPOCH = 253_402_300_799
