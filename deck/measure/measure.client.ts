import { lineBoxes, textCut, textNodes } from './clip.ts'
import type { PrintMeasure, PrintPart, PrintProblem, SlideMeasure } from './measure.ts'

// The measurements, as they run in Chromium on the page of slides and on the printed
// pages (see measure.ts, which loads this script into the page and calls it). Bundled on
// its own (deck/shared/bundles.ts); it sets `deckMeasure` on the page's window.

declare global {
  interface Window {
    deckMeasure?: { slides: typeof measureSlides; printedPages: typeof measurePrintedPages }
  }
}

type Box = { left: number; top: number; right: number; bottom: number }

const round = (n: number) => Math.round(n * 10) / 10
const boxOf = (r: DOMRect | Box): Box => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom })

// ---- The slides -----------------------------------------------------------------------

const SLIDE_TOLERANCE = 1
/** What is not the slide's content: the footer, the header, alt text kept for screen readers, markers. */
const SKIP = 'footer, header, .alt, sup, script, style'

/** Measures every slide of the slides page; `minFont` is the smallest text size the theme allows (CSS px). */
function measureSlides(minFont: number): SlideMeasure[] {
  return [...document.querySelectorAll<HTMLElement>('svg[data-marpit-svg] > foreignObject > section')].map((section) => measureSection(section, minFont))
}

/** Where a slide's content reaches, and what it holds; accumulated by the walks over its text and its boxes. */
interface Extent {
  maxBottom: number
  maxRight: number
  smallText?: { size: number; text: string }
  words: number
  wideMedia: number
  missingAlt: number
  note(size: number, text: string): void
}

function measureSection(section: HTMLElement, minFont: number): SlideMeasure {
  const box = section.getBoundingClientRect()
  const style = getComputedStyle(section)
  const bottomLimit = box.bottom - Number.parseFloat(style.paddingBottom)
  const rightLimit = box.right - Number.parseFloat(style.paddingRight)
  const contentWidth = box.width - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight)
  const extent: Extent = {
    maxBottom: -Infinity,
    maxRight: -Infinity,
    words: 0,
    wideMedia: 0,
    missingAlt: 0,
    note(size, text) {
      if (size < minFont - 0.05 && (!this.smallText || size < this.smallText.size)) this.smallText = { size: round(size), text: text.trim().slice(0, 40) }
    },
  }
  measureText(section, extent)
  measureBoxes(section, extent, { contentWidth, rightLimit })
  return {
    overflowBottom: round(Math.max(0, extent.maxBottom - bottomLimit - SLIDE_TOLERANCE)),
    overflowRight: round(Math.max(0, extent.maxRight - rightLimit - SLIDE_TOLERANCE)),
    ...(extent.smallText ? { smallText: extent.smallText } : {}),
    wideMedia: round(Math.max(0, extent.wideMedia - SLIDE_TOLERANCE)),
    missingAlt: extent.missingAlt,
    words: extent.words,
    bullets: section.querySelectorAll('li').length,
    footerCut: footerCut(section),
    ...logoOverlap(section),
  }
}

/** A background placed from the bottom right, as Chromium computes `right 80px bottom 64px`. */
const RE_RIGHT_BOTTOM = /^calc\(100% - ([\d.]+)px\) calc\(100% - ([\d.]+)px\)$/
const RE_SIZE = /^([\d.]+)px ([\d.]+)px$/

/**
 * The text of the slide (its footer included) whose lines run into the brand's logo, a
 * background image the theme places from the slide's bottom right (theme.ts logoTokens).
 */
function logoOverlap(section: HTMLElement): { logoOverlap?: string } {
  const style = getComputedStyle(section)
  const at = RE_RIGHT_BOTTOM.exec(style.backgroundPosition)
  const size = RE_SIZE.exec(style.backgroundSize)
  if (style.backgroundImage === 'none' || !at || !size) return {}
  const box = section.getBoundingClientRect()
  const scale = box.width / section.offsetWidth
  const logo: Box = {
    right: box.right - Number(at[1]) * scale,
    bottom: box.bottom - Number(at[2]) * scale,
    left: box.right - (Number(at[1]) + Number(size[1])) * scale,
    top: box.bottom - (Number(at[2]) + Number(size[2])) * scale,
  }
  for (const node of textNodes(section)) {
    const parent = node.parentElement
    if (!parent || parent.closest('.alt, script, style') || inChart(parent, section)) continue
    for (const r of lineBoxes(node)) {
      if (intersect(boxOf(r), logo)) return { logoOverlap: (node.textContent ?? '').trim().slice(0, 40) }
    }
  }
  return {}
}

