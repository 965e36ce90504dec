import Handlebars from 'handlebars'

import type { LoadedBrief } from '../brief/brief.ts'
import { RE_FIGURE_TOKEN, RE_REF_TOKEN } from '../brief/fields.ts'
import { citedReferences, walkStrings } from '../brief/queries.ts'
import type { Figure, Language } from '../brief/schema.ts'
import { formatFigure, formatNumber, shownValue } from '../render/format.ts'
import { unquoted } from '../render/prose.ts'
import type { TemplateSources } from '../render/templates.ts'
import type { Problem } from '../shared/errors.ts'
import { timelineFindings } from './event-dates.ts'
import {
  displayQuantity,
  evidenceQuantities,
  evidenceQuantity,
  hedgeBefore,
  hedgeIn,
  numbersIn,
  type Quantity,
  quantityDifference,
  sameQuantity,
  sameValue,
  signLost,
  sourceIndex,
  statesValue,
} from './provenance.ts'
import { type Finding } from './report.ts'
import { numbersNotInSource, proseTexts, typedNumberDiffers } from './typed-numbers.ts'

// The checks of the brief itself, before anything is drawn: its data, the provenance of
// every number (against the source document, when there is one), and consistency (no
// number typed where a figure belongs). The one state kept is a cache of the template
// findings, which depend on the templates alone.

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
        message: `${what}: its evidence “${evidence}” is not in ${source?.file}: copy the exact phrase of the source that gives it`,
        ...at([...path, 'evidence']),
      })
    }
    if (signLost(evidence, value)) {
      findings.push({
        severity: 'error',
        check: 'provenance',
        code: 'sign-lost',
        message: `${what} is ${formatNumber(value, language)}, but its evidence gives it with a minus sign: write the value as ${formatNumber(-value, language)}`,
        ...at([...path, 'value']),
      })
    } else if (!statesValue(evidence, value)) {
      findings.push({
        severity: 'error',
        check: 'provenance',
        code: 'value-not-in-evidence',
        message: `${what} is ${formatNumber(value, language)}, but its evidence “${evidence}” does not say ${formatNumber(value, language)}: correct the value, or give the evidence that states it`,
        ...at([...path, 'value']),
      })
    }
  }
  for (const [id, f] of Object.entries(brief.figures)) {
    checkNumber(`figure ${id}`, f.value, f.evidence, ['figures', id])
    findings.push(...figureFindings(id, f, language, (path) => at(['figures', id, ...path])))
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
      if (p.value === undefined || p.evidence === undefined) return
      const what = `series ${id}, point ${p.x}`
      checkNumber(what, p.value, p.evidence, ['series', id, 'points', i])
      findings.push(...approxFindings(what, { value: p.value, evidence: p.evidence, approx: p.approx }, (path) => at(['series', id, 'points', i, ...path])))
    })
  }
  findings.push(...timelineFindings(loaded, source))
  if (source) findings.push(...numbersNotInSource(loaded, source))
  const cited = citedReferences(brief)
  brief.references.forEach((r, i) => {
    if (!cited.has(r.n)) {
      findings.push({
        severity: 'warning',
        check: 'provenance',
        code: 'unused-reference',
        message: `reference ${r.n} (${r.publisher ?? r.title}) is never cited: cite it with {ref:${r.n}} where it backs a claim, or remove it`,
        ...at(['references', i]),
      })
    }
  })
  return findings
}

/** A number without scale, currency or percent: the only kind that may be a year. */
function plainQuantity(q: Quantity | undefined): boolean {
  return q === undefined || (q.scale === 1 && !q.percent && q.currency === undefined)
}

/** The field that says the wrong part of a unit: the one naming the wrong currency when that is all, else the suffix with its scale word. */
function unitField(f: Figure, shown: Quantity, evidence: Quantity): string {
  const onlyCurrency =
    shown.currency !== undefined && evidence.currency !== undefined && shown.currency !== evidence.currency && sameValue(shown.factor, evidence.factor)
  if (onlyCurrency && f.prefix !== undefined && displayQuantity({ prefix: f.prefix }).currency === shown.currency) return 'prefix'
  return f.suffix !== undefined ? 'suffix' : f.prefix !== undefined ? 'prefix' : 'value'
}

