// The PowerPoint file as pptxgenjs writes it, finished: every date made the build date
// (the document's properties, each chart's embedded workbook, each zip entry's time), the
// slides listed by their titles, keywords and language in the properties, and the few
// things pptxgenjs cannot say (a bullet's colour, a chart label per point) written in.
// The same deck always gives the same bytes.
import type JSZipType from 'jszip'

import { escapeHtml } from '../render/escape.ts'

/** JSZip, loaded when a PowerPoint is finished: no other output needs it. */
const jszip = async () => (await import('jszip')).default

export interface PackageInfo {
  date: Date
  /** The slides' titles, in order, for the document's list of parts. */
  titles: readonly string[]
  keywords: readonly string[]
  /** BCP 47, e.g. sr-Latn-RS. */
  language?: string | undefined
  /** Per chart part (ppt/charts/chartN.xml, in the order the charts were added): each point's label format. */
  chartLabels?: readonly (readonly string[])[] | undefined
  /** The colour of bullets (RRGGBB). */
  bulletColour?: string | undefined
  /** The serif font's name: marked as a serif, so that PowerPoint puts a serif in its place where it is missing. */
  serif?: string | undefined
  /** A bullet's indent in the body placeholder, in EMU (English Metric Units, 9525 a pixel). */
  bulletIndent?: number | undefined
}

const RE_CORE_DATES = /(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:(?:created|modified)>)/g
/** pptxgenjs names the slides "Slide 1", "Slide 2" in the document's list of parts. */
const RE_SLIDE_PART = /<vt:lpstr>Slide (\d+)<\/vt:lpstr>/g
const RE_CHART_PART = /^ppt\/charts\/chart(\d+)\.xml$/
const RE_EMBEDDED = /^ppt\/embeddings\/.*\.xlsx$/
const RE_LAYOUT = /^ppt\/slideLayouts\/slideLayout\d+\.xml$/
/** The parts with text: slides, their notes, the layouts and the master. */
const RE_TEXT_PART = /^ppt\/(?:slides\/slide|notesSlides\/notesSlide|slideLayouts\/slideLayout|slideMasters\/slideMaster)\d+\.xml$/

type Edit = (name: string, raw: Uint8Array) => string | Uint8Array | undefined | Promise<string | Uint8Array | undefined>

/** A zip written again with `edit`'s changes (undefined: as it was), its entries in name order, each dated `date`, and renamed by `rename`. */
async function repack(bytes: Uint8Array | JSZipType, date: Date, edit: Edit, rename: (name: string) => string = (name) => name): Promise<Uint8Array> {
  const JSZip = await jszip()
  const zip = bytes instanceof JSZip ? bytes : await JSZip.loadAsync(bytes)
  const out = new JSZip()
  const names = Object.keys(zip.files).map((name) => [rename(name), name] as const)
  for (const [name, old] of names.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const entry = zip.files[old]
    if (!entry || entry.dir) continue
    const raw = await entry.async('uint8array')
    const data = (await edit(name, raw)) ?? raw
    // JSZip writes an entry's time from the date's UTC fields: the same bytes in every time zone.
    out.file(name, data, { date: zipTime(date), createFolders: false })
  }
  return out.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } })
}

/** A zip entry's time holds the years 1980 to 2107: a date outside is written as the nearest it can hold. */
function zipTime(date: Date): Date {
  return new Date(Math.min(Math.max(date.getTime(), ZIP_FIRST), ZIP_LAST))
}
const ZIP_FIRST = Date.UTC(1980, 0, 1)
const ZIP_LAST = Date.UTC(2107, 11, 31, 23, 59, 58)

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** The document's core properties with the build date, and the keywords and language added. */
const RE_EMPTY_PERSON = /<(dc:creator|cp:lastModifiedBy)><\/\1>\s*/g

