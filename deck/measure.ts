import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { Page } from 'puppeteer-core'

// Measurements taken in Chromium, on the page of slides the PDF is printed from
// (every slide at its real size), and the axe-core audit of the HTML deck. What
// they mean for the author is decided in deck/check.ts.

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
        const named = (e: Element | null) => !!e && !!(e.getAttribute('aria-label')?.trim() || e.getAttribute('alt')?.trim() || e.getAttribute('aria-labelledby') || e.querySelector(':scope > title'))
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
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe
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
