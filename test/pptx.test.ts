import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import JSZip from 'jszip'
import { beforeAll, describe, expect, it } from 'vitest'

import { parseBrief } from '../deck/brief/brief.ts'
import { buildBrief } from '../deck/build.ts'
import { prepare, type Toolkit } from '../deck/deck.ts'
import { design } from '../deck/pptx/draw.ts'
import { valueAxis } from '../deck/render/chart.ts'
import { formatFigure } from '../deck/render/format.ts'
import { buildView, slideAltText } from '../deck/render/render.ts'
import { type DeckView } from '../deck/render/view.ts'
import { ExitCode } from '../deck/shared/errors.ts'
import { chartsOf, deckErrorOf, DEFAULT_BRIEF, fixture, readRepoFile, ROOT, tempDir } from './helpers.ts'
import { decodeXml, readPptx } from './readers.ts'

// The editable PowerPoint, made without a browser, read back as PowerPoint reads it:
// its slides' XML, charts, notes and properties (jszip). The CLI's builds of it (a child
// process each) are in pptx.process.test.ts.

const brief = parseBrief(readRepoFile(DEFAULT_BRIEF), DEFAULT_BRIEF)
let view: DeckView
let toolkit: Toolkit
let out: string
let zip: JSZip
const file = (suffix = '') => join(out, `serbia-china-extradition${suffix}.pptx`)
const part = async (name: string) => (await zip.file(name)?.async('string')) ?? ''
/** The text of a slide part's runs, no-break spaces as spaces. */
const runsText = (xml: string) => decodeXml([...xml.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => m[1]).join('')).replace(/\u00A0/g, ' ')
/** The shapes of a slide that are placeholders of the given type. */
const placeholderText = (xml: string, type: string) =>
  xml
    .split('<p:sp>')
    .filter((shape) => new RegExp(`<p:ph\\s[^>]*type="${type}"`).test(shape))
    .map(runsText)
    .join('')

beforeAll(async () => {
  view = buildView(brief, { charts: await chartsOf(brief) })
  toolkit = await prepare({ templatesDir: join(ROOT, 'templates'), themeFile: join(ROOT, 'templates/theme.css') })
  out = tempDir('deck-pptx-')
  // No browser session is given: a build of the PowerPoint alone must not need one.
  await buildBrief(join(ROOT, DEFAULT_BRIEF), toolkit, { outDir: out, formats: new Set(['pptx']) })
  zip = await JSZip.loadAsync(readFileSync(file()))
})

