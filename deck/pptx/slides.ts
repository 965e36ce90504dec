// The PowerPoint's slides, one function per layout, drawn from the deck's view (the data
// the templates see) in the theme's colours, fonts and spacing. Positions follow the
// theme's CSS (templates/theme.css), in its pixels; every text box's type is fitted here.
import type P from 'pptxgenjs'

type Presentation = InstanceType<typeof P.default>
import type { ChartPoint } from '../render/chart.ts'
import type { DeckMeta, FigureView, SlideText, SlideView } from '../render/view.ts'
import { at, blend, type Box, type Design, fit, inches, type Para, points, type Run, runsOf, scaleParas, textProps } from './draw.ts'

type View<L extends SlideView['partial']> = Extract<SlideView, { partial: L }>

export interface Canvas {
  d: Design
  slide: P.default.Slide
  shapes: Presentation['ShapeType']
  charts: Presentation['ChartType']
  /** Tells the builder each chart's point label formats, in the order the charts are added. */
  chartLabels: (formats: string[]) => void
  /** Text that only fits set smaller than its layout allows: the build warns of it. */
  tooLong: (text: string, scale: number) => void
}

/** The frame every layout shares: the side margins, the title's box, where content starts and ends. */
export function frame(d: Design) {
  const s = d.space
  const left = s * 10
  const width = d.width - 2 * left
  return {
    left,
    width,
    /** The title sits on the rule below it; a long title gets two lines, set smaller. */
    title: { x: left, y: s * 5, w: width, h: s * 9 },
    rule: s * 16,
    top: s * 19,
    bottom: d.height - s * 11,
    footer: { x: left, y: d.height - s * 4 - d.size('caption') * 1.4, w: d.width - left - s * 20, h: d.size('caption') * 1.4 },
    number: { x: d.width - left - s * 12, y: d.height - s * 4 - d.size('caption') * 1.4, w: s * 12, h: d.size('caption') * 1.4 },
    footerRule: d.height - s * 8,
  }
}

/** Adds paragraphs in a box, scaled to fit it; returns the height they take. */
export function put(c: Canvas, paras: Para[], box: Box, options: { valign?: 'top' | 'bottom'; placeholder?: string; smallest?: number } = {}): number {
  if (paras.every((p) => p.runs.every((r) => r.text === ''))) return 0
  const { scale, height, fits } = fit(c.d, paras, box, options.smallest)
  if (!fits) c.tooLong(paras.map((p) => p.runs.map((r) => r.text).join('')).join(' '), scale)
  const shown = scaleParas(paras, scale)
  const position = options.placeholder ? {} : at(box)
  c.slide.addText(textProps(shown, c.d), {
    ...position,
    margin: 0,
    valign: options.valign ?? 'top',
    fit: 'none',
    ...(options.placeholder ? { placeholder: options.placeholder } : {}),
  })
  return height
}

export function rect(c: Canvas, box: Box, fill: string): void {
  c.slide.addShape(c.shapes.rect, { ...at(box), fill: { color: fill }, line: { type: 'none' } })
}

export function hline(c: Canvas, x: number, y: number, w: number, colour: string, weight: number): void {
  c.slide.addShape(c.shapes.line, { x: inches(x), y: inches(y), w: inches(w), h: 0, line: { color: colour, width: points(weight) } })
}

function vline(c: Canvas, x: number, y: number, h: number, colour: string, weight: number): void {
  c.slide.addShape(c.shapes.line, { x: inches(x), y: inches(y), w: 0, h: inches(h), line: { color: colour, width: points(weight) } })
}

const para = (runs: Run[], lineHeight: number, extra: Partial<Para> = {}): Para => ({ runs, lineHeight, ...extra })

/** Runs of a slide text in one of the theme's styles. */
function styled(c: Canvas, text: SlideText | undefined, size: number, colour: string, extra: Partial<Run> = {}): Run[] {
  return runsOf(text, { size, role: 'text', colour, ...extra }, c.d.colour('accent'))
}

