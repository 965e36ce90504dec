import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'

import { finishPackage, layoutXml, pointLabels, slideXml } from '../deck/pptx/package.ts'

// The finishing of the PowerPoint's parts, on the XML pptxgenjs writes.

const dLbls =
  '<c:ser><c:dLbls><c:numFmt formatCode="#,##0" sourceLinked="0"/><c:txPr><a:bodyPr/></c:txPr><c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/><c:showLeaderLines val="0"/></c:dLbls></c:ser>'

describe('pointLabels', () => {
  it('gives each point its own number format before the shared settings, in the order the schema wants', () => {
    const xml = pointLabels(dLbls, ['#,##0', '"≈"#,##0'])
    expect(xml).toContain(
      '<c:dLbls><c:dLbl><c:idx val="0"/><c:numFmt formatCode="#,##0" sourceLinked="0"/><c:txPr><a:bodyPr/></c:txPr><c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="1"/>',
    )
    expect(xml).toContain('<c:dLbl><c:idx val="1"/><c:numFmt formatCode="&quot;≈&quot;#,##0" sourceLinked="0"/>')
    // A point's label has no leader-line setting: that belongs to the series.
    expect(xml.match(/<c:showLeaderLines/g)).toHaveLength(1)
  })

  it('writes a dollar sign as it is (no replacement pattern)', () => {
    const xml = pointLabels(dLbls, ['"$"#,##0', "$&$`$'"])
    expect(xml).toContain('formatCode="&quot;$&quot;#,##0"')
    expect(xml).toContain('formatCode="$&amp;$`$&#39;"')
    expect(xml).not.toContain('formatCode="&quot;<c:dLbls>')
  })
})

describe('slideXml', () => {
  it('keeps one set of paragraph settings per paragraph, the first', () => {
    const p =
      '<a:p><a:pPr algn="l"><a:buChar char="•"/></a:pPr><a:r><a:t>a</a:t></a:r><a:pPr indent="0" marL="0"><a:buNone/></a:pPr><a:r><a:t>b</a:t></a:r><a:pPr/><a:r><a:t>c</a:t></a:r></a:p>'
    expect(slideXml(p, {})).toBe('<a:p><a:pPr algn="l"><a:buChar char="•"/></a:pPr><a:r><a:t>a</a:t></a:r><a:r><a:t>b</a:t></a:r><a:r><a:t>c</a:t></a:r></a:p>')
  })

  it('colours bullets, marks the serif as a serif and the text with the deck’s language', () => {
    const xml = '<a:pPr><a:buSzPct val="100000"/><a:buChar char="•"/></a:pPr><a:rPr lang="en-US"><a:latin typeface="Source Serif 4" pitchFamily="34"/></a:rPr>'
    const out = slideXml(xml, { bulletColour: 'A3261F', serif: 'Source Serif 4', language: 'sr-Latn-RS' })
    expect(out).toContain('<a:buClr><a:srgbClr val="A3261F"/></a:buClr><a:buSzPct val="100000"/><a:buChar')
    expect(out).toContain('typeface="Source Serif 4" pitchFamily="18"')
    expect(out).toContain('lang="sr-Latn-RS"')
  })
})

describe('layoutXml', () => {
  const shape = (type: string) =>
    `<p:sp><p:nvSpPr><p:nvPr><p:ph\n\t\t type="${type}"\n/></p:nvPr></p:nvSpPr><p:txBody><a:bodyPr wrap="square" rtlCol="0"></a:bodyPr><a:lstStyle><a:lvl1pPr indent="0" marL="0"><a:buNone/><a:defRPr/></a:lvl1pPr></a:lstStyle></p:txBody></p:sp>`
  it('sets placeholders without inner margin, the title on its rule, the body bulleted', () => {
    const out = layoutXml(`<p:cSld name="points">${shape('title')}${shape('body')}</p:cSld>`, { bulletColour: 'A3261F', bulletIndent: 293370 })
    expect(out).toContain('<a:bodyPr wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0" anchor="b">')
    expect(out).toContain('<a:bodyPr wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0" anchor="t">')
    expect(out).toContain(
      '<a:lvl1pPr marL="293370" indent="-293370"><a:buClr><a:srgbClr val="A3261F"/></a:buClr><a:buSzPct val="100000"/><a:buChar char="&#x2022;"/>',
    )
    expect(out.match(/<a:buNone\/>/g)).toHaveLength(1) // the title's
  })
})

