// The PowerPoint file as pptxgenjs writes it, finished: every date made the build date
// (the document's properties, each chart's embedded workbook, each zip entry's time), the
// slides listed by their titles, keywords and language in the properties, and the few
// things pptxgenjs cannot say (a bullet's colour, a chart label per point, a bar's outline,
// the theme's colours, the master's text styles, a placeholder moved) written in, and the
// package made valid: content types only for parts there are, each workbook's table over
// its data with a header, one id per shape, the document's fonts, no empty layout and no
// empty placeholder on a slide. The same deck always gives the same bytes.
//
// A patch of pptxgenjs 4.0.1's output, pinned in package.json: every rewrite of its XML goes
// through `rewrite` (rewrite.ts), which stops the build, naming the part and the pattern,
// when the text it rewrites is not there as often as expected. test/pptx-package.test.ts runs each against
// what pptxgenjs writes, and fails, naming the rewrite, when pptxgenjs no longer needs it.
// Source references are to https://github.com/gitbrent/PptxGenJS/blob/v4.0.1/src/.
import type JSZipType from 'jszip'

import { escapeHtml } from '../render/escape.ts'
import { escapeRegExp, read, rewrite, shown, times, unexpected } from './rewrite.ts'

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
  /** Per chart, in the same order: the name of its categories (the x label), the header of its workbook's first column. */
  chartCategories?: readonly (string | undefined)[] | undefined
  /** The fonts the slides' text is set in, for the document's list of fonts used. */
  fonts?: readonly string[] | undefined
  /** The colour of bullets (RRGGBB). */
  bulletColour?: string | undefined
  /** The serif font's name: marked as a serif, so that PowerPoint puts a serif in its place where it is missing. */
  serif?: string | undefined
  /** A bullet's indent in the body placeholder, in EMU (English Metric Units, 9525 a pixel). */
  bulletIndent?: number | undefined
  /** The theme's colour scheme (`<a:clrScheme>`, master.ts), in place of Office's. */
  colourScheme?: string | undefined
  /** The master's text styles (`<p:txStyles>`, master.ts), in place of pptxgenjs's. */
  textStyles?: string | undefined
  /** Placeholders a slide puts elsewhere than its layout. */
  moves?: readonly PlaceholderMove[] | undefined
}

/** A slide's placeholder for a layout's body or chart with nothing in it: no text run, no graphic. */
const RE_EMPTY_PLACEHOLDER = /<p:sp>(?:(?!<\/p:sp>)[\s\S])*?<p:ph\s[^>]*type="(?:body|chart)"(?:(?!<\/p:sp>|<a:t>)[\s\S])*<\/p:sp>/g

/**
 * A slide without the empty placeholders pptxgenjs gives it for each of its layout's
 * placeholders the slide does not fill (pptxgenjs.ts addPlaceholdersToSlideLayouts): in
 * PowerPoint an empty box would lie over the slide's own content, catching a colleague's
 * clicks. The layout keeps its placeholders for a slide added from it. No upstream issue found.
 */
export function withoutEmptyPlaceholders(xml: string, part = 'a slide'): string {
  return rewrite(xml, part, { find: RE_EMPTY_PLACEHOLDER, to: '', expect: 'any' })
}

/** A slide's placeholder (by its type) put in `box` (EMU), not where its layout has it. */
export interface PlaceholderMove {
  slide: number
  placeholder: string
  box: { x: number; y: number; w: number; h: number }
}

const RE_SLIDE_FILE = /^ppt\/slides\/slide(\d+)\.xml$/

/**
 * A slide's placeholders where the slide puts them: pptxgenjs places a placeholder's text
 * where its layout has the placeholder whatever position the text is given (gen-xml.ts
 * slideObjectToXml); no upstream issue found. A section slide's title moves with the block it
 * is centred in, and a title that wraps takes the width at which its lines are even.
 */