function coreProperties(xml: string, info: PackageInfo): string {
  let out = xml
    .replace(RE_CORE_DATES, (_, open: string, close: string) => `${open}${isoSeconds(info.date)}${close}`)
    // A brief with no author: the file names none, rather than an empty name.
    .replace(RE_EMPTY_PERSON, '')
  const extra = [
    info.keywords.length > 0 && !out.includes('<cp:keywords') ? `<cp:keywords>${escapeHtml(info.keywords.join('; '))}</cp:keywords>` : '',
    info.language && !out.includes('<dc:language') ? `<dc:language>${escapeHtml(info.language)}</dc:language>` : '',
  ].join('')
  if (extra) out = out.replace('</cp:coreProperties>', () => `${extra}</cp:coreProperties>`)
  return out
}

/**
 * Each point's data label with its own number format, so a chart shows "≈110,000" where
 * the slide does, and the label still follows the number when "Edit Data" changes it.
 */
export function pointLabels(xml: string, formats: readonly string[]): string {
  return xml.replace(/<c:dLbls>([\s\S]*?)<c:showLeaderLines[^>]*\/><\/c:dLbls>/, (all, inner: string) => {
    const shared = inner.replace(/<c:numFmt [^>]*\/>/, '')
    const points = formats
      .map((code, idx) => `<c:dLbl><c:idx val="${idx}"/><c:numFmt formatCode="${escapeHtml(code)}" sourceLinked="0"/>${shared}</c:dLbl>`)
      .join('')
    return all.replace('<c:dLbls>', () => `<c:dLbls>${points}`)
  })
}

const decode = (raw: Uint8Array) => new TextDecoder().decode(raw)

/** A chart's embedded workbook (pptxgenjs stamps it with the clock), its dates made the build date. */
function workbook(bytes: Uint8Array, date: Date): Promise<Uint8Array> {
  return repack(bytes, date, (name, raw) =>
    name === 'docProps/core.xml' ? decode(raw).replace(RE_CORE_DATES, (_, open: string, close: string) => `${open}${isoSeconds(date)}${close}`) : undefined,
  )
}

const RE_PARAGRAPH = /<a:p>[\s\S]*?<\/a:p>/g
const RE_PPR = /<a:pPr\b(?:[^>]*?\/>|[^>]*>[\s\S]*?<\/a:pPr>)/g

/**
 * A slide as PowerPoint reads it: one set of paragraph settings per paragraph (pptxgenjs
 * writes one for every run, which PowerPoint's schema does not allow), bullets in the
 * theme's colour, the serif font marked as one.
 */
export function slideXml(xml: string, info: Pick<PackageInfo, 'bulletColour' | 'serif' | 'language'>): string {
  let out = xml.replace(RE_PARAGRAPH, (p) => {
    let seen = false
    return p.replace(RE_PPR, (ppr) => {
      if (seen) return ''
      seen = true
      return ppr
    })
  })
  if (info.bulletColour)
    out = out.replaceAll(
      '<a:buSzPct val="100000"/><a:buChar',
      () => `<a:buClr><a:srgbClr val="${info.bulletColour}"/></a:buClr><a:buSzPct val="100000"/><a:buChar`,
    )
  if (info.serif)
    out = out.replaceAll(`typeface="${escapeHtml(info.serif)}" pitchFamily="34"`, () => `typeface="${escapeHtml(info.serif ?? '')}" pitchFamily="18"`)
  // pptxgenjs marks the notes, the slide number and each paragraph's end as American English whatever the deck's language.
  if (info.language) out = out.replace(/ lang="en-US"/g, () => ` lang="${escapeHtml(info.language ?? '')}"`)
  // The master's slide-number field holds the word "null" where PowerPoint writes its own sign for "the number goes here".
  return out.replace(RE_NULL_NUMBER, '$1‹#›$2')
}

const RE_NULL_NUMBER = /(<a:fld\b[^>]*type="slidenum"[^>]*>(?:<a:rPr\b[^>]*\/>|<a:rPr\b[^>]*>[\s\S]*?<\/a:rPr>)?<a:t>)null(<\/a:t>)/g

/** A chart's or its workbook's part name (in a path or a relationship's target), never text elsewhere such as a link. */
const RE_NUMBERED = /(?<=(?:^|\/)(?:charts\/(?:_rels\/)?|embeddings\/))(chart|Microsoft_Excel_Worksheet)(\d+)(?=\.x)/g

