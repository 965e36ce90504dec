import type { LoadedBrief } from '../brief/brief.ts'
import { LANGUAGES, RE_FIGURE_TOKEN, RE_REF_TOKEN } from '../brief/fields.ts'
import { walkStrings } from '../brief/queries.ts'
import type { Brief, Figure, Language } from '../brief/schema.ts'
import { formatFigure, formatNumber } from '../render/format.ts'
import type { SourceDocument } from './brief-checks.ts'
import { displayQuantity, numbersIn, type Quantity, sameValue, SMALLEST_TYPED, type TypedNumber, typedNumbers } from './provenance.ts'
import { type Finding } from './report.ts'
import { languagesOf } from './units.ts'

// Numbers typed into the brief's prose instead of written as {fig:…}: one the source does
// not give (provenance), and one that contradicts the figure beside it (consistency).

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
/** The texts of a brief shown as prose (slides, notes, handouts, labels), each with its path and the language it is in. */
export function proseTexts(brief: Brief): { path: (string | number)[]; value: string; language: string }[] {
  const prose: { path: (string | number)[]; value: string; language: string }[] = []
  for (const part of ['meta', 'figures', 'series', 'timeline', 'slides'] as const) {
    walkStrings(brief[part], [part], (value, path) => {
      if (path.some((p) => typeof p === 'string' && NOT_PROSE.has(p)) || (path[0] === 'meta' && path[1] === 'source')) return
      const last = path.at(-1)
      // A text in several languages ({ en: …, sr: … }) is read in each one's words.
      const language = typeof last === 'string' && (LANGUAGES as readonly string[]).includes(last) ? last : brief.meta.language
      prose.push({ path: path.filter((p): p is string | number => typeof p !== 'symbol'), value, language })
    })
  }
  return prose
}

/** A text with its {fig:…} and {ref:…} tokens blanked out, every other character where it was. */
export function withoutTokens(text: string): string {
  return text.replace(RE_FIGURE_TOKEN, (m) => ' '.repeat(m.length)).replace(RE_REF_TOKEN, (m) => ' '.repeat(m.length))
}

const SCALE_WORD: Record<number, string> = { 1e3: ' thousand', 1e6: ' million', 1e9: ' billion', 1e12: ' trillion' }

/** A typed number as a message names it: 35 billion EUR, 66%, a year as written (2012, never 2.012). */
function typedShown(t: TypedNumber, language: Language): string {
  const number = t.year ? String(t.value) : formatNumber(t.value, language)
  return `${number}${SCALE_WORD[t.quantity.scale] ?? ''}${t.quantity.percent ? '%' : ''}${t.quantity.currency ? ` ${t.quantity.currency}` : ''}`
}

/**
 * Numbers typed into prose that the source does not give, in digits or in words ("35
 * milijardi", "twenty-eight"): a slide must not show a number the source does not have.
 */
export function numbersNotInSource(loaded: LoadedBrief, source: SourceDocument): Finding[] {
  const { brief, file } = loaded
  const known = new Set(numbersIn(source.text).map(valueKey))
  const findings: Finding[] = []
  for (const { path, value, language } of proseTexts(brief)) {
    // Speaker notes are never shown, and hold cues about the talk ("about fifteen minutes").
    if (path.includes('notes')) continue
    // A number that contradicts the figure beside it is said once, by typed-number-differs.
    const reported = new Set<number>(contradictions(brief, value, language).map((c) => c.t.amount))
    for (const t of typedNumbers(withoutTokens(value), languagesOf(language))) {
      const found = known.has(valueKey(t.amount)) || (t.quantity.scale === 1 && known.has(valueKey(t.value)))
      if (found || reported.has(t.amount)) continue
      reported.add(t.amount)
      const meant = nearestFigure(brief, t)
      const suggestion = meant ? `write {fig:${meant.id}} (${formatFigure(meant.f, brief.meta.language)}) if that is the number meant; else ` : ''
      // A small count in words ("the two funds") is as often a way of speaking as a figure: a warning, which names the word.
      const count = t.word !== undefined && t.quantity.scale === 1 && !t.quantity.percent && !t.quantity.currency && t.value < SMALLEST_TYPED
      findings.push({
        severity: count ? 'warning' : 'error',
        check: 'provenance',
        code: count ? 'count-not-in-source' : 'number-not-in-source',
        message: `${t.word === undefined ? typedShown(t, brief.meta.language) : `“${t.word}” (${typedShown(t, brief.meta.language)})`} is typed here, but ${source.file} does not give it: ${suggestion}add it as a figure with its evidence and write {fig:…}, or remove it`,
        file,
        line: loaded.locate(path).line,
      })
    }
  }
  return findings
}

