import type { LoadedBrief } from '../brief/brief.ts'
import type { AxeViolation, PrintMeasure, PrintProblem, SlideMeasure } from '../measure/measure.ts'
import { DEFAULT_HANDOUT, handoutGeometry, type HandoutPerPage, PRINT_TYPE, printedPt, READABLE, SHEET } from '../render/print.ts'
import type { SIZE_DEFAULTS } from '../render/tokens.ts'
import { sizePx } from '../render/tokens.ts'
import type { DeckView } from '../render/view.ts'
import { type CheckName, type Finding, type Severity } from './report.ts'

// The checks of the deck as built: what the measurements of the slides and the printed
// pages mean (layout, readability), what axe-core found, and the theme's contrast. No
// file, browser or clock is touched here: the measurements come in from measure.ts.

/** What a slide reads best with, unless the brief says otherwise (`checks`). */
export const DEFAULT_LIMITS = { words: 60, bullets: 6 }
const UNCOUNTED_LAYOUTS = new Set(['sources', 'timeline'])

/** What the measurements of the printed slides mean: layout, alt text, readability. */
export function measureFindings(loaded: LoadedBrief, view: DeckView, measures: readonly SlideMeasure[], minFontPx: number): Finding[] {
  const { brief, file } = loaded
  const limits = { ...DEFAULT_LIMITS, ...brief.checks }
  const findings: Finding[] = []
  // The footer is the same on every slide: said once, at the field that makes it long.
  const cutFooter = measures.findIndex((m) => m.footerCut > 0)
  if (cutFooter >= 0) {
    // The longest of the parts it shows: the one to shorten (the build may have left out a long affiliation).
    const leftOut = new Set(view.footerCuts.filter((c) => c.left).map((c) => c.field))
    const parts = (['shortTitle', 'author', 'affiliation'] as const).filter((k) => brief.meta[k] !== undefined && !(k !== 'shortTitle' && leftOut.has(k)))
    const field = parts.reduce<(typeof parts)[number]>((a, b) => ((brief.meta[b] ?? '').length > (brief.meta[a] ?? '').length ? b : a), 'shortTitle')
    findings.push({
      severity: 'error',
      check: 'layout',
      code: 'footer-cut',
      message: `the slides' footer (short title · author, affiliation) is ${Math.ceil(measures[cutFooter]?.footerCut ?? 0)} px too long for its line, and every slide cuts it: shorten meta.${field}`,
      slide: { number: cutFooter + 1, title: view.slides[cutFooter]?.outline ?? '' },
      file,
      line: loaded.locate(['meta', field]).line,
    })
  }
  findings.push(...footerShortened(loaded, view))
  measures.forEach((m, i) => {
    const slide = view.slides[i]
    if (!slide) return
    const where = { slide: { number: i + 1, title: slide.outline }, file, line: loaded.locate(['slides', slide.index]).line }
    const add = (severity: Severity, check: CheckName, code: string, message: string) => findings.push({ severity, check, code, message, ...where })
    if (m.overflowBottom > 0)
      add('error', 'layout', 'overflow', `the content runs ${Math.ceil(m.overflowBottom)} px below its box, into the footer: shorten or split the slide`)
    if (m.overflowRight > 0) add('error', 'layout', 'overflow', `the content runs ${Math.ceil(m.overflowRight)} px beyond the right edge of its box`)
    if (m.logoOverlap !== undefined)
      add(
        'error',
        'layout',
        'logo-overlap',
        `text runs into the brand's logo at the slide's bottom right (“${m.logoOverlap}”): shorten it, or give the brand a smaller logo`,
      )
    if (m.wideMedia > 0) add('error', 'layout', 'wide-media', `a chart or image is ${Math.ceil(m.wideMedia)} px wider than the slide's content`)
    if (m.smallText)
      add(
        'warning',
        'layout',
        'small-text',
        `text drawn at ${m.smallText.size} px (“${m.smallText.text}”) is smaller than the theme's minimum of ${minFontPx} px`,
      )
    if (m.missingAlt > 0)
      add('error', 'accessibility', 'missing-alt', `${m.missingAlt} chart${m.missingAlt > 1 ? 's or images have' : ' or image has'} no alt text`)
    if (m.bullets > limits.bullets)
      add('warning', 'readability', 'too-many-bullets', `${m.bullets} bullets; a slide reads best with at most ${limits.bullets} (checks.bullets)`)
    // A list of references and a timeline are read, not presented: their words are not counted.
    if (UNCOUNTED_LAYOUTS.has(slide.partial)) return
    if (m.words > limits.words) add('warning', 'readability', 'too-many-words', `${m.words} words; a slide reads best under ${limits.words} (checks.words)`)
  })
  return findings
}

/** The parts of the slides' footer the build shortened or left out to fit its line (see footerText): a warning at each. */
function footerShortened(loaded: LoadedBrief, view: DeckView): Finding[] {
  return view.footerCuts.map(({ field, left }) => ({
    severity: 'warning',
    check: 'layout',
    code: 'footer-shortened',
    message: `the slides' footer ${left ? 'leaves out' : 'shortens at a word'} meta.${field}, for the line holds no more: shorten it to show it whole`,
    file: loaded.file,
    line: loaded.locate(['meta', field]).line,
  }))
}

