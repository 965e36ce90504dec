// The words the deck itself adds (headings, labels, chart descriptions), in each language
// a brief may be written in: the slides, the printed pages and the alt texts use them.
import type { Language } from '../brief/schema.ts'

/** Numbers said with a vowel first: an eight-fold, an 11-fold, an 18-fold, an 80-fold rise. */
const RE_AN = /^(eight|8\d*$|11$|18$)/

/** Words the deck itself adds, per language. */
export const MESSAGES = {
  en: {
    agenda: 'Outline',
    sources: 'Sources',
    source: 'Source',
    readBrief: 'The full brief',
    slide: 'Slide',
    page: (x: number, y: number) => `Page ${x} of ${y}`,
    notesLines: 'Space for your notes',
    noLink: 'no link available',
    quote: ['“', '”'],
    noNotes: 'No speaker notes for this slide.',
    chart: { bar: 'Bar chart', line: 'Line chart' },
    about: (value: string) => `about ${value}`,
    change: (from: string, to: string) => `from ${from} to ${to}`,
    at: (value: string, x: string) => `${value} in ${x}`,
    fold: (n: number) => {
      const word = n <= 10 ? (['two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'][n - 2] ?? String(n)) : String(n)
      return `${RE_AN.test(word) ? 'an' : 'a'} ${word}-fold rise`
    },
    rise: (percent: string) => `a rise of ${percent}`,
    fall: (percent: string) => `a fall of ${percent}`,
    values: 'Values',
    undated: 'Without an exact date:',
    approxNote: { bar: '≈ approximate value, drawn lighter', line: '≈ approximate value' },
  },
  sr: {
    agenda: 'Pregled',
    sources: 'Izvori',
    source: 'Izvor',
    readBrief: 'Ceo tekst analize',
    slide: 'Slajd',
    page: (x: number, y: number) => `Strana ${x} od ${y}`,
    notesLines: 'Prostor za beleške',
    noLink: 'link nije dostupan',
    quote: ['„', '“'],
    noNotes: 'Nema beleški za ovaj slajd.',
    chart: { bar: 'Stubičasti grafikon', line: 'Linijski grafikon' },
    about: (value: string) => `oko ${value}`,
    change: (from: string, to: string) => `od ${from} do ${to}`,
    at: (value: string, x: string) => `${value} (${x})`,
    fold: (n: number) =>
      n <= 10 ? `${['dvo', 'tro', 'četvoro', 'peto', 'šesto', 'sedmo', 'osmo', 'devet', 'deset'][n - 2] ?? ''}struki rast` : `rast od ${n} puta`,
    rise: (percent: string) => `rast od ${percent}`,
    fall: (percent: string) => `pad od ${percent}`,
    values: 'Vrednosti',
    undated: 'Bez tačnog datuma:',
    approxNote: { bar: '≈ približna vrednost, svetliji stubac', line: '≈ približna vrednost' },
  },
} as const satisfies Record<Language, Record<string, unknown>>

export type Messages = (typeof MESSAGES)[Language]

export function messages(language: Language): Messages {
  return MESSAGES[language]
}
