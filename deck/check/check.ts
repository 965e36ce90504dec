import Handlebars from 'handlebars'

import type { LoadedBrief } from '../brief/brief.ts'
import { RE_FIGURE_TOKEN, RE_REF_TOKEN, type WarningCode } from '../brief/fields.ts'
import { citedReferences, walkStrings } from '../brief/queries.ts'
import { type Brief, type Figure } from '../brief/schema.ts'
import { PRINT_TYPE, READABLE } from '../export/print.ts'
import type { TemplateSources } from '../render/templates.ts'
import { formatFigure, formatNumber, shownValue, unquoted } from '../render/text.ts'
import type { Theme } from '../render/theme.ts'
import type { DeckView } from '../render/view.ts'
import type { Problem } from '../shared/errors.ts'
import { contrastFindings } from './contrast.ts'
import type { AxeViolation, PrintMeasure, SlideMeasure } from './measure.ts'
import {
  displayQuantity,
  evidenceQuantities,
  evidenceQuantity,
  hedgeBefore,
  hedgeIn,
  numbersIn,
  type Quantity,
  sameQuantity,
  sameValue,
  sourceIndex,
  statesValue,
} from './provenance.ts'

// What `npm run check` (and `build`, first) reports: findings about the data, the
// provenance of every number, consistency, layout, accessibility and readability.
// No file, browser or clock is touched here: the measurements come in from
// deck/check/measure.ts. The one state kept is a cache of the template findings,
// which depend on the templates alone.

export type Severity = 'error' | 'warning'
export type CheckName = 'data' | 'provenance' | 'consistency' | 'layout' | 'accessibility' | 'readability'

export interface Finding {
  severity: Severity
  check: CheckName
  /** Stable name of the finding; warnings can be silenced by it. */
  code: string
  message: string
  /** 1-based number and title of the slide it is on, if any. */
  slide?: { number: number; title: string }
  /** Where it came from: the brief (or a template) and the line. */
  file?: string
  line?: number
}

export const DEFAULT_LIMITS = { words: 60, bullets: 6 }
const UNCOUNTED_LAYOUTS = new Set(['sources', 'timeline'])

/** Problems found while reading the brief (syntax, schema) as findings. */
export function dataFindings(problems: readonly Problem[], file: string): Finding[] {
  return problems.map((p) => ({
    severity: 'error',
    check: 'data',
    code: 'schema',
    message: p.path ? `${p.path}: ${p.message}` : p.message,
    file: p.file ?? file,
    ...(p.line !== undefined ? { line: p.line } : {}),
  }))
}

export interface SourceDocument {
  file: string
  text: string
}

/**
 * Provenance: each evidence phrase in the source document (when there is one), each
 * value in its evidence, and every reference cited somewhere.
 */
