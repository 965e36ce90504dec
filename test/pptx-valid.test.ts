import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import JSZip from 'jszip'
import { beforeAll, describe, expect, it } from 'vitest'

import { buildBrief } from '../deck/build.ts'
import { prepare } from '../deck/deck.ts'
import { DEFAULT_BRIEF, ROOT, tempDir } from './helpers.ts'
import { packageProblems, type ProblemCode } from './pptx-valid.ts'

// The editable PowerPoint as a package: every content type for a part there is, every
// relationship resolving, every embedded workbook's table over its data with a real header,
// one id per shape, no empty layout (test/pptx-valid.ts). And the check itself, on a package
// doctored with each defect pptxgenjs 4.0.1 writes.

const decks = {
  default: 'serbia-china-extradition',
  'Serbian briefing': 'serbia-china-extradition.briefing-sr',
  'every layout': 'all-layouts',
} as const
const files = new Map<string, Uint8Array>()

beforeAll(async () => {
  const dir = tempDir('deck-pptx-valid-')
  const toolkit = await prepare({ templatesDir: join(ROOT, 'templates'), themeFile: join(ROOT, 'templates/theme.css') })
  const formats = new Set(['pptx'] as const)
  await buildBrief(join(ROOT, DEFAULT_BRIEF), toolkit, { outDir: dir, formats })
  await buildBrief(join(ROOT, DEFAULT_BRIEF), toolkit, { outDir: dir, formats, variant: 'briefing-sr' })
  await buildBrief(join(ROOT, 'test/fixtures/all-layouts.yaml'), toolkit, { outDir: dir, formats })
  for (const name of Object.values(decks)) files.set(name, readFileSync(join(dir, `${name}.pptx`)))
})

const bytesOf = (name: string) => {
  const bytes = files.get(name)
  if (!bytes) throw new Error(`${name}.pptx was not built`)
  return bytes
}
const text = async (zip: JSZip, name: string) => {
  const part = zip.file(name)
  if (!part) throw new Error(`no ${name} in the package`)
  return part.async('string')
}

describe('the editable PowerPoint’s package', () => {
  for (const [what, name] of Object.entries(decks)) {
    it(`${what}: passes the structural check`, async () => {
      expect(await packageProblems(bytesOf(name))).toEqual([])
    })
  }

  it('declares only the one slide master there is, and only the extensions its parts have', async () => {
    const types = await text(await JSZip.loadAsync(bytesOf(decks.default)), '[Content_Types].xml')
    expect(types.match(/slideMaster\d+\.xml/g)).toEqual(['slideMaster1.xml'])
    expect([...types.matchAll(/Extension="(\w+)"/g)].map((m) => m[1]).sort()).toEqual(['rels', 'xlsx', 'xml'])
  })

  it('names each workbook’s categories after the chart’s x label, in the table and in A1 alike', async () => {
    const zip = await JSZip.loadAsync(bytesOf(decks.default))
    const book = await JSZip.loadAsync((await zip.file('ppt/embeddings/Microsoft_Excel_Worksheet1.xlsx')?.async('uint8array')) ?? new Uint8Array())
    const table = await text(book, 'xl/tables/table1.xml')
    expect(table).toContain('ref="A1:B3"')
    expect(table).toContain('<tableColumn id="1" name="Year"/>')
    expect(await text(book, 'xl/sharedStrings.xml')).toContain('<si><t>Year</t></si><si><t>Asylum seekers from China</t></si>')
  })

  it('lists the deck’s fonts as the fonts used, and leaves out the empty layout no slide uses', async () => {
    const zip = await JSZip.loadAsync(bytesOf(decks.default))
    const app = await text(zip, 'docProps/app.xml')
    expect(app).toMatch(/<vt:lpstr>Fonts Used<\/vt:lpstr><\/vt:variant>\s*<vt:variant><vt:i4>2<\/vt:i4>/)
    expect(app).toContain('<vt:lpstr>Source Serif 4</vt:lpstr><vt:lpstr>Source Sans 3</vt:lpstr>')
    expect(app).not.toMatch(/Arial|Calibri/)
    const layouts = await Promise.all(
      Object.keys(zip.files)
        .filter((n) => /^ppt\/slideLayouts\/slideLayout\d+\.xml$/.test(n))
        .map((n) => text(zip, n)),
    )
    expect(layouts.map((xml) => /<p:cSld name="([^"]*)"/.exec(xml)?.[1])).not.toContain('DEFAULT')
    expect(await text(zip, 'ppt/slideMasters/slideMaster1.xml')).not.toContain('r:id="rId1"')
  })
})