describe('the editable PowerPoint', () => {
  it('has one slide per slide, each on the layout named after ours', async () => {
    const { slides } = await readPptx(file())
    expect(slides).toBe(view.slides.length)
    const layouts = await Promise.all(
      view.slides.map(async (_, i) => {
        const rels = await part(`ppt/slides/_rels/slide${i + 1}.xml.rels`)
        const layout = /slideLayouts\/(slideLayout\d+\.xml)/.exec(rels)?.[1] ?? ''
        return /<p:cSld name="([^"]*)"/.exec(await part(`ppt/slideLayouts/${layout}`))?.[1]
      }),
    )
    expect(layouts[0]).toBe('title')
    expect(layouts[view.slides.findIndex((s) => s.partial === 'points')]).toBe('points')
    expect(layouts[view.slides.findIndex((s) => s.partial === 'chart')]).toBe('chart')
    expect(layouts[view.slides.findIndex((s) => s.partial === 'figure' && s.title === undefined)]).toBe('figure (title hidden)')
  })

  it('is on brand when edited: the theme’s colours and fonts are the deck’s, the master’s text styles its sizes, colours and bullets', async () => {
    const theme = await part('ppt/theme/theme1.xml')
    const slot = (name: string) => new RegExp(`<a:${name}><a:srgbClr val="([0-9A-F]{6})"/>`).exec(theme)?.[1]
    // A new shape, chart or link in PowerPoint takes these: ink on paper, navy first, the accent second.
    expect([slot('dk1'), slot('lt1'), slot('dk2'), slot('accent1'), slot('accent2'), slot('hlink')]).toEqual([
      '1D2733',
      'FFFFFF',
      '14305A',
      '14305A',
      'A3261F',
      '14305A',
    ])
    expect(theme).not.toMatch(/4472C4|0563C1/)
    expect(/<a:majorFont><a:latin typeface="([^"]+)"/.exec(theme)?.[1]).toBe('Source Serif 4')
    expect(/<a:minorFont><a:latin typeface="([^"]+)"/.exec(theme)?.[1]).toBe('Source Sans 3')
    const master = await part('ppt/slideMasters/slideMaster1.xml')
    const title = /<p:titleStyle>([\s\S]*?)<\/p:titleStyle>/.exec(master)?.[1] ?? ''
    // The slides' title: on the left, 42 px (31.5 pt), bold, navy (tx2 is dk2), the heading font.
    expect(title).toMatch(/algn="l"[\s\S]*<a:defRPr sz="3150" b="1"[^>]*><a:solidFill><a:schemeClr val="tx2"\/><\/a:solidFill><a:latin typeface="\+mj-lt"\/>/)
    const body = /<p:bodyStyle>([\s\S]*?)<\/p:bodyStyle>/.exec(master)?.[1] ?? ''
    const levels = [
      ...body.matchAll(/<a:lvl(\d)pPr marL="(\d+)"[\s\S]*?<a:buClr><a:schemeClr val="(\w+)"\/>[\s\S]*?<a:buChar char="([^"]+)"\/><a:defRPr sz="(\d+)"/g),
    ]
    expect(levels).toHaveLength(9)
    // The points' 28 px (21 pt) first, each level no larger than its parent and further in, every bullet in the accent.
    expect(levels[0]?.[5]).toBe('2100')
    for (const [i, l] of levels.entries()) {
      expect(l[3], `level ${i + 1}`).toBe('accent2')
      if (i > 0) expect(Number(l[5]), `level ${i + 1}`).toBeLessThanOrEqual(Number(levels[i - 1]?.[5]))
      if (i > 0) expect(Number(l[2]), `level ${i + 1}`).toBeGreaterThan(Number(levels[i - 1]?.[2]))
    }
  })

  it('gives every layout a title and a place for its content, whose text shrinks to fit as it grows', async () => {
    const names = Object.keys(zip.files).filter((n) => /^ppt\/slideLayouts\/slideLayout\d+\.xml$/.test(n))
    expect(names.length).toBeGreaterThanOrEqual(11)
    for (const name of names) {
      const xml = await part(name)
      const layout = /<p:cSld name="([^"]*)"/.exec(xml)?.[1]
      const placeholders = (xml.match(/<p:sp>[\s\S]*?<\/p:sp>/g) ?? []).filter((sp) => /<p:ph\s/.test(sp))
      const types = placeholders.map((sp) => /<p:ph\s[^>]*type="(\w+)"/.exec(sp)?.[1]).filter((t) => t !== 'sldNum')
      expect(types.sort(), `${layout}`).toEqual(layout === 'chart' ? ['chart', 'title'] : ['body', 'title'])
      for (const sp of placeholders.filter((p) => /type="(title|body|chart)"/.test(p))) expect(sp, `${layout}`).toContain('<a:normAutofit/>')
    }
  })

  it('leaves no empty placeholder on a slide, where it would lie over the slide’s content in PowerPoint', async () => {
    for (const [i] of view.slides.entries()) {
      const xml = await part(`ppt/slides/slide${i + 1}.xml`)
      for (const sp of (xml.match(/<p:sp>[\s\S]*?<\/p:sp>/g) ?? []).filter((p) => /<p:ph\s[^>]*type="(title|body|chart)"/.test(p)))
        expect(sp, `slide ${i + 1}`).toMatch(/<a:t>[^<]/)
    }
  })

  it('holds every slide’s title in its title placeholder', async () => {
    for (const [i, slide] of view.slides.entries()) {
      const xml = await part(`ppt/slides/slide${i + 1}.xml`)
      expect(placeholderText(xml, 'title'), `slide ${i + 1}`).toBe(slide.outline)
    }
  })

  it('keeps a hidden title above the slide, where it is read but not shown', async () => {
    const i = view.slides.findIndex((s) => s.partial === 'figure' && s.title === undefined)
    const xml = await part(`ppt/slides/slide${i + 1}.xml`)
    const title = xml.split('<p:sp>').find((shape) => /<p:ph\s[^>]*type="title"/.test(shape)) ?? ''
    const y = Number(/<a:off x="\d+" y="(-?\d+)"/.exec(title)?.[1])
    const height = Number(/<a:ext cx="\d+" cy="(\d+)"/.exec(title)?.[1])
    expect(y + height).toBeLessThan(0)
  })

  it('writes every figure a slide shows as text in that slide’s runs', async () => {
    const figures = Object.values(brief.figures).map((f) => formatFigure(f, 'en').replace(/\u00A0/g, ' '))
    let checked = 0
    for (const [i, slide] of view.slides.entries()) {
      if (slide.partial === 'chart') continue // the chart's values are in its chart part (next test)
      const shown = slideAltText(slide, view.meta)
      const text = runsText(await part(`ppt/slides/slide${i + 1}.xml`))
      for (const value of figures.filter((f) => shown.includes(f))) {
        expect(text, `slide ${i + 1}`).toContain(value)
        checked += 1
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10)
  })

  it('sets points as bulleted paragraphs, markers as superscripts, one set of paragraph settings each', async () => {
    const i = view.slides.findIndex((s) => s.id === 'key-points')
    const xml = await part(`ppt/slides/slide${i + 1}.xml`)
    const body = xml.split('<p:sp>').find((shape) => /<p:ph\s[^>]*type="body"/.test(shape)) ?? ''
    const paragraphs = body.match(/<a:p>[\s\S]*?<\/a:p>/g) ?? []
    const points = view.slides[i]?.partial === 'points' ? (view.slides[i] as { points: unknown[] }).points.length : 0
    expect(paragraphs.filter((p) => p.includes('<a:buChar'))).toHaveLength(points)
    for (const p of paragraphs) expect(p.match(/<a:pPr\b/g) ?? []).toHaveLength(1)
    expect(body).toMatch(/baseline="30000"[^>]*>(?:(?!<\/a:r>)[\s\S])*<a:t>\u00A02,3<\/a:t>/)
  })

  it('draws each chart as a PowerPoint chart with its data, labels as on the slide, a workbook, and the HTML’s alt text', async () => {
    const charts = view.slides.flatMap((s, i) => (s.partial === 'chart' ? [{ s, i }] : []))
    expect(charts.length).toBeGreaterThan(0)
    for (const [n, { s, i }] of charts.entries()) {
      const rels = await part(`ppt/slides/_rels/slide${i + 1}.xml.rels`)
      const chartPart = /charts\/(chart\d+\.xml)/.exec(rels)?.[1]
      expect(chartPart, `slide ${i + 1}`).toBeDefined()
      const xml = await part(`ppt/charts/${chartPart}`)
      const values = [...(/<c:val>[\s\S]*?<\/c:val>/.exec(xml)?.[0] ?? '').matchAll(/<c:v>([^<]*)<\/c:v>/g)].map((m) => Number(m[1]))
      expect(values).toEqual(s.data.points.map((p) => p.value))
      // An approximate value's label is marked as the slide marks it.
      for (const [idx, p] of s.data.points.entries()) {
        const label = new RegExp(`<c:dLbl><c:idx val="${idx}"/><c:numFmt formatCode="([^"]*)"`).exec(xml)?.[1] ?? ''
        expect(decodeXml(label).startsWith('"≈'), `point ${idx}`).toBe(p.approx)
      }
      // The value axis as the HTML's chart draws it, and every bar outlined, the lighter approximate one too.
      const axis = valueAxis(s.data.points.map((p) => p.value))
      expect(/<c:valAx>[\s\S]*?<c:scaling>([\s\S]*?)<\/c:scaling>/.exec(xml)?.[1], `chart ${n + 1}`).toMatch(
        new RegExp(`<c:max val="${axis.max}"/><c:min val="${axis.min}"/>`),
      )
      expect(xml, `chart ${n + 1}`).toContain(`<c:majorUnit val="${axis.step}"/>`)
      const points = xml.match(/<c:dPt>[\s\S]*?<\/c:dPt>/g) ?? []
      expect(points, `chart ${n + 1}`).toHaveLength(s.data.points.length)
      for (const p of points) expect(p, `chart ${n + 1}`).toMatch(/<a:ln w="\d+"[^>]*><a:solidFill><a:srgbClr val="14305A"\/>/)
      const chartRels = await part(`ppt/charts/_rels/${chartPart}.rels`)
      const workbook = /Target="\.\.\/embeddings\/([^"]+\.xlsx)"/.exec(chartRels)?.[1] ?? ''
      expect(zip.file(`ppt/embeddings/${workbook}`), `chart ${n + 1}`).not.toBeNull()
      const slideXml = await part(`ppt/slides/slide${i + 1}.xml`)
      expect(decodeXml(/<p:cNvPr id="\d+" name="[^"]*" descr="([^"]*)"/.exec(slideXml.slice(slideXml.indexOf('<p:graphicFrame>')))?.[1] ?? '')).toBe(s.alt)
    }
  })

  it('puts the speaker notes in the notes pane', async () => {
    const { notes } = await readPptx(file())
    expect(notes.size).toBe(view.slides.filter((s) => s.notesText).length)
    expect(notes.get(1)).toContain('Thank the hosts.')
  })

  it('links every source to its address', async () => {
    const linked = new Set<string>()
    for (const [i, slide] of view.slides.entries()) {
      if (slide.partial !== 'sources') continue
      const rels = decodeXml(await part(`ppt/slides/_rels/slide${i + 1}.xml.rels`))
      for (const m of rels.matchAll(/Type="[^"]*\/hyperlink" Target="([^"]*)"/g)) linked.add(m[1] ?? '')
    }
    const urls = brief.references.flatMap((r) => (r.url ? [r.url] : []))
    expect(urls.length).toBeGreaterThan(5)
    for (const url of urls) expect(linked, url).toContain(url)
  })

  it('names the deck’s title, author, keywords and language in its properties, dated by the brief', async () => {
    const core = decodeXml(await part('docProps/core.xml'))
    expect(core).toContain(`<dc:title>${view.meta.title.plain}</dc:title>`)
    expect(core).toContain('<dc:creator>Ana Krstinovska</dc:creator>')
    expect(core).toContain('<cp:keywords>Serbia; China; extradition; human rights; EU accession; Western Balkans</cp:keywords>')
    expect(core).toContain('<dc:language>en-GB</dc:language>')
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2024-06-01T00:00:00Z</dcterms:created>')
  })

  it('gives the same bytes when built again, its charts’ workbooks included', async () => {
    const again = tempDir('deck-pptx-again-')
    await buildBrief(join(ROOT, DEFAULT_BRIEF), toolkit, { outDir: again, formats: new Set(['pptx']) })
    expect(readFileSync(join(again, 'serbia-china-extradition.pptx')).equals(readFileSync(file()))).toBe(true)
    const workbooks = Object.keys(zip.files).filter((n) => n.endsWith('.xlsx'))
    expect(workbooks.length).toBeGreaterThan(0)
    for (const name of workbooks) {
      const inner = await JSZip.loadAsync((await zip.file(name)?.async('uint8array')) ?? new Uint8Array())
      expect(await inner.file('docProps/core.xml')?.async('string')).toContain('2024-06-01T00:00:00Z')
    }
  })

  it('marks a Serbian deck’s text as Serbian (Latin)', async () => {
    await buildBrief(join(ROOT, DEFAULT_BRIEF), toolkit, { outDir: out, formats: new Set(['pptx']), variant: 'briefing-sr' })
    const sr = await JSZip.loadAsync(readFileSync(file('.briefing-sr')))
    const slide = (await sr.file('ppt/slides/slide2.xml')?.async('string')) ?? ''
    const langs = new Set([...slide.matchAll(/<a:rPr lang="([^"]+)"/g)].map((m) => m[1]))
    expect([...langs]).toEqual(['sr-Latn-RS'])
    expect(await sr.file('docProps/core.xml')?.async('string')).toContain('<dc:language>sr-Latn-RS</dc:language>')
  })

  it("puts a reference's title in the quotation marks of the deck's language on its sources slide", async () => {
    /** The text of every slide of a deck. */
    const text = async (deck: JSZip) => {
      const slides = Object.keys(deck.files).filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name))
      return (await Promise.all(slides.map(async (name) => runsText((await deck.file(name)?.async('string')) ?? '')))).join('\n')
    }
    await buildBrief(join(ROOT, DEFAULT_BRIEF), toolkit, { outDir: out, formats: new Set(['pptx']), variant: 'briefing-sr' })
    const sr = await text(await JSZip.loadAsync(readFileSync(file('.briefing-sr'))))
    expect(sr).toMatch(/„[^“”„]+“, /)
    expect(sr).not.toContain('”')
    expect(await text(zip)).toMatch(/“[^“”„]+”, /)
  })

  it('fits long text at build time: a long title is set smaller, and one too long for its smallest size is named', async () => {
    const data = fixture('all-layouts.yaml').replace(
      /^(\s+title: )(.*)$/m,
      `$1${'A very long title that goes on and on about extradition, treaties and courts '.repeat(4).trim()}`,
    )
    const dir = tempDir('deck-pptx-long-')
    writeFileSync(join(dir, 'long.yaml'), data)
    const result = await buildBrief(join(dir, 'long.yaml'), toolkit, { outDir: dir, formats: new Set(['pptx']), checks: { force: true } })
    expect(
      result.warnings.some((w) => /^slide 1 \(title\): “A very long title.*” fits its box in the PowerPoint only at \d+ % of its size; shorten it$/.test(w)),
      result.warnings.join('\n'),
    ).toBe(true)
    const long = await JSZip.loadAsync(readFileSync(join(dir, 'long.pptx')))
    const sizes = await Promise.all(
      Object.keys(long.files)
        .filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
        .map(async (n) => {
          const title = ((await long.file(n)?.async('string')) ?? '')
            .split('<p:sp>')
            .find((s) => /<p:ph\s[^>]*type="title"/.test(s) && s.includes('A very long title'))
          return title ? Number(/ sz="(\d+)"/.exec(title)?.[1]) / 100 : undefined
        }),
    )
    const size = sizes.find((s) => s !== undefined)
    expect(size).toBeDefined()
    expect(size).toBeLessThan(40.5) // the title slide's 54 px title is 40.5 pt
  })
})

describe('the theme as PowerPoint takes it', () => {
  const size = { width: 1280, height: 720 }
  it('reads its colours as RRGGBB, through var(), #rgb written out', () => {
    const d = design({ ink: '#1d2733', navy: '#14305a', rule: '#abc', 'divider-paper': 'var(--navy)' }, size, 'en')
    expect([d.colour('ink'), d.colour('rule'), d.colour('divider-paper')]).toEqual(['1D2733', 'AABBCC', '14305A'])
  })

  it.each([
    ['lacks', {}, 'The theme has no --tint colour on its :root, which the PowerPoint is drawn with: add it to the theme'],
    ['writes otherwise', { tint: 'rgb(243, 245, 248)' }, "The theme's --tint is not a colour written #rrggbb or #rgb, as the PowerPoint needs it: write it so"],
  ])('a colour it %s is an error naming it, never a colour of the tool’s own', (_, tokens: Record<string, string>, message) => {
    const err = deckErrorOf(() => design(tokens, size, 'en').colour('tint'))
    expect(err.exitCode).toBe(ExitCode.input)
    expect(err.message).toBe(message)
  })
})
