import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { loadBrief } from '../deck/brief/brief.ts'
import { consistencyFindings, provenanceFindings } from '../deck/check/brief-checks.ts'
import { wordNumbers } from '../deck/check/provenance.ts'
import { type Finding } from '../deck/check/report.ts'
import { CURRENCY_CODES, CURRENCY_SIGNS, type CurrencyCode, forms, LANGUAGE_TAGS, type LanguageTag, type ScaleFactor, UNIT_WORDS } from '../deck/check/units.ts'
import { fixture, PROPERTY_RUNS, PROPERTY_TIMEOUT_MS } from './helpers.ts'

const NO_TEMPLATES = { deck: { file: 'deck.hbs', source: '' }, partials: {}, print: {} }

// The words of units.ts, generated into evidence phrases as the region's texts write them
// (every language × scale × currency form × way of writing the number), against a figure
// that shows them: the same currency and scale checks clean, another is a unit-mismatch.

const SCALES = [1, 1e3, 1e6, 1e9, 1e12] as const
type Scale = (typeof SCALES)[number]

/** A number and the ways a text may write it: 1.5 · 1,5; 1500 · 1 500 · 1.500 · 1,500. */
const writtenNumber = fc.oneof(
  fc
    .record({ whole: fc.integer({ min: 1, max: 999 }), tenth: fc.integer({ min: 1, max: 9 }) })
    .chain(({ whole, tenth }) => fc.record({ value: fc.constant(whole + tenth / 10), written: fc.constantFrom(`${whole}.${tenth}`, `${whole},${tenth}`) })),
  fc.integer({ min: 1000, max: 999_999 }).chain((n) => {
    const head = String(Math.floor(n / 1000))
    const tail = String(n % 1000).padStart(3, '0')
    return fc.record({
      value: fc.constant(n),
      written: fc.constantFrom(`${n}`, `${head} ${tail}`, `${head}.${tail}`, `${head},${tail}`, `${head}\u00A0${tail}`),
    })
  }),
  fc.integer({ min: 1, max: 999 }).map((n) => ({ value: n, written: String(n) })),
)

/** A scale word of a language (whole words: a single letter is only read against the digits). */
function scaleWords(language: LanguageTag, scale: Scale): string[] {
  if (scale === 1) return ['']
  return (UNIT_WORDS[language].scales[scale as ScaleFactor] ?? []).filter((w) => w.length > 1)
}

/** How a currency is written: its name in the language (after the number), or its sign or code (before or after). */
function currencyForms(language: LanguageTag, code: CurrencyCode): { before: string; after: string }[] {
  const names = (UNIT_WORDS[language].currencies[code] ?? []).map((name) => ({ before: '', after: ` ${name}` }))
  const signs = CURRENCY_SIGNS[code].flatMap((sign) => [
    { before: /\p{L}/u.test(sign) ? `${sign} ` : sign, after: '' },
    { before: '', after: ` ${sign}` },
  ])
  return [...names, ...signs]
}

const phrase = fc
  .record({
    language: fc.constantFrom(...LANGUAGE_TAGS),
    scale: fc.constantFrom(...SCALES),
    currency: fc.constantFrom(...CURRENCY_CODES),
    number: writtenNumber,
    hedged: fc.boolean(),
  })
  .filter(({ language, scale }) => scaleWords(language, scale).length > 0)
  .chain(
    (p) =>
      fc.record({
        ...Object.fromEntries(Object.entries(p).map(([k, v]) => [k, fc.constant(v)])),
        scaleWord: fc.constantFrom(...scaleWords(p.language, p.scale)),
        written: fc.constantFrom(...currencyForms(p.language, p.currency)),
        hedge: fc.constantFrom(...UNIT_WORDS[p.language].hedges),
      }) as fc.Arbitrary<typeof p & { scaleWord: string; written: { before: string; after: string }; hedge: string }>,
  )
  // A hedge stands right before the number, or before a sign against it ("about €5"), not before a code ("about EUR 5").
  .filter((p) => !p.hedged || !/\p{L}/u.test(p.written.before))
  .map((p) => ({
    ...p,
    evidence: `${p.hedged ? `${p.hedge} ` : ''}${p.written.before}${p.number.written}${p.scaleWord ? ` ${p.scaleWord}` : ''}${p.written.after}`,
  }))