export function movedPlaceholders(xml: string, moves: readonly PlaceholderMove[], part = 'a slide'): string {
  let out = xml
  for (const move of moves) {
    const shape = new RegExp(
      `(<p:sp>(?:(?!</p:sp>)[\\s\\S])*?<p:ph\\s[^>]*type="${escapeRegExp(move.placeholder)}"(?:(?!</p:sp>)[\\s\\S])*?<a:xfrm>)<a:off x="-?\\d+" y="-?\\d+"/><a:ext cx="\\d+" cy="\\d+"/>`,
    )
    const { x, y, w, h } = move.box
    out = rewrite(out, part, { find: shape, to: `$1<a:off x="${x}" y="${y}"/><a:ext cx="${w}" cy="${h}"/>`, expect: 1 })
  }
  return out
}

const RE_CORE_DATES = /(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:(?:created|modified)>)/g
/** pptxgenjs names the slides "Slide 1", "Slide 2" in the document's list of parts. */
const RE_SLIDE_PART = /<vt:lpstr>Slide (\d+)<\/vt:lpstr>/g
const RE_CHART_PART = /^ppt\/charts\/chart(\d+)\.xml$/
const RE_EMBEDDED = /^ppt\/embeddings\/.*\.xlsx$/
const RE_LAYOUT = /^ppt\/slideLayouts\/slideLayout\d+\.xml$/
/** The parts with text: slides, their notes, the layouts and the master. */
const RE_TEXT_PART = /^ppt\/(?:slides\/slide|notesSlides\/notesSlide|slideLayouts\/slideLayout|slideMasters\/slideMaster)\d+\.xml$/

type Edited = string | Uint8Array | undefined | null
type Edit = (name: string, raw: Uint8Array) => Edited | Promise<Edited>

