// The words the deck itself adds (headings, labels, chart descriptions), in the deck's
// language: the slides, the printed pages and the alt texts use them. The words are the
// language's catalogue (deck/languages/); this puts the values into its texts.
import { type Catalogue, fill } from '../languages/catalogue.ts'
import { CATALOGUES, LANGUAGE_TAGS, type LanguageTag } from '../languages/languages.ts'

export interface Messages {
  agenda: string
  sources: string
  source: string
  readBrief: string
  slide: string
  page(x: number, y: number): string
  notesLines: string
  noLink: string
  quote: readonly [string, string]
  noNotes: string
  chart: { bar: string; line: string }
  about(value: string): string
  change(from: string, to: string): string
  at(value: string, x: string): string
  fold(n: number): string
  rise(percent: string): string
  fall(percent: string): string
  values: string
  undated: string
  approxNote: { bar: string; line: string }
}

function fromCatalogue({ deck, quotes }: Catalogue): Messages {
  return {
    agenda: deck.agenda,
    sources: deck.sources,
    source: deck.source,
    readBrief: deck.readBrief,
    slide: deck.slide,
    page: (x, y) => fill(deck.page, { x, y }),
    notesLines: deck.notesLines,
    noLink: deck.noLink,
    quote: quotes,
    noNotes: deck.noNotes,
    chart: { bar: deck.barChart, line: deck.lineChart },
    about: (value) => fill(deck.about, { value }),
    change: (from, to) => fill(deck.change, { from, to }),
    at: (value, x) => fill(deck.at, { value, x }),
    fold: (n) => fill(deck.fold[String(n)] ?? deck.fold.other, { n }),
    rise: (percent) => fill(deck.rise, { percent }),
    fall: (percent) => fill(deck.fall, { percent }),
    values: deck.values,
    undated: deck.undated,
    approxNote: { bar: deck.approxBar, line: deck.approxLine },
  }
}

/** Words the deck itself adds, per language. */
export const MESSAGES: Readonly<Record<LanguageTag, Messages>> = Object.fromEntries(
  LANGUAGE_TAGS.map((tag) => [tag, fromCatalogue(CATALOGUES[tag])]),
) as Record<LanguageTag, Messages>

export function messages(language: LanguageTag): Messages {
  return MESSAGES[language]
}
