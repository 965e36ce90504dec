import { posix } from 'node:path'

import JSZip from 'jszip'

import { decodeXml } from './readers.ts'

// A structural check of an Office package (the PowerPoint, and each workbook embedded in
// it), for what makes PowerPoint offer to repair a file or another reader drop a part:
// content types for parts that are not there, relationships to nothing, a workbook table
// whose range or header does not match its sheet, shapes sharing an id, an empty layout
// no slide uses. The problems are data: a code, the part, and what is wrong.

export type ProblemCode =
  | 'override-without-part'
  | 'default-unused'
  | 'part-without-type'
  | 'rels-without-source'
  | 'target-missing'
  | 'table-ref'
  | 'table-header'
  | 'shape-id'
  | 'empty-layout'

export interface PackageProblem {
  code: ProblemCode
  part: string
  detail: string
}

const RE_OVERRIDE = /<Override\b[^>]*PartName="([^"]+)"/g
const RE_DEFAULT = /<Default\b[^>]*Extension="([^"]+)"/g
const RE_RELATIONSHIP = /<Relationship\b[^>]*>/g
const RE_SHAPE_ID = /<p:cNvPr\b[^>]*\bid="(\d+)"/g
const RE_SHAPE_PART = /^ppt\/(?:slides\/slide|slideLayouts\/slideLayout|slideMasters\/slideMaster|notesSlides\/notesSlide)\d+\.xml$/
const RE_LAYOUT = /^ppt\/slideLayouts\/slideLayout\d+\.xml$/
const RE_DRAWN = /<p:(?:sp|pic|graphicFrame|grpSp|cxnSp)>/
const RE_RANGE = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/
const RE_CELL = /<c r="([A-Z]+)(\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g

const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1]

/** Column letters as a number: A is 1, Z 26, AA 27. */
const columnNumber = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0)

