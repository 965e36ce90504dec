import type { LoadedBrief } from '../brief/brief.ts'
import { LANGUAGES, RE_FIGURE_TOKEN, RE_REF_TOKEN } from '../brief/fields.ts'
import { walkStrings } from '../brief/queries.ts'
import type { Brief, Language } from '../brief/schema.ts'
import { formatFigure, formatNumber } from '../render/text.ts'
import type { SourceDocument } from './brief-checks.ts'
import { displayQuantity, numbersIn, type Quantity, sameValue, type TypedNumber, typedNumbers } from './provenance.ts'
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
    const reported = new Set<number>()
    for (const t of typedNumbers(withoutTokens(value), languagesOf(language))) {
      const found = known.has(valueKey(t.amount)) || (t.quantity.scale === 1 && known.has(valueKey(t.value)))
      if (found || reported.has(t.amount)) continue
      reported.add(t.amount)
      findings.push({
        severity: 'error',
        check: 'provenance',
        code: 'number-not-in-source',
        message: `${typedShown(t, brief.meta.language)} is typed here, but ${source.file} does not give it: write it as a figure ({fig:…}) with its evidence, or remove it`,
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
  if (typed.currency && shown.currency) return typed.currency === shown.currency
  // One says its currency and the other does not: alike when both count in a scale ("35 milijardi" beside €53 billion).
  return typed.scale > 1 && shown.scale > 1
}

/**
 * A number typed beside a figure, in the same unit, that is not the figure's value: "35
 * milijardi eura" in a sentence with {fig:total} of 53 billion euros, "66 %" beside 60%.
 */
export function typedNumberDiffers(brief: Brief, text: string, language: string, at: () => { file: string; line: number }): Finding[] {
  const figures = [...text.matchAll(RE_FIGURE_TOKEN)].flatMap((m) => {
    const id = m[1] ?? ''
    const f = Object.hasOwn(brief.figures, id) ? brief.figures[id] : undefined
    if (!f) return []
    const shown = displayQuantity(f)
    return [{ id, f, index: m.index, shown, amount: f.value * shown.scale }]
  })
  if (figures.length === 0) return []
  const findings: Finding[] = []
  for (const t of typedNumbers(withoutTokens(text), languagesOf(language))) {
    const alike = figures.filter((fig) => sameUnit(t.quantity, fig.shown))
    if (alike.length === 0 || alike.some((fig) => sameValue(t.amount, fig.amount))) continue
    const nearest = alike.reduce((a, b) => (Math.abs(b.index - t.index) < Math.abs(a.index - t.index) ? b : a))
    findings.push({
      severity: 'error',
      check: 'consistency',
      code: 'typed-number-differs',
      message: `${typedShown(t, brief.meta.language)} is typed beside {fig:${nearest.id}}, which is ${formatFigure(nearest.f, brief.meta.language)}: write {fig:${nearest.id}} if it is meant, or make the other number a figure with its evidence`,
      ...at(),
    })
  }
  return findings
}