const PRINTED = { handout: 'handout', notes: 'notes PDF' } as const

/**
 * What the print check of the handout or the notes pages found: overlaps, margins, text
 * longer than its slot (errors, as an overflowing slide is), and slide text printed too
 * small to read on paper at the default handout layout (a warning).
 */
export function printFindings(
  loaded: LoadedBrief,
  view: DeckView,
  kind: 'handout' | 'notes',
  measure: PrintMeasure,
  options: { smallTextCounts: boolean; bodyPt?: number | undefined },
): Finding[] {
  const { brief, file } = loaded
  const where = (number: number | undefined, field?: 'handout' | 'notes') => {
    const slide = number === undefined ? undefined : view.slides[number - 1]
    if (number === undefined || !slide) return { file }
    const own = field && brief.slides[slide.index]?.[field] !== undefined ? [field] : []
    return { slide: { number, title: slide.outline }, file, line: loaded.locate(['slides', slide.index, ...own]).line } as const
  }
  const findings: Finding[] = measure.problems.flatMap((p) => {
    if (p.kind === 'cut' || p.kind === 'shortened') return []
    const on = `${PRINTED[kind]}, page ${p.page}`
    const plural = p.part === 'lines' // "the ruled lines … reach"
    const message = {
      overlap: `${on}: ${p.what} and ${p.other ?? 'something else'} overlap by ${p.by} mm`,
      margin: `${on}: ${p.what} ${plural ? 'reach' : 'reaches'} ${p.by} mm past the page's margin`,
      header: `${on}: ${p.what} ${plural ? 'reach' : 'reaches'} ${p.by} mm into the page header`,
      footer: `${on}: ${p.what} ${plural ? 'reach' : 'reaches'} ${p.by} mm into the page footer`,
      unfit: `${on}: ${p.what} is ${p.by} mm too long for its space even in the smallest type allowed (${PRINT_TYPE[kind].min} pt): shorten it`,
    }[p.kind]
    const field =
      p.kind === 'unfit'
        ? kind === 'notes' || brief.slides[view.slides[(p.slide ?? 1) - 1]?.index ?? 0]?.handout === undefined
          ? 'notes'
          : 'handout'
        : undefined
    return [{ severity: 'error', check: 'layout', code: p.kind === 'unfit' ? 'print-unfit' : 'print-overlap', message, ...where(p.slide, field) }]
  })
  findings.push(...lineFindings(loaded, kind, measure.problems, where))
  if (options.smallTextCounts && options.bodyPt !== undefined && options.bodyPt < READABLE.body) {
    const body = `${Math.round(options.bodyPt * 10) / 10} pt`
    findings.push({
      severity: 'warning',
      check: 'layout',
      code: 'small-text',
      message: `in the ${PRINTED[kind]}, slide text (--size-text) prints at ${body}; text on paper needs ${READABLE.body} pt or more`,
      file,
    })
  }
  const small = measure.smallestSlideText
  if (options.smallTextCounts && small && small.pt < READABLE.smallest) {
    const what = small.marker ? `the footnote marker “${small.text}”` : `“${small.text}”`
    findings.push({
      severity: 'warning',
      check: 'layout',
      code: 'small-text',
      message: `in the ${PRINTED[kind]}, ${what} prints at ${small.pt} pt; text on paper needs ${READABLE.smallest} pt or more`,
      ...where(small.slide),
    })
  }
  const longest = measure.pageText?.longest
  if (longest && longest.chars > READABLE.lineChars * READABLE.lineCharsOver) {
    findings.push({
      severity: 'warning',
      check: 'layout',
      code: 'long-lines',
      message: `in the ${PRINTED[kind]}, a line of slide ${longest.slide}'s text runs to ${longest.chars} characters (“${longest.text}…”); a printed line reads best at about ${READABLE.lineChars}: the print template's text column is too wide for it`,
      ...where(longest.slide),
    })
  }
  const rule = measure.ruleToFooter
  if (rule && rule.mm < SHEET.ruledLine - 0.1) {
    findings.push({
      severity: 'warning',
      check: 'layout',
      code: 'ruled-lines-near-footer',
      message: `in the ${PRINTED[kind]}, page ${rule.page}: the last ruled line is ${rule.mm} mm above the footer's rule and reads as a double line with it; keep ${SHEET.ruledLine} mm (a line's height) between them`,
      file,
    })
  }
  return findings.map((f) => ({ ...f, output: kind }))
}

