import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'

import type { Page } from 'puppeteer-core'

// Measurements taken in Chromium, on the page of slides the PDF is printed from
// (every slide at its real size), and the axe-core audit of the HTML deck. What
// they mean for the author is decided in deck/check/check.ts.

export interface SlideMeasure {
  /** CSS pixels by which content reaches below the content box (into the footer), and beyond its right edge. */
  overflowBottom: number
  overflowRight: number
  /** The smallest text on the slide below the minimum size, as it is drawn (charts scaled down included). */
  smallText?: { size: number; text: string }
  /** CSS pixels by which the widest chart or image is wider than the slide's content box. */
  wideMedia: number
  /** Charts and images with no text alternative. */
  missingAlt: number
  words: number
  bullets: number
}

/** Measures every slide of the slides page; `minFontPx` is the smallest text size the theme allows. */
export function measureSlides(page: Page, minFontPx: number): Promise<SlideMeasure[]> {
  return page.evaluate((minFont) => {
    const TOLERANCE = 1
    const SKIP = 'footer, header, .alt, sup, script, style'
    const round = (n: number) => Math.round(n * 10) / 10
    return [...document.querySelectorAll<HTMLElement>('svg[data-marpit-svg] > foreignObject > section')].map((section) => {
      const box = section.getBoundingClientRect()
      const style = getComputedStyle(section)
      const bottomLimit = box.bottom - Number.parseFloat(style.paddingBottom)
      const rightLimit = box.right - Number.parseFloat(style.paddingRight)
      const contentWidth = box.width - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight)
      let maxBottom = -Infinity
      let maxRight = -Infinity
      let smallText: { size: number; text: string } | undefined
      let words = 0
      // The slide itself sits in Marp's <svg>; a chart is an <svg> inside the slide.
      const inChart = (el: Element) => {
        const svg = el.closest('svg')
        return svg !== null && section.contains(svg)
      }
      const note = (size: number, text: string) => {
        if (size < minFont - 0.05 && (!smallText || size < smallText.size)) smallText = { size: round(size), text: text.trim().slice(0, 40) }
      }

      // Text as laid out: every line box of every text node, outside charts.
      const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement
        const text = node.textContent ?? ''
        if (!parent || !text.trim() || parent.closest(SKIP) || inChart(parent)) continue
        const range = document.createRange()
        range.selectNodeContents(node)
        for (const r of range.getClientRects()) {
          if (r.width === 0 || r.height === 0) continue
          maxBottom = Math.max(maxBottom, r.bottom)
          maxRight = Math.max(maxRight, r.right)
        }
        note(Number.parseFloat(getComputedStyle(parent).fontSize), text)
        words += text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length
      }

      // Boxes that show (backgrounds, borders), charts and images.
      let wideMedia = 0
      let missingAlt = 0
      for (const el of section.querySelectorAll<Element>('*')) {
        if (el.closest(SKIP)) continue
        if (el.tagName.toLowerCase() !== 'svg' && inChart(el)) continue
        const r = el.getBoundingClientRect()
        if (r.width === 0 || r.height === 0) continue
        const s = getComputedStyle(el)
        const shows = s.backgroundColor !== 'rgba(0, 0, 0, 0)' || Number.parseFloat(s.borderTopWidth) > 0 || Number.parseFloat(s.borderBottomWidth) > 0
        const media = el.tagName.toLowerCase() === 'svg' || el.tagName.toLowerCase() === 'img'
        if (shows || media) {
          maxBottom = Math.max(maxBottom, r.bottom)
          maxRight = Math.max(maxRight, r.right)
        }
        if (!media) continue
        wideMedia = Math.max(wideMedia, r.width - contentWidth, r.right - rightLimit)
        const named = (e: Element | null) =>
          !!e &&
          !!(e.getAttribute('aria-label')?.trim() || e.getAttribute('alt')?.trim() || e.getAttribute('aria-labelledby') || e.querySelector(':scope > title'))
        if (!named(el) && !named(el.closest('[role="img"]'))) missingAlt += 1
        // Text inside a chart is drawn at its size times the chart's scale.
        if (el.tagName.toLowerCase() === 'svg') {
          const viewBox = (el as SVGSVGElement).viewBox.baseVal
          const scale = viewBox && viewBox.width > 0 ? r.width / viewBox.width : 1
          for (const t of el.querySelectorAll('text')) if (t.textContent?.trim()) note(Number.parseFloat(getComputedStyle(t).fontSize) * scale, t.textContent)
        }
      }
      return {
        overflowBottom: round(Math.max(0, maxBottom - bottomLimit - TOLERANCE)),
        overflowRight: round(Math.max(0, maxRight - rightLimit - TOLERANCE)),
        ...(smallText ? { smallText } : {}),
        wideMedia: round(Math.max(0, wideMedia - TOLERANCE)),
        missingAlt,
        words,
        bullets: section.querySelectorAll('li').length,
      }
    })
  }, minFontPx)
}

