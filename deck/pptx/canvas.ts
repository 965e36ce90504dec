// What every PowerPoint layout draws with: the slide (a Canvas), the frame the layouts
// share, text boxes whose type is fitted to them, rules, the title and the source line.
// Positions follow the theme's CSS (templates/theme.css), in its pixels.
import type P from 'pptxgenjs'

export type Presentation = InstanceType<typeof P.default>

import type { SlideText, SlideView } from '../render/view.ts'
import { at, balanced, type Box, type Design, fit, inches, type Para, points, type Run, runsOf, scaleParas, textProps } from './draw.ts'

export type View<L extends SlideView['partial']> = Extract<SlideView, { partial: L }>

export interface Canvas {
  d: Design
  slide: P.default.Slide
  shapes: Presentation['ShapeType']
  charts: Presentation['ChartType']
  /** Tells the builder each chart's point label formats and the name of its categories (its x label), in the order the charts are added. */
  chartLabels: (formats: string[], category: string | undefined) => void
  /** Text that only fits set smaller than its layout allows: the build warns of it. */
  tooLong: (text: string, scale: number) => void
  /** A placeholder this slide puts elsewhere than its layout does (pptxgenjs cannot: package.ts moves it). */
  moved: (placeholder: string, box: Box) => void
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
    footer: { x: left, y: d.height - s * 4 - d.size('caption') * 1.4, w: d.width - left - s * 20 - d.logoRoom, h: d.size('caption') * 1.4 },
    number: { x: d.width - left - s * 12, y: d.height - s * 4 - d.size('caption') * 1.4, w: s * 12, h: d.size('caption') * 1.4 },
    footerRule: d.height - s * 8,
  }
}

/**
 * Where a block `height` px tall starts when centred, as the theme centres a title, section or
 * figure slide's content (justify-content: center) between the slide's top padding and `bottom`.
 */
export function centredTop(d: Design, height: number, bottom = frame(d).bottom): number {
  const top = d.space * 8
  return top + Math.max(0, (bottom - top - height) / 2)
}

/** Adds paragraphs in a box, scaled to fit it; returns the height they take. */
export function put(
  c: Canvas,
  paras: Para[],
  box: Box,
  options: {
    valign?: 'top' | 'bottom'
    placeholder?: string
    smallest?: number
    /** A placeholder put at `box`, not where its layout has it. */
    moved?: boolean
  } = {},
): number {
  if (paras.every((p) => p.runs.every((r) => r.text === ''))) return 0
  const { scale, height, fits } = fit(c.d, paras, box, options.smallest)
  if (!fits) c.tooLong(paras.map((p) => p.runs.map((r) => r.text).join('')).join(' '), scale)
  const shown = scaleParas(paras, scale)
  // A title's lines of even length, as the theme's headings wrap (text-wrap: balance).
  const w = options.placeholder === 'title' ? balanced(c.d, shown, box.w) : box.w
  const position = options.placeholder ? {} : at(box)
  if (options.placeholder && (options.moved || w < box.w)) c.moved(options.placeholder, { ...box, w })
  c.slide.addText(textProps(shown, c.d), {
    ...position,
    margin: 0,
    valign: options.valign ?? 'top',
    fit: 'shrink',
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

export function vline(c: Canvas, x: number, y: number, h: number, colour: string, weight: number): void {
  c.slide.addShape(c.shapes.line, { x: inches(x), y: inches(y), w: 0, h: inches(h), line: { color: colour, width: points(weight) } })
}

export const para = (runs: Run[], lineHeight: number, extra: Partial<Para> = {}): Para => ({ runs, lineHeight, ...extra })

/** Runs of a slide text in one of the theme's styles. */
export function styled(c: Canvas, text: SlideText | undefined, size: number, colour: string, extra: Partial<Run> = {}): Run[] {
  return runsOf(text, { size, role: 'text', colour, ...extra }, c.d.colour('accent'))
}

/** A footnote marker set as a superscript in the accent colour, kept with the word before it (a no-break space). */
export function marker(c: Canvas, numbers: readonly number[], size: number): Run[] {
  return numbers.length > 0 ? [{ text: `\u00A0${numbers.join(',')}`, size, role: 'text', bold: true, colour: c.d.colour('accent'), superscript: true }] : []
}

/** A kicker: small capitals spaced out, as the theme's `.kicker` (the text upper-cased by the deck's language). */
export function kicker(c: Canvas, text: SlideText, size: number, colour: string): Run[] {
  return styled(c, text, size, colour, { bold: true, tracking: 0.08 }).map((r) => ({ ...r, text: r.text.toLocaleUpperCase(c.d.lang) }))
}

/**
 * A slide without a title of its own (a figure, a quote) has its title (its label and
 * value, or the quote) in the placeholder just above the slide: PowerPoint's outline, its
 * accessibility checker and screen readers have it, the slide shows what the HTML shows.
 */
export function hiddenTitle(c: Canvas, view: SlideView): void {
  c.slide.addText(view.outline, { placeholder: 'title', lang: c.d.lang })
}

/**
 * One scale for rows of a list (the outline, the sources), so that they read as one list:
 * the largest, down to half, at which all of them fit `room`; their heights at that scale.
 */
export function fitRows(c: Canvas, rows: readonly Para[][], width: number, room: number, gap: number): { scale: number; heights: number[] } {
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
export function title(c: Canvas, text: SlideText | undefined): void {
  const d = c.d
  const f = frame(d)
  put(c, [para(runsOf(text, { size: d.size('h2'), role: 'head', bold: true, colour: d.colour('navy') }, d.colour('accent')), 1.15)], f.title, {
    placeholder: 'title',
    valign: 'bottom',
    smallest: 0.6,
  })
}

/** A slide's sources on one line at the foot of its content (`markers: source-line`); returns the room it takes. */
export function sourceLine(c: Canvas, view: SlideView): number {
  if (!view.sourceLine) return 0
  const f = frame(c.d)
  const h = c.d.size('small') * 1.4
  put(c, [para(styled(c, view.sourceLine, c.d.size('small'), c.d.colour('muted')), 1.4)], { x: f.left, y: f.bottom - h, w: f.width, h })
  return h + c.d.space * 2
}

/**
 * How most layouts begin: the slide's title (or, with none, the hidden one), and its source
 * line at the foot. Returns the design, the spacing unit, the frame and the room the source line takes.
 */
export function titled(c: Canvas, view: SlideView & { title: SlideText | undefined }) {
  const d = c.d
  const f = frame(d)
  if (view.title) title(c, view.title)
  else hiddenTitle(c, view)
  return { d, s: d.space, f, foot: sourceLine(c, view) }
}
