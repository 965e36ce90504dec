import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import type { Spec as VegaSpec } from 'vega'
import type { TopLevelSpec } from 'vega-lite'

import { type ChartKind, DEFAULT_CHART_KIND } from '../brief/fields.ts'
import { figureById } from '../brief/queries.ts'
import { type Brief, type Language, type Series } from '../brief/schema.ts'
import { cacheKey, keepInCache, packageVersion } from '../shared/packages.ts'
import { formatFigure, formatNumber, shownValue } from './format.ts'
import type { Theme } from './theme.ts'
import { themeColour } from './tokens.ts'

// Charts: a series of the brief → a Vega-Lite spec (pure) → static SVG, drawn by
// Vega in Node at build time. The SVG goes into the slide as it is, so the HTML,
// the PDF, the images and the PowerPoint show the same chart, offline. Colours,
// fonts and sizes come from the theme's custom properties; a colour the theme lacks is an error.

/** One point as the chart and its alt text show it. */
export interface ChartPoint {
  x: string
  value: number
  approx: boolean
  /** The value as a slide writes it: `≈110,000`, `€140 million`. */
  label: string
  /** How the value is written, for outputs that format it themselves (a PowerPoint chart's labels). */
  format: { prefix: string; suffix: string; decimals: number | undefined }
  refs: readonly number[]
}

/** The points of a series, with values taken from the figures they name. */
export function seriesPoints(brief: Brief, series: Series): ChartPoint[] {
  const language = brief.meta.language
  return series.points.map((p) => {
    if (p.figure !== undefined) {
      const f = figureById(brief, p.figure)
      const format = { prefix: f.prefix ?? '', suffix: f.suffix ?? '', decimals: f.decimals }
      // The value as the slide shows it (a figure's `scale` applied), so bars and labels agree.
      return { x: p.x, value: shownValue(f), approx: f.approx ?? false, label: formatFigure(f, language), format, refs: f.refs }
    }
    const value = p.value ?? 0
    const approx = p.approx ?? false
    const format = { prefix: series.prefix ?? '', suffix: series.suffix ?? '', decimals: series.decimals }
    return {
      x: p.x,
      value,
      approx,
      label: formatFigure({ value, approx, prefix: series.prefix, suffix: series.suffix, decimals: series.decimals }, language),
      format,
      refs: series.refs ?? [],
    }
  })
}

/** Room a chart may take on a slide, in CSS pixels. */
export interface ChartBox {
  width: number
  height: number
}

/** The slide's width less the theme's side padding; the height leaves room for title, caption and source. */
export function chartBox(slideWidth: number): ChartBox {
  return { width: slideWidth - 160, height: 380 }
}

/** A chart's value axis reaches this much above its highest value: room for that value's label above its bar or point. */
export const CHART_HEADROOM = 1.18

/** About this many steps between the value axis's lowest and highest line. */
const AXIS_STEPS = 5

/** A chart's value axis: from `min` to `max` in steps of `step`, each a line with its label. */
export interface ValueAxis {
  min: number
  max: number
  step: number
  /** The values the axis labels, `min` to `max`. */
  ticks: number[]
}

/**
 * The value axis of a chart of `values`, the same in every output: from zero (or the first
 * round step below the lowest negative value and its label's room) to the first round step
 * above the highest value and its label's room (zero when none is above zero), in about five
 * steps of 1, 2 or 5 times a power of ten.
 */
export function valueAxis(values: readonly number[]): ValueAxis {
  // Room for a label beyond the bar at either end: above a positive value, below a negative one.
  const top = Math.max(0, ...values) * CHART_HEADROOM
  const bottom = Math.min(0, ...values) * CHART_HEADROOM
  const span = top - bottom || 1
  const raw = span / AXIS_STEPS
  const power = 10 ** Math.floor(Math.log10(raw))
  const error = raw / power
  // The step nearest a fifth of the span, on a logarithmic scale: 1, 2, 5 or 10 times a power of ten.
  const step = Number((power * (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1)).toPrecision(12))
  const min = Math.floor(bottom / step) * step
  // An axis of values all zero or below ends at zero; one of zeros alone still has a step.
  const max = (top > 0 || bottom === 0 ? Math.max(Math.ceil(top / step), 1) : 0) * step
  const ticks: number[] = []
  for (let i = 0; min + i * step <= max + step / 1e9; i += 1) ticks.push(Number((min + i * step).toPrecision(12)))
  return { min: Number(min.toPrecision(12)), max: Number(max.toPrecision(12)), step, ticks }
}

/** The share of its point's width a bar takes: more when there are many. */
export const BAR_BAND = (count: number): number => (count > 8 ? 0.7 : 0.55)

/** How much wider Vega guesses text to be than the theme's font draws it. */
const VEGA_WIDTH_GUESS = 1.6

const px = (value: string | undefined, fallback: number) => {
  const n = Number.parseFloat(value ?? '')
  return Number.isFinite(n) ? n : fallback
}