export interface AxeViolation {
  id: string
  impact: string
  help: string
  /** CSS selectors of the elements, and the slide number each is on (when it is on one). */
  nodes: { target: string; slide?: number }[]
}

const require = createRequire(import.meta.url)

/** Runs axe-core's WCAG A and AA rules on the page; returns the serious and critical violations. */
export async function auditPage(page: Page): Promise<AxeViolation[]> {
  const source = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8')
  // Evaluated through the browser's own channel: the pages' Content-Security-Policy refuses scripts.
  await page.evaluate(source)
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: unknown,
            options: unknown,
          ) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }>
        }
      }
    ).axe
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })
    const slides = [...document.querySelectorAll('svg[data-marpit-svg]')]
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact ?? '',
        help: v.help,
        nodes: v.nodes.map((n) => {
          const target = String(n.target[0] ?? '')
          const el = document.querySelector(target)
          const svg = el?.closest('svg[data-marpit-svg]')
          const index = svg ? slides.indexOf(svg) : -1
          return index >= 0 ? { target, slide: index + 1 } : { target }
        }),
      }))
  })
}

/** One violation per rule and slide: the slides page and the HTML deck show the same first slide. */
export function uniqueViolations(violations: readonly AxeViolation[]): AxeViolation[] {
  const seen = new Set<string>()
  return violations.flatMap((v) => {
    const nodes = v.nodes.filter((n) => {
      const key = `${v.id} ${n.slide ?? ''} ${n.target}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    return nodes.length > 0 ? [{ ...v, nodes }] : []
  })
}

/** Something wrong on a printed page, measured as Chromium lays it out for print. */
export interface PrintProblem {
  /** 1-based page of the PDF. */
  page: number
  /** The slide it concerns (the first of two that overlap). */
  slide?: number
  kind: 'overlap' | 'margin' | 'header' | 'footer' | 'unfit'
  /** What is where, in words: "the ruled lines of slide 4", "the text of slide 5". */
  what: string
  other?: string
  /** By how much, in mm. */
  by: number
}

export interface PrintMeasure {
  problems: PrintProblem[]
  /** The smallest text in the slide pictures other than footnote markers, in points as printed. */
  smallestSlideText?: { pt: number; slide: number; text: string }
}

/**
 * Measures every printed page of a handout or notes page: the header, the footer, each
 * slide picture, its heading, every line of its text and every ruled line, as painted
 * (clipped by their slots). Reports any two that overlap, anything past the page's
 * margins or into its header or footer, and text longer than its slot.
 */
export function measurePrintedPages(page: Page): Promise<PrintMeasure> {
  return page.evaluate(() => {
    const TOLERANCE = 0.5 // CSS px: anti-aliasing and rounding, not a visible overlap
    const MM = 96 / 25.4
    const PT = 0.75
    type Box = { left: number; top: number; right: number; bottom: number }
    type Item = { box: Box; owner: string; what: string; slide?: number }
    const mm = (px: number) => Math.round((px / MM) * 10) / 10
    const boxOf = (r: DOMRect | Box): Box => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom })
    const intersect = (a: Box, b: Box): Box | undefined => {
      const box = { left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom) }
      return box.right - box.left > TOLERANCE && box.bottom - box.top > TOLERANCE ? box : undefined
    }
    /** The part of an element's box that is painted: clipped by every ancestor that clips, up to the sheet. */
    const painted = (box: Box, el: Element, sheet: Element): Box | undefined => {
      let shown: Box | undefined = box
      for (let a = el.parentElement; a && a !== sheet && shown; a = a.parentElement) {
        if (getComputedStyle(a).overflow !== 'visible') shown = intersect(shown, boxOf(a.getBoundingClientRect()))
      }
      return shown
    }
    const problems: PrintProblem[] = []
    let smallestSlideText: PrintMeasure['smallestSlideText']
    const sheets = [...document.querySelectorAll<HTMLElement>('.p-sheet')]
    sheets.forEach((sheet, index) => {
      const pageNumber = index + 1
      /** One problem per page, kind and pair of parts, by the most it is off (the deepest of a column of ruled lines). */
      const report = (problem: Omit<PrintProblem, 'page'>) => {
        const same = problems.find((p) => p.page === pageNumber && p.kind === problem.kind && p.what === problem.what && p.other === problem.other)
        if (!same) problems.push({ page: pageNumber, ...problem })
        else same.by = Math.max(same.by, problem.by)
      }
      const style = getComputedStyle(sheet)
      const outer = sheet.getBoundingClientRect()
      const margins: Box = {
        left: outer.left + Number.parseFloat(style.paddingLeft),
        top: outer.top + Number.parseFloat(style.paddingTop),
        right: outer.right - Number.parseFloat(style.paddingRight),
        bottom: outer.bottom - Number.parseFloat(style.paddingBottom),
      }
      const slideOf = (el: Element) =>
        Number((el.closest('[data-slide]') as HTMLElement | null)?.dataset.slide ?? sheet.querySelector<HTMLElement>('[data-slide]')?.dataset.slide) ||
        undefined
      const items: Item[] = []
      const add = (el: Element, box: Box, what: string, owner: string) => {
        const shown = painted(box, el, sheet)
        const slide = slideOf(el)
        if (shown) items.push({ box: shown, owner, what, ...(slide ? { slide } : {}) })
      }
      const head = sheet.querySelector('.p-head')
      const foot = sheet.querySelector('.p-foot')
      for (const el of sheet.querySelectorAll('.p-slide .marpit'))
        add(el, boxOf(el.getBoundingClientRect()), `the picture of slide ${slideOf(el)}`, `slide ${slideOf(el)}`)
      for (const el of sheet.querySelectorAll('.p-label'))
        add(el, boxOf(el.getBoundingClientRect()), `the heading of slide ${slideOf(el)}`, `label ${slideOf(el)}`)
      for (const el of sheet.querySelectorAll('.p-line'))
        add(el, boxOf(el.getBoundingClientRect()), `the ruled lines of slide ${slideOf(el)}`, `lines ${slideOf(el)}`)
      for (const slot of sheet.querySelectorAll<HTMLElement>('.p-text')) {
        const slide = slideOf(slot)
        const what = `the text of slide ${slide}`
        const slotBox = boxOf(slot.getBoundingClientRect())
        const walker = document.createTreeWalker(slot, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!node.textContent?.trim()) continue
          const range = document.createRange()
          range.selectNodeContents(node)
          for (const r of range.getClientRects()) {
            // A line as painted: the slot clips what does not fit (reported below, as text too long).
            const line = r.width === 0 || r.height === 0 ? undefined : intersect(boxOf(r), slotBox)
            if (line) add(slot, line, what, `text ${slide}`)
          }
        }
        // Too long for its slot, or a word too wide for it (a long address): either is cut off.
        const over = Math.max(slot.scrollHeight - slot.clientHeight, slot.scrollWidth - slot.clientWidth)
        if (over > 1) report({ kind: 'unfit', what, by: mm(over), ...(slide ? { slide } : {}) })
      }
      for (const item of items) {
        const slide = item.slide ? { slide: item.slide } : {}
        const past = Math.max(margins.left - item.box.left, margins.top - item.box.top, item.box.right - margins.right, item.box.bottom - margins.bottom)
        if (past > TOLERANCE) report({ kind: 'margin', what: item.what, by: mm(past), ...slide })
        for (const [band, kind] of [
          [head, 'header'],
          [foot, 'footer'],
        ] as const) {
          const hit = band ? intersect(item.box, boxOf(band.getBoundingClientRect())) : undefined
          if (hit) report({ kind, what: item.what, by: mm(hit.bottom - hit.top), ...slide })
        }
      }
      for (let i = 0; i < items.length; i += 1) {
        for (let j = i + 1; j < items.length; j += 1) {
          // The earlier slide's part is named first: "the ruled lines of slide 1 and the picture of slide 2".
          const [a, b] = [items[i] as Item, items[j] as Item].sort((x, y) => (x.slide ?? 0) - (y.slide ?? 0))
          if (!a || !b || a.owner === b.owner) continue
          const hit = intersect(a.box, b.box)
          if (hit)
            report({
              kind: 'overlap',
              what: a.what,
              other: b.what,
              by: mm(Math.min(hit.bottom - hit.top, hit.right - hit.left)),
              ...(a.slide ? { slide: a.slide } : {}),
            })
        }
      }

      // Slide text as printed: its size on the slide times the scale the picture is printed at.
      for (const marpit of sheet.querySelectorAll<HTMLElement>('.p-slide .marpit')) {
        const section = marpit.querySelector<HTMLElement>('svg[data-marpit-svg] > foreignObject > section')
        if (!section) continue
        const slide = slideOf(marpit) ?? 0
        const shown = marpit.getBoundingClientRect().width
        const laidOut = Number.parseFloat(getComputedStyle(section).width)
        const zoom = (marpit.querySelector('svg[data-marpit-svg]') as SVGSVGElement | null)?.viewBox.baseVal.width
        const scale = zoom ? shown / zoom : 1
        // Computed sizes are those of the slide itself unless the browser reports them zoomed already.
        const computedScale = Math.abs(laidOut - (zoom ?? laidOut)) < 1 ? scale : 1
        const note = (pt: number, text: string) => {
          if (!smallestSlideText || pt < smallestSlideText.pt) smallestSlideText = { pt: Math.round(pt * 10) / 10, slide, text: text.trim().slice(0, 40) }
        }
        const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const parent = node.parentElement
          if (!parent || !node.textContent?.trim() || parent.closest('sup.ref, .alt, svg svg, footer')) continue
          const range = document.createRange()
          range.selectNodeContents(node)
          if ([...range.getClientRects()].every((r) => r.width === 0 || r.height === 0)) continue
          note(Number.parseFloat(getComputedStyle(parent).fontSize) * computedScale * PT, node.textContent)
        }
        for (const chart of section.querySelectorAll<SVGSVGElement>('svg')) {
          const viewBox = chart.viewBox.baseVal
          if (!viewBox || viewBox.width === 0) continue
          const units = chart.getBoundingClientRect().width / viewBox.width
          for (const t of chart.querySelectorAll('text')) {
            if (!t.textContent?.trim()) continue
            // A chart's font size is in its own units; `units` turns them into page pixels (zoom included).
            note(Number.parseFloat(getComputedStyle(t).fontSize) * (computedScale === 1 ? 1 / scale : 1) * units * PT, t.textContent)
          }
        }
      }
    })
    return { problems, ...(smallestSlideText ? { smallestSlideText } : {}) }
  })
}
