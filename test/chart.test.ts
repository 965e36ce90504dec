import { readdirSync } from 'node:fs'

import { parse as parseHtml } from 'node-html-parser'
import { beforeAll, describe, expect, it } from 'vitest'

import { parseBrief } from '../deck/brief/brief.ts'
import { type Brief, briefSchema, type Series } from '../deck/brief/schema.ts'
import { drawBriefCharts } from '../deck/deck.ts'
import { chartBox, chartSpec, drawChart, drawCharts, seriesPoints, valueAxis } from '../deck/render/chart.ts'
import { chartAlt } from '../deck/render/layouts.ts'
import { messages } from '../deck/render/messages.ts'
import { buildView, type RenderDeck, renderDeck } from '../deck/render/render.ts'
import { compileTemplates, readTemplates } from '../deck/render/templates.ts'
import { readTheme, type Theme } from '../deck/render/theme.ts'
import { ExitCode } from '../deck/shared/errors.ts'
import { chartsOf, deckErrorOf, DEFAULT_BRIEF, fixture, lineOf, problemsOf, readRepoFile, ROOT, shownFor, tempDir } from './helpers.ts'

// Charts drawn from the brief's series: what the SVG shows, what the alt text says,
// and that odd data still draws.

let theme: Theme
let render: RenderDeck
beforeAll(async () => {
  theme = await readTheme(`${ROOT}/templates/theme.css`)
  render = compileTemplates(await readTemplates(`${ROOT}/templates`))
})

const base = parseBrief(fixture('all-layouts.yaml'), 'all-layouts.yaml')

/** The fixture with its tariff series replaced by `points` (literal values). */
function withPoints(points: { x: string; value: number; approx?: boolean }[], extra: Partial<Series> = {}): Brief {
  const series = { ...base.series?.tariffs, ...extra, points: points.map((p) => ({ ...p, evidence: `${p.value}` })) } as Series
  return briefSchema.parse({ ...base, series: { tariffs: series } })
}

async function draw(brief: Brief, kind: 'bar' | 'line' = 'bar'): Promise<string> {
  const series = brief.series?.tariffs as Series
  return drawChart(chartSpec(series, seriesPoints(brief, series), kind, theme.tokens, chartBox(1280)), brief.meta.language)
}

/** The text of every <text> element of an SVG, in order. */
function svgTexts(svg: string): string[] {
  return parseHtml(svg)
    .querySelectorAll('text')
    .map((t) => t.textContent)
}