export function provenanceFindings(loaded: LoadedBrief, source: SourceDocument | undefined): Finding[] {
  const { brief, file } = loaded
  const at = (path: (string | number)[]) => ({ file, line: loaded.locate(path).line })
  const findings: Finding[] = []
  const index = source ? sourceIndex(source.text) : undefined
  const language = brief.meta.language
  const checkNumber = (what: string, value: number, evidence: string, path: (string | number)[]) => {
    if (index && !index.has(evidence)) {
      findings.push({
        severity: 'error',
        check: 'provenance',
        code: 'evidence-not-in-source',
        message: `${what}: its evidence “${evidence}” is not in ${source?.file}`,
        ...at([...path, 'evidence']),
      })
    }
    if (!statesValue(evidence, value)) {
      findings.push({
        severity: 'error',
        check: 'provenance',
        code: 'value-not-in-evidence',
        message: `${what} is ${formatNumber(value, language)}, but its evidence “${evidence}” does not say ${formatNumber(value, language)}`,
        ...at([...path, 'value']),
      })
    }
  }
  for (const [id, f] of Object.entries(brief.figures)) {
    checkNumber(`figure ${id}`, f.value, f.evidence, ['figures', id])
    // The same number in another unit is another number: "$186 million" where the evidence says "186 billion" euros.
    const given = evidenceQuantities(f.evidence, f.value)
    const shown = displayQuantity(f)
    const evidence = given[0]
    if (evidence && !given.some((q) => sameQuantity(shown, q))) {
      const say = (q: Quantity) => `${q.words}${q.currency ? ` in ${q.currency}` : ''}`
      findings.push({
        severity: 'error',
        check: 'provenance',
        code: 'unit-mismatch',
        message: `figure ${id} shows ${formatFigure(f, language)} (${say(shown)}), but its evidence “${f.evidence}” gives ${formatNumber(f.value, language)} as ${say(evidence)}: fix the prefix, suffix or scale`,
        ...at(['figures', id, f.suffix !== undefined ? 'suffix' : f.prefix !== undefined ? 'prefix' : 'value']),
      })
    }
    const hedge = hedgeIn(f.evidence, f.value)
    if (hedge && !f.approx) {
      findings.push({
        severity: 'warning',
        check: 'provenance',
        code: 'hedged-evidence',
        message: `figure ${id}: its evidence says “${hedge}”, but the figure is not marked approximate: add \`approx: true\` so that the slide shows ≈`,
        ...at(['figures', id, 'evidence']),
      })
    }
  }
  // A quotation is the source's own words: it must be found there, as evidence is.
  brief.slides.forEach((slide, i) => {
    if (slide.layout !== 'quote' || !index) return
    // The words around a {fig:…} token are looked for piece by piece: the source may write the number otherwise.
    const words = unquoted(slide.quote.replace(RE_REF_TOKEN, ''))
    const pieces = words.split(RE_FIGURE_TOKEN).filter((piece, i) => i % 2 === 0 && piece.trim() !== '')
    if (!pieces.every((piece) => index.has(piece.trim()))) {
      findings.push({
        severity: 'error',
        check: 'provenance',
        code: 'quote-not-in-source',
        message: `the quotation “${words}” is not in ${source?.file}: quote the source word for word`,
        ...at(['slides', i, 'quote']),
      })
    }
  })
  for (const [id, series] of Object.entries(brief.series ?? {})) {
    series.points.forEach((p, i) => {
      if (p.value !== undefined && p.evidence !== undefined) checkNumber(`series ${id}, point ${p.x}`, p.value, p.evidence, ['series', id, 'points', i])
    })
  }
  const cited = citedReferences(brief)
  brief.references.forEach((r, i) => {
    if (!cited.has(r.n)) {
      findings.push({
        severity: 'warning',
        check: 'provenance',
        code: 'unused-reference',
        message: `reference ${r.n} (${r.publisher}) is never cited: cite it with {ref:${r.n}} where it backs a claim, or remove it`,
        ...at(['references', i]),
      })
    }
  })
  return findings
}

/** Keys whose text is not shown as prose on a slide, or must hold numbers. */
const NOT_PROSE = new Set([
  'evidence',
  'url',
  'id',
  'n',
  'date',
  'when',
  'from',
  'to',
  'layout',
  'figure',
  'series',
  'kind',
  'document',
  'ignore',
  'language',
  'size',
  'x',
])
/** Figures below this are too common as ordinary numbers ("3 points", "7 May") to be flagged when typed. */
const SMALLEST_FLAGGED = 10

/**
 * Consistency: a number on a slide comes from the figures, not from a template or typed
 * into prose. A figure's value typed in text is flagged: written as {fig:id}, it follows the data.
 */