/** A figure's unit against its evidence's, and its `approx` against the evidence's hedge. */
function figureFindings(id: string, f: Figure, language: Language, at: (path: string[]) => { file: string; line: number }): Finding[] {
  const findings: Finding[] = []
  // The same number in another unit is another number: "$186 million" where the evidence says "186 billion" euros.
  const given = evidenceQuantities(f.evidence, f.value)
  const shown = displayQuantity(f)
  const evidence = given[0]
  if (evidence && !given.some((q) => sameQuantity(shown, q))) {
    findings.push({
      severity: 'error',
      check: 'provenance',
      code: 'unit-mismatch',
      message: `figure ${id} shows its value ${quantityDifference(shown, evidence).shown}, but its evidence “${f.evidence}” gives ${formatNumber(f.value, language)} ${quantityDifference(shown, evidence).evidence}: fix the prefix, suffix or scale`,
      ...at([unitField(f, shown, evidence)]),
    })
  }
  findings.push(...approxFindings(`figure ${id}`, f, at))
  // A year-shaped number that its evidence writes ungrouped, as years are written, shown grouped as an amount.
  if (
    mayBeYear(f) &&
    !f.words &&
    plainQuantity(displayQuantity(f)) &&
    plainQuantity(evidenceQuantity(f.evidence, f.value)) &&
    new RegExp(`(?<![\\d.,'’])${f.value}(?![\\d]|[.,]\\d)`).test(f.evidence)
  )
    findings.push({
      severity: 'warning',
      check: 'provenance',
      code: 'year-without-kind',
      message: `figure ${id} may be a year (its evidence writes ${f.value} as years are written), but the slides show it as ${formatFigure(f, language)}: give it \`kind: year\`, or \`kind: count\` if it counts things`,
      ...at(['value']),
    })
  return findings
}

/**
 * A value's `approx` must say what its evidence says: a hedged value ("about 1.4 percent")
 * is approximate, and one the evidence states exactly is not; either way round, the slide
 * would show the source's number as something it is not.
 */
