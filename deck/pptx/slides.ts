// The PowerPoint's text slides, one function per layout (title, agenda, section, points,
// quote, sources, closing), drawn from the deck's view in the theme's colours, fonts and
// spacing; figures.ts draws the slides of numbers.

import type { DeckMeta, SlideText } from '../render/view.ts'
import {
  type Canvas,
  centredTop,
  fitRows,
  frame,
  hline,
  kicker,
  marker,
  para,
  put,
  rect,
  sourceLine,
  styled,
  title,
  titled,
  type View,
  vline,
} from './canvas.ts'
import { type Design, fit, type Para, type Run, runsOf, scaleParas } from './draw.ts'

/** The title slide's parts and where they go: its layout's title placeholder is placed from this. */
export function titleSlideParts(view: { meta: DeckMeta }, d: Design) {
  const s = d.space
  const left = s * 15
  const w = Math.min(1000, d.width - left - s * 10)
  // What the source does not name is left out, not held open: no publisher, no kicker; no author, no author's line.
  const publisher = view.meta.source.publisher
  const kicker = publisher
    ? [
        para(
          runsOf(publisher, { size: d.size('small'), role: 'text', bold: true, colour: d.colour('accent'), tracking: 0.08 }, d.colour('accent')).map((r) => ({
            ...r,
            text: r.text.toLocaleUpperCase(d.lang),
          })),
          1.4,
        ),
      ]
    : []
  const heading = [para(runsOf(view.meta.title, { size: d.size('display'), role: 'head', bold: true, colour: d.colour('navy') }, d.colour('accent')), 1.15)]
  const subtitle = view.meta.subtitle
    ? [para(runsOf(view.meta.subtitle, { size: d.size('lead'), role: 'text', colour: d.colour('muted') }, d.colour('accent')), 1.3)]
    : []
  const line = (text: SlideText | undefined) =>
    text ? [para(runsOf(text, { size: d.size('byline'), role: 'text', colour: d.colour('ink') }, d.colour('accent')), 1.45)] : []
  const byline: Para[] = [
    ...(view.meta.author
      ? [
          para(
            [
              ...runsOf(view.meta.author, { size: d.size('byline'), role: 'text', bold: true, colour: d.colour('navy') }, d.colour('accent')),
              ...(view.meta.role
                ? [
                    { text: ', ', size: d.size('byline'), role: 'text' as const, colour: d.colour('ink') },
                    ...runsOf(view.meta.role, { size: d.size('byline'), role: 'text', colour: d.colour('ink') }, d.colour('accent')),
                  ]
                : []),
            ],
            1.45,
          ),
        ]
      : []),
    ...line(view.meta.affiliation),
    ...line(view.meta.date),
  ]
  const room = d.height - s * 16
  const hk = fit(d, kicker, { w, h: room }).height
  const ht = Math.min(fit(d, heading, { w, h: d.size('display') * 1.15 * 3 }).height, d.size('display') * 1.15 * 3)
  const hs = subtitle.length > 0 ? fit(d, subtitle, { w: w - 20, h: d.size('lead') * 1.3 * 3 }).height : 0
  const hb = fit(d, byline, { w, h: room }).height
  // The kicker, title, subtitle and byline as the theme sets them: each paragraph's space below
  // (s * 2; the subtitle's too), the byline's margin (s * 5) and the rule's padding (s * 3).
  const below = hs > 0 ? s * 2 : 0
  const total = hk + s * 2 + ht + s * 2 + hs + below + s * 5 + s * 3 + hb
  const top = centredTop(d, total)
  const y = { kicker: top, title: top + hk + s * 2 }
  const ys = y.title + ht + s * 2
  const rule = ys + hs + below + s * 5
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
  if (parts.kicker.length > 0) put(c, parts.kicker, parts.box.kicker)
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
  // A section's block is centred as the title slide's and a figure's are (centredTop): its middle is the room's.
  const middle = centredTop(d, 0)
  return {
    number: { x: f.left, y: middle - s * 18, w: f.width, h: d.size('h3') * 1.2 },
    title: { x: f.left, y: middle - s * 11, w: Math.min(1000, f.width), h: d.size('h1') * 1.15 * 2 },
  }
}

export function drawSection(c: Canvas, view: View<'section'>): void {
  const d = c.d
  const s = d.space
  const parts = sectionParts(d)
  const heading = [
    para(runsOf(view.title, { size: d.size('h1'), role: 'head', bold: true, colour: d.colour('divider-ink') }, d.colour('divider-accent')), 1.15),
  ]
  const subtitle = view.subtitle
    ? [para(runsOf(view.subtitle, { size: d.size('lead'), role: 'text', colour: d.colour('divider-soft') }, d.colour('divider-accent')), 1.4)]
    : []
  // The number, title and subtitle as one block in the middle of the slide, as the theme centres
  // them: the layout's places are those of a two-line title and a one-line subtitle.
  const ht = fit(d, heading, parts.title, 0.6).height
  const hs = subtitle.length > 0 ? fit(d, subtitle, { w: parts.title.w, h: frame(d).bottom - parts.title.y }).height : 0
  const block = (title: number, sub: number) => title + (sub > 0 ? s * 3 + sub + s * 2 : 0)
  const shift = (block(parts.title.h, d.size('lead') * 1.4) - block(ht, hs)) / 2
  put(c, [para([{ text: String(view.number), size: d.size('h3'), role: 'head', bold: true, colour: d.colour('divider-accent') }], 1.2)], {
    ...parts.number,
    y: parts.number.y + shift,
  })
  const box = { ...parts.title, y: parts.title.y + shift }
  const h = put(c, heading, box, { placeholder: 'title', smallest: 0.6, moved: shift !== 0 })
  if (subtitle.length > 0) {
    const y = box.y + h + s * 3
    put(c, subtitle, { x: box.x, y, w: box.w, h: frame(d).bottom - y })
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
  const { f, foot } = titled(c, view)
  put(c, bodyParas(c, view.lead, view.points), { x: f.left, y: f.top, w: f.width, h: f.bottom - f.top - foot }, { placeholder: 'body' })
}

export function drawQuote(c: Canvas, view: View<'quote'>): void {
  const { d, s, f, foot } = titled(c, view)
  const quoteRuns = runsOf(view.quote, { size: d.size('display'), role: 'head', colour: d.colour('navy') }, d.colour('accent'))
  const mark = (text: string): Run => ({ text, size: d.size('display'), role: 'head', colour: d.colour('navy') })
  const quote = [para([mark(view.open), ...quoteRuns, mark(view.close), ...marker(c, view.marker.numbers, d.size('display'))], 1.25)]
  // The speaker after a dash; a quote whose speaker the source does not name gets its credit line instead.
  const attribution = [
    view.attribution
      ? para(
          [{ text: '— ', size: d.size('text'), role: 'text', colour: d.colour('muted') }, ...styled(c, view.attribution, d.size('text'), d.colour('muted'))],
          1.4,
        )
      : para(styled(c, view.source, d.size('small'), d.colour('muted')), 1.4),
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
      plain(view.open),
      ...ink(r.title),
      plain(view.close),
      ...(r.publisher ? [plain(', '), ...ink(r.publisher)] : []),
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
    if (r?.n !== undefined)
      put(c, [para([{ text: String(r.n), size: size * scale, role: 'text', bold: true, colour: d.colour('accent') }], 1.35, { align: 'right' })], {
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
    para(
      [meta.author, meta.source.publisher, meta.date].filter((t): t is SlideText => t !== undefined).flatMap((t, i) => (i === 0 ? ink(t) : [sep, ...ink(t)])),
      1.45,
    ),
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
