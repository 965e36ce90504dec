import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'

import type { Page } from 'puppeteer-core'

import { sideBundleText } from '../shared/bundles.ts'
import type {} from './measure.client.ts'

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
  /** CSS pixels by which the slide's footer is longer than its line: the slide cuts it. */
  footerCut: number
  /** The text that runs into the brand's logo on the slide (a title slide's byline, a footer), if any. */
  logoOverlap?: string
}

/** Measures every slide of the slides page; `minFontPx` is the smallest text size the theme allows. */
export async function measureSlides(page: Page, minFontPx: number): Promise<SlideMeasure[]> {
  await loadMeasures(page)
  return page.evaluate((minFont) => (window.deckMeasure as NonNullable<Window['deckMeasure']>).slides(minFont), minFontPx)
}

/** The measuring script (measure.client.ts), loaded into the page once. */
async function loadMeasures(page: Page): Promise<void> {
  if (await page.evaluate(() => window.deckMeasure !== undefined)) return
  // Evaluated through the browser's own channel: the pages' Content-Security-Policy refuses scripts.
  await page.evaluate(await sideBundleText('measure.client'))
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
/** The parts of a slide's place on a printed sheet. */
export type PrintPart = 'slide' | 'label' | 'lines' | 'text'

export interface PrintProblem {
  /** 1-based page of the PDF. */
  page: number
  /** The slide it concerns (the first of two that overlap). */
  slide?: number
  kind: 'overlap' | 'margin' | 'header' | 'footer' | 'unfit' | 'cut' | 'shortened'
  /** What is where, in words: "the ruled lines of slide 4", "the text of slide 5", "the header". */
  what: string
  /** Which part of a slide's place on the sheet it is, when it is one: its picture, heading, ruled lines or text. */
  part?: PrintPart
  other?: string
  /** The brief's fields a header or footer line shows (`meta.shortTitle`), or the one shortened, comma-separated. */
  field?: string
  /** By how much, in mm. */
  by: number
  /** Of a field shortened at a word to fit, the characters it kept of all it has. */
  chars?: { kept: number; total: number }
}

export interface PrintMeasure {
  problems: PrintProblem[]
  /** The smallest text in the slide pictures, footnote markers included, in points as printed. */
  smallestSlideText?: { pt: number; slide: number; text: string; marker: boolean }
  /** The page's own text (the audience text, the notes): its smallest size, in points, and its longest line, in characters. */
  pageText?: { pt: number; longest: { chars: number; slide: number; text: string } }
  /** How far the lowest ruled line on any page is from the footer's rule, in mm (none: no ruled lines). */
  ruleToFooter?: { mm: number; page: number }
}

/**
 * Measures every printed page of a handout or notes page: the header, the footer, each
 * slide picture, its heading, every line of its text and every ruled line, as painted
 * (clipped by their slots). Reports any two that overlap, anything past the page's
 * margins or into its header or footer, text longer than its slot, a header, footer or
 * heading that does not show whole, and a field the page shortened to fit.
 */
export async function measurePrintedPages(page: Page): Promise<PrintMeasure> {
  await loadMeasures(page)
  return page.evaluate(() => (window.deckMeasure as NonNullable<Window['deckMeasure']>).printedPages())
}