/** A zip written again with `edit`'s changes (undefined: as it was; null: left out), its entries in name order, each dated `date`, and renamed by `rename`. */
async function repack(bytes: Uint8Array | JSZipType, date: Date, edit: Edit, rename: (name: string) => string = (name) => name): Promise<Uint8Array> {
  const JSZip = await jszip()
  const zip = bytes instanceof JSZip ? bytes : await JSZip.loadAsync(bytes)
  const out = new JSZip()
  const names = Object.keys(zip.files).map((name) => [rename(name), name] as const)
  for (const [name, old] of names.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const entry = zip.files[old]
    if (!entry || entry.dir) continue
    const raw = await entry.async('uint8array')
    const edited = await edit(name, raw)
    if (edited === null) continue
    const data = edited ?? raw
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

/** An empty author or last editor, in any form. */
const RE_EMPTY_PERSON = /<(dc:creator|cp:lastModifiedBy)><\/\1>\s*/g
const RE_ANY_EMPTY_PERSON = /<(dc:creator|cp:lastModifiedBy)\b[^>]*(?:\/>|>\s*<\/\1>)/
/** An empty company, in any form. */
const RE_ANY_EMPTY_COMPANY = /<Company\b[^>]*(?:\/>|>\s*<\/Company>)/

/** A part's dates made `date`: pptxgenjs stamps the document, and each chart's workbook, with the clock (gen-xml.ts makeXmlCore, gen-charts.ts createExcelWorksheet). */
function dated(xml: string, part: string, date: Date): string {
  return rewrite(xml, part, { find: RE_CORE_DATES, to: (_, open = '', close = '') => `${open}${isoSeconds(date)}${close}`, expect: 2 })
}

/** The document's core properties with the build date, and the keywords and language added. */
function coreProperties(xml: string, part: string, info: PackageInfo): string {
  // A brief with no author: the file names none, rather than an empty name. Present only then.
  let out = rewrite(dated(xml, part, info.date), part, { find: RE_EMPTY_PERSON, to: '', expect: 'any', left: RE_ANY_EMPTY_PERSON })
  const extra = [
    info.keywords.length > 0 && !out.includes('<cp:keywords') ? `<cp:keywords>${escapeHtml(info.keywords.join('; '))}</cp:keywords>` : '',
    info.language && !out.includes('<dc:language') ? `<dc:language>${escapeHtml(info.language)}</dc:language>` : '',
  ].join('')
  if (extra) out = rewrite(out, part, { find: '</cp:coreProperties>', to: () => `${extra}</cp:coreProperties>`, expect: 1 })
  return out
}

/** The series' data labels, as pptxgenjs writes them for a chart of one series (gen-charts.ts, makeChartType). */
const RE_SERIES_LABELS = /<c:dLbls>([\s\S]*?)<c:showLeaderLines[^>]*\/><\/c:dLbls>/
const RE_LABEL_FORMAT = /<c:numFmt [^>]*\/>/

/**
 * Each point's data label with its own number format, so a chart shows "≈110,000" where
 * the slide does, and the label still follows the number when "Edit Data" changes it.
 * pptxgenjs has one format for all of a chart's labels (`dataLabelFormatCode`); no upstream
 * issue found.
 */
export function pointLabels(xml: string, formats: readonly string[], part = 'a chart'): string {
  return rewrite(xml, part, {
    find: RE_SERIES_LABELS,
    to: (all, inner = '') => {
      const shared = rewrite(inner, part, { find: RE_LABEL_FORMAT, to: '', expect: 1 })
      const points = formats
        .map((code, idx) => `<c:dLbl><c:idx val="${idx}"/><c:numFmt formatCode="${escapeHtml(code)}" sourceLinked="0"/>${shared}</c:dLbl>`)
        .join('')
      return rewrite(all, part, { find: '<c:dLbls>', to: () => `<c:dLbls>${points}`, expect: 1 })
    },
    expect: 1,
  })
}

/** A bar series' outline (its `dataBorder`), in the series' shape settings. */
const RE_SERIES_OUTLINE = /<c:ser>(?:(?!<c:spPr>|<\/c:ser>)[\s\S])*<c:spPr>(?:(?!<\/c:spPr>)[\s\S])*?(<a:ln\b[^>]*>(?:(?!<\/a:ln>)[\s\S])*<\/a:ln>)/
/** A data point's own fill, which pptxgenjs writes without the series' outline. */
const RE_POINT_FILL = /(<c:dPt>(?:(?!<\/c:dPt>)[\s\S])*?<c:spPr>\s*<a:solidFill>(?:(?!<\/a:solidFill>)[\s\S])*<\/a:solidFill>)(?!\s*<a:ln)/g

/**
 * Each bar of its own colour outlined as the series is: pptxgenjs writes a point's colour with
 * its fill alone (gen-charts.ts makeChartType, `<c:dPt>`), drawn without the series' outline, so
 * the lighter bar of an approximate value loses its navy edge. No upstream issue found.
 */
export function pointOutlines(xml: string, part = 'a chart'): string {
  const outline = RE_SERIES_OUTLINE.exec(xml)?.[1]
  if (outline === undefined) return xml
  return rewrite(xml, part, { find: RE_POINT_FILL, to: (_, fill = '') => `${fill}${outline}`, expect: 'any' })
}

const decode = (raw: Uint8Array) => new TextDecoder().decode(raw)

/** The table's range, with the apostrophe pptxgenjs writes after it. */
const RE_TABLE_REF = /ref="([A-Z]+\d+:[A-Z]+\d+)'"/
const RE_ANY_BAD_REF = /ref="[^"]*'"/
/** The categories' column, which pptxgenjs names as Excel names a column without a header. */
const CATEGORY_COLUMN = '<tableColumn id="1" name="Column1"/>'
/** The first shared string, which pptxgenjs leaves empty: cell A1, the categories' header. */
const RE_EMPTY_FIRST_STRING = /(<sst\b[^>]*>)<si><t xml:space="preserve"><\/t><\/si>/
const A1_FIRST_STRING = '<c r="A1" t="s"><v>0</v></c>'

/**
 * A chart's embedded workbook (`part`), its dates made the build date, and its table valid
 * with a header: pptxgenjs writes the table's range with a stray apostrophe (`A1:B3'`,
 * gen-charts.ts createExcelWorksheet; https://github.com/gitbrent/PptxGenJS/issues/1531),
 * for which Keynote and Preview drop the chart and Excel offers to repair it, and leaves the
 * categories' header cell empty under a column it names "Column1". The header becomes the
 * chart's x label, in A1 and in the table alike; a chart without one keeps the name Excel
 * itself gives such a column, written into A1.
 */
function workbook(bytes: Uint8Array, part: string, date: Date, category: string | undefined): Promise<Uint8Array> {
  const header = escapeHtml(category ?? 'Column1')
  return repack(bytes, date, (name, raw) => {
    const where = `${part} › ${name}`
    if (name === 'docProps/core.xml') return dated(decode(raw), where, date)
    if (name === 'xl/tables/table1.xml') {
      const ranged = rewrite(decode(raw), where, { find: RE_TABLE_REF, to: 'ref="$1"', expect: 1, left: RE_ANY_BAD_REF })
      return rewrite(ranged, where, { find: CATEGORY_COLUMN, to: () => `<tableColumn id="1" name="${header}"/>`, expect: 1 })
    }
    if (name === 'xl/worksheets/sheet1.xml') return rewrite(decode(raw), where, { find: A1_FIRST_STRING, to: () => A1_FIRST_STRING, expect: 1 })
    if (name === 'xl/sharedStrings.xml')
      return rewrite(decode(raw), where, { find: RE_EMPTY_FIRST_STRING, to: (_, sst = '') => `${sst}<si><t>${header}</t></si>`, expect: 1 })
    return undefined
  })
}

const RE_SHAPE_ID = /(<p:cNvPr id=")(\d+)(")/g

/**
 * A part's shapes with an id each: pptxgenjs gives a slide's number placeholder the id 25
 * whatever other shape has it (gen-xml.ts slideObjectToXml), which PowerPoint may repair.
 * A repeated id becomes the next above the part's highest, so that the others keep theirs.
 */
export function uniqueShapeIds(xml: string, part = 'a slide'): string {
  let next = Math.max(0, ...[...xml.matchAll(RE_SHAPE_ID)].map((m) => Number(m[2])))
  const seen = new Set<number>()
  return rewrite(xml, part, {
    find: RE_SHAPE_ID,
    to: (all, open = '', id = '', close = '') => {
      if (!seen.has(Number(id))) {
        seen.add(Number(id))
        return all
      }
      next += 1
      return `${open}${next}${close}`
    },
    expect: 'any',
  })
}

const RE_OVERRIDE = /<Override PartName="\/([^"]+)"[^>]*\/>/g
const RE_DEFAULT = /<Default Extension="([^"]+)"[^>]*\/>/g

