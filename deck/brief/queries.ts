import { DeckError, ExitCode } from '../shared/errors.ts'
import { placeable, whenEnd, whenStart } from './dates.ts'
import { RE_REF_TOKEN } from './fields.ts'
import type { Brief, Figure, Slide } from './schema.ts'

// Questions asked of a valid brief: a figure by its id, a variant's slides, the events
// of a period, the references it cites, every string it holds.

/**
 * The figure a user-given id names. Only the brief's own ids count: `constructor` or
 * `toString` name nothing, whatever every JavaScript object inherits.
 */
export function figureById(brief: Pick<Brief, 'figures'>, id: string): Figure {
  const figure = Object.hasOwn(brief.figures, id) ? brief.figures[id] : undefined
  if (figure === undefined) throw new DeckError(`figure "${id}" does not exist`, { exitCode: ExitCode.internal }) // the schema reports it first
  return figure
}

/** The brief as the variant `name` presents it: its slides, in its order (the same slide objects). */
export function selectVariant(brief: Brief, name: string): Brief {
  const variant = brief.variants?.[name]
  if (!variant) throw new Error(`no variant ${name}`)
  if (!variant.slides) return brief
  const byId = new Map(brief.slides.map((s) => [s.id, s]))
  return { ...brief, slides: variant.slides.map((sid) => byId.get(sid) as Slide) }
}

/** Whether an event has a date the timeline can place, or a span of years (a period in words, or none, it cannot). */
export function isDated<E extends { when?: string | undefined }>(event: E): event is E & { when: string } {
  return event.when !== undefined && placeable(event.when)
}

/** The dated events from `from` to `to` (both inclusive; either may be left out), in the order of the timeline. */
export function eventsBetween<E extends { when?: string | undefined }>(events: readonly E[], from?: string, to?: string): (E & { when: string })[] {
  const start = from === undefined ? -Infinity : whenStart(from)
  const end = to === undefined ? Infinity : whenEnd(to)
  return events.filter(isDated).filter((e) => whenStart(e.when) >= start && whenStart(e.when) <= end)
}

/**
 * The events a timeline slide lists after its line, in the order of the timeline: those
 * with a period in words or no time at all. A slide that runs to the end (no `to`) lists them.
 */
export function undatedEvents<E extends { when?: string | undefined }>(events: readonly E[], to?: string): E[] {
  return to === undefined ? events.filter((e) => !isDated(e)) : []
}

/** `3, 6` → [3, 6]. */
export function refTokenNumbers(list: string): number[] {
  return list.split(',').map((n) => Number(n.trim()))
}

/** Every reference number the brief cites: by figures, series, events, quotes and `{ref:…}` in text. */
export function citedReferences(brief: Brief): Set<number> {
  const cited = new Set<number>()
  const add = (refs: readonly number[] | undefined) => refs?.forEach((n) => cited.add(n))
  for (const f of Object.values(brief.figures)) add(f.refs)
  for (const s of Object.values(brief.series ?? {})) add(s.refs)
  for (const e of brief.timeline ?? []) add(e.refs)
  for (const s of brief.slides) if (s.layout === 'quote') add(s.refs)
  walkStrings(brief, [], (value) => {
    for (const m of value.matchAll(RE_REF_TOKEN)) add(refTokenNumbers(m[1] ?? ''))
  })
  return cited
}

/** Calls `visit` with every string of `value` and its path. */
export function walkStrings(value: unknown, path: PropertyKey[], visit: (s: string, path: PropertyKey[]) => void): void {
  if (typeof value === 'string') visit(value, path)
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, [...path, i], visit))
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walkStrings(v, [...path, k], visit)
}