describe('the structural check', () => {
  /** The default deck's package with `doctor`'s changes, and the codes of the problems found in it. */
  const codesAfter = async (doctor: (zip: JSZip) => Promise<void>): Promise<ProblemCode[]> => {
    const zip = await JSZip.loadAsync(bytesOf(decks.default))
    await doctor(zip)
    return (await packageProblems(await zip.generateAsync({ type: 'uint8array' }))).map((p) => p.code)
  }
  const edit = async (zip: JSZip, name: string, change: (xml: string) => string) => {
    const before = await text(zip, name)
    const after = change(before)
    if (after === before) throw new Error(`the doctoring of ${name} changed nothing`)
    zip.file(name, after)
  }
  const editBook = async (zip: JSZip, part: string, change: (xml: string) => string) => {
    const name = 'ppt/embeddings/Microsoft_Excel_Worksheet1.xlsx'
    const book = await JSZip.loadAsync((await zip.file(name)?.async('uint8array')) ?? new Uint8Array())
    await edit(book, part, change)
    zip.file(name, await book.generateAsync({ type: 'uint8array' }))
  }

  it('finds a content type for a part that is not there, an unused extension and a part without a type', async () => {
    expect(
      await codesAfter((zip) =>
        edit(zip, '[Content_Types].xml', (xml) =>
          xml.replace(
            '</Types>',
            '<Override PartName="/ppt/slideMasters/slideMaster2.xml" ContentType="x"/><Default Extension="gif" ContentType="image/gif"/></Types>',
          ),
        ),
      ),
    ).toEqual(['override-without-part', 'default-unused'])
    expect(
      await codesAfter(async (zip) => {
        zip.file('ppt/media/image1.png', new Uint8Array([1]))
      }),
    ).toEqual(['part-without-type'])
  })

  it('finds a relationship to a part that is not there', async () => {
    expect(await codesAfter((zip) => edit(zip, 'ppt/slides/_rels/slide1.xml.rels', (xml) => xml.replace(/slideLayout\d+\.xml/, 'slideLayout99.xml')))).toEqual([
      'target-missing',
    ])
  })

  it('finds a workbook table’s range pptxgenjs writes, a header that is not the table’s, an empty header cell', async () => {
    expect(await codesAfter((zip) => editBook(zip, 'xl/tables/table1.xml', (xml) => xml.replace('ref="A1:B3"', `ref="A1:B3'"`)))).toEqual(['table-ref'])
    expect(await codesAfter((zip) => editBook(zip, 'xl/tables/table1.xml', (xml) => xml.replace('ref="A1:B3"', 'ref="A1:B4"')))).toEqual(['table-ref'])
    expect(await codesAfter((zip) => editBook(zip, 'xl/tables/table1.xml', (xml) => xml.replace('name="Year"', 'name="Column1"')))).toEqual(['table-header'])
    expect(
      await codesAfter((zip) => editBook(zip, 'xl/sharedStrings.xml', (xml) => xml.replace('<si><t>Year</t></si>', '<si><t xml:space="preserve"></t></si>'))),
    ).toEqual(['table-header'])
  })

  it('finds two shapes with one id, and an empty layout no slide uses', async () => {
    expect(await codesAfter((zip) => edit(zip, 'ppt/slides/slide19.xml', (xml) => xml.replace('<p:cNvPr id="3"', '<p:cNvPr id="2"')))).toEqual(['shape-id'])
    expect(
      await codesAfter(async (zip) => {
        zip.file(
          'ppt/slideLayouts/slideLayout99.xml',
          '<p:sldLayout xmlns:p="p"><p:cSld name="DEFAULT"><p:spTree><p:nvGrpSpPr/><p:grpSpPr/></p:spTree></p:cSld></p:sldLayout>',
        )
        await edit(zip, '[Content_Types].xml', (xml) =>
          xml.replace(
            '</Types>',
            '<Override PartName="/ppt/slideLayouts/slideLayout99.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml"/></Types>',
          ),
        )
      }),
    ).toEqual(['empty-layout'])
  })
})