/** A footnote marker set as a superscript in the accent colour, kept with the word before it (a no-break space). */
function marker(c: Canvas, numbers: readonly number[], size: number): Run[] {
  return numbers.length > 0 ? [{ text: `\u00A0${numbers.join(',')}`, size, role: 'text', bold: true, colour: c.d.colour('accent'), superscript: true }] : []
}

/** A kicker: small capitals spaced out, as the theme's `.kicker` (the text upper-cased by the deck's language). */
function kicker(c: Canvas, text: SlideText, size: number, colour: string): Run[] {
  return styled(c, text, size, colour, { bold: true, tracking: 0.08 }).map((r) => ({ ...r, text: r.text.toLocaleUpperCase(c.d.lang) }))
}

/**
 * A slide without a title of its own (a figure, a quote) has its title (its label and
 * value, or the quote) in the placeholder just above the slide: PowerPoint's outline, its
 * accessibility checker and screen readers have it, the slide shows what the HTML shows.
 */
function hiddenTitle(c: Canvas, view: SlideView): void {
  c.slide.addText(view.outline, { placeholder: 'title', lang: c.d.lang })
}

/**
 * One scale for rows of a list (the outline, the sources), so that they read as one list:
 * the largest, down to half, at which all of them fit `room`; their heights at that scale.
 */
function fitRows(c: Canvas, rows: readonly Para[][], width: number, room: number, gap: number): { scale: number; heights: number[] } {
  const at = (scale: number) => rows.map((r) => fit(c.d, scaleParas(r, scale), { w: width, h: 10_000 }).height + gap * scale)
  let scale = 1
  let heights = at(scale)
  while (heights.reduce((a, b) => a + b, 0) > room && scale > 0.5) {
    scale -= 0.05
    heights = at(scale)
  }
  if (heights.reduce((a, b) => a + b, 0) > room) c.tooLong(rows.map((r) => r.map((p) => p.runs.map((run) => run.text).join('')).join(' ')).join(' '), scale)
  return { scale, heights }
}

/** The slide's title, in the layout's title placeholder. */
function title(c: Canvas, text: SlideText | undefined): void {
  const d = c.d
  const f = frame(d)
  put(c, [para(runsOf(text, { size: d.size('h2'), role: 'head', bold: true, colour: d.colour('navy') }, d.colour('accent')), 1.15)], f.title, {
    placeholder: 'title',
    valign: 'bottom',
    smallest: 0.6,
  })
}

/** A slide's sources on one line at the foot of its content (`markers: source-line`); returns the room it takes. */
function sourceLine(c: Canvas, view: SlideView): number {
  if (!view.sourceLine) return 0
  const f = frame(c.d)
  const h = c.d.size('small') * 1.4
  put(c, [para(styled(c, view.sourceLine, c.d.size('small'), c.d.colour('muted')), 1.4)], { x: f.left, y: f.bottom - h, w: f.width, h })
  return h + c.d.space * 2
}

