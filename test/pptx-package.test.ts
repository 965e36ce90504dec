import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

import JSZip from 'jszip'
import { beforeAll, describe, expect, it, vi } from 'vitest'

import { buildBrief } from '../deck/build.ts'
import { prepare } from '../deck/deck.ts'
import type * as Package from '../deck/pptx/package.ts'
import { finishPackage, layoutXml, movedPlaceholders, type PackageInfo, pointLabels, slideXml } from '../deck/pptx/package.ts'
import { rewrite } from '../deck/pptx/rewrite.ts'
import { DeckError, ExitCode } from '../deck/shared/errors.ts'
import { deckErrorOf, DEFAULT_BRIEF, fixture, readRepoFile, ROOT, tempDir } from './helpers.ts'

// The finishing of the PowerPoint's parts, on the XML pptxgenjs writes: each rewrite on
// hand-made parts, its loud failure on parts written otherwise, and each against what
// pptxgenjs itself writes for real decks (captured on its way into finishPackage).

/** What pptxgenjs wrote for each deck built here, before finishPackage. */
const written = vi.hoisted(() => [] as { raw: Uint8Array; info: PackageInfo }[])
vi.mock('../deck/pptx/package.ts', async (importOriginal) => {
  const real = await importOriginal<typeof Package>()
  return {
    ...real,
    finishPackage: (pptx: Uint8Array, info: PackageInfo) => {
      written.push({ raw: pptx, info })
      return real.finishPackage(pptx, info)
    },
  }
})

const dLbls =
  '<c:ser><c:dLbls><c:numFmt formatCode="#,##0" sourceLinked="0"/><c:txPr><a:bodyPr/></c:txPr><c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/><c:showLeaderLines val="0"/></c:dLbls></c:ser>'

/** The bug a patch reports: exit 70, naming the patch, the part and what was found. */
function expectPatchFailure(fn: () => unknown, ...said: (string | RegExp)[]) {
  const err = deckErrorOf(fn)
  expect(err.exitCode).toBe(ExitCode.internal)
  expect(err.message).toContain('finishPackage (deck/pptx/package.ts) patches pptxgenjs 4.0.1')
  for (const s of said) expect(err.message).toMatch(s)
}

describe('rewrite', () => {
  it('rewrites what it is told to find, as often as it is expected', () => {
    expect(rewrite('<a/><a/>', 'p.xml', { find: '<a/>', to: '<b/>', expect: 2 })).toBe('<b/><b/>')
    expect(rewrite('<a/><a/>', 'p.xml', { find: /<a\/>/, to: '<b/>', expect: 2 })).toBe('<b/><a/>') // a regular expression as its flags say
    expect(rewrite('<a/>', 'p.xml', { find: '<a/>', to: '$&$&', expect: 'some' })).toBe('$&$&') // a string as it is
    expect(rewrite('<c/>', 'p.xml', { find: '<a/>', to: '<b/>', expect: 'any' })).toBe('<c/>')
  })

  it('stops, naming the part and the pattern, when the text is not there as often as expected', () => {
    expectPatchFailure(
      () => rewrite('<a/>', 'ppt/p.xml', { find: '<a/>', to: '', expect: 2 }),
      'pptxgenjs wrote ppt/p.xml otherwise than expected',
      '"<a/>" is there once, not 2 times',
    )
    expectPatchFailure(() => rewrite('<c/>', 'ppt/p.xml', { find: /<a\/>/g, to: '', expect: 'some' }), '/<a\\/>/g is not there')
  })

  it('stops when what it is for is left in a form it does not match', () => {
    expectPatchFailure(
      () => rewrite('<a/><a />', 'ppt/p.xml', { find: '<a/>', to: '<b/>', expect: 'any', left: /<a\s*\/>/ }),
      'ppt/p.xml',
      '/<a\\s*\\/>/ is left once "<a/>" is rewritten',
    )
  })
})

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

  it('stops when the series has no labels, or labels without their format, as pptxgenjs 4.0.1 writes them', () => {
    expectPatchFailure(
      () => pointLabels(dLbls.replace('<c:showLeaderLines val="0"/>', ''), ['#,##0'], 'ppt/charts/chart1.xml'),
      'ppt/charts/chart1.xml',
      'showLeaderLines',
    )
    expectPatchFailure(() => pointLabels(dLbls.replace(/<c:numFmt [^>]*\/>/, ''), ['#,##0'], 'ppt/charts/chart1.xml'), 'c:numFmt')
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

  it('writes the master’s slide number as PowerPoint does', () => {
    const field = '<a:fld id="{F7021451}" type="slidenum"><a:rPr b="0" lang="en-US"/><a:t>null</a:t></a:fld>'
    expect(slideXml(field, {})).toBe('<a:fld id="{F7021451}" type="slidenum"><a:rPr b="0" lang="en-US"/><a:t>‹#›</a:t></a:fld>')
  })

  it('stops when a bullet, the serif, a language or the slide number is written in a form it does not rewrite', () => {
    const part = 'ppt/slides/slide4.xml'
    expectPatchFailure(() => slideXml('<a:pPr><a:buSzPct val="90000"/><a:buChar char="•"/></a:pPr>', { bulletColour: 'A3261F' }, part), part, 'buChar')
    expectPatchFailure(() => slideXml('<a:latin typeface="Source Serif 4" charset="0"/>', { serif: 'Source Serif 4' }, part), 'typeface="Source Serif 4"')
    expectPatchFailure(() => slideXml('<a:rPr lang="en-us"/>', { language: 'en-GB' }, part), 'lang=')
    expectPatchFailure(
      () => slideXml('<a:fld id="{F7021451}" type="slidenum"><a:rPr b="0"/><a:t xml:space="preserve">null</a:t></a:fld>', {}, part),
      'slidenum',
    )
  })
})

