import { describe, expect, it } from 'vitest'

import { loadBrief } from '../deck/brief/brief.ts'
import { type Catalogue, fill, forms } from '../deck/languages/catalogue.ts'
import { catalogue, CATALOGUES, LANGUAGE_TAGS, languageTag } from '../deck/languages/languages.ts'
import { formatFigure, formatWhen, numberWord } from '../deck/render/format.ts'
import { messages } from '../deck/render/messages.ts'
import { fixture } from './helpers.ts'

// Every language is one catalogue file: these tests read each of them the way the deck will.

/** Every path to a leaf of a catalogue: "deck.page", "numbers.units.3", "deck.fold.other". */
function leaves(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null) return [path]
  return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k))
}

const RE_PLACEHOLDER = /\{(\w+)\}/g
const placeholders = (text: string) => [...text.matchAll(RE_PLACEHOLDER)].map((m) => m[1]).sort()

describe('the language catalogues', () => {
  const english = CATALOGUES.en

  it.each(LANGUAGE_TAGS)('%s has every deck word the English one has, with the same placeholders', (tag) => {
    const own = CATALOGUES[tag]
    const englishKeys = Object.keys(english.deck).filter((k) => k !== 'fold')
    const missing = englishKeys.filter(
      (k) => typeof (own.deck as unknown as Record<string, unknown>)[k] !== 'string' || (own.deck as unknown as Record<string, string>)[k] === '',
    )
    expect(missing).toEqual([])
    for (const key of englishKeys) {
      const mine = (own.deck as unknown as Record<string, string>)[key] ?? ''
      expect({ key, places: placeholders(mine) }).toEqual({ key, places: placeholders((english.deck as unknown as Record<string, string>)[key] ?? '') })
    }
    expect(placeholders(own.deck.fold.other)).toEqual(['n'])
    for (const n of [2, 3, 4, 5, 6, 7, 8, 9, 10]) expect(own.deck.fold[String(n)], `${tag} fold ${n}`).toBeTruthy()
  })

  it.each(LANGUAGE_TAGS)('%s has the number words of every kind the English one has', (tag) => {
    const own = CATALOGUES[tag].numbers
    expect(own.units).toHaveLength(20)
    expect(own.tens).toHaveLength(8)
    expect(own.months).toHaveLength(12)
    expect(own.hundred.length).toBeGreaterThan(0)
    for (const scale of [1e3, 1e6, 1e9] as const) expect(own.scales[scale]?.length, `${tag} scale ${scale}`).toBeGreaterThan(0)
    expect(own.currencies.EUR?.length, `${tag} euro`).toBeGreaterThan(0)
    expect(own.percent.length).toBeGreaterThan(0)
    expect(own.hedges.length).toBeGreaterThan(0)
    // Every leaf is text with no stray spaces: a word with a space at its end would never match.
    const words = leaves(own).map((path) => path.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], own))
    expect(words.filter((w) => typeof w !== 'string' || (w !== CATALOGUES[tag].numbers.join && w !== w.trim()))).toEqual([])
  })

  it.each(LANGUAGE_TAGS)('%s names a locale Intl has data for, and the script its words are written in', (tag) => {
    const own: Catalogue = CATALOGUES[tag]
    expect(Intl.getCanonicalLocales(own.locale)).toEqual([own.locale])
    expect(Intl.NumberFormat.supportedLocalesOf(own.locale)).toEqual([own.locale])
    expect(own.locale.startsWith(tag.split('-')[0] ?? tag)).toBe(true)
    const letters = Object.values(own.deck)
      .filter((v): v is string => typeof v === 'string')
      .join(' ')
      .replace(/\{\w+\}/g, '')
    const script = { Latn: /\p{Script=Latin}/u, Cyrl: /\p{Script=Cyrillic}/u, Grek: /\p{Script=Greek}/u }
    for (const [name, re] of Object.entries(script)) {
      const found = [...letters].filter((c) => re.test(c)).length
      if (name === own.script) expect(found, `${tag} in ${name}`).toBeGreaterThan(20)
      else expect(found, `${tag} has ${name} letters`).toBe(0)
    }
  })

  it('the tag a brief writes: sr is Serbian in the Latin script, an unknown tag is none', () => {
    expect(languageTag('sr')).toBe('sr-Latn')
    expect(languageTag('sr-Cyrl')).toBe('sr-Cyrl')
    expect(languageTag('fr')).toBeUndefined()
    expect(languageTag('constructor')).toBeUndefined()
    expect(() => catalogue('fr')).toThrow(/no catalogue/)
  })

  it('fills in placeholders and leaves a name it was not given as written', () => {
    expect(fill('Page {x} of {y}', { x: 1, y: 9 })).toBe('Page 1 of 9')
    expect(fill('{value} in {x}', { value: '≈5' })).toBe('≈5 in {x}')
  })
})