/** The title slide's parts and where they go: its layout's title placeholder is placed from this. */
export function titleSlideParts(view: { meta: DeckMeta }, d: Design) {
  const s = d.space
  const left = s * 15
  const w = Math.min(1000, d.width - left - s * 10)
  const kicker = [
    para(
      runsOf(
        view.meta.source.publisher,
        { size: d.size('small'), role: 'text', bold: true, colour: d.colour('accent'), tracking: 0.08 },
        d.colour('accent'),
      ).map((r) => ({ ...r, text: r.text.toLocaleUpperCase(d.lang) })),
      1.4,
    ),
  ]
  const heading = [para(runsOf(view.meta.title, { size: d.size('display'), role: 'head', bold: true, colour: d.colour('navy') }, d.colour('accent')), 1.15)]
  const subtitle = view.meta.subtitle
    ? [para(runsOf(view.meta.subtitle, { size: d.size('lead'), role: 'text', colour: d.colour('muted') }, d.colour('accent')), 1.3)]
    : []
  const byline: Para[] = [
    para(
      [
        ...runsOf(view.meta.author, { size: d.size('byline'), role: 'text', bold: true, colour: d.colour('ink') }, d.colour('accent')),
        ...(view.meta.role
          ? [
              { text: ', ', size: d.size('byline'), role: 'text' as const, colour: d.colour('ink') },
              ...runsOf(view.meta.role, { size: d.size('byline'), role: 'text', colour: d.colour('ink') }, d.colour('accent')),
            ]
          : []),
      ],
      1.45,
    ),
    para(runsOf(view.meta.affiliation, { size: d.size('byline'), role: 'text', colour: d.colour('ink') }, d.colour('accent')), 1.45),
    para(runsOf(view.meta.date, { size: d.size('byline'), role: 'text', colour: d.colour('ink') }, d.colour('accent')), 1.45),
  ]
  const room = d.height - s * 16
  const hk = fit(d, kicker, { w, h: room }).height
  const ht = Math.min(fit(d, heading, { w, h: d.size('display') * 1.15 * 3 }).height, d.size('display') * 1.15 * 3)
  const hs = subtitle.length > 0 ? fit(d, subtitle, { w: w - 20, h: d.size('lead') * 1.3 * 3 }).height : 0
  const hb = fit(d, byline, { w, h: room }).height
  const total = hk + s * 2 + ht + s * 2 + hs + s * 5 + s * 3 + hb
  const top = Math.max(s * 4, (d.height - total) / 2)
  const y = { kicker: top, title: top + hk + s * 2 }
  const ys = y.title + ht + s * 2
  const rule = ys + hs + s * 5
  return {
    left,
    w,
    kicker,
    heading,
    subtitle,
    byline,
    box: {
      kicker: { x: left, y: y.kicker, w, h: hk },
      title: { x: left, y: y.title, w, h: ht },
      subtitle: { x: left, y: ys, w: w - 20, h: hs },
      byline: { x: left, y: rule + s * 3, w, h: hb },
    },
    rule,
  }
}

export type TitleSlideParts = ReturnType<typeof titleSlideParts>

export function drawTitle(c: Canvas, parts: TitleSlideParts): void {
  put(c, parts.kicker, parts.box.kicker)
  put(c, parts.heading, parts.box.title, { placeholder: 'title' })
  put(c, parts.subtitle, parts.box.subtitle)
  hline(c, parts.left, parts.rule, parts.w, c.d.colour('rule'), 2)
  put(c, parts.byline, parts.box.byline)
}

export function drawAgenda(c: Canvas, view: View<'agenda'>): void {
  const d = c.d
  const f = frame(d)
  title(c, view.title)
  const s = d.space
  const numberW = d.size('lead') * 1.4
  const textX = f.left + numberW + s * 3
  const rows = view.sections.map((t) => [para(styled(c, t, d.size('lead'), d.colour('ink')), 1.4)])
  const pad = s * 2
  const { scale, heights } = fitRows(c, rows, f.left + f.width - textX, f.bottom - f.top, 2 * pad)
  let y = f.top
  for (const [i, row] of rows.entries()) {
    const h = heights[i] as number
    const number = [para([{ text: String(i + 1).padStart(2, '0'), size: d.size('lead') * scale, role: 'head', bold: true, colour: d.colour('accent') }], 1.4)]
    put(c, number, { x: f.left, y: y + pad * scale, w: numberW, h: h - 2 * pad * scale })
    put(c, scaleParas(row, scale), { x: textX, y: y + pad * scale, w: f.left + f.width - textX, h: h - 2 * pad * scale })
    hline(c, f.left, y + h, f.width, d.colour('rule'), 1)
    y += h
  }
}

export function sectionParts(d: Design) {
  const s = d.space
  const f = frame(d)
  const middle = (s * 8 + f.bottom) / 2
  return {
    number: { x: f.left, y: middle - s * 18, w: f.width, h: d.size('h3') * 1.2 },
    title: { x: f.left, y: middle - s * 11, w: Math.min(1000, f.width), h: d.size('h1') * 1.15 * 2 },
  }
}

