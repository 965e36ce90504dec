import { beforeAll, describe, expect, it } from 'vitest'

import { loadBrief } from '../deck/brief/brief.ts'
import { consistencyFindings, dataFindings, provenanceFindings } from '../deck/check/brief-checks.ts'
import { measureFindings } from '../deck/check/check.ts'
import { type Finding, formatReport, makeReport, withoutSilenced } from '../deck/check/report.ts'
import type { SlideMeasure } from '../deck/measure/measure.ts'
import { buildView } from '../deck/render/render.ts'
import { readTemplates, type TemplateSources } from '../deck/render/templates.ts'
import { chartsOf, fixture, lineOf, problemsOf, ROOT, shownFor } from './helpers.ts'

// The checks that need no browser, each on a small brief and a source document
// written here, each producing exactly the finding it is about.

const YAML = fixture('all-layouts.yaml')
const FILE = 'brief.yaml'
/** A source document holding every evidence phrase of the fixture (made up, as the fixture is). */
const SOURCE = fixture('all-layouts.txt')

let templates: TemplateSources
beforeAll(async () => {
  templates = await readTemplates(`${ROOT}/templates`)
})

const codes = (findings: readonly Finding[]) => findings.map((f) => f.code)

describe('provenance', () => {
  it('the fixture, against a source that holds all its evidence, has nothing to report', () => {
    expect(provenanceFindings(loadBrief(YAML, FILE), { file: 'brief.txt', text: SOURCE })).toEqual([])
  })

  it('a figure whose evidence is not in the source, at the line of its evidence', () => {
    const source = SOURCE.replace('about €3.20', 'roughly €3.20')
    expect(provenanceFindings(loadBrief(YAML, FILE), { file: 'brief.txt', text: source })).toEqual([
      {
        severity: 'error',
        check: 'provenance',
        code: 'evidence-not-in-source',
        message: 'figure price-high: its evidence “about €3.20” is not in brief.txt: copy the exact phrase of the source that gives it',
        file: FILE,
        line: lineOf(YAML, 'evidence: about €3.20'),
      },
    ])
  })

  it('a number changed in the YAML, no longer the one its evidence states', () => {
    const text = YAML.replace('    value: 1250000', '    value: 1260000')
    expect(provenanceFindings(loadBrief(text, FILE), { file: 'brief.txt', text: SOURCE })).toEqual([
      expect.objectContaining({
        code: 'value-not-in-evidence',
        message:
          'figure households is 1,260,000, but its evidence “covers 1,250,000 households” does not say 1,260,000: correct the value, or give the evidence that states it',
        line: lineOf(text, 'value: 1260000'),
      }),
    ])
  })

  it('a sign lost: the evidence gives the value with a minus, the figure without, at the value’s line', () => {
    const text = YAML.replace('evidence: covers 1,250,000 households', 'evidence: covers -1,250,000 households')
    const source = SOURCE.replace('covers 1,250,000 households', 'covers -1,250,000 households')
    expect(provenanceFindings(loadBrief(text, FILE), { file: 'brief.txt', text: source })).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'sign-lost',
        message: 'figure households is 1,250,000, but its evidence gives it with a minus sign: write the value as -1,250,000',
        line: lineOf(text, 'value: 1250000'),
      }),
    ])
  })

  it('a figure marked approximate whose evidence states its value exactly: an error at its approx, saying to remove it', () => {
    const text = YAML.replace('evidence: about €3.20', 'evidence: €3.20 in another')
    const source = SOURCE.replace('about €3.20', '€3.20 in another')
    expect(provenanceFindings(loadBrief(text, FILE), { file: 'brief.txt', text: source })).toEqual([
      {
        severity: 'error',
        check: 'provenance',
        code: 'approx-not-in-evidence',
        message:
          'figure price-high is marked approximate, but its evidence states the value exactly: remove `approx: true`, or give the evidence that hedges it',
        file: FILE,
        line: lineOf(YAML, '    approx: true'),
      },
    ])
  })

  it('a point of a series: approx without a hedge, and a hedge without approx, are errors at the point', () => {
    const exact = YAML.replace('value: 1.9, approx: true, evidence: about €1.90 in 2024', 'value: 1.9, approx: true, evidence: €1.90 in 2024')
    expect(provenanceFindings(loadBrief(exact, FILE), undefined)).toEqual([
      expect.objectContaining({ severity: 'error', code: 'approx-not-in-evidence', line: lineOf(exact, 'value: 1.9,') }),
    ])
    const hedged = YAML.replace('value: 1.9, approx: true, evidence', 'value: 1.9, evidence')
    expect(provenanceFindings(loadBrief(hedged, FILE), undefined)).toEqual([
      expect.objectContaining({ severity: 'error', code: 'hedged-evidence', line: lineOf(hedged, 'value: 1.9,') }),
    ])
  })

  it('an evidence in euros, in any case form, for a figure shown in dollars: a unit-mismatch naming each thing once', () => {
    const text = YAML.replace('evidence: about €3.20', 'evidence: oko 3,20 eura').replace(
      '    prefix: "€"\n    suffix: " per m³"\n    label: highest',
      '    prefix: "$"\n    label: highest',
    )
    expect(provenanceFindings(loadBrief(text, FILE), undefined)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'unit-mismatch',
        message: 'figure price-high shows its value in USD, but its evidence “oko 3,20 eura” gives 3.2 in EUR: fix the prefix, suffix or scale',
      }),
    ])
    const percent = YAML.replace('evidence: covers 1,250,000 households', 'evidence: covers 53 households').replace(
      '    value: 1250000',
      '    value: 53\n    suffix: " %"',
    )
    expect(provenanceFindings(loadBrief(percent, FILE), undefined)).toEqual([
      expect.objectContaining({
        code: 'unit-mismatch',
        message:
          'figure households shows its value as a percentage, but its evidence “covers 53 households” gives 53 without a percent sign: fix the prefix, suffix or scale',
      }),
    ])
  })

  it('checks the value of a point given in a series the same way', () => {
    const text = YAML.replace('value: 1.45,', 'value: 1.55,')
    expect(codes(provenanceFindings(loadBrief(text, FILE), { file: 'brief.txt', text: SOURCE }))).toEqual(['value-not-in-evidence'])
  })

  it('without a source document, still checks each value against its evidence', () => {
    const text = YAML.replace('    value: 1250000', '    value: 1260000')
    expect(codes(provenanceFindings(loadBrief(text, FILE), undefined))).toEqual(['value-not-in-evidence'])
  })

  it('a number typed in slide text, in digits or words, that the source does not give: an error at its line; years the source gives, days and list numbers are not', () => {
    const text = YAML.replace(
      'Prices run from {fig:price-low} to {fig:price-high}.',
      'Prices run from {fig:price-low} to {fig:price-high}, up 35% since 2019 in twenty-eight towns; 3 tariffs since 8 May 2024 and 2020.',
    )
    const line = lineOf(text, 'up 35% since 2019')
    const fix = 'is typed here, but brief.txt does not give it: add it as a figure with its evidence and write {fig:…}, or remove it'
    expect(provenanceFindings(loadBrief(text, FILE), { file: 'brief.txt', text: SOURCE })).toEqual(
      ['35%', '2019', '“twenty-eight” (28)'].map((n) => ({
        severity: 'error',
        check: 'provenance',
        code: 'number-not-in-source',
        message: `${n} ${fix}`,
        file: FILE,
        line,
      })),
    )
    // A small count in words is a warning that names the word; an ordinal and a season's second year are no amounts.
    const counts = YAML.replace('Prices run from {fig:price-low}', 'In the 21st century and in 2024/25, the two towns pay from {fig:price-low}')
    expect(provenanceFindings(loadBrief(counts, FILE), { file: 'brief.txt', text: SOURCE })).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'count-not-in-source', message: `“two” (2) ${fix}`, line: lineOf(counts, 'the two towns') }),
    ])
    expect(provenanceFindings(loadBrief(text, FILE), undefined)).toEqual([])
    // Digits that are part of a name count nothing; speaker notes are not looked in.
    const names = YAML.replace('Prices run from {fig:price-low}', 'At the G20 and since COVID-19, prices run from {fig:price-low}').replace(
      '  - id: points\n',
      '  - id: points\n    notes: Twenty minutes for questions.\n',
    )
    expect(provenanceFindings(loadBrief(names, FILE), { file: 'brief.txt', text: SOURCE })).toEqual([])
  })

  it('a Serbian text: its number words are read, and a year typed as “2019.” is named 2019, never 2.019', () => {
    const text = YAML.replace('  language: en', '  language: sr').replace(
      'Prices run from {fig:price-low} to {fig:price-high}.',
      'Cene od {fig:price-low} do {fig:price-high} porasle su za dvadeset osam odsto od 2019.',
    )
    expect(provenanceFindings(loadBrief(text, FILE), { file: 'brief.txt', text: SOURCE }).map((f) => f.message.split(' is typed')[0])).toEqual([
      '2019',
      '“dvadeset osam” (28%)',
    ])
  })

  it('a timeline event whose date its evidence does not state (year, month or day changed): an error at its date', () => {
    for (const [from, to, part] of [
      ['"2010-06"', '"2011-06"', 'year'],
      ['"2010-06"', '"2010-07"', 'month'],
      ['"2024-01-05"', '"2024-01-06"', 'day'],
      ['1990s', '1980s', 'year'],
    ] as const) {
      const text = YAML.replace(`when: ${from}`, `when: ${to}`)
      const evidence = /evidence: (.*)/.exec(text.slice(text.indexOf(`when: ${to}`)))?.[1]
      expect(provenanceFindings(loadBrief(text, FILE), { file: 'brief.txt', text: SOURCE }), to).toEqual([
        {
          severity: 'error',
          check: 'provenance',
          code: 'date-not-in-evidence',
          message: `timeline event ${['1990s', '1980s'].includes(to) ? 1 : to.includes('2024') ? 3 : 2} (${to.replace(/"/g, '')}): its evidence “${evidence}” does not give its ${part}: correct the date, or give the evidence that states it`,
          file: FILE,
          line: lineOf(text, `when: ${to}`),
        },
      ])
    }
  })

  it('a timeline event’s evidence must be in the source; with a source, a dated event without evidence is a warning', () => {
    const changed = YAML.replace('evidence: a new water law in June 2010', 'evidence: the water law of June 2010')
    expect(provenanceFindings(loadBrief(changed, FILE), { file: 'brief.txt', text: SOURCE })).toEqual([
      expect.objectContaining({ severity: 'error', code: 'evidence-not-in-source', line: lineOf(changed, 'the water law of June 2010') }),
    ])
    const bare = YAML.replace('    evidence: a new water law in June 2010\n', '')
    expect(provenanceFindings(loadBrief(bare, FILE), { file: 'brief.txt', text: SOURCE })).toEqual([
      {
        severity: 'warning',
        check: 'provenance',
        code: 'event-without-evidence',
        message: 'timeline event 2 (2010-06) has no evidence: add the phrase of brief.txt that dates it, so that its date can be checked',
        file: FILE,
        line: lineOf(bare, 'when: "2010-06"'),
      },
    ])
    expect(provenanceFindings(loadBrief(bare, FILE), undefined)).toEqual([])
  })

  it('a missing reference is an error at its line, before any other check', () => {
    const text = YAML.replace('    refs: [1, 2]', '    refs: [1, 3]')
    const line = lineOf(text, 'refs: [1, 3]')
    expect(problemsOf(text, FILE)).toEqual([
      expect.objectContaining({ line, col: 15, path: 'figures.price-low.refs.1', message: 'no reference has this number (references: 1, 2)' }),
    ])
    // The one problem, as printed: where it is and the numbers that exist, not the 3 written.
    expect(shownFor(text, FILE).split('\n').at(-1)).toBe(`${FILE}:${line}:15  figures.price-low.refs.1  no reference has this number (references: 1, 2)`)
  })

  it('a reference never cited is a warning at its line; {ref:n} in any text cites it', () => {
    const extra = '  - n: 3\n    title: Annual report\n    publisher: Water Board\n    url: https://example.org/report\n'
    const text = YAML.replace('slides:\n', `${extra}slides:\n`)
    expect(provenanceFindings(loadBrief(text, FILE), undefined)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'unused-reference',
        line: lineOf(text, '  - n: 3'),
        message: expect.stringContaining('reference 3 (Water Board) is never cited'),
      }),
    ])
    const cited = text.replace('      - Prices run from', '      - Prices are public.{ref:3}\n      - Prices run from')
    expect(provenanceFindings(loadBrief(cited, FILE), undefined)).toEqual([])
  })
})