describe('layoutXml', () => {
  const shape = (type: string, body = '<a:bodyPr wrap="square" rtlCol="0">') =>
    `<p:sp><p:nvSpPr><p:nvPr><p:ph\n\t\t type="${type}"\n/></p:nvPr></p:nvSpPr><p:txBody>${body}</a:bodyPr><a:lstStyle><a:lvl1pPr indent="0" marL="0"><a:buNone/><a:defRPr/></a:lvl1pPr></a:lstStyle></p:txBody></p:sp>`
  it('sets placeholders without inner margin, the title on its rule, the body bulleted', () => {
    const out = layoutXml(`<p:cSld name="points">${shape('title')}${shape('body')}</p:cSld>`, { bulletColour: 'A3261F', bulletIndent: 293370 })
    expect(out).toContain('<a:bodyPr wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0" anchor="b">')
    expect(out).toContain('<a:bodyPr wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0" anchor="t">')
    expect(out).toContain(
      '<a:lvl1pPr marL="293370" indent="-293370"><a:buClr><a:srgbClr val="A3261F"/></a:buClr><a:buSzPct val="100000"/><a:buChar char="&#x2022;"/>',
    )
    expect(out.match(/<a:buNone\/>/g)).toHaveLength(1) // the title's
    expect(out.match(/<a:normAutofit\/>/g)).toHaveLength(2)
  })

  it('leaves the subtitle of the title and section layouts without a bullet, and sets a chart’s place at the top', () => {
    for (const layout of ['title', 'section']) {
      const out = layoutXml(`<p:cSld name="${layout}">${shape('title')}${shape('body')}</p:cSld>`, { bulletColour: 'A3261F', bulletIndent: 293370 })
      expect(out, layout).not.toContain('<a:buChar')
      expect(out.match(/anchor="t"/g), layout).toHaveLength(2)
    }
    const chart = layoutXml(`<p:cSld name="chart">${shape('title')}${shape('chart')}</p:cSld>`, {})
    expect(chart).toContain('rtlCol="0" anchor="t"><a:normAutofit/>')
  })

  it('stops when a placeholder’s text settings, or the layout’s name, are written otherwise', () => {
    const part = 'ppt/slideLayouts/slideLayout3.xml'
    expectPatchFailure(
      () => layoutXml(`<p:cSld name="points">${shape('title', '<a:bodyPr wrap="square" lIns="0" rtlCol="0">')}</p:cSld>`, {}, part),
      part,
      '"<a:bodyPr wrap=\\"square\\" rtlCol=\\"0\\">" is there no times, not once',
    )
    expectPatchFailure(() => layoutXml(`<p:cSld>${shape('title')}</p:cSld>`, {}, part), 'p:cSld name')
  })
})