/** CSS px by which the slide's footer runs out of its one line (the theme cuts it there). */
function footerCut(section: HTMLElement): number {
  const footer = section.querySelector(':scope > footer')
  return footer?.textContent?.trim() ? round(textCut(footer, section)) : 0
}

/** The slide itself sits in Marp's <svg>; a chart is an <svg> inside the slide. */
function inChart(el: Element, section: Element): boolean {
  const svg = el.closest('svg')
  return svg !== null && section.contains(svg)
}

/** Text as laid out: every line box of every text node, outside charts. */
function measureText(section: HTMLElement, extent: Extent): void {
  for (const node of textNodes(section)) {
    const parent = node.parentElement
    const text = node.textContent ?? ''
    if (!parent || parent.closest(SKIP) || inChart(parent, section)) continue
    for (const r of lineBoxes(node)) {
      extent.maxBottom = Math.max(extent.maxBottom, r.bottom)
      extent.maxRight = Math.max(extent.maxRight, r.right)
    }
    extent.note(Number.parseFloat(getComputedStyle(parent).fontSize), text)
    extent.words += text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length
  }
}

/** Whether an element, or the figure around it, has a text alternative. */
function named(e: Element | null): boolean {
  return (
    !!e && !!(e.getAttribute('aria-label')?.trim() || e.getAttribute('alt')?.trim() || e.getAttribute('aria-labelledby') || e.querySelector(':scope > title'))
  )
}

/** Boxes that show (backgrounds, borders), charts and images. */
function measureBoxes(section: HTMLElement, extent: Extent, limits: { contentWidth: number; rightLimit: number }): void {
  for (const el of section.querySelectorAll<Element>('*')) {
    const tag = el.tagName.toLowerCase()
    if (el.closest(SKIP) || (tag !== 'svg' && inChart(el, section))) continue
    const r = el.getBoundingClientRect()
    if (r.width === 0 || r.height === 0) continue
    const s = getComputedStyle(el)
    const shows = s.backgroundColor !== 'rgba(0, 0, 0, 0)' || Number.parseFloat(s.borderTopWidth) > 0 || Number.parseFloat(s.borderBottomWidth) > 0
    const media = tag === 'svg' || tag === 'img'
    if (shows || media) {
      extent.maxBottom = Math.max(extent.maxBottom, r.bottom)
      extent.maxRight = Math.max(extent.maxRight, r.right)
    }
    if (!media) continue
    extent.wideMedia = Math.max(extent.wideMedia, r.width - limits.contentWidth, r.right - limits.rightLimit)
    if (!named(el) && !named(el.closest('[role="img"]'))) extent.missingAlt += 1
    // Text inside a chart is drawn at its size times the chart's scale.
    if (tag === 'svg') {
      const viewBox = (el as SVGSVGElement).viewBox.baseVal
      const scale = viewBox && viewBox.width > 0 ? r.width / viewBox.width : 1
      for (const t of el.querySelectorAll('text'))
        if (t.textContent?.trim()) extent.note(Number.parseFloat(getComputedStyle(t).fontSize) * scale, t.textContent)
    }
  }
}

// ---- The printed pages ----------------------------------------------------------------

const PRINT_TOLERANCE = 0.5 // CSS px: anti-aliasing and rounding, not a visible overlap
const MM = 96 / 25.4
const PT = 0.75
type Item = { box: Box; owner: string; part: PrintPart; what: string; slide?: number }
type Report = (problem: Omit<PrintProblem, 'page'>) => void

const mm = (px: number) => Math.round((px / MM) * 10) / 10

function intersect(a: Box, b: Box): Box | undefined {
  const box = { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) }
  return box.right - box.left > PRINT_TOLERANCE && box.bottom - box.top > PRINT_TOLERANCE ? box : undefined
}