describe('consistency', () => {
  it('the fixture and the real templates have nothing to report', () => {
    expect(consistencyFindings(loadBrief(YAML, FILE), templates)).toEqual([])
  })

  it('a figure’s value typed into prose instead of {fig:id}', () => {
    const text = YAML.replace('The survey covers {fig:households} households.', 'The survey covers 1,250,000 households.')
    expect(consistencyFindings(loadBrief(text, FILE), templates)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'typed-number',
        line: lineOf(text, 'The survey covers 1,250,000'),
        message: expect.stringContaining('write {fig:households}'),
      }),
    ])
  })

  it('a number typed beside a figure in the same unit, with another value: an error naming the figure and its value', () => {
    const text = YAML.replace('to {fig:price-high}.', 'to {fig:price-high}, never above €4.50.')
    expect(consistencyFindings(loadBrief(text, FILE), templates)).toEqual([
      {
        severity: 'error',
        check: 'consistency',
        code: 'typed-number-differs',
        message:
          '4.5 EUR is typed beside {fig:price-high}, which is ≈€3.20\u00A0per\u00A0m³: write {fig:price-high} if it is meant, or add the other number as a figure with its evidence',
        file: FILE,
        line: lineOf(text, 'never above €4.50'),
      },
    ])
    // The figure's own value typed again is no contradiction, nor is a number in another unit.
    const same = YAML.replace('to {fig:price-high}.', 'to {fig:price-high} (€3.20).')
    expect(consistencyFindings(loadBrief(same, FILE), templates)).toEqual([])
    const other = YAML.replace('to {fig:price-high}.', 'to {fig:price-high}, in 45% of towns.')
    expect(consistencyFindings(loadBrief(other, FILE), templates)).toEqual([])
    // Millions of people are not an amount of money: a scale word alone does not make two numbers alike.
    const money = YAML.replace('    suffix: " per m³"\n    label: highest price', '    suffix: " billion"\n    label: highest price')
      .replace('    evidence: about €3.20', '    evidence: about €3.20 billion')
      .replace('to {fig:price-high}.', 'to {fig:price-high}, for 3.8 million people.')
    expect(consistencyFindings(loadBrief(money, FILE), templates)).toEqual([])
  })

  it('a hedge typed before an approximate figure, in any language the brief reads: an error saying to remove it', () => {
    for (const hedge of ['about', 'oko', 'око', 'околу', 'rreth', 'περίπου', 'gotovo']) {
      const text = YAML.replace('to {fig:price-high}.', `to ${hedge} {fig:price-high}.`)
      expect(consistencyFindings(loadBrief(text, FILE), templates), hedge).toEqual([
        expect.objectContaining({
          severity: 'error',
          code: 'double-hedge',
          line: lineOf(text, `${hedge} {fig:price-high}`),
          message: `“${hedge} {fig:price-high}” reads “${hedge} ≈€3.20\u00A0per\u00A0m³”: the figure already shows ≈; drop “${hedge}”`,
        }),
      ])
    }
  })

  it('a number written into a slide template, at its file and line; list numbers and markup are not numbers', () => {
    const quote = templates.partials.quote
    if (!quote) throw new Error('no quote layout')
    const edited = { ...templates, partials: { ...templates.partials, quote: { ...quote, source: `${quote.source}\n<span class="x">Top 10 quotes</span>\n` } } }
    const findings = consistencyFindings(loadBrief(YAML, FILE), edited)
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'error', code: 'template-number', file: quote.file, line: quote.source.split('\n').length + 1 }),
    ])
  })
})