describe('movedPlaceholders', () => {
  const sp = (type: string) =>
    `<p:sp><p:nvSpPr><p:cNvPr id="2" name="Text 1"></p:cNvPr><p:cNvSpPr/><p:nvPr><p:ph\n\t\t idx="102"\n\t\t type="${type}"\n\t\t/></p:nvPr></p:nvSpPr><p:spPr><a:xfrm><a:off x="762000" y="381000"/><a:ext cx="10668000" cy="685800"/></a:xfrm></p:spPr></p:sp>`
  it('puts the placeholder of the type named where the slide puts it, and leaves the others where their layout has them', () => {
    const out = movedPlaceholders(`${sp('body')}${sp('title')}`, [{ slide: 1, placeholder: 'title', box: { x: 762000, y: 2476500, w: 6204413, h: 1270635 } }])
    expect(out.match(/<a:xfrm>.*?<\/a:xfrm>/g)).toEqual([
      '<a:xfrm><a:off x="762000" y="381000"/><a:ext cx="10668000" cy="685800"/></a:xfrm>',
      '<a:xfrm><a:off x="762000" y="2476500"/><a:ext cx="6204413" cy="1270635"/></a:xfrm>',
    ])
  })

  it('stops when the slide has no such placeholder, or not with a position', () => {
    const part = 'ppt/slides/slide4.xml'
    const move = [{ slide: 4, placeholder: 'title', box: { x: 0, y: 0, w: 1, h: 1 } }]
    expectPatchFailure(() => movedPlaceholders(sp('body'), move, part), part, 'is there no times, not once')
    expectPatchFailure(() => movedPlaceholders(sp('title').replace(/<a:xfrm>.*<\/a:xfrm>/, ''), move, part), part)
  })
})

describe('finishPackage', () => {
  const core = (dates: string) => `<cp:coreProperties>${dates}</cp:coreProperties>`
  const stamped =
    '<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-29T10:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-29T10:00:00Z</dcterms:modified>'
  const pptx = async (charts: number[], { coreXml = core(stamped), defaultLayout = true } = {}) => {
    const zip = new JSZip()
    zip.file('[Content_Types].xml', `<Default Extension="xml"/>${charts.map((n) => `<Override PartName="/ppt/charts/chart${n}.xml"/>`).join('')}`)
    // The empty layout pptxgenjs writes first, and the master that lists it.
    if (defaultLayout) zip.file('ppt/slideLayouts/slideLayout1.xml', '<p:sldLayout><p:cSld name="DEFAULT"><p:spTree/></p:cSld></p:sldLayout>')
    zip.file('ppt/slideMasters/slideMaster1.xml', '<p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst>')
    zip.file(
      'ppt/slideMasters/_rels/slideMaster1.xml.rels',
      '<Relationships><Relationship Id="rId1" Type="x/slideLayout" Target="../slideLayouts/slideLayout1.xml"/></Relationships>',
    )
    zip.file('docProps/core.xml', coreXml)
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
      inner.file('docProps/core.xml', core(stamped))
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
    const coreXml = (await zip.file('docProps/core.xml')?.async('string')) ?? ''
    expect(coreXml.match(/2024-06-01T00:00:00Z/g)).toHaveLength(2)
    expect(coreXml).toContain('<cp:keywords>a $&amp; b; c</cp:keywords><dc:language>en-GB</dc:language>')
    for (const entry of Object.values(zip.files)) expect(entry.date.getTime(), entry.name).toBe(Date.UTC(2024, 5, 1))
    const workbook = await JSZip.loadAsync((await zip.file('ppt/embeddings/Microsoft_Excel_Worksheet1.xlsx')?.async('uint8array')) ?? new Uint8Array())
    expect((await workbook.file('docProps/core.xml')?.async('string'))?.match(/2024-06-01T00:00:00Z/g)).toHaveLength(2)
  })

  it('stops when a date, a chart’s labels or a chart’s name is not where pptxgenjs 4.0.1 writes it', async () => {
    const failure = async (made: Promise<Uint8Array>, more: Partial<PackageInfo> = {}) => {
      const err = await finishPackage(await made, { ...info, ...more }).then(
        () => undefined,
        (e: unknown) => e,
      )
      if (!(err instanceof DeckError)) throw new Error(`expected a DeckError, got ${String(err)}`)
      expect(err.exitCode).toBe(ExitCode.internal)
      return err.message
    }
    expect(await failure(pptx([1], { coreXml: core('<dcterms:created>2026-11-29T10:00:00Z</dcterms:created>') }))).toMatch(
      /^pptxgenjs wrote docProps\/core\.xml otherwise than expected: .*dcterms.* is there once, not 2 times/,
    )
    expect(await failure(pptx([1, 2]), { chartLabels: [['#,##0']] })).toContain('pptxgenjs wrote the package otherwise than expected: it holds 2 chart parts')
    const renamed = await JSZip.loadAsync(await pptx([]))
    renamed.file('ppt/charts/chart-1.xml', '<c:chart/>')
    expect(await failure(renamed.generateAsync({ type: 'uint8array' }))).toContain('pptxgenjs wrote ppt/charts/chart-1.xml otherwise than expected')
    expect(await failure(pptx([1], { defaultLayout: false }))).toContain(
      'pptxgenjs wrote the package otherwise than expected: it holds no times a layout named DEFAULT',
    )
  })
})