/**
 * The content types of the parts there are: pptxgenjs declares a slide master per slide
 * (gen-xml.ts makeXmlContTypes; https://github.com/gitbrent/PptxGenJS/issues/1444, for which
 * PowerPoint offers to repair the file; the open https://github.com/gitbrent/PptxGenJS/pull/1458
 * fixes it) and an extension for every kind of media whether used or not. `names` are the package's parts.
 */
export function contentTypes(xml: string, names: ReadonlySet<string>, part = '[Content_Types].xml'): string {
  const extensions = new Set([...names].map((name) => name.slice(name.lastIndexOf('.') + 1).toLowerCase()))
  const declared = rewrite(xml, part, { find: RE_OVERRIDE, to: (all, name = '') => (names.has(name) ? all : ''), expect: 'some' })
  return rewrite(declared, part, { find: RE_DEFAULT, to: (all, ext = '') => (extensions.has(ext.toLowerCase()) ? all : ''), expect: 'some' })
}

const RE_FONTS_USED = /(<vt:lpstr>Fonts Used<\/vt:lpstr><\/vt:variant>\s*<vt:variant><vt:i4>)2(<\/vt:i4>)/
const RE_PART_TITLES = /(<TitlesOfParts>\s*<vt:vector size=")(\d+)(" baseType="lpstr">\s*)<vt:lpstr>Arial<\/vt:lpstr>\s*<vt:lpstr>Calibri<\/vt:lpstr>/

