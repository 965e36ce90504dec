import { closest, distance } from 'fastest-levenshtein'
import type { z } from 'zod'

import { whenEnd, whenStart } from './dates.ts'
import { MAX_TIMELINE_EVENTS, RE_BRACES, RE_FIGURE_TOKEN, RE_REF_TOKEN } from './fields.ts'
import { eventsBetween, isDated, refTokenNumbers, undatedEvents, walkStrings } from './queries.ts'
import type { BriefShape } from './schema.ts'

// What the schema checks once each part has its shape: the ids and numbers one part
// names must exist in another, periods must run forwards, variants must name slides.
// A message names what exists (the brief's ids and reference numbers), never the value
// that was written: the field's path and line locate it.

/** Checks that reach across the brief: every id and number that one part names must exist in another. */
export function crossCheck(brief: BriefShape, ctx: z.RefinementCtx): void {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message })
  const refNumbers = new Set<number>()
  brief.references.forEach((r, i) => {
    if (refNumbers.has(r.n)) issue(['references', i, 'n'], 'this reference number is used twice')
    refNumbers.add(r.n)
  })
  const existing = () => `references: ${[...refNumbers].sort((a, b) => a - b).join(', ')}`
  const checkRefs = (refs: number[] | undefined, path: PropertyKey[]) =>
    refs?.forEach((n, i) => {
      if (!refNumbers.has(n)) issue([...path, i], `no reference has this number (${existing()})`)
    })
  for (const [key, f] of Object.entries(brief.figures)) checkRefs(f.refs, ['figures', key, 'refs'])
  for (const [key, series] of Object.entries(brief.series ?? {})) {
    checkRefs(series.refs, ['series', key, 'refs'])
    if (series.refs === undefined && series.points.some((p) => p.value !== undefined)) {
      issue(['series', key], 'values given in the series need `refs`: the footnote numbers of their source (an empty list credits the brief)')
    }
  }
  brief.timeline?.forEach((e, i) => checkRefs(e.refs, ['timeline', i, 'refs']))

  const figureIds = Object.keys(brief.figures)
  const checkFigure = (fid: string, path: PropertyKey[], inText = false) => {
    if (!Object.hasOwn(brief.figures, fid))
      issue(
        path,
        `${inText ? 'a {fig:…} in this text' : 'this'} names a figure that does not exist${nearest(fid, figureIds, inText)} (figures: ${listed(figureIds)})`,
      )
  }
  for (const [key, series] of Object.entries(brief.series ?? {})) {
    series.points.forEach((p, i) => {
      if (p.figure !== undefined) checkFigure(p.figure, ['series', key, 'points', i, 'figure'])
    })
  }
  const seriesIds = Object.keys(brief.series ?? {})
  const slideIds = new Set<string>()
  brief.slides.forEach((s, i) => {
    if (slideIds.has(s.id)) issue(['slides', i, 'id'], 'this slide id is used twice')
    slideIds.add(s.id)
    if (s.layout === 'figure') checkFigure(s.figure, ['slides', i, 'figure'])
    if (s.layout === 'comparison') s.figures.forEach((f, j) => checkFigure(f, ['slides', i, 'figures', j]))
    if (s.layout === 'quote') checkRefs(s.refs, ['slides', i, 'refs'])
    if (s.layout === 'chart' && !seriesIds.includes(s.series)) {
      issue(
        ['slides', i, 'series'],
        `this names a series that does not exist (${seriesIds.length > 0 ? `series: ${listed(seriesIds)}` : 'the brief has no `series`'})`,
      )
    }
    if (s.layout === 'timeline') timelineChecks(brief, s, i, issue)
  })
  undatedChecks(brief, issue)
  for (const [name, variant] of Object.entries(brief.variants ?? {})) {
    const seen = new Set<string>()
    variant.slides?.forEach((sid, j) => {
      if (!slideIds.has(sid)) issue(['variants', name, 'slides', j], `this names a slide that does not exist (slides: ${listed([...slideIds])})`)
      if (seen.has(sid)) issue(['variants', name, 'slides', j], 'this slide is listed twice')
      seen.add(sid)
    })
  }
  walkStrings(brief, [], (value, path) => {
    for (const message of bracesProblems(value, figureIds)) issue(path, message)
    for (const m of value.matchAll(RE_FIGURE_TOKEN)) checkFigure(m[1] ?? '', path, true)
    // A token in a text is reported at the text's own line, naming the token.
    for (const m of value.matchAll(RE_REF_TOKEN)) {
      for (const n of refTokenNumbers(m[1] ?? '')) if (!refNumbers.has(n)) issue(path, `a footnote marker in this text names no reference (${existing()})`)
    }
  })
}