describe('what pptxgenjs 4.0.1 writes, as finishPackage finishes it', () => {
  /** A deck's PowerPoint as pptxgenjs wrote it, and the same finished. */
  type Made = { raw: JSZip; info: PackageInfo; done: JSZip }
  let layouts: Made // every layout, a line chart, an author and an affiliation
  let anonymous: Made // the same, with no author and no affiliation
  let bars: Made // the default brief: bar charts
  let again: Made // the default brief, made again in the same process
  const text = async (zip: JSZip, name: string) => {
    const part = zip.file(name)
    if (!part) throw new Error(`no ${name} in the package`)
    return part.async('string')
  }
  const parts = (zip: JSZip, re: RegExp) => Object.keys(zip.files).filter((name) => re.test(name))

  beforeAll(async () => {
    const toolkit = await prepare({ templatesDir: join(ROOT, 'templates'), themeFile: join(ROOT, 'templates/theme.css') })
    const dir = tempDir('deck-pptx-package-')
    const make = async (name: string, brief: string): Promise<Made> => {
      writeFileSync(join(dir, `${name}.yaml`), brief)
      const before = written.length
      await buildBrief(join(dir, `${name}.yaml`), toolkit, { outDir: dir, formats: new Set(['pptx']) })
      const made = written[before]
      if (!made) throw new Error(`pptxgenjs's package for ${name} was not seen`)
      return { raw: await JSZip.loadAsync(made.raw), info: made.info, done: await JSZip.loadAsync(await finishPackage(made.raw, made.info)) }
    }
    layouts = await make('layouts', fixture('all-layouts.yaml'))
    anonymous = await make('anonymous', fixture('all-layouts.yaml').replace(/^ {2}(?:author|role|affiliation):.*\n/gm, ''))
    bars = await make('bars', readRepoFile(DEFAULT_BRIEF))
    again = await make('again', readRepoFile(DEFAULT_BRIEF))
  })

  // Each test reads, in what pptxgenjs wrote, the bug a rewrite is for: when one fails,
  // pptxgenjs no longer has it, and the rewrite it names can go. finishPackage, run on the
  // same, stops with its own message when the text a rewrite expects is written otherwise.

  it('stamps the document and each chart’s workbook with the clock (dated)', async () => {
    const stamp = 'pptxgenjs no longer stamps the clock: remove `dated` in package.ts'
    for (const made of [layouts, bars]) {
      const day = isoDay(made.info.date)
      expect(await text(made.raw, 'docProps/core.xml'), stamp).not.toContain(day)
      expect((await text(made.done, 'docProps/core.xml')).match(new RegExp(`>${day}T00:00:00Z<`, 'g'))).toHaveLength(2)
      const workbooks = parts(made.raw, /^ppt\/embeddings\/.*\.xlsx$/)
      expect(workbooks).toHaveLength(made.info.chartLabels?.length ?? -1)
      for (const name of workbooks) {
        const inner = async (zip: JSZip) => text(await JSZip.loadAsync(await (zip.file(name)?.async('uint8array') ?? new Uint8Array())), 'docProps/core.xml')
        expect(await inner(made.raw), stamp).not.toContain(day)
      }
      for (const name of parts(made.done, /^ppt\/embeddings\/.*\.xlsx$/)) {
        const inner = await JSZip.loadAsync((await made.done.file(name)?.async('uint8array')) ?? new Uint8Array())
        expect((await text(inner, 'docProps/core.xml')).match(new RegExp(`>${day}T00:00:00Z<`, 'g'))).toHaveLength(2)
      }
    }
  })

  it('names an empty author and an empty company when the brief names none (coreProperties, app.xml)', async () => {
    expect(await text(anonymous.raw, 'docProps/core.xml'), 'pptxgenjs no longer writes an empty author: remove RE_EMPTY_PERSON in package.ts').toContain(
      '<dc:creator></dc:creator>',
    )
    expect(await text(anonymous.raw, 'docProps/app.xml'), 'pptxgenjs no longer writes an empty company: remove its rewrite in package.ts').toContain(
      '<Company></Company>',
    )
    expect(await text(anonymous.done, 'docProps/core.xml')).not.toContain('dc:creator')
    expect(await text(anonymous.done, 'docProps/app.xml')).not.toContain('<Company')
    expect(await text(layouts.done, 'docProps/app.xml')).toContain('<Company>Example Institute</Company>')
  })

  it('lists the slides as "Slide 1", "Slide 2" (app.xml)', async () => {
    expect(await text(layouts.raw, 'docProps/app.xml'), 'pptxgenjs no longer lists the slides by number: remove RE_SLIDE_PART in package.ts').toContain(
      '<vt:lpstr>Slide 1</vt:lpstr>',
    )
    expect(await text(layouts.done, 'docProps/app.xml')).toContain(`<vt:lpstr>${layouts.info.titles[0]}</vt:lpstr>`)
  })

  it('gives all of a chart’s labels one number format (pointLabels)', async () => {
    for (const made of [layouts, bars]) {
      const charts = parts(made.raw, /^ppt\/charts\/chart\d+\.xml$/)
      expect(charts).toHaveLength(made.info.chartLabels?.length ?? -1)
      for (const chart of charts)
        expect(await text(made.raw, chart), 'pptxgenjs now writes a label per point: remove pointLabels in package.ts').not.toContain('<c:dLbl>')
      for (const chart of parts(made.done, /^ppt\/charts\/chart\d+\.xml$/)) expect(await text(made.done, chart)).toContain('<c:dLbls><c:dLbl><c:idx val="0"/>')
    }
  })

  it('numbers charts on from those of earlier decks (partNumbers)', async () => {
    const numbers = (made: Made) => parts(made.raw, /^ppt\/charts\/chart\d+\.xml$/).map((name) => Number(/\d+/.exec(name)?.[0]))
    expect(Math.min(...numbers(again)), 'pptxgenjs now numbers each file’s charts from 1: remove partNumbers in package.ts').toBeGreaterThan(
      Math.max(...numbers(bars)),
    )
    expect(Object.keys(again.done.files).filter((n) => n.startsWith('ppt/charts/chart'))).toEqual(
      Object.keys(bars.done.files).filter((n) => n.startsWith('ppt/charts/chart')),
    )
  })

  it('writes paragraph settings for every run, uncoloured bullets, every font a sans serif and American English (slideXml)', async () => {
    const slides = await Promise.all(parts(layouts.raw, /^ppt\/slides\/slide\d+\.xml$/).map((name) => text(layouts.raw, name)))
    const raw = slides.join('')
    expect(raw, 'pptxgenjs now writes one pPr per paragraph: remove RE_PPR’s rewrite in slideXml').toMatch(
      /<a:p>(?:(?!<\/a:p>)[\s\S])*<a:pPr\b(?:(?!<\/a:p>)[\s\S])*<a:pPr\b/,
    )
    expect(raw).toContain('<a:buSzPct val="100000"/><a:buChar')
    expect(raw, 'pptxgenjs now colours bullets: remove the bullet rewrite in slideXml').not.toContain('<a:buClr>')
    expect(raw, 'pptxgenjs no longer marks every font a sans serif: remove the serif rewrite in slideXml').toContain(
      `typeface="${layouts.info.serif}" pitchFamily="34"`,
    )
    const notes = await text(layouts.raw, 'ppt/notesSlides/notesSlide1.xml')
    expect(notes, 'pptxgenjs now writes the notes in the deck’s language: remove the language rewrite in slideXml').toContain(' lang="en-US"')
    const done = (await Promise.all(parts(layouts.done, /^ppt\/(?:slides|notesSlides)\/\w+\d+\.xml$/).map((name) => text(layouts.done, name)))).join('')
    expect(new Set([...done.matchAll(/ lang="([^"]*)"/g)].map((m) => m[1]))).toEqual(new Set([layouts.info.language]))
  })

  it('writes "null" for the master’s slide number (slideXml)', async () => {
    expect(await text(layouts.raw, 'ppt/slideMasters/slideMaster1.xml'), 'pptxgenjs no longer writes null: remove RE_NULL_NUMBER in package.ts').toMatch(
      /type="slidenum">(?:(?!<\/a:fld>)[\s\S])*<a:t>null<\/a:t>/,
    )
    expect(await text(layouts.done, 'ppt/slideMasters/slideMaster1.xml')).toContain('<a:t>‹#›</a:t>')
  })

  it('declares a slide master per slide, and media it does not hold (contentTypes)', async () => {
    for (const made of [layouts, bars]) {
      const raw = await text(made.raw, '[Content_Types].xml')
      expect(raw, 'pptxgenjs now declares only its master: remove the Override rewrite in contentTypes').toContain('/ppt/slideMasters/slideMaster2.xml')
      expect(raw, 'pptxgenjs now declares only the media it holds: remove the Default rewrite in contentTypes').toContain('Extension="m4v"')
      const done = await text(made.done, '[Content_Types].xml')
      for (const [, part = ''] of done.matchAll(/PartName="\/([^"]+)"/g)) expect(made.done.file(part), part).not.toBeNull()
      expect(done).not.toContain('Extension="m4v"')
    }
  })

  it('writes each workbook’s table with a stray apostrophe in its range and an empty, unnamed header (workbook)', async () => {
    // pptxgenjs numbers the workbooks on from earlier builds in the process: the first one of each package.
    const book = async (zip: JSZip) => {
      const [name = ''] = parts(zip, /^ppt\/embeddings\/.*\.xlsx$/).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      return JSZip.loadAsync((await zip.file(name)?.async('uint8array')) ?? new Uint8Array())
    }
    const raw = await book(bars.raw)
    const table = await text(raw, 'xl/tables/table1.xml')
    expect(table, 'pptxgenjs now writes the range right: remove RE_TABLE_REF in package.ts').toContain(`ref="A1:B3'"`)
    expect(table, 'pptxgenjs now names the categories: remove CATEGORY_COLUMN in package.ts').toContain('name="Column1"')
    expect(await text(raw, 'xl/sharedStrings.xml')).toContain('<si><t xml:space="preserve"></t></si>')
    const done = await book(bars.done)
    expect(await text(done, 'xl/tables/table1.xml')).toContain('ref="A1:B3" totalsRowShown="0"><tableColumns count="2"><tableColumn id="1" name="Year"/>')
    expect(await text(done, 'xl/sharedStrings.xml')).toMatch(/<sst\b[^>]*><si><t>Year<\/t><\/si>/)
  })

  it('gives the slide number the id of another shape (uniqueShapeIds)', async () => {
    const ids = (xml: string) => [...xml.matchAll(/<p:cNvPr id="(\d+)"/g)].map((m) => m[1])
    const repeats = (xml: string) => ids(xml).length - new Set(ids(xml)).size
    let repeated = 0
    for (const name of parts(bars.raw, /^ppt\/slides\/slide\d+\.xml$/)) {
      repeated += repeats(await text(bars.raw, name))
      expect(repeats(await text(bars.done, name)), name).toBe(0)
    }
    expect(repeated, 'pptxgenjs now gives each shape its own id: remove uniqueShapeIds in package.ts').toBeGreaterThan(0)
  })

  it('lists Arial and Calibri as the fonts used, and adds an empty layout named DEFAULT (fontsUsed, unusedDefaultLayout)', async () => {
    expect(await text(bars.raw, 'docProps/app.xml'), 'pptxgenjs now lists the fonts used: remove fontsUsed').toContain('<vt:lpstr>Arial</vt:lpstr>')
    expect(await text(bars.done, 'docProps/app.xml')).not.toContain('<vt:lpstr>Arial</vt:lpstr>')
    expect(await text(bars.raw, 'ppt/slideLayouts/slideLayout1.xml'), 'pptxgenjs no longer adds its DEFAULT layout: remove unusedDefaultLayout').toContain(
      '<p:cSld name="DEFAULT"',
    )
    expect(bars.done.file('ppt/slideLayouts/slideLayout1.xml')).toBeNull()
    expect(bars.done.file('ppt/slideLayouts/_rels/slideLayout1.xml.rels')).toBeNull()
  })

  it('writes layout placeholders with the default margins and no bullets, whatever their options (layoutXml)', async () => {
    const seen = { title: 0, body: 0, chart: 0 }
    for (const name of parts(layouts.raw, /^ppt\/slideLayouts\/slideLayout\d+\.xml$/)) {
      for (const shape of (await text(layouts.raw, name)).match(/<p:sp>[\s\S]*?<\/p:sp>/g) ?? []) {
        const type = /<p:ph\s[^>]*type="(title|body|chart)"/.exec(shape)?.[1] as keyof typeof seen | undefined
        if (type === undefined) continue
        seen[type] += 1
        expect(shape, `pptxgenjs now writes a placeholder’s margins (${name}): remove layoutXml’s bodyPr rewrite`).not.toContain('lIns=')
        if (type === 'body')
          expect(shape, `pptxgenjs now writes the body placeholder’s bullets (${name}): remove layoutXml’s lvl1pPr rewrite`).not.toContain('<a:buChar')
      }
      // The empty layout is left out (unusedDefaultLayout).
      if (layouts.done.file(name)) expect(await text(layouts.done, name)).not.toContain('<a:bodyPr wrap="square" rtlCol="0">')
    }
    expect(seen.title).toBeGreaterThan(10)
    // Every layout has a place for its content: the chart layout a chart's, the others a body.
    expect(seen.body).toBe(seen.title - 1)
    expect(seen.chart).toBe(1)
  })

  it('gives every slide an empty copy of each layout placeholder it does not fill (withoutEmptyPlaceholders)', async () => {
    const raw = await text(layouts.raw, 'ppt/slides/slide1.xml')
    const empty = (xml: string) =>
      (xml.match(/<p:sp>[\s\S]*?<\/p:sp>/g) ?? []).filter((sp) => /<p:ph\s[^>]*type="(body|chart)"/.test(sp) && !sp.includes('<a:t>'))
    expect(empty(raw), 'pptxgenjs no longer adds empty placeholders: remove withoutEmptyPlaceholders').not.toEqual([])
    expect(empty(await text(layouts.done, 'ppt/slides/slide1.xml'))).toEqual([])
  })

  it('writes Office’s colour scheme and its own text styles whatever the deck’s (themed)', async () => {
    expect(await text(layouts.raw, 'ppt/theme/theme1.xml')).toMatch(/<a:clrScheme name="Office">[\s\S]*<a:accent1><a:srgbClr val="4472C4"\/>/)
    const master = await text(layouts.raw, 'ppt/slideMasters/slideMaster1.xml')
    expect(master, 'pptxgenjs now writes the master’s title style: remove the txStyles rewrite').toMatch(
      /<p:titleStyle>\s*<a:lvl1pPr algn="ctr"[^>]*>[\s\S]*?<a:defRPr sz="4400"/,
    )
  })
})

const isoDay = (date: Date) => date.toISOString().slice(0, 10)