function approxFindings(
  what: string,
  v: { value: number; evidence: string; approx?: boolean | undefined },
  at: (path: string[]) => { file: string; line: number },
): Finding[] {
  if (!statesValue(v.evidence, v.value)) return [] // value-not-in-evidence says what is wrong
  const hedge = hedgeIn(v.evidence, v.value)
  if (hedge && !v.approx)
    return [
      {
        severity: 'error',
        check: 'provenance',
        code: 'hedged-evidence',
        message: `${what}: its evidence says “${hedge}”, but the value is not marked approximate: add \`approx: true\` so that the slide shows ≈`,
        ...at(['evidence']),
      },
    ]
  if (!hedge && v.approx)
    return [
      {
        severity: 'error',
        check: 'provenance',
        code: 'approx-not-in-evidence',
        message: `${what} is marked approximate, but its evidence states the value exactly: remove \`approx: true\`, or give the evidence that hedges it`,
        ...at(['approx']),
      },
    ]
  return []
}

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
  const figuresNear = valueIndex(forms)
  for (const { path, value, language } of proseTexts(brief)) {
    // Found only for a finding: finding a value's line is a walk through the document.
    const at = () => ({ file, line: loaded.locate(path).line })
    const typed = value.replace(RE_FIGURE_TOKEN, ' ').replace(RE_REF_TOKEN, ' ')
    const numbers = numbersIn(typed, { words: false }) // digits only: "seven" in prose is not a typed figure
    const typedFigures = new Set(numbers.flatMap(figuresNear))
    // In the figures' order, as they are listed in the brief.
    const typedForms = typedFigures.size === 0 ? [] : forms.filter((form) => typedFigures.has(form.id))
    for (const { id, f } of typedForms) {
      // A year typed as "2012." is 2012, never the 2.012 the figure would show without kind: year.
      const typedAs = mayBeYear(f) ? String(f.value) : formatFigure(f, brief.meta.language)
      findings.push({
        severity: 'warning',
        check: 'consistency',
        code: 'typed-number',
        message: `${typedAs} is typed here; write {fig:${id}} so that it follows the figure (and carries its footnote)${yearHint(f)}`,
        ...at(),
      })
    }
    findings.push(...typedNumberDiffers(brief, value, language, at))
    // "about {fig:share}" where the figure is already approximate reads "about ≈72.4%".
    for (const m of value.matchAll(RE_FIGURE_TOKEN)) {
      const f = Object.hasOwn(brief.figures, m[1] ?? '') ? brief.figures[m[1] ?? ''] : undefined
      const hedge = f?.approx ? hedgeBefore(value.slice(0, m.index)) : undefined
      if (hedge)
        findings.push({
          severity: 'error',
          check: 'consistency',
          code: 'double-hedge',
          message: `“${hedge} {fig:${m[1]}}” reads “${hedge} ${formatFigure(f as Figure, brief.meta.language)}”: the figure already shows ≈; drop “${hedge}”`,
          ...at(),
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

/** A figure whose value may be a year, though it does not say so (kind: year). */
function mayBeYear(f: Figure): boolean {
  return f.kind === undefined && Number.isInteger(f.value) && f.value >= 1000 && f.value <= 2199 && f.scale === undefined
}

/** For a figure that may be a year but does not say so: following the advice must give a right slide. */
function yearHint(f: Figure): string {
  return mayBeYear(f) ? '; if it is a year, give the figure kind: year, or the slide shows it as an amount, with a thousands separator' : ''
}

/**
 * Characters the slides cannot show as written: a flag emoji (regional indicator letters, or
 * a subdivision flag's tag characters), which no font of the deck draws and every output shows
 * blank; and the bidi controls that reorder the text after them, so that a slide shows
 * something else than the brief says ("evil" as "live"). Text in right-to-left scripts needs
 * none of these: the browser orders it by itself.
 */
export function glyphFindings(loaded: LoadedBrief): Finding[] {
  const findings: Finding[] = []
  for (const part of ['meta', 'figures', 'series', 'timeline', 'slides', 'references'] as const) {
    walkStrings(loaded.brief[part], [part], (value, path) => {
      const at = () => ({ file: loaded.file, line: loaded.locate(path.filter((p): p is string | number => typeof p !== 'symbol')).line })
      if (RE_FLAG.test(value))
        findings.push({
          severity: 'warning',
          check: 'readability',
          code: 'flag-emoji',
          message: "a flag emoji: the deck's fonts cannot draw it, so every output shows a blank there; name the country in words",
          ...at(),
        })
      if (RE_BIDI_OVERRIDE.test(value))
        findings.push({
          severity: 'error',
          check: 'readability',
          code: 'bidi-override',
          message: 'an invisible bidi control (U+202A–U+202E) reorders the text after it, so the slide shows other words than the brief has; remove it',
          ...at(),
        })
    })
  }
  return findings
}
/** Two regional indicator letters (🇷🇸), or a black flag with tag characters (🏴 + tags, as Scotland's). */
const RE_FLAG = /[\u{1F1E6}-\u{1F1FF}]{2}|\u{1F3F4}[\u{E0020}-\u{E007F}]+/u
const RE_BIDI_OVERRIDE = /[\u202A-\u202E]/

/**
 * The ids of the figures one of whose forms is the same value as a number (sameValue): the
 * forms sorted once and searched, so a brief of thousands of figures and strings is not
 * compared string by figure.
 */
function valueIndex(forms: readonly { id: string; values: number[] }[]): (n: number) => string[] {
  const sorted = forms.flatMap(({ id, values }) => values.map((v) => ({ v, id }))).sort((a, b) => a.v - b.v)
  return (n) => {
    // sameValue(n, v) holds only for v within a relative 1e-9 of n: a window a little wider than that.
    const low = n - Math.abs(n) * 2e-9
    let lo = 0
    let hi = sorted.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((sorted[mid]?.v ?? 0) < low) lo = mid + 1
      else hi = mid
    }
    const ids: string[] = []
    for (let i = lo; i < sorted.length && (sorted[i]?.v ?? 0) <= n + Math.abs(n) * 2e-9; i += 1) {
      const entry = sorted[i]
      if (entry && sameValue(n, entry.v)) ids.push(entry.id)
    }
    return ids
  }
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
      // As written (`original`; its types call it otherwise): Handlebars strips the line break after a standalone {{/if}} from
      // `value`, but not from where the content starts, so lines counted in `value` would be one short.
      const original: unknown = (content as unknown as { original?: unknown }).original
      const visible = (typeof original === 'string' ? original : content.value)
        .replace(RE_MARKUP, (m) => m.replace(/[^\n]/g, ' '))
        .replace(RE_LIST_NUMBER, (m) => ' '.repeat(m.length))
      const found = RE_DIGIT.exec(visible)
      if (found) {
        const line = content.loc.start.line + visible.slice(0, found.index).split('\n').length - 1
        findings.push({
          severity: 'error',
          check: 'consistency',
          code: 'template-number',
          message: 'a number is written into the template; numbers on slides must come from the brief',
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
