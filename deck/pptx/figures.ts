// The PowerPoint's slides of numbers, one function per layout (figure, comparison, chart,
// timeline): big values as text runs, charts as PowerPoint's own charts.
import type P from 'pptxgenjs'

import { BAR_BAND, chartBox, type ChartPoint, valueAxis } from '../render/chart.ts'
import type { FigureView } from '../render/view.ts'
import { type Canvas, centredTop, frame, hiddenTitle, hline, kicker, marker, para, put, rect, sourceLine, styled, titled, type View, vline } from './canvas.ts'
import { at, blend, type Box, type Design, fit, inches, points, type Run, runsOf, scaleParas } from './draw.ts'

/** A figure's number: its value in the display serif, the unit smaller, the marker a small superscript. */
function valueRuns(c: Canvas, figure: FigureView, size: number): Run[] {
  const d = c.d
  const accent = d.colour('accent')
  const main = { size, role: 'head' as const, bold: true, colour: accent }
  return [
    { ...main, text: figure.main.runs.map((r) => r.text).join('') },
    ...(figure.unit ? [{ ...main, size: size * 0.45, text: figure.unit.plain.replace(/ /g, '\u00A0') }] : []),
    ...marker(c, figure.marker.numbers, Math.max(d.size('byline'), size * 0.3)),
  ]
}

/** Where a big figure's number goes: its box, and the room its marker needs beside it. */
export function figureParts(d: Design) {
  const f = frame(d)
  const top = f.top + d.space * 2
  return { value: { x: f.left + d.space * 6, y: top, w: f.width - d.space * 6, h: d.size('number') * 1.05 } }
}

export function drawFigure(c: Canvas, view: View<'figure'>): void {
  const d = c.d
  const s = d.space
  const f = frame(d)
  const parts = figureParts(d)
  const heading = view.title
    ? [para(runsOf(view.title, { size: d.size('lead'), role: 'head', bold: true, colour: d.colour('muted') }, d.colour('accent')), 1.15)]
    : []
  const foot = sourceLine(c, view)
  const x = parts.value.x
  const value = [para(valueRuns(c, view.figure, d.size('number')), 1.05)]
  const label = [para(styled(c, view.figure.label, d.size('h3'), d.colour('navy'), { bold: true }), 1.2)]
  const context = view.figure.context ? [para(styled(c, view.figure.context, d.size('text'), d.colour('ink')), 1.4)] : []
  const source = [
    para(
      [
        ...(view.figure.when
          ? [
              ...styled(c, view.figure.when, d.size('small'), d.colour('muted')),
              { text: ' · ', size: d.size('small'), role: 'text' as const, colour: d.colour('muted') },
            ]
          : []),
        ...styled(c, view.figure.source, d.size('small'), d.colour('muted')),
      ],
      1.4,
    ),
  ]
  // The title (a kicker above the number), the number, its label and context, and the source,
  // as one block in the middle of the slide, as the theme centres it. The label takes the
  // whole width, the context at most 960 px.
  const room = f.bottom - foot - s * 8
  const hk = heading.length > 0 ? fit(d, heading, { w: f.width, h: f.title.h }, 0.6).height : 0
  const hv = fit(d, value, { w: parts.value.w, h: parts.value.h }, 0.5).height
  const hs = fit(d, source, { w: f.width, h: room }).height
  const rest = room - hk - hv - hs - s * 9
  const hl = fit(d, label, { w: parts.value.w, h: rest }).height
  const contextW = Math.min(parts.value.w, 960)
  const hc = context.length > 0 ? fit(d, context, { w: contextW, h: rest - hl }).height : 0
  const ht = hl + hc
  const total = (hk > 0 ? hk + s * 3 : 0) + hv + s * 3 + ht + s * 3 + hs
  let y = centredTop(d, total, f.bottom - foot)
  if (heading.length > 0) {
    // The title's placeholder sets its text on its foot: it moves with the block.
    put(c, heading, { ...f.title, y: y + hk - f.title.h }, { placeholder: 'title', valign: 'bottom', smallest: 0.6, moved: true })
    y += hk + s * 3
  } else hiddenTitle(c, view)
  put(c, value, { ...parts.value, y }, { smallest: 0.5 })
  vline(c, f.left + s / 2, y, hv + s * 3 + ht, d.colour('accent'), s)
  y += hv + s * 3
  put(c, label, { x, y, w: parts.value.w, h: hl })
  if (hc > 0) put(c, context, { x, y: y + hl, w: contextW, h: hc })
  y += ht + s * 3
  put(c, source, { x: f.left, y, w: f.width, h: hs })
}