/** The part of an element's box that is painted: clipped by every ancestor that clips, up to the sheet. */
function painted(box: Box, el: Element, sheet: Element): Box | undefined {
  let shown: Box | undefined = box
  for (let a = el.parentElement; a && a !== sheet && shown; a = a.parentElement) {
    if (getComputedStyle(a).overflow !== 'visible') shown = intersect(shown, boxOf(a.getBoundingClientRect()))
  }
  return shown
}

/**
 * Measures every printed page of a handout or notes page: the header, the footer, each
 * slide picture, its heading, every line of its text and every ruled line, as painted
 * (clipped by their slots). Reports any two that overlap, anything past the page's
 * margins or into its header or footer, text longer than its slot, a header, footer or
 * heading that does not show whole, and a field the page shortened to fit.
 */
function measurePrintedPages(): PrintMeasure {
  const problems: PrintProblem[] = []
  let smallest: PrintMeasure['smallestSlideText']
  const note = (pt: number, slide: number, text: string, marker: boolean) => {
    if (!smallest || pt < smallest.pt) smallest = { pt: Math.round(pt * 10) / 10, slide, text: text.trim().slice(0, 40), marker }
  }
  let pageText: PrintMeasure['pageText']
  let ruleToFooter: PrintMeasure['ruleToFooter']
  document.querySelectorAll<HTMLElement>('.p-sheet').forEach((sheet, index) => {
    const page = index + 1
    /** One problem per page, kind and pair of parts, by the most it is off (the deepest of a column of ruled lines). */
    const report: Report = (problem) => {
      const same = problems.find(
        (p) => p.page === page && p.kind === problem.kind && p.what === problem.what && p.other === problem.other && p.field === problem.field,
      )
      if (!same) problems.push({ page, ...problem })
      else same.by = Math.max(same.by, problem.by)
    }
    const items = sheetItems(sheet, report)
    lineProblems(sheet, report)
    placementProblems(sheet, items, report)
    overlapProblems(items, report)
    printedTextSizes(sheet, note)
    pageText = pageTextLines(sheet, pageText)
    const gap = ruleGap(sheet)
    if (gap !== undefined && (!ruleToFooter || gap < ruleToFooter.mm)) ruleToFooter = { mm: gap, page }
  })
  return { problems, ...(smallest ? { smallestSlideText: smallest } : {}), ...(pageText ? { pageText } : {}), ...(ruleToFooter ? { ruleToFooter } : {}) }
}

/** The page's own text (audience text, notes): the smallest size it is set in, and its longest line in characters, with what was measured before. */
function pageTextLines(sheet: HTMLElement, before: PrintMeasure['pageText']): PrintMeasure['pageText'] {
  let pt = before?.pt
  let longest = before?.longest
  for (const block of sheet.querySelectorAll<HTMLElement>('.p-text')) {
    const slide = Number(block.dataset.slide) || 0
    pt = Math.min(pt ?? Infinity, round(Number.parseFloat(getComputedStyle(block).fontSize) * PT))
    for (const p of block.querySelectorAll<HTMLElement>('p'))
      for (const line of linesOf(p)) {
        const chars = [...line.trim()].length
        if (!longest || chars > longest.chars) longest = { chars, slide, text: line.trim().slice(0, 40) }
      }
  }
  return pt === undefined || !longest ? before : { pt, longest }
}

/** The lines of an element's text as laid out: each word goes to the line its box is on; a word broken across lines (a long address), a character at a time. */
function linesOf(el: HTMLElement): string[] {
  const lines = new Map<number, string>()
  const range = document.createRange()
  for (const node of textNodes(el)) {
    const text = node.textContent ?? ''
    const add = (from: number, to: number): void => {
      range.setStart(node, from)
      range.setEnd(node, to)
      const tops = new Set([...range.getClientRects()].filter((r) => r.height > 0).map((r) => Math.round(r.top)))
      if (tops.size > 1 && to - from > 1) for (let i = from; i < to; i += 1) add(i, i + 1)
      else for (const top of tops) lines.set(top, (lines.get(top) ?? '') + text.slice(from, to))
    }
    for (const word of text.matchAll(/\S+\s*/g)) add(word.index, word.index + word[0].length)
  }
  return [...lines.values()]
}