/** Every problem found in the package `bytes`, the parts of an embedded workbook named after it (`within › part`). */
export async function packageProblems(bytes: Uint8Array, within = ''): Promise<PackageProblem[]> {
  const zip = await JSZip.loadAsync(bytes)
  const names = Object.keys(zip.files).filter((name) => !zip.files[name]?.dir)
  const has = new Set(names)
  const read = async (name: string) => (await zip.file(name)?.async('string')) ?? ''
  const problems: PackageProblem[] = []
  const add = (code: ProblemCode, part: string, detail: string) => problems.push({ code, part: within ? `${within} › ${part}` : part, detail })

  // Content types: each Override names a part there is, each Default's extension is some part's, each part has a type.
  const types = await read('[Content_Types].xml')
  const overridden = new Set<string>()
  for (const [, name = ''] of types.matchAll(RE_OVERRIDE)) {
    const part = decodeURIComponent(name.replace(/^\//, ''))
    overridden.add(part)
    if (!has.has(part)) add('override-without-part', '[Content_Types].xml', `${name} is declared and not in the package`)
  }
  const extension = (name: string) => name.slice(name.lastIndexOf('.') + 1).toLowerCase()
  const extensions = new Set([...types.matchAll(RE_DEFAULT)].map((m) => (m[1] ?? '').toLowerCase()))
  for (const ext of extensions) if (!names.some((name) => extension(name) === ext)) add('default-unused', '[Content_Types].xml', `no part ends in .${ext}`)
  for (const name of names)
    if (name !== '[Content_Types].xml' && !overridden.has(name) && !extensions.has(extension(name))) add('part-without-type', name, 'no content type')

  // Relationships: each .rels belongs to a part there is, and each internal target resolves.
  for (const rels of names.filter((name) => name.endsWith('.rels'))) {
    const folder = posix.dirname(posix.dirname(rels))
    const source = posix.join(folder, posix.basename(rels, '.rels'))
    if (rels !== '_rels/.rels' && !has.has(source)) add('rels-without-source', rels, `${source} is not in the package`)
    for (const [tag] of (await read(rels)).matchAll(RE_RELATIONSHIP)) {
      if (attr(tag, 'TargetMode') === 'External') continue
      const target = decodeXml(attr(tag, 'Target') ?? '')
      const resolved = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(folder === '.' ? '' : folder, target))
      if (!has.has(resolved)) add('target-missing', rels, `${attr(tag, 'Id') ?? '?'} points at ${resolved}, not in the package`)
    }
  }

  // Shapes: one id each within a part.
  for (const name of names.filter((n) => RE_SHAPE_PART.test(n))) {
    const ids = [...(await read(name)).matchAll(RE_SHAPE_ID)].map((m) => m[1])
    const repeated = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))]
    if (repeated.length > 0) add('shape-id', name, `ids ${repeated.join(', ')} are given to more than one shape`)
  }

  // Layouts: none empty and unused.
  const slideRels = await Promise.all(names.filter((n) => /^ppt\/slides\/_rels\//.test(n)).map(read))
  for (const name of names.filter((n) => RE_LAYOUT.test(n))) {
    const used = slideRels.some((rels) => rels.includes(`/slideLayouts/${posix.basename(name)}"`))
    if (!used && !RE_DRAWN.test(await read(name))) add('empty-layout', name, 'draws nothing and no slide uses it')
  }

  // Workbooks: each table's range is the sheet's, its header row the table's column names.
  for (const name of names.filter((n) => /\.xlsx$/.test(n))) {
    const inner = await zip.file(name)?.async('uint8array')
    if (inner) problems.push(...(await packageProblems(inner, name)), ...(await tableProblems(inner, within ? `${within} › ${name}` : name)))
  }
  return problems
}

/** A workbook's tables against the sheets that hold them. */
async function tableProblems(bytes: Uint8Array, within: string): Promise<PackageProblem[]> {
  const zip = await JSZip.loadAsync(bytes)
  const read = async (name: string) => (await zip.file(name)?.async('string')) ?? ''
  const problems: PackageProblem[] = []
  const add = (code: ProblemCode, part: string, detail: string) => problems.push({ code, part: `${within} › ${part}`, detail })
  const strings = [...(await read('xl/sharedStrings.xml')).matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    decodeXml([...(m[1] ?? '').matchAll(/<t\b[^>]*>([^<]*)<\/t>/g)].map((t) => t[1]).join('')),
  )
  for (const rels of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/_rels\/.*\.rels$/.test(n))) {
    const sheetName = `xl/worksheets/${posix.basename(rels, '.rels')}`
    const sheet = await read(sheetName)
    const cells = new Map<string, string | undefined>()
    let maxCol = 0
    let maxRow = 0
    for (const [, col = '', row = '', attrs = '', body = ''] of sheet.matchAll(RE_CELL)) {
      const value = /<v>([^<]*)<\/v>/.exec(body)?.[1]
      const text = / t="s"/.test(attrs)
        ? strings[Number(value)]
        : / t="inlineStr"/.test(attrs)
          ? decodeXml(/<t\b[^>]*>([^<]*)<\/t>/.exec(body)?.[1] ?? '')
          : undefined
      cells.set(`${col}${row}`, text)
      maxCol = Math.max(maxCol, columnNumber(col))
      maxRow = Math.max(maxRow, Number(row))
    }
    for (const [tag] of (await read(rels)).matchAll(RE_RELATIONSHIP)) {
      if (!attr(tag, 'Type')?.endsWith('/table')) continue
      const part = posix.normalize(posix.join('xl/worksheets', attr(tag, 'Target') ?? ''))
      const table = await read(part)
      const ref = attr(/<table\b[^>]*>/.exec(table)?.[0] ?? '', 'ref') ?? ''
      const range = RE_RANGE.exec(ref)
      if (!range) {
        add('table-ref', part, `its range ${JSON.stringify(ref)} is not a range of cells`)
        continue
      }
      const [, c0 = '', r0 = '', c1 = '', r1 = ''] = range
      const wide = columnNumber(c1) - columnNumber(c0) + 1
      if (columnNumber(c0) !== 1 || Number(r0) !== 1 || columnNumber(c1) !== maxCol || Number(r1) !== maxRow)
        add('table-ref', part, `its range ${ref} is not the sheet's data, A1 to column ${maxCol} row ${maxRow}`)
      const columns = [...table.matchAll(/<tableColumn\b[^>]*\bname="([^"]*)"/g)].map((m) => decodeXml(m[1] ?? ''))
      if (columns.length !== wide) add('table-header', part, `${columns.length} columns for a range ${wide} wide`)
      const letters = (n: number): string => (n > 26 ? letters(Math.floor((n - 1) / 26)) : '') + String.fromCharCode(65 + ((n - 1) % 26))
      for (const [i, column] of columns.entries()) {
        const cell = `${letters(columnNumber(c0) + i)}${r0}`
        const header = cells.get(cell)
        if (!header) add('table-header', sheetName, `header cell ${cell} holds no text, under the column ${JSON.stringify(column)}`)
        else if (header !== column)
          add('table-header', sheetName, `header cell ${cell} reads ${JSON.stringify(header)}, the table names it ${JSON.stringify(column)}`)
      }
      if (new Set(columns.map((c) => c.toLowerCase())).size !== columns.length) add('table-header', part, 'two columns have the same name')
    }
  }
  return problems
}

/** A placeholder's box on its layout, in points (12,700 EMU a point). */
export interface PlaceholderBox {
  x: number
  y: number
  w: number
  h: number
}

/** A slide added to a deck from one of its layouts, as a colleague adds it, and what was typed into it. */
export interface AddedSlide {
  layout: string
  title: { text: string; box: PlaceholderBox }
  body?: { paragraphs: { text: string; level: number }[]; box: PlaceholderBox }
}