/** The document's list of fonts used: the deck's, where pptxgenjs lists Arial and Calibri whatever the slides use (gen-xml.ts makeXmlApp). */
function fontsUsed(xml: string, part: string, fonts: readonly string[]): string {
  const counted = rewrite(xml, part, { find: RE_FONTS_USED, to: (_, open = '', close = '') => `${open}${fonts.length}${close}`, expect: 1 })
  return rewrite(counted, part, {
    find: RE_PART_TITLES,
    to: (_, open = '', size = '', rest = '') =>
      `${open}${Number(size) - 2 + fonts.length}${rest}${fonts.map((font) => `<vt:lpstr>${escapeHtml(font)}</vt:lpstr>`).join('')}`,
    expect: 1,
  })
}

const THEME = 'ppt/theme/theme1.xml'
const RE_COLOUR_SCHEME = /<a:clrScheme name="Office">[\s\S]*?<\/a:clrScheme>/
const RE_TEXT_STYLES = /<p:txStyles>[\s\S]*?<\/p:txStyles>/

/**
 * The theme's colours and the master's text styles made the deck's: pptxgenjs writes Office's
 * colours (gen-xml.ts makeXmlTheme takes only fonts) and its own text styles (makeXmlMaster),
 * with no option for either; no upstream issue found.
 */
function themed(xml: string, part: string, find: RegExp, to: string | undefined): string {
  return to === undefined ? xml : rewrite(xml, part, { find, to: () => to, expect: 1 })
}

/** The layout pptxgenjs adds before the deck's own (gen-xml.ts, its DEFAULT layout), empty. */
const DEFAULT_LAYOUT = 'DEFAULT'

/**
 * The empty layout pptxgenjs always writes first, when no slide uses it: its part, its
 * relationships' part, and its place in the master (the relationship's id), to leave out.
 * None when a slide uses it.
 */
async function unusedDefaultLayout(zip: JSZipType): Promise<{ part: string; rels: string; id: string } | undefined> {
  const layouts: string[] = []
  for (const name of Object.keys(zip.files).filter((n) => RE_LAYOUT.test(n)))
    if (read(await text(zip, name), name, RE_LAYOUT_NAME) === DEFAULT_LAYOUT) layouts.push(name)
  const [part, ...more] = layouts
  if (part === undefined || more.length > 0) throw unexpected('the package', `it holds ${times(layouts.length)} a layout named ${DEFAULT_LAYOUT}, not once`)
  const file = part.slice(part.lastIndexOf('/') + 1)
  const target = new RegExp(`<Relationship\\b[^>]*Target="\\.\\./slideLayouts/${escapeRegExp(file)}"[^>]*/>`)
  for (const name of Object.keys(zip.files).filter((n) => RE_SLIDE_RELS.test(n))) if (target.test(await text(zip, name))) return undefined
  const rels = MASTER_RELS
  const id = read(await text(zip, rels), rels, new RegExp(`<Relationship Id="(rId\\d+)"[^>]*Target="\\.\\./slideLayouts/${escapeRegExp(file)}"`))
  return { part, rels: part.replace(/([^/]+)$/, '_rels/$1.rels'), id }
}
const RE_SLIDE_RELS = /^ppt\/slides\/_rels\/slide\d+\.xml\.rels$/
const MASTER = 'ppt/slideMasters/slideMaster1.xml'
const MASTER_RELS = 'ppt/slideMasters/_rels/slideMaster1.xml.rels'

async function text(zip: JSZipType, name: string): Promise<string> {
  const entry = zip.file(name)
  if (!entry) throw unexpected('the package', `${name} is not there`)
  return entry.async('string')
}

const RE_PARAGRAPH = /<a:p>[\s\S]*?<\/a:p>/g
const RE_PPR = /<a:pPr\b(?:[^>]*?\/>|[^>]*>[\s\S]*?<\/a:pPr>)/g
const BULLET = '<a:buSzPct val="100000"/><a:buChar'
/** A bullet in a paragraph's settings with no colour before it. */
const RE_UNCOLOURED_BULLET = /<a:pPr\b(?:[^>]*[^/>])?>(?:(?!<\/a:pPr>|<a:buClr>)[\s\S])*<a:buChar\b/
/** A slide-number field showing the word "null", in any form. */
const RE_ANY_NULL_NUMBER = /type="slidenum"(?:(?!<\/a:fld>)[\s\S])*>null<\/a:t>/