describe('measured slides', () => {
  const loaded = loadBrief(YAML, FILE)
  const quiet: SlideMeasure = { overflowBottom: 0, overflowRight: 0, wideMedia: 0, missingAlt: 0, words: 10, bullets: 0, footerCut: 0 }
  let view: ReturnType<typeof buildView>
  beforeAll(async () => {
    view = buildView(loaded.brief, { charts: await chartsOf(loaded.brief) })
  })
  const measures = (changes: Record<number, Partial<SlideMeasure>>) => view.slides.map((_, i) => ({ ...quiet, ...changes[i] }))

  it('an overflowing slide is an error with its number, title and line', () => {
    const findings = measureFindings(loaded, view, measures({ 3: { overflowBottom: 41.5 } }), 16)
    expect(findings).toEqual([
      {
        severity: 'error',
        check: 'layout',
        code: 'overflow',
        message: 'the content runs 42 px below its box, into the footer: shorten or split the slide',
        slide: { number: 4, title: 'Key points' },
        file: FILE,
        line: lineOf(YAML, '  - id: points'),
      },
    ])
  })

  it('a footer cut on its line is one error, at the field that makes it long, however many slides cut it', () => {
    const findings = measureFindings(loaded, view, measures({ 2: { footerCut: 30.2 }, 3: { footerCut: 30.2 } }), 16)
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'footer-cut',
        message: expect.stringContaining('31 px too long for its line, and every slide cuts it: shorten meta.shortTitle'),
        slide: { number: 3, title: 'Prices' },
        line: lineOf(YAML, '  shortTitle:'),
      }),
    ])
  })

  it('small text, a chart too wide and a chart without alt text', () => {
    const findings = measureFindings(loaded, view, measures({ 6: { smallText: { size: 12, text: '€1.10' }, wideMedia: 30, missingAlt: 1 } }), 16)
    expect(findings.map((f) => [f.code, f.severity, f.slide?.number])).toEqual([
      ['wide-media', 'error', 7],
      ['small-text', 'warning', 7],
      ['missing-alt', 'error', 7],
    ])
  })

  it('too many words or bullets is a warning, with limits the brief may change', () => {
    const many = measures({ 3: { words: 70, bullets: 7 } })
    expect(codes(measureFindings(loaded, view, many, 16))).toEqual(['too-many-bullets', 'too-many-words'])
    const relaxed = loadBrief(`${YAML}checks:\n  words: 80\n  bullets: 8\n`, FILE)
    expect(measureFindings(relaxed, view, many, 16)).toEqual([])
  })

  it('the words of a sources or timeline slide are not counted', () => {
    const sources = view.slides.findIndex((s) => s.partial === 'sources')
    const timeline = view.slides.findIndex((s) => s.partial === 'timeline')
    expect(measureFindings(loaded, view, measures({ [sources]: { words: 200 }, [timeline]: { words: 200 } }), 16)).toEqual([])
  })

  it('warnings are silenced for the whole brief or for one slide; errors never are', () => {
    const findings = measureFindings(loaded, view, measures({ 3: { words: 70, overflowBottom: 5 } }), 16)
    const everywhere = loadBrief(`${YAML}checks:\n  ignore: [too-many-words]\n`, FILE)
    expect(codes(withoutSilenced(findings, everywhere.brief, view))).toEqual(['overflow'])
    const onTheSlide = loadBrief(YAML.replace('  - id: points\n', '  - id: points\n    ignore: [too-many-words]\n'), FILE)
    expect(codes(withoutSilenced(findings, onTheSlide.brief, view))).toEqual(['overflow'])
    const overflowIsNoWarning = problemsOf(`${YAML}checks:\n  ignore: [overflow]\n`, FILE)
    expect(overflowIsNoWarning[0]?.message).toContain('is not allowed')
  })
})