describe('the deck’s words in each language', () => {
  it('page numbers, chart descriptions and the undated lead in the language’s own words', () => {
    expect(messages('bs').page(2, 9)).not.toMatch(/Page|Strana 2/)
    expect(messages('hr').page(2, 9)).toMatch(/2.*9/)
    expect(messages('en').fold(8)).toBe('an eight-fold rise')
    expect(messages('en').fold(18)).toBe('an 18-fold rise')
    expect(messages('en').fold(12)).toBe('a 12-fold rise')
    expect(messages('sr-Latn').fold(12)).toBe('rast od 12 puta')
  })

  it('Bosnian and Croatian are ijekavian: none of the deck’s own words is ekavian', () => {
    const ekavian = /\b(ceo|beleš\p{L}*|vrednost\p{L}*|svetli\p{L}*|pregledno)\b/iu
    for (const tag of ['bs', 'hr'] as const) {
      const words = leaves(CATALOGUES[tag].deck).map((path) =>
        path.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], CATALOGUES[tag].deck),
      )
      expect(
        words.filter((w) => typeof w === 'string' && ekavian.test(w)),
        tag,
      ).toEqual([])
    }
  })

  it('numbers and dates come from CLDR: grouping, decimal commas, month names in their case', () => {
    expect(formatFigure({ value: 14500 }, 'bs')).toBe('14.500')
    expect(formatFigure({ value: 14500 }, 'el')).toBe('14.500')
    expect(formatFigure({ value: 0.5, decimals: 1 }, 'mk')).toBe('0,5')
    expect(formatWhen('2024-05-08', 'hr')).toBe('8.\u00A0svibnja\u00A02024.')
    expect(formatWhen('2024-05', 'el')).toBe('Μάιος\u00A02024')
    expect(formatWhen('2024-05', 'sr-Cyrl')).toBe('мај\u00A02024.')
    expect(formatWhen('2024', 'mk')).toBe('2024\u00A0г.')
  })

  it.each(LANGUAGE_TAGS)('%s writes every whole number from 0 to 100 in words that its own tables read back', (tag) => {
    const read = new Map<string, number>()
    const own = CATALOGUES[tag].numbers
    own.units.forEach((entry, n) => forms(entry).forEach((w) => read.set(w, n)))
    own.tens.forEach((entry, i) => forms(entry).forEach((w) => read.set(w, (i + 2) * 10)))
    own.hundred.forEach((w) => read.set(w, 100))
    for (let n = 0; n <= 100; n++) {
      const written = numberWord(n, tag)
      const parts = written.split(own.join).map((p) => read.get(p))
      expect(parts.every((p) => p !== undefined) ? parts.reduce((a = 0, b = 0) => a + b, 0) : undefined, `${tag} ${n}: ${written}`).toBe(n)
    }
  })
})

describe('a brief in Serbian Latin, shown in Cyrillic', () => {
  const brief = fixture('all-layouts.yaml')

  it('a variant in sr-Cyrl takes the sr texts and writes them in Cyrillic; links, tokens and evidence stay as written', () => {
    const text = `${brief.replace(/^ {2}language: en$/m, '  language: sr')}variants:\n  cyr:\n    language: sr-Cyrl\n`
    const latin = loadBrief(text, 'b.yaml').brief
    const cyrillic = loadBrief(text, 'b.yaml', { variant: 'cyr' }).brief
    expect(cyrillic.meta.language).toBe('sr-Cyrl')
    expect(latin.meta.language).toBe('sr-Latn')
    const figure = Object.keys(latin.figures)[0] ?? ''
    expect(cyrillic.figures[figure]?.evidence).toBe(latin.figures[figure]?.evidence)
    expect(cyrillic.meta.source.url).toBe(latin.meta.source.url)
    expect(cyrillic.meta.title).not.toBe(latin.meta.title)
    expect(cyrillic.meta.title).toMatch(/\p{Script=Cyrillic}/u)
  })
})