export function drawComparison(c: Canvas, view: View<'comparison'>): void {
  const { d, s, f, foot } = titled(c, view)
  const gap = s * 6
  const cellW = (f.width - gap) / 2
  const inner = cellW - s * 8
  const cells = view.figures.map((figure) => {
    const when = figure.when ? [para(kicker(c, figure.when, d.size('small'), d.colour('muted')), 1.4, { after: s })] : []
    const value = [para(valueRuns(c, figure, d.size('number-pair')), 1.1, { after: s })]
    const label = [para(styled(c, figure.label, d.size('byline'), d.colour('navy')), 1.25)]
    return { when, value, label }
  })
  // The numbers fit their cells on one line; both are set at the smaller of their two sizes.
  const valueScale = Math.min(...cells.map((cell) => fit(d, cell.value, { w: inner, h: d.size('number-pair') * 1.1 }).scale))
  const heights = cells.map((cell) => fit(d, [...cell.when, ...scaleParas(cell.value, valueScale), ...cell.label], { w: inner, h: 10_000 }).height)
  const caption = view.caption ? [para(styled(c, view.caption, d.size('lead'), d.colour('navy'), { bold: true }), 1.4)] : []
  const source = [para(styled(c, view.source, d.size('small'), d.colour('muted')), 1.4)]
  const below = fit(d, [...caption.map((p) => ({ ...p, after: s * 2 })), ...source], { w: f.width, h: 10_000 }).height
  const top = f.top + s * 2
  const cellH = Math.min(Math.max(...heights) + s * 6, f.bottom - foot - top - below - s * 3)
  for (const [i, cell] of cells.entries()) {
    const x = f.left + i * (cellW + gap)
    rect(c, { x, y: top, w: cellW, h: cellH }, d.colour('tint'))
    rect(c, { x, y: top, w: cellW, h: s }, d.colour('accent'))
    put(c, [...cell.when, ...scaleParas(cell.value, valueScale), ...cell.label], { x: x + s * 4, y: top + s * 3 + s, w: inner, h: cellH - s * 6 })
  }
  put(c, [...caption.map((p) => ({ ...p, after: s * 2 })), ...source], {
    x: f.left,
    y: top + cellH + s * 3,
    w: f.width,
    h: f.bottom - foot - (top + cellH + s * 3),
  })
}

/** A number format that writes a chart's value as the slide does: `"≈€"#,##0" million"`. */
export function formatCode(point: ChartPoint): string {
  const literal = (s: string) => (s === '' ? '' : `"${s.replace(/"/g, '')}"`)
  const decimals = point.format.decimals ?? String(point.value).split('.')[1]?.length ?? 0
  return `${literal(`${point.approx ? '≈' : ''}${point.format.prefix}`)}#,##0${decimals > 0 ? `.${'0'.repeat(decimals)}` : ''}${literal(point.format.suffix)}`
}

export function drawChart(c: Canvas, view: View<'chart'>): void {
  const { d, s, f, foot } = titled(c, view)
  const caption = view.caption ? [para(styled(c, view.caption, d.size('lead'), d.colour('navy'), { bold: true }), 1.4, { after: s })] : []
  const sourceRuns = styled(c, view.source, d.size('small'), d.colour('muted'))
  const markerRun = marker(c, view.marker.numbers, d.size('small'))
  const note: Run[] = view.approxNote
    ? [{ text: ' · ', size: d.size('small'), role: 'text', colour: d.colour('muted') }, ...styled(c, view.approxNote, d.size('small'), d.colour('muted'))]
    : []
  const below = [...caption, para([...sourceRuns, ...markerRun, ...note], 1.4)]
  const hb = fit(d, below, { w: f.width, h: 10_000 }).height
  const chartH = f.bottom - foot - f.top - hb - s * 2
  const navy = d.colour('navy')
  const pts = view.data.points
  const colours = pts.map((p) => (p.approx ? blend(navy, d.colour('paper'), 0.45) : navy))
  // The chart as the HTML's: its SVG is drawn at `chartBox` and scaled down, centred, to the room there is.
  const drawn = chartBox(d.width)
  const scale = Math.min(1, f.width / drawn.width, chartH / drawn.height)
  const [w, h] = [drawn.width * scale, drawn.height * scale]
  const common = chartOptions(d, view, { x: f.left + (f.width - w) / 2, y: f.top + (chartH - h) / 2, w, h }, scale)
  const data = [{ name: view.data.title, labels: pts.map((p) => p.x), values: pts.map((p) => p.value) }]
  if (view.kind === 'bar')
    c.slide.addChart(c.charts.bar, data, {
      ...common,
      barDir: 'col',
      // The gap between bars as the HTML's: a bar takes 55 % of its band, 70 % when there are many.
      barGapWidthPct: Math.round(((1 - BAR_BAND(pts.length)) / BAR_BAND(pts.length)) * 100),
      chartColors: colours.length > 1 ? colours : [navy],
      // Every bar outlined in navy, an approximate one's lighter fill too (package.ts gives each point the outline).
      dataBorder: { pt: points(2 * scale), color: navy },
      dataLabelPosition: 'outEnd',
    })
  else
    c.slide.addChart(c.charts.line, data, {
      ...common,
      chartColors: [navy],
      lineSize: points(4 * scale),
      lineDataSymbol: 'circle',
      // PowerPoint takes a marker of 2 to 72 points.
      lineDataSymbolSize: Math.max(2, Math.round(points(Math.sqrt(160) * scale))),
      dataLabelPosition: 't',
    })
  c.chartLabels(pts.map(formatCode), view.data.x)
  put(c, below, { x: f.left, y: f.top + chartH + s * 2, w: f.width, h: hb })
}

