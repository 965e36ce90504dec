import type { WarningCode } from '../brief/fields.ts'
import type { Brief } from '../brief/schema.ts'
import type { DeckView } from '../render/view.ts'
import { escapeControls, quoted } from '../shared/errors.ts'

// What a check finds, and the report of a brief's findings: sorted by slide, warnings
// the brief silences dropped, printed for people or as JSON for CI.

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
  /** The printed output it is in, when it is in one (a finding of the handout's pages, or the notes PDF's). */
  output?: 'handout' | 'notes'
  /** Where it came from: the brief (or a template) and the line. */
  file?: string
  line?: number
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

/**
 * The report as people read it: grouped by slide, the brief-wide findings first, a summary line
 * last. Each finding and each heading is one line, whatever the brief's text holds: its line
 * breaks and the marks that reorder text show as escapes, and a slide's title is cut short.
 */
export function formatReport(report: Report): string {
  const lines: string[] = []
  const groups = new Map<string, Finding[]>()
  for (const f of report.findings) {
    const key = f.slide ? `Slide ${f.slide.number} · ${quoted(f.slide.title, TITLE_CHARS)}${f.line ? ` · ${report.brief}:${f.line}` : ''}` : 'Brief'
    groups.set(key, [...(groups.get(key) ?? []), f])
  }
  for (const [heading, findings] of groups) {
    lines.push(escapeControls(heading))
    for (const f of findings) {
      const where = !f.slide && f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : ''
      lines.push(escapeControls(`  ${f.severity.padEnd(7)}  ${f.check.padEnd(13)}  ${f.message}${where}  [${f.code}]`))
    }
  }
  for (const s of report.skipped) lines.push(escapeControls(`note: ${s}`))
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  lines.push(escapeControls(`${report.errors > 0 ? '✖' : '✔'} ${report.brief}: ${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}`))
  return lines.join('\n')
}

/** A slide's title in a report heading: enough to know the slide by. */
const TITLE_CHARS = 60