/** A value as a set key: the same number, whatever floating point made of it (1470 × 1e9). */
function valueKey(v: number): number {
  return Number(v.toPrecision(12))
}

/** Do a typed number and a figure count the same kind of thing: both percentages, the same currency, or both in a scale? */
function sameUnit(typed: Quantity, shown: Quantity): boolean {
  if (typed.percent || shown.percent) return typed.percent && shown.percent
  if (typed.currency || shown.currency) return typed.currency === shown.currency
  // Neither names a currency: alike when both count in a scale (millions of people beside billions of them).
  return typed.scale > 1 && shown.scale > 1
}

/** The ratio of two amounts, as a distance: 67 and 76 are near, 8.1 and 76 far. */
function ratioDistance(a: number, b: number): number {
  const d = Math.abs(Math.log(Math.abs(a) / Math.abs(b)))
  return Number.isFinite(d) ? d : Infinity
}

/**
 * The numbers typed beside a figure, in the same unit, that are not the figure's value: "35
 * milijardi eura" in a sentence with {fig:total} of 53 billion euros, "66 %" beside 60%. Each
 * with the figure of the text in that unit nearest it in value (a mistyped copy of it, most likely).
 */
function contradictions(brief: Brief, text: string, language: string): { t: TypedNumber; id: string; f: Figure }[] {
  const figures = [...text.matchAll(RE_FIGURE_TOKEN)].flatMap((m) => {
    const id = m[1] ?? ''
    const f = Object.hasOwn(brief.figures, id) ? brief.figures[id] : undefined
    if (!f) return []
    const shown = displayQuantity(f)
    return [{ id, f, shown, amount: f.value * shown.scale }]
  })
  if (figures.length === 0) return []
  return typedNumbers(withoutTokens(text), languagesOf(language)).flatMap((t) => {
    const alike = figures.filter((fig) => sameUnit(t.quantity, fig.shown))
    if (alike.length === 0 || alike.some((fig) => sameValue(t.amount, fig.amount))) return []
    const nearest = alike.reduce((a, b) => (ratioDistance(t.amount, b.amount) < ratioDistance(t.amount, a.amount) ? b : a))
    return [{ t, id: nearest.id, f: nearest.f }]
  })
}

/** A number typed beside a figure in its unit with another value: an error naming the figure and its value. */
export function typedNumberDiffers(brief: Brief, text: string, language: string, at: () => { file: string; line: number }): Finding[] {
  const lang = brief.meta.language
  return contradictions(brief, text, language).map(({ t, id, f }) => {
    // The figure it is nearest to may be another than the one beside it: "€76 billion" for a GDP of €67 billion beside €8.1 billion.
    const meant = nearestFigure(brief, t)
    const write = meant && meant.id !== id ? `{fig:${meant.id}} (${formatFigure(meant.f, lang)}) or {fig:${id}}` : `{fig:${id}}`
    return {
      severity: 'error',
      check: 'consistency',
      code: 'typed-number-differs',
      message: `${typedShown(t, lang)} is typed beside {fig:${id}}, which is ${formatFigure(f, lang)}: write ${write} if it is meant, or add the other number as a figure with its evidence`,
      ...at(),
    }
  })
}

/** The figure of the brief in the same unit as a typed number and nearest it in value, if any: the one it may be a mistyped copy of. */
function nearestFigure(brief: Brief, t: TypedNumber): { id: string; f: Figure } | undefined {
  let best: { id: string; f: Figure; distance: number } | undefined
  for (const [id, f] of Object.entries(brief.figures)) {
    const shown = displayQuantity(f)
    if (!sameUnit(t.quantity, shown)) continue
    const distance = ratioDistance(t.amount, f.value * shown.scale)
    if (distance < Infinity && (!best || distance < best.distance)) best = { id, f, distance }
  }
  return best
}