/**
 * What a bar and a line chart share, as the HTML's chart has them (render/chart.ts): the
 * same value axis, labels and axes in the theme's fonts and colours, at the sizes the
 * slide shows them (`scale`: the HTML's chart is drawn larger and scaled to its room).
 */
function chartOptions(d: Design, view: View<'chart'>, box: Box, scale: number): P.default.IChartOpts {
  const pts = view.data.points
  const font = { fontFace: d.font.text, color: d.colour('muted') }
  const axis = valueAxis(pts.map((p) => p.value))
  const small = points(d.size('small') * scale)
  return {
    ...at(box),
    altText: view.alt,
    showValue: true,
    dataLabelFontFace: d.font.text,
    dataLabelFontSize: points((pts.length > 8 ? d.size('note') : d.size('byline')) * scale),
    dataLabelColor: d.colour('ink'),
    dataLabelFontBold: true,
    dataLabelFormatCode: pts[0] ? formatCode(pts[0]) : '#,##0',
    catAxisLabelFontFace: font.fontFace,
    catAxisLabelColor: font.color,
    catAxisLabelFontSize: small,
    valAxisLabelFontFace: font.fontFace,
    valAxisLabelColor: font.color,
    valAxisLabelFontSize: small,
    valAxisMinVal: axis.min,
    valAxisMaxVal: axis.max,
    valAxisMajorUnit: axis.step,
    valAxisLabelFormatCode: Number.isInteger(axis.step) ? '#,##0' : `#,##0.${'0'.repeat(String(axis.step).split('.')[1]?.length ?? 1)}`,
    valGridLine: { color: d.colour('rule'), size: 1 },
    catGridLine: { style: 'none' },
    catAxisLineColor: d.colour('muted'),
    valAxisLineShow: false,
    showLegend: false,
    lang: d.lang,
    ...(view.data.x
      ? {
          showCatAxisTitle: true,
          catAxisTitle: view.data.x,
          catAxisTitleColor: font.color,
          catAxisTitleFontFace: font.fontFace,
          catAxisTitleFontSize: small,
        }
      : {}),
    ...(view.data.y
      ? {
          showValAxisTitle: true,
          valAxisTitle: view.data.y,
          valAxisTitleColor: font.color,
          valAxisTitleFontFace: font.fontFace,
          valAxisTitleFontSize: small,
        }
      : {}),
  }
}

export function drawTimeline(c: Canvas, view: View<'timeline'>): void {
  const { d, s, f, foot } = titled(c, view)
  const top = f.top + s
  const bottom = f.bottom - foot
  const middle = (top + bottom) / 2
  const n = view.events.length
  const col = f.width / (n + 1)
  const textW = 2 * col - s * 3 - s * 1.5
  const size = view.dense ? d.size('note') : d.size('small')
  const room = middle - s * 2 - top - s
  const paras = view.events.map((e) => [
    para(styled(c, e.when, size, d.colour('accent'), { bold: true }), 1.3),
    para([...styled(c, e.label, size, d.colour('ink')), ...marker(c, e.marker.numbers, size)], 1.3),
    ...(e.place ? [para(styled(c, e.place, Math.max(d.size('caption'), size * 0.85), d.colour('muted')), 1.3)] : []),
  ])
  // One size for every event, the largest at which each fits its room.
  const fitted = paras.map((p) => fit(d, p, { w: textW, h: room }, 0.8))
  const scale = Math.min(...fitted.map((f) => f.scale))
  for (const [i, f] of fitted.entries()) if (!f.fits) c.tooLong(paras[i]?.map((p) => p.runs.map((r) => r.text).join('')).join(' ') ?? '', f.scale)
  hline(c, f.left, middle, f.width, d.colour('navy'), 3)
  for (const [i, p] of paras.entries()) {
    const x = f.left + i * col
    const shown = scaleParas(p, scale)
    const h = fit(d, shown, { w: textW, h: room }).height
    const above = i % 2 === 0
    const y = above ? middle - s * 2 - s - h : middle + s * 2 + s
    vline(c, x, above ? y - s : middle + s * 2, h + s, d.colour('rule'), 2)
    put(c, shown, { x: x + s * 1.5, y, w: textW, h })
    c.slide.addShape(c.shapes.ellipse, {
      x: inches(x - s),
      y: inches(middle - s),
      w: inches(2 * s),
      h: inches(2 * s),
      fill: { color: d.colour('accent') },
      line: { color: d.colour('paper'), width: points(3) },
    })
  }
}