/**
 * A slide as PowerPoint reads it: one set of paragraph settings per paragraph, bullets in
 * the theme's colour, the serif font marked as one, the text in the deck's language, the
 * master's slide number as PowerPoint writes it. `part` names it in a message.
 */
export function slideXml(xml: string, info: Pick<PackageInfo, 'bulletColour' | 'serif' | 'language'>, part = 'a slide'): string {
  // pptxgenjs writes paragraph settings for every run (gen-xml.ts genXmlTextBody), which
  // PowerPoint's schema does not allow: the first is kept. Reported in
  // https://github.com/gitbrent/PptxGenJS/issues/1081, fixed by the open
  // https://github.com/gitbrent/PptxGenJS/pull/1083. A part without paragraphs has none.
  let out = rewrite(xml, part, {
    find: RE_PARAGRAPH,
    to: (p) => {
      let seen = false
      return rewrite(p, part, {
        find: RE_PPR,
        to: (ppr) => {
          if (seen) return ''
          seen = true
          return ppr
        },
        expect: 'any',
      })
    },
    expect: 'any',
  })
  // pptxgenjs has no option for a bullet's colour (https://github.com/gitbrent/PptxGenJS/issues/321;
  // https://github.com/gitbrent/PptxGenJS/pull/1246, open, adds one). A part without bullets has none.
  if (info.bulletColour) {
    const coloured = `<a:buClr><a:srgbClr val="${info.bulletColour}"/></a:buClr>${BULLET}`
    out = rewrite(out, part, { find: BULLET, to: () => coloured, expect: 'any', left: RE_UNCOLOURED_BULLET })
  }
  // pptxgenjs writes every font as a sans serif (pitchFamily="34", gen-xml.ts genXmlTextRunProperties);
  // no upstream issue found. A part may not use the serif.
  if (info.serif) {
    const face = `typeface="${escapeHtml(info.serif)}"`
    out = rewrite(out, part, {
      find: `${face} pitchFamily="34"`,
      to: () => `${face} pitchFamily="18"`,
      expect: 'any',
      left: new RegExp(`${escapeRegExp(face)}(?! pitchFamily="18")`),
    })
  }
  // pptxgenjs marks the notes, the slide number and each paragraph's end as American English
  // whatever the deck's language (gen-xml.ts: slideObjectToXml, genXmlTextBody, makeXmlNotesSlide);
  // no upstream issue found. A part without text has none.
  if (info.language) {
    const lang = ` lang="${escapeHtml(info.language)}"`
    out = rewrite(out, part, {
      find: / lang="en-US"/g,
      to: () => lang,
      expect: 'any',
      left: new RegExp(` lang="(?!${escapeRegExp(escapeHtml(info.language))}")`),
    })
  }
  // The master's slide-number field holds the word "null" (gen-xml.ts slideObjectToXml writes the
  // master's number, which it has none of), where PowerPoint writes its own sign for "the number
  // goes here"; no upstream issue found. Only the master has it.
  return rewrite(out, part, { find: RE_NULL_NUMBER, to: '$1‹#›$2', expect: 'any', left: RE_ANY_NULL_NUMBER })
}

const RE_NULL_NUMBER = /(<a:fld\b[^>]*type="slidenum"[^>]*>(?:<a:rPr\b[^>]*\/>|<a:rPr\b[^>]*>[\s\S]*?<\/a:rPr>)?<a:t>)null(<\/a:t>)/g

/** A chart's or its workbook's part name (in a path or a relationship's target), never text elsewhere such as a link. */
const RE_NUMBERED = /(?<=(?:^|\/)(?:charts\/(?:_rels\/)?|embeddings\/))(chart|Microsoft_Excel_Worksheet)(\d+)(?=\.x)/g
/** The folders of the parts RE_NUMBERED names. */
const RE_NUMBERED_FOLDER = /^ppt\/(?:charts|embeddings)\/(?:_rels\/)?[^/]+$/