const RE_LAYOUT_PART = /^ppt\/slideLayouts\/slideLayout(\d+)\.xml$/

/**
 * The package with one slide added at its end from each of its layouts, as PowerPoint writes
 * a slide a user adds and types into: a title, and in the body two points and a point under
 * the second; nothing but the placeholders' type and index, so that everything else comes
 * from the layout, the master and the theme.
 */
export async function withSlideFromEachLayout(bytes: Uint8Array): Promise<{ bytes: Uint8Array; added: AddedSlide[] }> {
  const zip = await JSZip.loadAsync(bytes)
  const read = async (name: string) => (await zip.file(name)?.async('string')) ?? ''
  const slides = Object.keys(zip.files).filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n)).length
  let presentation = await read('ppt/presentation.xml')
  let rels = await read('ppt/_rels/presentation.xml.rels')
  let types = await read('[Content_Types].xml')
  const added: AddedSlide[] = []
  const layouts = Object.keys(zip.files)
    .filter((n) => RE_LAYOUT_PART.test(n))
    .sort((a, b) => Number(RE_LAYOUT_PART.exec(a)?.[1]) - Number(RE_LAYOUT_PART.exec(b)?.[1]))
  const box = (shape: string): PlaceholderBox => {
    const [x, y, w, h] = [/<a:off x="(-?\d+)"/, /<a:off x="-?\d+" y="(-?\d+)"/, /<a:ext cx="(\d+)"/, /<a:ext cx="\d+" cy="(\d+)"/].map(
      (re) => Number(re.exec(shape)?.[1]) / 12_700,
    )
    return { x: x ?? 0, y: y ?? 0, w: w ?? 0, h: h ?? 0 }
  }
  for (const [i, layout] of layouts.entries()) {
    const xml = await read(layout)
    const name = /<p:cSld name="([^"]*)"/.exec(xml)?.[1] ?? ''
    const shapes = xml.match(/<p:sp>[\s\S]*?<\/p:sp>/g) ?? []
    const title = shapes.find((s) => /<p:ph\s[^>]*type="title"/.test(s))
    const body = shapes.find((s) => /<p:ph\s[^>]*type="body"/.test(s))
    if (!title || name.endsWith('(title hidden)')) continue
    const n = slides + added.length + 1
    const entry: AddedSlide = { layout: name, title: { text: `Added from ${name}`, box: box(title) } }
    // The title and section layouts' body is a subtitle: one line is typed there.
    const paragraphs =
      name === 'title' || name === 'section'
        ? [{ text: 'An added subtitle', level: 0 }]
        : [
            { text: 'First added point', level: 0 },
            { text: 'Second added point', level: 0 },
            { text: 'Under the second', level: 1 },
          ]
    const shapesXml = [
      placeholderShape(2, 'title', undefined, [{ text: entry.title.text, level: 0 }]),
      ...(body ? [placeholderShape(3, 'body', /idx="(\d+)"/.exec(body)?.[1], paragraphs)] : []),
    ]
    if (body) entry.body = { paragraphs, box: box(body) }
    zip.file(
      `ppt/slides/slide${n}.xml`,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${shapesXml.join('')}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>`,
    )
    zip.file(
      `ppt/slides/_rels/slide${n}.xml.rels`,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideLayout" Target="../slideLayouts/${layout.slice(layout.lastIndexOf('/') + 1)}"/></Relationships>`,
    )
    const rid = `rIdAdded${i + 1}`
    rels = rels.replace(
      '</Relationships>',
      `<Relationship Id="${rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide${n}.xml"/></Relationships>`,
    )
    presentation = presentation.replace('</p:sldIdLst>', `<p:sldId id="${1000 + i}" r:id="${rid}"/></p:sldIdLst>`)
    types = types.replace(
      '</Types>',
      `<Override PartName="/ppt/slides/slide${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/></Types>`,
    )
    added.push(entry)
  }
  zip.file('ppt/presentation.xml', presentation)
  zip.file('ppt/_rels/presentation.xml.rels', rels)
  zip.file('[Content_Types].xml', types)
  return { bytes: await zip.generateAsync({ type: 'uint8array' }), added }
}

/** A placeholder shape with only its type, index and text, as PowerPoint writes typed text. */
function placeholderShape(id: number, type: string, idx: string | undefined, paragraphs: { text: string; level: number }[]): string {
  const ps = paragraphs
    .map((p) => `<a:p>${p.level > 0 ? `<a:pPr lvl="${p.level}"/>` : ''}<a:r><a:rPr lang="en-GB" dirty="0"/><a:t>${p.text}</a:t></a:r></a:p>`)
    .join('')
  return `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="${type} ${id}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="${type}"${idx ? ` idx="${idx}"` : ''}/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>${ps}</p:txBody></p:sp>`
}