/** What the printed pages' type measured, for the report: the slide pictures' smallest glyph, the page's own text and its longest line. */
export function printedTypeNote(kind: 'handout' | 'notes', measure: PrintMeasure): string | undefined {
  const small = measure.smallestSlideText
  const text = measure.pageText
  if (!small && !text) return undefined
  const parts = [
    small
      ? `slide pictures at ${small.pt} pt and larger (the smallest, ${small.marker ? 'a footnote marker' : `“${small.text}”`} on slide ${small.slide})`
      : undefined,
    text ? `its text at ${text.pt} pt, at most ${text.longest.chars} characters a line` : undefined,
    measure.ruleToFooter ? `ruled lines ${measure.ruleToFooter.mm} mm clear of the footer` : undefined,
  ].filter((p) => p !== undefined)
  return `${PRINTED[kind]} printed: ${parts.join('; ')}`
}

/**
 * Header, footer and heading lines the printed pages do not show whole (an error, as an
 * overflowing slide is), and fields the page shortened at a word to fit (a warning): each
 * once for all the pages it is on, at the line of the brief's field or slide.
 */
function lineFindings(
  loaded: LoadedBrief,
  kind: 'handout' | 'notes',
  problems: readonly PrintProblem[],
  where: (slide: number | undefined) => Pick<Finding, 'slide' | 'file' | 'line'>,
): Finding[] {
  const groups = new Map<string, PrintProblem[]>()
  for (const p of problems) {
    if (p.kind !== 'cut' && p.kind !== 'shortened') continue
    const key = [p.kind, p.what, p.field ?? ''].join('\n')
    groups.set(key, [...(groups.get(key) ?? []), p])
  }
  return [...groups.values()].map((same): Finding => {
    const p = same[0] as PrintProblem
    const on = `${PRINTED[kind]}, ${pageList(same.map((s) => s.page))}`
    const first = p.field?.split(', ')[0]
    const place = first ? { file: loaded.file, line: loaded.locate(first.split('.')).line } : where(p.slide)
    if (p.kind === 'cut') {
      const by = Math.max(...same.map((s) => s.by))
      const fields = p.field ? ` (${p.field})` : ''
      return { severity: 'error', check: 'layout', code: 'print-cut', message: `${on}: ${p.what}${fields} is cut off by ${by} mm: shorten it`, ...place }
    }
    const kept = Math.min(...same.map((s) => s.chars?.kept ?? 0))
    const total = p.chars?.total ?? 0
    return {
      severity: 'warning',
      check: 'layout',
      code: 'print-shortened',
      message: `${on}: ${p.field} is shortened at a word to fit ${p.what} (${kept} of its ${total} characters show): shorten it to print it whole`,
      ...place,
    }
  })
}

/** "page 3", "pages 1–6", "pages 1–3, 5". */
function pageList(pages: readonly number[]): string {
  const sorted = [...new Set(pages)].sort((a, b) => a - b)
  const runs: string[] = []
  for (let i = 0; i < sorted.length;) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j += 1
    runs.push(j > i ? `${sorted[i]}–${sorted[j]}` : String(sorted[i]))
    i = j + 1
  }
  return `${sorted.length > 1 ? 'pages' : 'page'} ${runs.join(', ')}`
}

/** Serious and critical axe-core violations of the HTML deck, each on its slide where it has one. */
export function axeFindings(loaded: LoadedBrief, view: DeckView, violations: readonly AxeViolation[], htmlFile: string): Finding[] {
  return violations.flatMap((v) => {
    const bySlide = new Map<number | undefined, string[]>()
    for (const n of v.nodes) bySlide.set(n.slide, [...(bySlide.get(n.slide) ?? []), n.target])
    return [...bySlide].map(([number, targets]): Finding => {
      const slide = number === undefined ? undefined : view.slides[number - 1]
      const message = `${v.help} (axe: ${v.id}, ${v.impact}) at ${targets.slice(0, 3).join(', ')}${targets.length > 3 ? ` and ${targets.length - 3} more` : ''}`
      return slide && number !== undefined
        ? {
            severity: 'error',
            check: 'accessibility',
            code: `axe-${v.id}`,
            message,
            slide: { number, title: slide.outline },
            file: loaded.file,
            line: loaded.locate(['slides', slide.index]).line,
          }
        : { severity: 'error', check: 'accessibility', code: `axe-${v.id}`, message, file: htmlFile }
    })
  })
}

/**
 * What a handout layout other than the default prints slide text at, from the theme's type
 * scale: said once per build (the same for every deck of a size), since it is a choice, not a mistake.
 */
export function printedSizeNote(perPage: HandoutPerPage, tokens: Record<string, string>, size: { width: number; height: number }): string {
  const at = (n: HandoutPerPage, token: keyof typeof SIZE_DEFAULTS) => printedPt(sizePx(tokens, token), handoutGeometry(n, size).scale).toFixed(1)
  return (
    `with ${perPage} slides a handout page, slide text prints at ${at(perPage, 'size-text')} pt and captions at ${at(perPage, 'size-caption')} pt ` +
    `(paper needs ${READABLE.body} and ${READABLE.smallest} pt); the default, --handout ${DEFAULT_HANDOUT}, prints them at ${at(DEFAULT_HANDOUT, 'size-text')} and ${at(DEFAULT_HANDOUT, 'size-caption')} pt`
  )
}