describe('a chart', () => {
  it('labels every value, approximate ones with ≈, and carries both axis titles', async () => {
    const brief = parseBrief(readRepoFile(DEFAULT_BRIEF), DEFAULT_BRIEF)
    const charts = await chartsOf(brief)
    const asylum = charts.get('asylum-seekers:bar') ?? ''
    expect(svgTexts(asylum)).toEqual(expect.arrayContaining(['15,000', '≈110,000', 'Year', 'Asylum seekers', '2012', '2020']))
    const residents = charts.get('chinese-residents:bar') ?? ''
    expect(svgTexts(residents)).toEqual(expect.arrayContaining(['14,500', '≈20,000', 'People', 'With residence status (March 2023)', 'Unofficial estimate']))
  })

  it('labels its value axis at the round steps of valueAxis, the highest above the highest value with room for its label', async () => {
    const brief = parseBrief(readRepoFile(DEFAULT_BRIEF), DEFAULT_BRIEF)
    const charts = await chartsOf(brief)
    const axisLabels = (svg: string) => svgTexts(svg).filter((t) => /^[\d,]+$/.test(t) && !['2012', '2020'].includes(t))
    // The PowerPoint's chart (test/pptx.test.ts) uses the same axis: these are the labels both show.
    expect(axisLabels(charts.get('asylum-seekers:bar') ?? '')).toEqual(['0', '20,000', '40,000', '60,000', '80,000', '100,000', '120,000', '140,000', '15,000'])
    expect(axisLabels(charts.get('chinese-residents:bar') ?? '')).toEqual(['0', '5,000', '10,000', '15,000', '20,000', '25,000', '14,500'])
  })

  it('has a value axis of 1, 2 or 5 times a power of ten, from zero or below it, for any values', () => {
    expect(valueAxis([15_000, 110_000])).toEqual({ min: 0, max: 140_000, step: 20_000, ticks: [0, 20_000, 40_000, 60_000, 80_000, 100_000, 120_000, 140_000] })
    expect(valueAxis([1.1, 1.45, 1.9])).toMatchObject({ min: 0, max: 2.5, step: 0.5 })
    expect(valueAxis([-3, 4])).toMatchObject({ min: -4, max: 6, step: 2 })
    // All below zero: the axis ends at zero, with room for the lowest bar's label below it.
    expect(valueAxis([-50, -10])).toMatchObject({ min: -60, max: 0, step: 10 })
    expect(valueAxis([0, 0])).toMatchObject({ min: 0, max: 0.2, step: 0.2 })
    for (const values of [[7], [0.031, 0.2], [123_456_789], [-50, -10], [99, 100, 101]]) {
      const axis = valueAxis(values)
      const steps = (axis.max - axis.min) / axis.step
      expect(steps, String(values)).toBeGreaterThanOrEqual(2)
      expect(steps, String(values)).toBeLessThanOrEqual(12)
      expect(axis.max, String(values)).toBeGreaterThanOrEqual(Math.max(0, ...values) * 1.18)
      expect(axis.min, String(values)).toBeLessThanOrEqual(Math.min(0, ...values) * 1.18)
      expect(axis.step / 10 ** Math.floor(Math.log10(axis.step)), String(values)).toSatisfy((m: number) => [1, 2, 5].some((k) => Math.abs(m - k) < 1e-9))
      expect(axis.ticks.at(-1), String(values)).toBeCloseTo(axis.max, 9)
    }
  })

  it('draws a line chart with a point and a label for each value', async () => {
    const svg = await draw(base, 'line')
    expect(svg).toContain('mark-line')
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['€1.10', '€1.45', '≈€1.90', '€ per m³', 'Year']))
  })

  it('takes its colours and fonts from the theme', async () => {
    const svg = await draw(base)
    expect(svg).toContain(`fill="${theme.tokens.navy}"`)
    expect(svg).toContain(`font-family="${theme.tokens['font-text']}"`)
  })

  it('drawn with a theme that lacks one of its colours, is an error naming it, never a colour of the tool’s own', () => {
    const series = base.series?.tariffs as Series
    const tokens = Object.fromEntries(Object.entries(theme.tokens).filter(([name]) => name !== 'navy'))
    const err = deckErrorOf(() => chartSpec(series, seriesPoints(base, series), 'bar', tokens, chartBox(1280)))
    expect(err.exitCode).toBe(ExitCode.input)
    expect(err.message).toBe('The theme has no --navy colour on its :root, which a chart is drawn with: add it to the theme')
  })

  it.each([
    ['one point', [{ x: '2024', value: 3 }]],
    ['ten points', Array.from({ length: 10 }, (_, i) => ({ x: String(2010 + i), value: (i + 1) * 1.5 }))],
    [
      'a zero',
      [
        { x: '2020', value: 0 },
        { x: '2021', value: 2 },
      ],
    ],
    [
      'a value a hundred times the others',
      [
        { x: '2020', value: 1 },
        { x: '2021', value: 1.2 },
        { x: '2022', value: 150 },
      ],
    ],
    [
      'only zeros',
      [
        { x: '2020', value: 0 },
        { x: '2021', value: 0 },
      ],
    ],
  ])('still draws with %s, every value labelled', async (_, points) => {
    const brief = withPoints(points)
    for (const kind of ['bar', 'line'] as const) {
      const svg = await draw(brief, kind)
      expect(svg, kind).not.toMatch(/NaN|Infinity|undefined/)
      const texts = svgTexts(svg)
      for (const p of points) expect(texts, `${kind} ${p.x}`).toContain(`€${p.value.toFixed(2)}`)
    }
  })

  it('writes numbers the way the brief’s language does: 14.500 in Serbian', async () => {
    const sr = withPoints(
      [
        { x: '2022', value: 14500 },
        { x: '2023', value: 20000, approx: true },
      ],
      { prefix: undefined, decimals: undefined },
    )
    const svg = await draw(briefSchema.parse({ ...sr, meta: { ...sr.meta, language: 'sr' } }))
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['14.500', '≈20.000', '20.000']))
  })

  it('is kept in the cache and drawn again only when its data changes', async () => {
    const cacheDir = tempDir('deck-charts-')
    const first = await drawCharts(base, theme.tokens, 1280, { cacheDir })
    expect(readdirSync(cacheDir)).toHaveLength(1)
    expect(await drawCharts(base, theme.tokens, 1280, { cacheDir })).toEqual(first)
    const changed = withPoints([{ x: '2020', value: 9 }])
    const redrawn = await drawCharts(changed, theme.tokens, 1280, { cacheDir })
    expect(readdirSync(cacheDir)).toHaveLength(2)
    expect(svgTexts(redrawn.get('tariffs:line') ?? '')).toContain('€9.00')
  })
})