/**
 * pptxgenjs numbers charts and their workbooks on from every chart made earlier in the
 * process (gen-objects.ts `_chartCounter`, kept by the module; no upstream issue found): a
 * second build in the dev server starts at chart3. They are numbered from 1 in each file,
 * wherever their names are written, so that the same deck gives the same bytes.
 */
function partNumbers(zip: JSZipType): (text: string) => string {
  const seen = { chart: new Set<number>(), Microsoft_Excel_Worksheet: new Set<number>() }
  for (const name of Object.keys(zip.files)) {
    if (RE_NUMBERED_FOLDER.test(name) && name.search(RE_NUMBERED) < 0) throw unexpected(name, `its name is not one ${shown(RE_NUMBERED)} numbers`)
    for (const m of name.matchAll(RE_NUMBERED)) seen[m[1] as keyof typeof seen].add(Number(m[2]))
  }
  const order = (kind: keyof typeof seen) => new Map([...seen[kind]].sort((a, b) => a - b).map((n, i) => [n, i + 1]))
  const numbers = { chart: order('chart'), Microsoft_Excel_Worksheet: order('Microsoft_Excel_Worksheet') }
  return (text) => text.replace(RE_NUMBERED, (all, kind: keyof typeof seen, n: string) => `${kind}${numbers[kind].get(Number(n)) ?? n}`)
}

const RE_NAMES_PARTS = /^\[Content_Types\]\.xml$|\.rels$/
const RE_PART_REFERENCE = /<(?:Relationship|Override)\b[^>]*>/g

const RE_SHAPE = /<p:sp>[\s\S]*?<\/p:sp>/g
const RE_LAYOUT_NAME = /<p:cSld name="([^"]*)"/
const RE_PLACEHOLDER_TYPE = /<p:ph\s[^>]*type="(\w+)"/
const PLACEHOLDER_BODY = '<a:bodyPr wrap="square" rtlCol="0">'
const PLACEHOLDER_LEVEL_1 = '<a:lvl1pPr indent="0" marL="0"><a:buNone/>'

/**
 * A layout's placeholders as its slides draw them: no inner margin, the title set on its
 * rule (at the top on the title and section layouts), bullets in the body (not in the
 * subtitle of those two), and text that shrinks to fit as it grows, so that a
 * slide a colleague adds from a layout looks like ours. pptxgenjs writes a layout's
 * placeholders with the defaults whatever their options say (gen-xml.ts
 * genXmlBodyProperties takes the options of text only): reported in
 * https://github.com/gitbrent/PptxGenJS/issues/1208, fixed by the open
 * https://github.com/gitbrent/PptxGenJS/pull/1247.
 */
export function layoutXml(xml: string, info: Pick<PackageInfo, 'bulletColour' | 'bulletIndent'>, part = 'a layout'): string {
  const layout = read(xml, part, RE_LAYOUT_NAME)
  // Only a layout with placeholders has shapes to set.
  return rewrite(xml, part, {
    find: RE_SHAPE,
    to: (shape) => {
      // A shape that is not a placeholder has no type.
      const type = RE_PLACEHOLDER_TYPE.exec(shape)?.[1]
      if (type !== 'title' && type !== 'body' && type !== 'chart') return shape
      const opening = layout === 'title' || layout === 'section'
      const anchor = type !== 'title' || opening ? 't' : 'b'
      // Text that grows shrinks to fit its placeholder, as PowerPoint's own layouts do.
      let out = rewrite(shape, part, {
        find: PLACEHOLDER_BODY,
        to: () => `<a:bodyPr wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0" anchor="${anchor}"><a:normAutofit/>`,
        expect: 1,
      })
      // A subtitle has no bullet; the body of every other layout has the points' bullet.
      if (type === 'body' && !opening && info.bulletIndent !== undefined) {
        const colour = info.bulletColour ? `<a:buClr><a:srgbClr val="${info.bulletColour}"/></a:buClr>` : ''
        out = rewrite(out, part, {
          find: PLACEHOLDER_LEVEL_1,
          to: () => `<a:lvl1pPr marL="${info.bulletIndent}" indent="-${info.bulletIndent}">${colour}<a:buSzPct val="100000"/><a:buChar char="&#x2022;"/>`,
          expect: 1,
        })
      }
      return out
    },
    expect: 'any',
  })
}