/** How far the lowest ruled line of a sheet sits above its footer's rule, in mm; none without ruled lines. */
function ruleGap(sheet: HTMLElement): number | undefined {
  const lines = [...sheet.querySelectorAll<HTMLElement>('.p-line')]
  const foot = sheet.querySelector<HTMLElement>('.p-foot')
  if (lines.length === 0 || !foot) return undefined
  // As painted: a ruled line its slot clips (a heading that took two lines) is not on the page.
  const shown = lines.flatMap((l) => painted(boxOf(l.getBoundingClientRect()), l, sheet) ?? [])
  if (shown.length === 0) return undefined
  const lowest = Math.max(...shown.map((b) => b.bottom))
  return mm(foot.getBoundingClientRect().top - lowest)
}

/** The slide number of a part of a sheet (the sheet's first slide for its header and footer). */
function slideOf(el: Element, sheet: Element): number | undefined {
  return (
    Number((el.closest('[data-slide]') as HTMLElement | null)?.dataset.slide ?? sheet.querySelector<HTMLElement>('[data-slide]')?.dataset.slide) || undefined
  )
}

/** The painted parts of a sheet: slide pictures, headings, ruled lines and each line of text; text too long for its slot is reported. */
function sheetItems(sheet: HTMLElement, report: Report): Item[] {
  const items: Item[] = []
  const add = (el: Element, box: Box, what: string, part: PrintPart) => {
    const shown = painted(box, el, sheet)
    const slide = slideOf(el, sheet)
    if (shown) items.push({ box: shown, owner: `${part} ${slide}`, part, what, ...(slide ? { slide } : {}) })
  }
  const parts = [
    ['.p-slide .marpit', 'the picture of slide', 'slide'],
    ['.p-label', 'the heading of slide', 'label'],
    ['.p-line', 'the ruled lines of slide', 'lines'],
  ] as const
  for (const [selector, what, part] of parts) {
    for (const el of sheet.querySelectorAll(selector)) add(el, boxOf(el.getBoundingClientRect()), `${what} ${slideOf(el, sheet)}`, part)
  }
  for (const slot of sheet.querySelectorAll<HTMLElement>('.p-text')) {
    const slide = slideOf(slot, sheet)
    const what = `the text of slide ${slide}`
    const slotBox = boxOf(slot.getBoundingClientRect())
    for (const node of textNodes(slot)) {
      // A line as painted: the slot clips what does not fit (reported below, as text too long).
      for (const r of lineBoxes(node)) {
        const line = intersect(boxOf(r), slotBox)
        if (line) add(slot, line, what, 'text')
      }
    }
    // Too long for its slot, or a word too wide for it (a long address): either is cut off.
    const over = Math.max(slot.scrollHeight - slot.clientHeight, slot.scrollWidth - slot.clientWidth)
    if (over > 1) report({ kind: 'unfit', what, by: mm(over), ...(slide ? { slide } : {}) })
  }
  return items
}

/** The lines of a sheet that the page may cut: its header's and footer's, and each slide's heading. */
const LINES = [
  ['.p-head > *', 'the header'],
  ['.p-foot > *', 'the footer'],
  ['.p-label', 'the heading of slide'],
] as const

/**
 * A header, footer or heading that does not show whole: cut off (by a clip or an ellipsis) or run
 * over what is beside it, by how much; and each field the page shortened at a word to fit
 * (print.client.ts), by how many of its characters it kept.
 */
function lineProblems(sheet: HTMLElement, report: Report): void {
  for (const [selector, place] of LINES) {
    for (const el of sheet.querySelectorAll<HTMLElement>(selector)) {
      const slide = place === 'the heading of slide' ? slideOf(el, sheet) : undefined
      const what = slide === undefined ? place : `${place} ${slide}`
      const fields = (el.matches('[data-field]') ? [el] : [...el.querySelectorAll<HTMLElement>('[data-field]')]).map((f) => f.dataset.field ?? '')
      const cut = textCut(el, sheet)
      if (cut > 0) report({ kind: 'cut', what, by: mm(cut), ...(fields.length > 0 ? { field: fields.join(', ') } : {}), ...(slide ? { slide } : {}) })
    }
  }
  for (const el of sheet.querySelectorAll<HTMLElement>('[data-original]')) {
    const place = el.closest('.p-head') ? 'the header' : 'the footer'
    const total = [...(el.dataset.original ?? '').trim()].length
    // The characters kept, without the "…".
    const kept = [...(el.textContent ?? '')].length - 1
    report({ kind: 'shortened', what: place, field: el.dataset.field ?? '', by: 0, chars: { kept, total } })
  }
}