describe('the report', () => {
  it('groups findings by slide, brief-wide ones first, and ends with the counts', () => {
    const findings: Finding[] = [
      {
        severity: 'warning',
        check: 'readability',
        code: 'too-many-words',
        message: '70 words',
        slide: { number: 4, title: 'Key points' },
        file: FILE,
        line: 30,
      },
      { severity: 'error', check: 'provenance', code: 'value-not-in-evidence', message: 'figure x is 2', file: FILE, line: 12 },
    ]
    const report = makeReport(FILE, findings, undefined, ['provenance not verified'])
    expect(formatReport(report).split('\n')).toEqual([
      'Brief',
      '  error    provenance     figure x is 2 (brief.yaml:12)  [value-not-in-evidence]',
      'Slide 4 · Key points · brief.yaml:30',
      '  warning  readability    70 words  [too-many-words]',
      'note: provenance not verified',
      '✖ brief.yaml: 1 error, 1 warning',
    ])
    expect(report).toMatchObject({ errors: 1, warnings: 1 })
  })

  it('data problems become findings at their line', () => {
    expect(dataFindings([{ file: FILE, line: 3, col: 5, path: 'meta.title', message: 'must not be empty' }], FILE)).toEqual([
      { severity: 'error', check: 'data', code: 'schema', message: 'meta.title: must not be empty', file: FILE, line: 3 },
    ])
  })
})