describe('alt text', () => {
  const en = messages('en')

  it('tells the rise, with every value and the source, for points in time order', () => {
    const brief = parseBrief(readRepoFile(DEFAULT_BRIEF), DEFAULT_BRIEF)
    const series = brief.series?.['asylum-seekers'] as Series
    expect(chartAlt('bar', series.title, seriesPoints(brief, series), en, 'Source: The Economist, 2021')).toBe(
      'Bar chart: Asylum seekers from China, from 15,000 in 2012 to about 110,000 in 2020, a seven-fold rise. Source: The Economist, 2021.',
    )
  })

  it('lists every value of a longer series, and a fall as a fall', () => {
    const brief = withPoints([
      { x: '2020', value: 2 },
      { x: '2021', value: 1.5 },
      { x: '2022', value: 1 },
    ])
    const series = brief.series?.tariffs as Series
    expect(chartAlt('line', series.title, seriesPoints(brief, series), en, 'Source: Regulator')).toBe(
      'Line chart: Average water tariff, from €2.00 in 2020 to €1.00 in 2022, a fall of 50%. Values: 2020 €2.00; 2021 €1.50; 2022 €1.00. Source: Regulator.',
    )
  })

  it('lists categories without inventing a trend', () => {
    const brief = parseBrief(readRepoFile(DEFAULT_BRIEF), DEFAULT_BRIEF)
    const series = brief.series?.['chinese-residents'] as Series
    const alt = chartAlt('bar', series.title, seriesPoints(brief, series), en, 'Source: Stojković Attorneys, 2023')
    expect(alt).toBe(
      'Bar chart: Chinese nationals in Serbia. With residence status (March 2023): 14,500; Unofficial estimate: about 20,000. Source: Stojković Attorneys, 2023.',
    )
  })

  it('ends each sentence with one full stop, when a Serbian date or year already brings its own', () => {
    const brief = parseBrief(readRepoFile(DEFAULT_BRIEF), DEFAULT_BRIEF)
    const series = brief.series?.['chinese-residents'] as Series
    const alt = chartAlt('bar', series.title, seriesPoints(brief, series), messages('sr-Latn'), 'Izvor: Stojković Attorneys, 1. april 2024.')
    expect(alt).toMatch(/ Izvor: Stojković Attorneys, 1\. april 2024\.$/)
    expect(alt).not.toContain('..')
  })

  it('is on the slide for screen readers, as the label of an image', async () => {
    const markdown = renderDeck(base, render, { charts: await chartsOf(base) })
    const chart = parseHtml(markdown).querySelector('div.chart')
    expect(chart?.getAttribute('role')).toBe('img')
    expect(chart?.getAttribute('aria-label')).toMatch(
      /^Line chart: Average water tariff, from €1\.10 in 2020 to about €1\.90 in 2024, a rise of 73%\. Values: .* Source: Regulator\.$/,
    )
    expect(chart?.querySelector('.alt')?.textContent).toBe(chart?.getAttribute('aria-label'))
  })
})