/** Braces in a text that are no placeholder would reach the slide as they are ("{fig:Agreements} agreements"). */
function bracesProblems(text: string, figureIds: readonly string[]): string[] {
  const hintFor = (token: string) => {
    const name = (RE_LOOSE_FIGURE.exec(token) ?? RE_OTHER_KEY.exec(token))?.[1]
    return name === undefined ? '' : nearest(looseId(name), figureIds, true, true)
  }
  const problems = [...text.matchAll(RE_BRACES)]
    .map((m) => m[0])
    .filter((token) => !RE_WHOLE_FIGURE_TOKEN.test(token) && !RE_WHOLE_REF_TOKEN.test(token))
    .map(
      (token) => `a {…} in this text is no placeholder: write {fig:<figure id>} or {ref:<reference numbers>}, in lower case, without spaces${hintFor(token)}`,
    )
  // A placeholder broken open or doubled: "{fig:x." "fig:x}" or "{{fig:x}}" would reach the slide as written.
  // (A lone brace in prose is prose.)
  if (RE_DOUBLED_TOKEN.test(text) || RE_HALF_TOKEN.test(text.replace(RE_BRACES, ' '))) {
    const name = RE_BROKEN_FIGURE.exec(text)?.[1]
    const hint = name === undefined ? '' : nearest(looseId(name), figureIds, true, true)
    problems.push(`a brace in this text opens or closes no placeholder: write {fig:<figure id>} with one brace on each side${hint}`)
  }
  return problems
}

/** The placeholders a {…} in a text may be: a whole {fig:id} or {ref:n}. */
const RE_WHOLE_FIGURE_TOKEN = new RegExp(`^${RE_FIGURE_TOKEN.source}$`)
const RE_WHOLE_REF_TOKEN = new RegExp(`^${RE_REF_TOKEN.source}$`)
/** A figure placeholder written loosely: `{ fig : Agreements }`, `{fig:agree_ments}`. */
const RE_LOOSE_FIGURE = /^\{\s*fig\w*\s*[:=]?\s*([^}]*?)\s*\}$/i
/** Any `{key:name}`, as `{fgi:subsidies}`: its name may still be a figure's. */
const RE_OTHER_KEY = /^\{\s*(?!ref\b)\p{L}+\s*[:=]\s*([^}]*?)\s*\}$/iu
const RE_DOUBLED_TOKEN = /\{\{\s*(?:fig|ref)\s*:|(?:fig|ref)\s*:[^{}\n]*\}\}/i
const RE_HALF_TOKEN = /\{\s*(?:fig|ref)\s*:|(?:fig|ref)\s*:\s*[\p{L}\p{N}_,\s-]*\}/iu
/** The id in a figure placeholder broken open: "{fig:subsidies." "{{fig:subsidies}}". */
const RE_BROKEN_FIGURE = /fig\s*:\s*([\p{L}\p{N}_-]+)/iu
const looseId = (name: string) => name.toLowerCase().replace(/[\s_]+/g, '-')
/** Within this many edits, an existing id is suggested for a mistyped one. */
const MOST_EDITS = 3

/**
 * `; did you mean x?` (`{fig:x}` in a text) for the existing id nearest `name`, if one is within
 * MOST_EDITS (or, with `exact`, when `name` loosened is one).
 */
function nearest(name: string, ids: readonly string[], token: boolean, exact = false): string {
  if (ids.length === 0) return ''
  const near = closest(name, [...ids])
  if (!(exact && ids.includes(name)) && distance(name, near) > MOST_EDITS) return ''
  return `; did you mean ${token ? `{fig:${near}}` : near}?`
}

/** A list for a message: the first few names, and how many more. */
function listed(names: readonly string[], most = 12): string {
  return names.length <= most ? names.join(', ') : `${names.slice(0, most).join(', ')} and ${names.length - most} more`
}

type Issue = (path: PropertyKey[], message: string) => void
type TimelineSlide = Extract<BriefShape['slides'][number], { layout: 'timeline' }>

/** A timeline slide's period runs forwards and holds what one slide can show. */
function timelineChecks(brief: BriefShape, s: TimelineSlide, i: number, issue: Issue): void {
  if (s.from !== undefined && s.to !== undefined && whenStart(s.from) > whenEnd(s.to))
    issue(['slides', i, 'from'], '"from" comes after "to": the period runs backwards')
  else {
    const dated = eventsBetween(brief.timeline ?? [], s.from, s.to).length
    const undated = undatedEvents(brief.timeline ?? [], s.to).length
    if (dated + undated === 0) issue(['slides', i], "no event of the timeline falls in this slide's range, so the slide would be empty")
    if (dated > MAX_TIMELINE_EVENTS) {
      issue(
        ['slides', i],
        `${dated} events fall in this slide's range; one slide shows at most ${MAX_TIMELINE_EVENTS}: split it in two with \`from\` and \`to\``,
      )
    }
    if (undated > MAX_TIMELINE_EVENTS)
      issue(['slides', i], `${undated} events have no date and are listed after this slide; one slide lists at most ${MAX_TIMELINE_EVENTS}`)
  }
}

/** An event without a date is listed after a timeline slide that runs to the end: there must be one. */
function undatedChecks(brief: BriefShape, issue: Issue): void {
  const timelines = brief.slides.filter((s) => s.layout === 'timeline')
  const firstUndated = (brief.timeline ?? []).findIndex((e) => !isDated(e))
  if (firstUndated >= 0 && timelines.length > 0 && timelines.every((s) => s.to !== undefined))
    issue(
      ['timeline', firstUndated],
      'this event has no date the timeline can place, so it is listed after a timeline slide that runs to the end; every timeline slide here has `to`: leave it out of the last one',
    )
}