/** The English display of a scale, or a word of the evidence's language. */
const SCALE_SUFFIX: Record<Scale, string> = { 1: '', 1e3: ' thousand', 1e6: ' million', 1e9: ' billion', 1e12: ' trillion' }

/** How a figure shows a currency: its sign before the number when it has one, else its code after. */
function display(code: CurrencyCode, scale: Scale): { prefix?: string; suffix?: string } {
  const sign = CURRENCY_SIGNS[code].find((s) => !/\p{L}/u.test(s))
  const suffix = `${SCALE_SUFFIX[scale]}${sign ? '' : ` ${code}`}`
  return { ...(sign ? { prefix: sign } : {}), ...(suffix ? { suffix } : {}) }
}

const BRIEF = fixture('all-layouts.yaml')

/** The findings about figure `total` of the fixture with that figure added. */
function findingsFor(figure: Record<string, unknown>): Finding[] {
  const fields = Object.entries({ label: 'total', refs: [1], ...figure })
    .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`)
    .join('')
  const text = BRIEF.replace('figures:\n', `figures:\n  total:\n${fields}`)
  return provenanceFindings(loadBrief(text, 'brief.yaml'), undefined).filter((f) => f.message.startsWith('figure total'))
}

const settings = { numRuns: PROPERTY_RUNS }

describe('currencies and scales in the words of every language read', () => {
  it(
    'a figure that shows the evidence’s currency and scale checks clean',
    () => {
      fc.assert(
        fc.property(phrase, (p) => {
          const shown = display(p.currency, p.scale)
          const findings = findingsFor({ value: p.number.value, evidence: p.evidence, ...shown, ...(p.hedged ? { approx: true } : {}) })
          expect(findings, p.evidence).toEqual([])
        }),
        settings,
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'a figure that shows another currency is a unit-mismatch',
    () => {
      const other = fc.constantFrom(...CURRENCY_CODES)
      fc.assert(
        fc.property(phrase, other, (p, currency) => {
          fc.pre(currency !== p.currency)
          const findings = findingsFor({ value: p.number.value, evidence: p.evidence, ...display(currency, p.scale), ...(p.hedged ? { approx: true } : {}) })
          expect(
            findings.map((f) => [f.severity, f.code]),
            p.evidence,
          ).toEqual([['error', 'unit-mismatch']])
          expect(findings[0]?.message).toContain(`in ${p.currency}`)
        }),
        settings,
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'a figure that shows another scale is a unit-mismatch',
    () => {
      fc.assert(
        fc.property(phrase, fc.constantFrom(...SCALES), (p, scale) => {
          fc.pre(scale !== p.scale)
          const findings = findingsFor({ value: p.number.value, evidence: p.evidence, ...display(p.currency, scale), ...(p.hedged ? { approx: true } : {}) })
          expect(
            findings.map((f) => [f.severity, f.code]),
            p.evidence,
          ).toEqual([['error', 'unit-mismatch']])
        }),
        settings,
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'a percentage in any language’s words is shown with %, and without it is a unit-mismatch',
    () => {
      const percent = fc
        .record({ language: fc.constantFrom(...LANGUAGE_TAGS), number: writtenNumber })
        .chain(({ language, number }) => fc.record({ number: fc.constant(number), word: fc.constantFrom('%', ...UNIT_WORDS[language].percent) }))
      fc.assert(
        fc.property(percent, ({ number, word }) => {
          const evidence = `${number.written}${word === '%' ? '' : ' '}${word}`
          expect(findingsFor({ value: number.value, evidence, suffix: '%' }), evidence).toEqual([])
          expect(
            findingsFor({ value: number.value, evidence }).map((f) => f.code),
            evidence,
          ).toEqual(['unit-mismatch'])
        }),
        settings,
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'a hedge in any language asks for approx, and approx asks for a hedge',
    () => {
      fc.assert(
        fc.property(phrase, (p) => {
          const findings = findingsFor({ value: p.number.value, evidence: p.evidence, ...display(p.currency, p.scale), ...(p.hedged ? {} : { approx: true }) })
          expect(
            findings.map((f) => [f.severity, f.code]),
            p.evidence,
          ).toEqual([['error', p.hedged ? 'hedged-evidence' : 'approx-not-in-evidence']])
        }),
        settings,
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})

describe('the tables', () => {
  it('give every language its numbers 0–19 and tens, and no word two values', () => {
    const values = new Map<string, number>()
    for (const tag of LANGUAGE_TAGS) {
      const { units, tens } = UNIT_WORDS[tag]
      expect([units.length, tens.length], tag).toEqual([20, 8])
      const entries: [string, number][] = [...units.map((u, i) => [u, i] as [string, number]), ...tens.map((t, i) => [t, (i + 2) * 10] as [string, number])]
      for (const [entry, value] of entries) {
        for (const word of forms(entry)) {
          expect(values.get(word) ?? value, `${tag}: ${word}`).toBe(value)
          values.set(word, value)
        }
      }
    }
  })
})

/** A number from 0 to 99 in one of a language's ways of saying it: "twenty-eight", "dvadeset osam", "дваесет и осум", "njëzet e tetë". */
function spelled(language: LanguageTag, n: number, pick: number): string {
  const { units, tens, joiners } = UNIT_WORDS[language]
  const form = (entry: string) => forms(entry)[pick % forms(entry).length] ?? entry
  if (n < 20) return form(units[n] ?? '')
  const ten = form(tens[Math.floor(n / 10) - 2] ?? '')
  if (n % 10 === 0) return ten
  const one = form(units[n % 10] ?? '')
  if (language === 'en') return `${ten}-${one}`
  const joiner = joiners[pick % (joiners.length + 1)]
  return joiner ? `${ten} ${joiner} ${one}` : `${ten} ${one}`
}

describe('numbers in words and typed beside figures, in every language read', () => {
  it(
    'reads every number from 0 to 99 in each of its forms',
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...LANGUAGE_TAGS), fc.integer({ min: 0, max: 99 }), fc.nat(5), (language, n, pick) => {
          const text = spelled(language, n, pick)
          expect(
            wordNumbers(text).map((w) => w.value),
            text,
          ).toEqual([n])
        }),
        settings,
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'a number typed beside a figure in its currency and scale is an error when its value differs, and none when it is the same',
    () => {
      fc.assert(
        fc.property(phrase, fc.integer({ min: 1, max: 999 }), (p, other) => {
          fc.pre(p.scale > 1 && other !== p.number.value)
          const figure = { value: p.number.value, evidence: p.evidence, ...display(p.currency, p.scale), ...(p.hedged ? { approx: true } : {}) }
          const fields = Object.entries({ label: 'total', refs: [1], ...figure })
            .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`)
            .join('')
          const typed = (n: string) =>
            BRIEF.replace('figures:\n', `figures:\n  total:\n${fields}`).replace(
              'The survey covers {fig:households} households.',
              JSON.stringify(`Of {fig:total}, ${p.written.before}${n} ${p.scaleWord}${p.written.after} went to schools.`),
            )
          const codes = (text: string) => consistencyFindings(loadBrief(text, 'brief.yaml'), NO_TEMPLATES).map((f) => f.code)
          expect(codes(typed(String(other))), p.evidence).toEqual(['typed-number-differs'])
          expect(codes(typed(p.number.written)), p.evidence).not.toContain('typed-number-differs')
        }),
        settings,
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})