export function consistencyFindings(loaded: LoadedBrief, templates: TemplateSources): Finding[] {
  const { brief, file } = loaded
  const findings: Finding[] = []
  // Each figure in every form a writer might type it: as the source writes it (1,470), as the slide shows it
  // (1.47), and as the amount it is (1.47 trillion = 1,470 billion).
  const forms = Object.entries(brief.figures).map(([id, f]) => {
    const factor = evidenceQuantity(f.evidence, f.value)?.factor ?? 1
    const amount = f.value * (factor >= 1e3 ? factor : 1)
    return { id, f, values: [f.value, shownValue(f), amount].filter((v) => Math.abs(v) >= SMALLEST_FLAGGED) }
  })
  const prose: { path: (string | number)[]; value: string }[] = []
  for (const part of ['meta', 'figures', 'series', 'timeline', 'slides'] as const) {
    walkStrings(brief[part], [part], (value, path) => {
      if (path.some((p) => typeof p === 'string' && NOT_PROSE.has(p)) || (path[0] === 'meta' && path[1] === 'source')) return
      prose.push({ path: path.filter((p): p is string | number => typeof p !== 'symbol'), value })
    })
  }
  for (const { path, value } of prose) {
    const at = { file, line: loaded.locate(path).line }
    const typed = value.replace(RE_FIGURE_TOKEN, ' ').replace(RE_REF_TOKEN, ' ')
    const numbers = numbersIn(typed, { words: false }) // digits only: "seven" in prose is not a typed figure
    for (const { id, f, values } of forms) {
      if (values.some((v) => numbers.some((n) => sameValue(n, v)))) {
        findings.push({
          severity: 'warning',
          check: 'consistency',
          code: 'typed-number',
          message: `${formatFigure(f, brief.meta.language)} is typed here; write {fig:${id}} so that it follows the figure (and carries its footnote)`,
          ...at,
        })
      }
    }
    // "about {fig:share}" where the figure is already approximate reads "about ≈72.4%".
    for (const m of value.matchAll(RE_FIGURE_TOKEN)) {
      const f = Object.hasOwn(brief.figures, m[1] ?? '') ? brief.figures[m[1] ?? ''] : undefined
      const hedge = f?.approx ? hedgeBefore(value.slice(0, m.index)) : undefined
      if (hedge)
        findings.push({
          severity: 'warning',
          check: 'consistency',
          code: 'double-hedge',
          message: `“${hedge} {fig:${m[1]}}” reads “${hedge} ${formatFigure(f as Figure, brief.meta.language)}”: the figure already shows ≈; drop “${hedge}”`,
          ...at,
        })
    }
  }
  brief.slides.forEach((slide, i) => {
    if (slide.layout === 'quote' && unquoted(slide.quote) !== slide.quote.trim()) {
      findings.push({
        severity: 'warning',
        check: 'consistency',
        code: 'quote-marks',
        message: "the quote layout adds the quotation marks of the deck's language: leave them out of the text",
        file,
        line: loaded.locate(['slides', i, 'quote']).line,
      })
    }
  })
  for (const t of [templates.deck, ...Object.values(templates.partials)]) findings.push(...templateNumbers(t.file, t.source))
  return findings
}

const RE_MARKUP = /<!--[\s\S]*?-->|<[^>]*>/g
const RE_DIGIT = /\d+/
const TEMPLATE_CACHE_SIZE = 200
const RE_LIST_NUMBER = /^[ \t]*\d+[.)](?=[ \t])/gm

/** Templates change far less often than briefs: each template's findings are kept (the dev server rebuilds on every save). */
const templateCache = new Map<string, Finding[]>()

/** Numbers written into a slide template's visible text: they would not follow the data. */
function templateNumbers(file: string, source: string): Finding[] {
  const key = `${file}\0${source}`
  const kept = templateCache.get(key)
  if (kept) return kept
  if (templateCache.size > TEMPLATE_CACHE_SIZE) templateCache.clear()
  const findings: Finding[] = []
  templateCache.set(key, findings)
  const visit = (node: hbs.AST.Node) => {
    if (node.type === 'ContentStatement') {
      const content = node as hbs.AST.ContentStatement
      // Markup, comments and Markdown list numbers ("1. ") are not numbers on the slide.
      const visible = content.value.replace(RE_MARKUP, (m) => m.replace(/[^\n]/g, ' ')).replace(RE_LIST_NUMBER, (m) => ' '.repeat(m.length))
      const found = RE_DIGIT.exec(visible)
      if (found) {
        const line = content.loc.start.line + visible.slice(0, found.index).split('\n').length - 1
        findings.push({
          severity: 'error',
          check: 'consistency',
          code: 'template-number',
          message: `the number ${found[0]} is written into the template; numbers on slides must come from the brief`,
          file,
          line,
        })
      }
    }
    for (const child of childrenOf(node)) visit(child)
  }
  try {
    visit(Handlebars.parse(source))
  } catch {
    // A template that does not parse is reported when the templates are compiled.
  }
  return findings
}

function childrenOf(node: hbs.AST.Node): hbs.AST.Node[] {
  const n = node as Partial<hbs.AST.Program & hbs.AST.BlockStatement>
  const kids: hbs.AST.Node[] = []
  if (Array.isArray(n.body)) kids.push(...n.body)
  if (n.program) kids.push(n.program)
  if (n.inverse) kids.push(n.inverse)
  return kids
}