export async function finishPackage(pptx: Uint8Array, info: PackageInfo): Promise<Uint8Array> {
  const title = (all: string, n = '') => {
    const t = info.titles[Number(n) - 1]
    return t === undefined ? all : `<vt:lpstr>${escapeHtml(t)}</vt:lpstr>`
  }
  const zip = await (await jszip()).loadAsync(pptx)
  const renumber = partNumbers(zip)
  const charts = Object.keys(zip.files).filter((name) => RE_CHART_PART.test(name)).length
  if (info.chartLabels && charts !== info.chartLabels.length)
    throw unexpected('the package', `it holds ${charts} chart parts (${shown(RE_CHART_PART)}), not ${info.chartLabels.length}, one for each chart`)
  const unused = await unusedDefaultLayout(zip)
  const left = new Set(unused ? [unused.part, unused.rels] : [])
  const names = new Set(
    Object.keys(zip.files)
      .filter((name) => !zip.files[name]?.dir && !left.has(name))
      .map(renumber),
  )
  return repack(
    zip,
    info.date,
    (name, raw) => {
      if (left.has(name)) return null
      // A link's address is left as written, whatever it says. Only the parts that name charts have names to renumber.
      if (RE_NAMES_PARTS.test(name)) {
        let out = rewrite(decode(raw), name, { find: RE_PART_REFERENCE, to: (part) => (part.includes('/hyperlink"') ? part : renumber(part)), expect: 'any' })
        if (name === '[Content_Types].xml') out = contentTypes(out, names, name)
        if (unused && name === MASTER_RELS) out = rewrite(out, name, { find: new RegExp(`<Relationship Id="${unused.id}"[^>]*/>`), to: '', expect: 1 })
        return out
      }
      if (name === 'docProps/core.xml') return coreProperties(decode(raw), name, info)
      if (name === 'docProps/app.xml') {
        let out = rewrite(decode(raw), name, { find: RE_SLIDE_PART, to: title, expect: info.titles.length })
        if (info.fonts) out = fontsUsed(out, name, info.fonts)
        // No affiliation: no company, rather than an empty one. Present only then.
        return rewrite(out, name, { find: '<Company></Company>', to: '', expect: 'any', left: RE_ANY_EMPTY_COMPANY })
      }
      if (RE_EMBEDDED.test(name)) {
        const n = Number(/(\d+)\.xlsx$/.exec(name)?.[1])
        return workbook(raw, name, info.date, info.chartCategories?.[n - 1])
      }
      const chart = RE_CHART_PART.exec(name)
      const labels = chart ? info.chartLabels?.[Number(chart[1]) - 1] : undefined
      if (chart) return pointOutlines(labels ? pointLabels(decode(raw), labels, name) : decode(raw), name)
      if (RE_LAYOUT.test(name)) return uniqueShapeIds(layoutXml(slideXml(decode(raw), info, name), info, name), name)
      if (name === THEME) return themed(decode(raw), name, RE_COLOUR_SCHEME, info.colourScheme)
      if (RE_TEXT_PART.test(name)) {
        let out = uniqueShapeIds(slideXml(decode(raw), info, name), name)
        const slide = Number(RE_SLIDE_FILE.exec(name)?.[1])
        if (slide > 0) out = withoutEmptyPlaceholders(out, name)
        const moves = info.moves?.filter((m) => m.slide === slide) ?? []
        if (moves.length > 0) out = movedPlaceholders(out, moves, name)
        if (name === MASTER) out = themed(out, name, RE_TEXT_STYLES, info.textStyles)
        // The master's list of layouts without the one left out.
        return unused && name === MASTER ? rewrite(out, name, { find: new RegExp(`<p:sldLayoutId id="\\d+" r:id="${unused.id}"/>`), to: '', expect: 1 }) : out
      }
      return undefined
    },
    renumber,
  )
}