/**
 * pptxgenjs numbers charts and their workbooks on from every chart made earlier in the
 * process (a second build in the dev server starts at chart3): they are numbered from 1
 * in each file, wherever their names are written, so that the same deck gives the same bytes.
 */
function partNumbers(zip: JSZipType): (text: string) => string {
  const seen = { chart: new Set<number>(), Microsoft_Excel_Worksheet: new Set<number>() }
  for (const name of Object.keys(zip.files)) for (const m of name.matchAll(RE_NUMBERED)) seen[m[1] as keyof typeof seen].add(Number(m[2]))
  const order = (kind: keyof typeof seen) => new Map([...seen[kind]].sort((a, b) => a - b).map((n, i) => [n, i + 1]))
  const numbers = { chart: order('chart'), Microsoft_Excel_Worksheet: order('Microsoft_Excel_Worksheet') }
  return (text) => text.replace(RE_NUMBERED, (all, kind: keyof typeof seen, n: string) => `${kind}${numbers[kind].get(Number(n)) ?? n}`)
}

const RE_NAMES_PARTS = /^\[Content_Types\]\.xml$|\.rels$/

const RE_SHAPE = /<p:sp>[\s\S]*?<\/p:sp>/g

/**
 * A layout's placeholders as its slides draw them, which pptxgenjs cannot say: no inner
 * margin, the title set on its rule (at the top on the title and section layouts), and
 * bullets in the body, so that a slide a colleague adds from a layout looks like ours.
 */
export function layoutXml(xml: string, info: Pick<PackageInfo, 'bulletColour' | 'bulletIndent'>): string {
  const layout = /<p:cSld name="([^"]*)"/.exec(xml)?.[1]
  return xml.replace(RE_SHAPE, (shape) => {
    const type = /<p:ph\s[^>]*type="(\w+)"/.exec(shape)?.[1]
    if (type !== 'title' && type !== 'body') return shape
    const anchor = type === 'body' || layout === 'title' || layout === 'section' ? 't' : 'b'
    let out = shape.replace(
      '<a:bodyPr wrap="square" rtlCol="0">',
      () => `<a:bodyPr wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0" anchor="${anchor}">`,
    )
    if (type === 'body' && info.bulletIndent !== undefined) {
      const colour = info.bulletColour ? `<a:buClr><a:srgbClr val="${info.bulletColour}"/></a:buClr>` : ''
      out = out.replace(
        '<a:lvl1pPr indent="0" marL="0"><a:buNone/>',
        () => `<a:lvl1pPr marL="${info.bulletIndent}" indent="-${info.bulletIndent}">${colour}<a:buSzPct val="100000"/><a:buChar char="&#x2022;"/>`,
      )
    }
    return out
  })
}

export async function finishPackage(pptx: Uint8Array, info: PackageInfo): Promise<Uint8Array> {
  const title = (all: string, n: string) => {
    const t = info.titles[Number(n) - 1]
    return t === undefined ? all : `<vt:lpstr>${escapeHtml(t)}</vt:lpstr>`
  }
  const zip = await (await jszip()).loadAsync(pptx)
  const renumber = partNumbers(zip)
  return repack(
    zip,
    info.date,
    (name, raw) => {
      // A link's address is left as written, whatever it says.
      if (RE_NAMES_PARTS.test(name))
        return decode(raw).replace(/<(?:Relationship|Override)\b[^>]*>/g, (part) => (part.includes('/hyperlink"') ? part : renumber(part)))
      if (name === 'docProps/core.xml') return coreProperties(decode(raw), info)
      // No affiliation: no company, rather than an empty one.
      if (name === 'docProps/app.xml') return decode(raw).replace(RE_SLIDE_PART, title).replace('<Company></Company>', '')
      if (RE_EMBEDDED.test(name)) return workbook(raw, info.date)
      const chart = RE_CHART_PART.exec(name)
      const labels = chart ? info.chartLabels?.[Number(chart[1]) - 1] : undefined
      if (labels) return pointLabels(decode(raw), labels)
      if (RE_LAYOUT.test(name)) return layoutXml(slideXml(decode(raw), info), info)
      if (RE_TEXT_PART.test(name)) return slideXml(decode(raw), info)
      return undefined
    },
    renumber,
  )
}