/** The Vega-Lite spec of a chart: values labelled on the marks, approximate ones drawn lighter. */
export function chartSpec(series: Series, points: readonly ChartPoint[], kind: ChartKind, tokens: Theme['tokens'], box: ChartBox): TopLevelSpec {
  const colour = (name: string) => themeColour(tokens, name, 'a chart')
  const font = tokens['font-text'] ?? 'sans-serif'
  const small = px(tokens['size-small'], 20)
  const dense = points.length > 8
  const labelSize = dense ? px(tokens['size-note'], 18) : px(tokens['size-byline'], 24)
  const [ink, navy, muted, rule] = [colour('ink'), colour('navy'), colour('muted'), colour('rule')]
  const axis = valueAxis(points.map((p) => p.value))
  const values = points.map((p, i) => ({ key: i, x: p.x, value: p.value, label: p.label, approx: p.approx }))
  // A label may take its point's share of the width. Without a canvas, Vega guesses a text's width
  // at 0.8 em a character; the theme's font averages about half that, so the guess is allowed more.
  const band = box.width / points.length
  const x = {
    field: 'x',
    type: 'ordinal' as const,
    sort: null,
    title: series.x ?? null,
    axis: { labelAngle: 0, labelLimit: Math.max(60, band * VEGA_WIDTH_GUESS) },
  }
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    title: series.y ?? null,
    scale: { domain: [axis.min, axis.max], nice: false, zero: true },
    axis: { labelExpr: `${NUMBER_FUNCTION}(datum.value)`, values: axis.ticks },
  }
  const label = {
    mark: { type: 'text' as const, baseline: 'bottom' as const, dy: kind === 'bar' ? -8 : -16, fontSize: labelSize, fontWeight: 600 as const, color: ink },
    encoding: { text: { field: 'label', type: 'nominal' as const } },
  }
  const marks =
    kind === 'bar'
      ? [
          {
            mark: { type: 'bar' as const, color: navy, stroke: navy, strokeWidth: 2, width: { band: BAR_BAND(points.length) } },
            encoding: { fillOpacity: { condition: { test: 'datum.approx', value: 0.45 }, value: 1 } },
          },
        ]
      : [{ mark: { type: 'line' as const, color: navy, strokeWidth: 4, point: { filled: true, size: 160, color: navy } } }]
  return {
    width: box.width,
    height: box.height,
    autosize: { type: 'fit', contains: 'padding' },
    background: null as unknown as string,
    padding: { top: 4, right: 8, bottom: 4, left: 4 },
    data: { values },
    encoding: { x, y },
    layer: [...marks, label],
    config: {
      font,
      view: { stroke: null },
      axis: {
        labelFont: font,
        titleFont: font,
        labelFontSize: small,
        titleFontSize: small,
        titleFontWeight: 600,
        labelColor: muted,
        titleColor: muted,
        domainColor: muted,
        tickColor: rule,
        gridColor: rule,
        labelPadding: 8,
        titlePadding: 14,
      },
      axisX: { grid: false, ticks: false },
      axisY: { domain: false, ticks: false },
    },
  }
}

/**
 * The name under which the axes call our number formatter, so that a tick reads
 * exactly as the same number does anywhere else in the deck (14,500; 14.500).
 */
const NUMBER_FUNCTION = 'deckNumber'

/** Draws a chart to SVG. Vega is loaded on first use: decks without charts never load it. */
export async function drawChart(spec: TopLevelSpec, language: Language): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')])
  // Registered for each chart: the language is the chart's own.
  vega.expressionFunction(NUMBER_FUNCTION, (value: unknown) => (typeof value === 'number' ? formatNumber(value, language) : String(value)))
  const compiled: VegaSpec = vegaLite.compile(spec).spec
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}

/** The key of a drawn chart: a series drawn as one kind. */
export function chartKey(series: string, kind: ChartKind): string {
  return `${series}:${kind}`
}

export interface DrawOptions {
  /** Where drawn charts are kept, by a hash of their spec, language and Vega's versions; none: draw every time. */
  cacheDir?: string | undefined
}

/** Every chart the brief's slides ask for, drawn once each, by `chartKey`. */
export async function drawCharts(brief: Brief, tokens: Theme['tokens'], slideWidth: number, options: DrawOptions = {}): Promise<Map<string, string>> {
  const charts = new Map<string, string>()
  for (const slide of brief.slides) {
    if (slide.layout !== 'chart') continue
    const kind = slide.kind ?? DEFAULT_CHART_KIND
    const key = chartKey(slide.series, kind)
    const series = brief.series?.[slide.series]
    if (charts.has(key) || !series) continue
    const spec = chartSpec(series, seriesPoints(brief, series), kind, tokens, chartBox(slideWidth))
    charts.set(key, await cachedChart(spec, brief.meta.language, options.cacheDir))
  }
  return charts
}

async function cachedChart(spec: TopLevelSpec, language: Language, cacheDir: string | undefined): Promise<string> {
  if (cacheDir === undefined) return drawChart(spec, language)
  const file = join(cacheDir, `${cacheKey([spec, language, packageVersion('vega'), packageVersion('vega-lite')])}.svg`)
  const kept = await readFile(file, 'utf8').catch(() => undefined) // not kept yet (or unreadable): drawn anew
  if (kept !== undefined) return kept
  const svg = await drawChart(spec, language)
  await keepInCache(file, svg)
  return svg
}