describe('one number, everywhere', () => {
  it('a changed figure changes the chart, the big number and every sentence that cites it', async () => {
    const yaml = readRepoFile(DEFAULT_BRIEF)
    const changed = yaml.replace('    value: 110000\n', '    value: 123000\n')
    expect(changed).not.toBe(yaml)
    const brief = parseBrief(changed, DEFAULT_BRIEF)
    const charts = await chartsOf(brief)
    const markdown = renderDeck(brief, render, { charts })
    expect(markdown).not.toMatch(/110,000|110000/)
    expect(svgTexts(charts.get('asylum-seekers:bar') ?? '')).toContain('≈123,000')
    expect(markdown).toContain('<span class="value">≈123,000<sup class="ref"> 4</sup></span>')
    expect(markdown).toContain('to about 123,000 in 2020, an eight-fold rise')
  })

  it('a slide that names a series the brief lacks is an error at its line, with the series that exist, never the id written', () => {
    const text = fixture('all-layouts.yaml').replace('    series: tariffs', '    series: tarifs')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, 'series: tarifs'),
        col: 13,
        path: 'slides.6.series',
        message: 'this names a series that does not exist (series: tariffs)',
      }),
    ])
    expect(shownFor(text)).not.toContain('tarifs')
  })
})

describe('series data is checked at its line', () => {
  const yaml = fixture('all-layouts.yaml')

  it('a point without a value', () => {
    const text = yaml.replace('{ x: "2022", value: 1.45, evidence: €1.45 in 2022 }', '{ x: "2022", evidence: €1.45 in 2022 }')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ line: lineOf(text, 'x: "2022"'), path: 'series.tariffs.points.1', message: expect.stringContaining('a point needs a value') }),
    ])
  })

  it('a value that is not a number', () => {
    const text = yaml.replace('value: 1.45,', 'value: "1.45",')
    expect(problemsOf(text)).toEqual([expect.objectContaining({ line: lineOf(text, 'value: "1.45"'), path: 'series.tariffs.points.1.value' })])
  })

  it('a year written as a number where the label is text', () => {
    const text = yaml.replace('{ x: "2020", value: 1.1,', '{ x: 2020, value: 1.1,')
    expect(problemsOf(text)).toEqual([expect.objectContaining({ line: lineOf(text, 'x: 2020'), path: 'series.tariffs.points.0.x' })])
  })

  it('a line break where the chart draws the text', () => {
    const text = yaml.replace('    title: Average water tariff', '    title: "Average\\nwater tariff"')
    expect(problemsOf(text)).toEqual([expect.objectContaining({ path: 'series.tariffs.title', message: 'must be one line: a chart cannot break it' })])
  })

  it('a point that names a figure that does not exist, with the figures that do, never the id written', () => {
    const text = yaml.replace('{ x: "2020", value: 1.1, evidence: €1.10 in 2020 }', '{ x: "2020", figure: tariff-2020 }')
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: lineOf(text, 'figure: tariff-2020'),
        col: 30,
        path: 'series.tariffs.points.0.figure',
        message: expect.stringMatching(/^this names a figure that does not exist(; did you mean [a-z-]+\?)? \(figures: households, price-low, price-high\)$/),
      }),
    ])
    expect(shownFor(text)).not.toContain('tariff-2020')
  })

  it('a value given in the series without its evidence', () => {
    const text = yaml.replace('{ x: "2020", value: 1.1, evidence: €1.10 in 2020 }', '{ x: "2020", value: 1.1 }')
    expect(problemsOf(text)).toEqual([expect.objectContaining({ path: 'series.tariffs.points.0', message: expect.stringContaining('needs `evidence`') })])
  })
})

describe('slide size', () => {
  it('a 4:3 deck draws its charts narrower, to fit its slides', async () => {
    const square = briefSchema.parse({ ...base, meta: { ...base.meta, size: '4:3' } })
    const svg = (await drawBriefCharts(square, theme, {})).get('tariffs:line') ?? ''
    expect(svg).toMatch(/^<svg[^>]* width="800"/)
    expect((await drawBriefCharts(base, theme, {})).get('tariffs:line')).toMatch(/^<svg[^>]* width="1120"/)
  })

  it('a size the theme does not define is an error naming the theme', async () => {
    const square = briefSchema.parse({ ...base, meta: { ...base.meta, size: '4:3' } })
    await expect(drawBriefCharts(square, { ...theme, sizes: { '16:9': { width: 1280, height: 720 } } }, {})).rejects.toThrow(
      'The brief asks for 4:3 slides, but the theme "brief" has no "@size 4:3" (it has: 16:9)',
    )
  })
})

describe('the view of a chart slide', () => {
  it('refuses to render a chart that was not drawn, rather than show an empty slide', () => {
    expect(() => buildView(base)).toThrow(/was not drawn/)
  })
})
