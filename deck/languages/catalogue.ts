// What a language file holds. One file per language (en.ts, bs.ts, …) fills this in as
// data: the deck's own words, its quotation marks, and the words its texts write numbers,
// scales, currencies, percentages, hedges and months in, which the provenance check reads.
// Numbers, dates and plurals are never here: they come from Intl (Node's ICU, CLDR data).

export const CURRENCY_CODES = ['EUR', 'USD', 'GBP', 'CNY', 'RSD', 'BAM', 'MKD', 'ALL', 'HRK'] as const
export type CurrencyCode = (typeof CURRENCY_CODES)[number]

/** What one of the scale words stands for: a thousand, a million, a billion (10⁹), a trillion (10¹²). */
export type ScaleFactor = 1e3 | 1e6 | 1e9 | 1e12

/** The words a language's texts write quantities in. A string of several forms separates them with "|". */
export interface NumberWords {
  /**
   * Scale words after a number, every case form and abbreviation. Note the long scale of the
   * region's languages: "bilion" (sr, bs, sq, mk; hr "bilijun") is 10¹², "milijarda" 10⁹; their
   * "trilion" (10¹⁸, where English "trillion" is 10¹²) is not read.
   */
  scales: Partial<Record<ScaleFactor, readonly string[]>>
  /** Currency names, every case form (matched without regard to case). */
  currencies: Partial<Record<CurrencyCode, readonly string[]>>
  /** Words after a number that make it a percentage. */
  percent: readonly string[]
  /** Words before a number that say it is not exact. */
  hedges: readonly string[]
  /** The numbers 0 to 19, in order; each entry's forms (gender, variants) separated by "|", the form the deck writes first. */
  units: readonly string[]
  /** 20, 30 … 90, in order (forms separated by "|", the form the deck writes first). */
  tens: readonly string[]
  /** 100, the form the deck writes first. */
  hundred: readonly string[]
  /** Words that may join tens and units when reading ("dvadeset i pet", "njëzet e pesë"). */
  joiners: readonly string[]
  /** How the deck joins tens and units when it writes a number in words: "-" (twenty-eight), " " (dvadeset osam), " e " (njëzet e tetë). */
  join: string
  /** The months, January first, each with the case forms dates use ("8. maja", "16. svibnja", "Μαΐου"), separated by "|". */
  months: readonly string[]
}

/** The words the deck itself adds. `{name}` marks where a value goes. */
export interface DeckWords {
  /** Title of the agenda slide when the brief gives none. */
  agenda: string
  /** Title of the sources slide, and the lead of a credit line citing several. */
  sources: string
  /** The lead of a credit line: "Source: …". */
  source: string
  /** The link to the brief itself on the closing slide. */
  readBrief: string
  /** "Slide" before a slide's number in the printed pages. */
  slide: string
  /** Page numbers: `{x}` of `{y}`. */
  page: string
  /** Label of the ruled lines in the handout. */
  notesLines: string
  /** A reference without a URL. */
  noLink: string
  /** A slide without speaker notes, in the notes PDF. */
  noNotes: string
  /** The first words of a chart's description. */
  barChart: string
  lineChart: string
  /** An approximate number said in words: about `{value}`. */
  about: string
  /** A change between two values: from `{from}` to `{to}`. */
  change: string
  /** A value at a point of a chart: `{value}` in `{x}`. */
  at: string
  /** A rise of 2 to 10 times, by factor ("2" … "10"), and `other` for any other factor `{n}`. */
  fold: Readonly<Record<string, string>> & { other: string }
  /** A rise or fall by `{percent}`. */
  rise: string
  fall: string
  /** Lead of the list of a chart's values in its description. */
  values: string
  /** Lead of the timeline's events without an exact date. */
  undated: string
  /** The legend of approximate values under a bar chart and a line chart. */
  approxBar: string
  approxLine: string
}

export interface Catalogue {
  /** The tag a brief writes in `language`. */
  tag: string
  /** The language's name in itself. */
  name: string
  /** The full BCP 47 tag written into every output (HTML lang, PDF, PowerPoint) and given to Intl. */
  locale: string
  /** The script its texts are written in (ISO 15924). */
  script: 'Latn' | 'Cyrl' | 'Grek'
  /** The letters of its alphabet beyond A–Z (both cases): a font that lacks one cannot set the language. */
  letters: string
  /** Its quotation marks: opening and closing. */
  quotes: readonly [string, string]
  deck: DeckWords
  numbers: NumberWords
}

/** Table entries written as one line: "nula jedan|jedna dva" → ["nula", "jedan|jedna", "dva"]. */
export function list(entries: string): readonly string[] {
  return entries.split(' ')
}

/** The words of a table entry: "dva|dve" → ["dva", "dve"]. */
export function forms(entry: string): string[] {
  return entry.split('|')
}

const RE_PLACE = /\{(\w+)\}/g

/** A catalogue text with its values put in: fill('Page {x} of {y}', { x: 1, y: 9 }) → "Page 1 of 9". */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(RE_PLACE, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole))
}

/** Words as one regular-expression alternation, longest first, a space in a phrase matching any spacing. */
export function alternation(words: Iterable<string>): string {
  return [...new Set(words)]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'))
    .join('|')
}