/** Parts past the page's margins, or into its header or footer. */
function placementProblems(sheet: HTMLElement, items: readonly Item[], report: Report): void {
  const style = getComputedStyle(sheet)
  const outer = sheet.getBoundingClientRect()
  const margins: Box = {
    left: outer.left + Number.parseFloat(style.paddingLeft),
    top: outer.top + Number.parseFloat(style.paddingTop),
    right: outer.right - Number.parseFloat(style.paddingRight),
    bottom: outer.bottom - Number.parseFloat(style.paddingBottom),
  }
  const bands = [
    [sheet.querySelector('.p-head'), 'header'],
    [sheet.querySelector('.p-foot'), 'footer'],
  ] as const
  for (const item of items) {
    const slide = item.slide ? { slide: item.slide } : {}
    const past = Math.max(margins.left - item.box.left, margins.top - item.box.top, item.box.right - margins.right, item.box.bottom - margins.bottom)
    if (past > PRINT_TOLERANCE) report({ kind: 'margin', what: item.what, part: item.part, by: mm(past), ...slide })
    for (const [band, kind] of bands) {
      const hit = band ? intersect(item.box, boxOf(band.getBoundingClientRect())) : undefined
      if (hit) report({ kind, what: item.what, part: item.part, by: mm(hit.bottom - hit.top), ...slide })
    }
  }
}

/** Any two parts of different owners that overlap. */
function overlapProblems(items: readonly Item[], report: Report): void {
  for (let i = 0; i < items.length; i += 1) {
    for (let j = i + 1; j < items.length; j += 1) {
      // The earlier slide's part is named first: "the ruled lines of slide 1 and the picture of slide 2".
      const [a, b] = [items[i] as Item, items[j] as Item].sort((x, y) => (x.slide ?? 0) - (y.slide ?? 0))
      if (!a || !b || a.owner === b.owner) continue
      const hit = intersect(a.box, b.box)
      if (!hit) continue
      report({
        kind: 'overlap',
        what: a.what,
        part: a.part,
        other: b.what,
        by: mm(Math.min(hit.bottom - hit.top, hit.right - hit.left)),
        ...(a.slide ? { slide: a.slide } : {}),
      })
    }
  }
}

/** Slide text as printed: its size on the slide times the scale the picture is printed at. */
function printedTextSizes(sheet: HTMLElement, note: (pt: number, slide: number, text: string, marker: boolean) => void): void {
  for (const marpit of sheet.querySelectorAll<HTMLElement>('.p-slide .marpit')) {
    const section = marpit.querySelector<HTMLElement>('svg[data-marpit-svg] > foreignObject > section')
    if (!section) continue
    const slide = slideOf(marpit, sheet) ?? 0
    const shown = marpit.getBoundingClientRect().width
    const laidOut = Number.parseFloat(getComputedStyle(section).width)
    const zoom = (marpit.querySelector('svg[data-marpit-svg]') as SVGSVGElement | null)?.viewBox.baseVal.width
    const scale = zoom ? shown / zoom : 1
    // Computed sizes are those of the slide itself unless the browser reports them zoomed already.
    const computedScale = Math.abs(laidOut - (zoom ?? laidOut)) < 1 ? scale : 1
    for (const node of textNodes(section)) {
      const parent = node.parentElement
      if (!parent || parent.closest('.alt, svg svg, footer') || lineBoxes(node).length === 0) continue
      note(Number.parseFloat(getComputedStyle(parent).fontSize) * computedScale * PT, slide, node.textContent ?? '', parent.closest('sup.ref') !== null)
    }
    for (const chart of section.querySelectorAll<SVGSVGElement>('svg')) {
      const viewBox = chart.viewBox.baseVal
      if (!viewBox || viewBox.width === 0) continue
      const units = chart.getBoundingClientRect().width / viewBox.width
      for (const t of chart.querySelectorAll('text')) {
        if (!t.textContent?.trim()) continue
        // A chart's font size is in its own units; `units` turns them into page pixels (zoom included).
        note(Number.parseFloat(getComputedStyle(t).fontSize) * (computedScale === 1 ? 1 / scale : 1) * units * PT, slide, t.textContent, false)
      }
    }
  }
}

window.deckMeasure = { slides: measureSlides, printedPages: measurePrintedPages }