export function drawSection(c: Canvas, view: View<'section'>): void {
  const d = c.d
  const s = d.space
  const parts = sectionParts(d)
  put(c, [para([{ text: String(view.number), size: d.size('h3'), role: 'head', bold: true, colour: d.colour('divider-accent') }], 1.2)], parts.number)
  const heading = [
    para(runsOf(view.title, { size: d.size('h1'), role: 'head', bold: true, colour: d.colour('divider-ink') }, d.colour('divider-accent')), 1.15),
  ]
  const h = put(c, heading, parts.title, { placeholder: 'title', smallest: 0.6 })
  if (view.subtitle) {
    const y = parts.title.y + h + s * 3
    put(c, [para(runsOf(view.subtitle, { size: d.size('lead'), role: 'text', colour: d.colour('divider-soft') }, d.colour('divider-accent')), 1.4)], {
      x: parts.title.x,
      y,
      w: parts.title.w,
      h: frame(d).bottom - y,
    })
  }
}

/** Bulleted points (and a lead paragraph) in the layout's body placeholder. */
export function bodyParas(c: Canvas, lead: SlideText | undefined, items: readonly SlideText[]): Para[] {
  const d = c.d
  const s = d.space
  return [
    ...(lead ? [para(styled(c, lead, d.size('lead'), d.colour('muted')), 1.4, { after: s * 2 })] : []),
    ...items.map((p) => para(styled(c, p, d.size('text'), d.colour('ink')), 1.4, { after: s * 1.5, bullet: true })),
  ]
}

export function drawPoints(c: Canvas, view: View<'points'>): void {
  const f = frame(c.d)
  title(c, view.title)
  const foot = sourceLine(c, view)
  put(c, bodyParas(c, view.lead, view.points), { x: f.left, y: f.top, w: f.width, h: f.bottom - f.top - foot }, { placeholder: 'body' })
}

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
  if (view.title)
    put(c, [para(runsOf(view.title, { size: d.size('lead'), role: 'head', bold: true, colour: d.colour('muted') }, d.colour('accent')), 1.15)], f.title, {
      placeholder: 'title',
      valign: 'bottom',
      smallest: 0.6,
    })
  else hiddenTitle(c, view)
  const foot = sourceLine(c, view)
  const x = parts.value.x
  const w = Math.min(parts.value.w, 960)
  const value = [para(valueRuns(c, view.figure, d.size('number')), 1.05)]
  const label = [para(styled(c, view.figure.label, d.size('h3'), d.colour('navy'), { bold: true }), 1.2, { after: s })]
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
  // The number, its label and context, and the source, as one block in the middle of the slide (as the theme centres it).
  const top = view.title ? f.top : s * 8
  const room = f.bottom - foot - top
  const hv = fit(d, value, { w: parts.value.w, h: parts.value.h }, 0.5).height
  const hs = fit(d, source, { w: f.width, h: room }).height
  const ht = fit(d, [...label, ...context], { w, h: room - hv - hs - s * 6 }).height
  const total = hv + s * 3 + ht + s * 3 + hs
  let y = top + Math.max(0, (room - total) / 2)
  put(c, value, { ...parts.value, y }, { smallest: 0.5 })
  vline(c, f.left + s / 2, y, hv + s * 3 + ht, d.colour('accent'), s)
  y += hv + s * 3
  put(c, [...label, ...context], { x, y, w, h: ht })
  y += ht + s * 3
  put(c, source, { x: f.left, y, w: f.width, h: hs })
}