describe('finishPackage', () => {
  const pptx = async (charts: number[]) => {
    const zip = new JSZip()
    zip.file('[Content_Types].xml', charts.map((n) => `<Override PartName="/ppt/charts/chart${n}.xml"/>`).join(''))
    zip.file('docProps/core.xml', '<cp:coreProperties><dcterms:created xsi:type="dcterms:W3CDTF">2026-11-29T10:00:00Z</dcterms:created></cp:coreProperties>')
    zip.file(
      'ppt/slides/_rels/slide1.xml.rels',
      `<Relationships>${charts.map((n) => `<Relationship Id="rId${n}" Type="x/chart" Target="/ppt/charts/chart${n}.xml"/>`).join('')}<Relationship Id="rId9" Type="http://x/hyperlink" Target="https://example.org/charts/chart${charts[0]}.xlsx" TargetMode="External"/></Relationships>`,
    )
    for (const n of charts) {
      zip.file(`ppt/charts/chart${n}.xml`, `<c:chart/>`)
      zip.file(
        `ppt/charts/_rels/chart${n}.xml.rels`,
        `<Relationships><Relationship Id="rId1" Type="x/package" Target="../embeddings/Microsoft_Excel_Worksheet${n}.xlsx"/></Relationships>`,
      )
      const inner = new JSZip()
      inner.file(
        'docProps/core.xml',
        '<cp:coreProperties><dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-29T10:00:00Z</dcterms:modified></cp:coreProperties>',
      )
      zip.file(`ppt/embeddings/Microsoft_Excel_Worksheet${n}.xlsx`, await inner.generateAsync({ type: 'uint8array' }))
    }
    return zip.generateAsync({ type: 'uint8array' })
  }
  const info = { date: new Date(Date.UTC(2024, 5, 1)), titles: [], keywords: ['a $& b', 'c'], language: 'en-GB' }

  it('numbers the charts from 1 whatever pptxgenjs counted before, and leaves links alone', async () => {
    const first = await finishPackage(await pptx([1, 2]), info)
    const later = await finishPackage(await pptx([3, 4]), info)
    // The same parts, by the same names; only the link (written as it was) tells them apart.
    const names = async (bytes: Uint8Array) => Object.keys((await JSZip.loadAsync(bytes)).files).sort()
    expect(await names(later)).toEqual(await names(first))
    const zip = await JSZip.loadAsync(later)
    expect(Object.keys(zip.files).filter((n) => n.startsWith('ppt/charts/chart'))).toEqual(['ppt/charts/chart1.xml', 'ppt/charts/chart2.xml'])
    const rels = (await zip.file('ppt/slides/_rels/slide1.xml.rels')?.async('string')) ?? ''
    expect(rels).toContain('Target="/ppt/charts/chart1.xml"')
    expect(rels).toContain('Target="https://example.org/charts/chart3.xlsx"')
  })

  it('dates every part, the workbooks inside too, by the brief, and adds the keywords and language as written', async () => {
    const zip = await JSZip.loadAsync(await finishPackage(await pptx([5]), info))
    const core = (await zip.file('docProps/core.xml')?.async('string')) ?? ''
    expect(core).toContain('2024-06-01T00:00:00Z')
    expect(core).toContain('<cp:keywords>a $&amp; b; c</cp:keywords><dc:language>en-GB</dc:language>')
    for (const entry of Object.values(zip.files)) expect(entry.date.getTime(), entry.name).toBe(Date.UTC(2024, 5, 1))
    const workbook = await JSZip.loadAsync((await zip.file('ppt/embeddings/Microsoft_Excel_Worksheet1.xlsx')?.async('uint8array')) ?? new Uint8Array())
    expect(await workbook.file('docProps/core.xml')?.async('string')).toContain('2024-06-01T00:00:00Z')
  })
})