/** What the measurements of the printed slides mean: layout, alt text, readability. */
export function measureFindings(loaded: LoadedBrief, view: DeckView, measures: readonly SlideMeasure[], minFontPx: number): Finding[] {
  const { brief, file } = loaded
  const limits = { ...DEFAULT_LIMITS, ...brief.checks }
  const findings: Finding[] = []
  measures.forEach((m, i) => {
    const slide = view.slides[i]
    if (!slide) return
    const where = { slide: { number: i + 1, title: slide.outline }, file, line: loaded.locate(['slides', slide.index]).line }
    const add = (severity: Severity, check: CheckName, code: string, message: string) => findings.push({ severity, check, code, message, ...where })
    if (m.overflowBottom > 0)
      add('error', 'layout', 'overflow', `the content runs ${Math.ceil(m.overflowBottom)} px below its box, into the footer: shorten or split the slide`)
    if (m.overflowRight > 0) add('error', 'layout', 'overflow', `the content runs ${Math.ceil(m.overflowRight)} px beyond the right edge of its box`)
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
  const findings: Finding[] = measure.problems.map((p) => {
    const on = `${PRINTED[kind]}, page ${p.page}`
    const plural = p.what.startsWith('the ruled lines')
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
    return { severity: 'error', check: 'layout', code: p.kind === 'unfit' ? 'print-unfit' : 'print-overlap', message, ...where(p.slide, field) }
  })
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
    findings.push({
      severity: 'warning',
      check: 'layout',
      code: 'small-text',
      message: `in the ${PRINTED[kind]}, “${small.text}” prints at ${small.pt} pt; text on paper needs ${READABLE.smallest} pt or more`,
      ...where(small.slide),
    })
  }
  return findings
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

/** The theme's text colours on their backgrounds, against WCAG AA. */
export function themeFindings(theme: Theme, themeFile: string): Finding[] {
  return contrastFindings(theme.tokens).map((c) => ({
    severity: 'error',
    check: 'accessibility',
    code: 'contrast',
    message:
      c.palette === 'print'
        ? `in print (the handout's palette), --${c.text} on --${c.background} has a contrast of ${c.ratio.toFixed(2)}:1; WCAG AA asks at least ${c.minimum}:1: see the --print-* colours`
        : `--${c.text} on --${c.background} has a contrast of ${c.ratio.toFixed(2)}:1; WCAG AA asks at least ${c.minimum}:1`,
    file: themeFile,
  }))
}

/** Drops the warnings the brief silences, for the whole brief (`checks.ignore`) or for one slide (`ignore`). */
export function withoutSilenced(findings: readonly Finding[], brief: Brief, view: DeckView): Finding[] {
  const everywhere = new Set<string>(brief.checks?.ignore ?? [])
  return findings.filter((f) => {
    if (f.severity === 'error') return true
    if (everywhere.has(f.code)) return false
    const slide = f.slide ? view.slides[f.slide.number - 1] : undefined
    const quiet = slide ? (brief.slides[slide.index]?.ignore ?? []) : []
    return !(quiet as readonly string[]).includes(f.code as WarningCode)
  })
}

export interface Report {
  brief: string
  /** The source document the evidence was checked against, if any. */
  source?: string
  findings: Finding[]
  errors: number
  warnings: number
  /** Checks that could not run, and why (no source document, no browser format asked for). */
  skipped: string[]
}

export function makeReport(brief: string, findings: readonly Finding[], source: string | undefined, skipped: string[]): Report {
  const order = (f: Finding) => f.slide?.number ?? 0
  const sorted = [...findings].sort((a, b) => order(a) - order(b) || (a.line ?? 0) - (b.line ?? 0))
  return {
    brief,
    ...(source ? { source } : {}),
    findings: sorted,
    errors: sorted.filter((f) => f.severity === 'error').length,
    warnings: sorted.filter((f) => f.severity === 'warning').length,
    skipped,
  }
}

/** The report as people read it: grouped by slide, the brief-wide findings first, a summary line last. */
export function formatReport(report: Report): string {
  const lines: string[] = []
  const groups = new Map<string, Finding[]>()
  for (const f of report.findings) {
    const key = f.slide ? `Slide ${f.slide.number} · ${f.slide.title}${f.line ? ` · ${report.brief}:${f.line}` : ''}` : 'Brief'
    groups.set(key, [...(groups.get(key) ?? []), f])
  }
  for (const [heading, findings] of groups) {
    lines.push(heading)
    for (const f of findings) {
      const where = !f.slide && f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : ''
      lines.push(`  ${f.severity.padEnd(7)}  ${f.check.padEnd(13)}  ${f.message}${where}  [${f.code}]`)
    }
  }
  for (const s of report.skipped) lines.push(`note: ${s}`)
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  lines.push(`${report.errors > 0 ? '✖' : '✔'} ${report.brief}: ${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}`)
  return lines.join('\n')
}