export function drawComparison(c: Canvas, view: View<'comparison'>): void {
  const d = c.d
  const s = d.space
  const f = frame(d)
  title(c, view.title)
  const foot = sourceLine(c, view)
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

/** A round step near `raw`: 1, 2, 2.5 or 5 times a power of ten. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10
  return Number((step * power).toPrecision(6))
}

export function drawChart(c: Canvas, view: View<'chart'>): void {
  const d = c.d
  const s = d.space
  const f = frame(d)
  title(c, view.title)
  const foot = sourceLine(c, view)
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
  const font = { fontFace: d.font.text, color: d.colour('muted') }
  const step = niceStep((Math.max(0, ...pts.map((p) => p.value)) * 1.18) / 5)
  const common: P.default.IChartOpts = {
    ...at({ x: f.left, y: f.top, w: f.width, h: chartH }),
    altText: view.alt,
    showValue: true,
    dataLabelFontFace: d.font.text,
    dataLabelFontSize: points(pts.length > 8 ? d.size('note') : d.size('byline')),
    dataLabelColor: d.colour('ink'),
    dataLabelFontBold: true,
    dataLabelFormatCode: pts[0] ? formatCode(pts[0]) : '#,##0',
    catAxisLabelFontFace: font.fontFace,
    catAxisLabelColor: font.color,
    catAxisLabelFontSize: points(d.size('small')),
    valAxisLabelFontFace: font.fontFace,
    valAxisLabelColor: font.color,
    valAxisLabelFontSize: points(d.size('caption')),
    // About five gridlines, as the HTML's chart has, at round steps.
    valAxisMajorUnit: step,
    valAxisLabelFormatCode: Number.isInteger(step) ? '#,##0' : `#,##0.${'0'.repeat(String(step).split('.')[1]?.length ?? 1)}`,
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
          catAxisTitleFontSize: points(d.size('caption')),
        }
      : {}),
    ...(view.data.y
      ? {
          showValAxisTitle: true,
          valAxisTitle: view.data.y,
          valAxisTitleColor: font.color,
          valAxisTitleFontFace: font.fontFace,
          valAxisTitleFontSize: points(d.size('caption')),
        }
      : {}),
  }
  const data = [{ name: view.data.title, labels: pts.map((p) => p.x), values: pts.map((p) => p.value) }]
  if (view.kind === 'bar')
    c.slide.addChart(c.charts.bar, data, {
      ...common,
      barDir: 'col',
      barGapWidthPct: 60,
      chartColors: colours.length > 1 ? colours : [navy],
      dataLabelPosition: 'outEnd',
    })
  else
    c.slide.addChart(c.charts.line, data, {
      ...common,
      chartColors: [navy],
      lineSize: 3,
      lineDataSymbol: 'circle',
      lineDataSymbolSize: 9,
      dataLabelPosition: 't',
    })
  c.chartLabels(pts.map(formatCode))
  put(c, below, { x: f.left, y: f.top + chartH + s * 2, w: f.width, h: hb })
}

export function drawTimeline(c: Canvas, view: View<'timeline'>): void {
  const d = c.d
  const s = d.space
  const f = frame(d)
  title(c, view.title)
  const foot = sourceLine(c, view)
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

export function drawQuote(c: Canvas, view: View<'quote'>): void {
  const d = c.d
  const s = d.space
  const f = frame(d)
  if (view.title) title(c, view.title)
  else hiddenTitle(c, view)
  const foot = sourceLine(c, view)
  const quoteRuns = runsOf(view.quote, { size: d.size('display'), role: 'head', colour: d.colour('navy') }, d.colour('accent'))
  const mark = (text: string): Run => ({ text, size: d.size('display'), role: 'head', colour: d.colour('navy') })
  const quote = [para([mark(view.open), ...quoteRuns, mark(view.close), ...marker(c, view.marker.numbers, d.size('display'))], 1.25)]
  const attribution = [
    para(
      [{ text: '— ', size: d.size('text'), role: 'text', colour: d.colour('muted') }, ...styled(c, view.attribution, d.size('text'), d.colour('muted'))],
      1.4,
    ),
  ]
  const y = (view.title ? f.top : s * 8) + s * 4
  const room = f.bottom - foot - y
  const ha = fit(d, attribution, { w: f.width - s * 6, h: room }).height
  const hq = put(c, quote, { x: f.left + s * 5 + s, y, w: f.width - s * 6, h: room - ha - s * 3 }, { smallest: 0.5 })
  vline(c, f.left + s / 2, y, hq, d.colour('accent'), s)
  put(c, attribution, { x: f.left + s * 6, y: y + hq + s * 3, w: f.width - s * 6, h: ha })
}

export function drawSources(c: Canvas, view: View<'sources'>): void {
  const d = c.d
  const s = d.space
  const f = frame(d)
  title(c, view.title)
  const size = d.size('small')
  const numberW = size * 1.6
  const x = f.left + numberW + s * 2
  const w = f.left + f.width - x
  const entries = view.references.map((r) => {
    const ink = (text: SlideText | undefined) => styled(c, text, size, d.colour('ink'))
    const plain = (text: string): Run => ({ text, size, role: 'text', colour: d.colour('ink') })
    const entry: Run[] = [
      ...(r.authors ? [...ink(r.authors), plain(', ')] : []),
      plain('“'),
      ...ink(r.title),
      plain('”, '),
      ...ink(r.publisher),
      ...(r.date ? [plain(', '), ...ink(r.date)] : []),
      ...(r.period ? [plain('.')] : []),
    ]
    const link: Run[] = r.url
      ? [{ text: r.url.plain, size: d.size('note'), role: 'text', colour: d.colour('muted'), link: r.url.plain }]
      : [{ text: r.noLink.plain, size: d.size('note'), role: 'text', colour: d.colour('muted'), italic: true }]
    return [para(entry, 1.35), para(link, 1.35)]
  })
  const gap = s * 1.5
  const { scale, heights } = fitRows(c, entries, w, f.bottom - f.top, gap)
  let y = f.top
  for (const [i, e] of entries.entries()) {
    const h = (heights[i] as number) - gap * scale
    const r = view.references[i]
    put(c, [para([{ text: String(r?.n ?? ''), size: size * scale, role: 'text', bold: true, colour: d.colour('accent') }], 1.35, { align: 'right' })], {
      x: f.left,
      y,
      w: numberW,
      h: size * 1.35 * scale,
    })
    put(c, scaleParas(e, scale), { x, y, w, h })
    y += h + gap * scale
  }
}

export function drawClosing(c: Canvas, view: View<'closing'>, meta: DeckMeta): void {
  const d = c.d
  const s = d.space
  const f = frame(d)
  title(c, view.title)
  const size = d.size('byline')
  const ink = (text: SlideText, extra: Partial<Run> = {}) => styled(c, text, size, d.colour('ink'), extra)
  const sep: Run = { text: ' · ', size, role: 'text', colour: d.colour('ink') }
  const read = [
    para(kicker(c, view.readBrief, d.size('small'), d.colour('accent')), 1.45),
    para(ink(meta.source.title, { bold: true, colour: d.colour('navy') }), 1.45),
    para([...ink(meta.author), sep, ...ink(meta.source.publisher), sep, ...ink(meta.date)], 1.45),
    para([{ text: meta.source.host.plain, size, role: 'text', colour: d.colour('navy'), link: meta.source.url.plain }], 1.45),
  ]
  const inner = f.width - s * 8 - s
  const hr = fit(d, read, { w: inner, h: 10_000 }).height
  const boxH = hr + s * 6
  const boxY = f.bottom - sourceLine(c, view) - boxH
  rect(c, { x: f.left, y: boxY, w: f.width, h: boxH }, d.colour('tint'))
  rect(c, { x: f.left, y: boxY, w: s, h: boxH }, d.colour('navy'))
  put(c, read, { x: f.left + s * 5, y: boxY + s * 3, w: inner, h: hr })
  put(c, bodyParas(c, undefined, view.points), { x: f.left, y: f.top, w: f.width, h: boxY - s * 3 - f.top }, { placeholder: 'body' })
}
