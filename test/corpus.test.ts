import { beforeAll, describe, expect, it } from 'vitest'

import { loadBrief } from '../deck/brief/brief.ts'
import { consistencyFindings, dataFindings, provenanceFindings, type SourceDocument } from '../deck/check/brief-checks.ts'
import { type Finding } from '../deck/check/report.ts'
import { toCyrillic } from '../deck/languages/script.ts'
import { readTemplates, type TemplateSources } from '../deck/render/templates.ts'
import { DeckError } from '../deck/shared/errors.ts'
import { fixture, lineOf, ROOT } from './helpers.ts'

// Briefs written from real public texts, as a new user writes them from the README, each with
// the text it summarises: one whose source is in Croatian (croatian-exports), one whose source
// names no author and has no footnotes (croatia-eu-decade). Each checks clean against its
// source, and each mistake a writer makes in it is caught at its line, by a message that says
// what to do about it.

interface Corpus {
  file: string
  yaml: string
  source: SourceDocument
}

function corpus(name: string): Corpus {
  return { file: `${name}.yaml`, yaml: fixture(`${name}.yaml`), source: { file: `${name}.txt`, text: fixture(`${name}.txt`) } }
}

const CROATIAN = corpus('croatian-exports')
const UNSIGNED = corpus('croatia-eu-decade')
const SERBIAN = corpus('serbia-vital-events')

let templates: TemplateSources
beforeAll(async () => {
  templates = await readTemplates(`${ROOT}/templates`)
})

/** What `check` finds in a version of a brief before it draws anything: its data, provenance and consistency. */
function findingsOf(c: Corpus, yaml: string): Finding[] {
  try {
    const loaded = loadBrief(yaml, c.file)
    return [...provenanceFindings(loaded, c.source), ...consistencyFindings(loaded, templates)]
  } catch (err) {
    if (err instanceof DeckError) return dataFindings(err.problems, c.file)
    throw err
  }
}

/** The brief with one exact piece replaced, failing loudly if the piece is not there once. */
function edit(c: Corpus, from: string, to: string): string {
  expect(c.yaml.split(from)).toHaveLength(2)
  return c.yaml.replace(from, to)
}

/** The one line of `text` that holds `needle` after `after` (a figure's id, say). */
function lineAfter(text: string, after: string, needle: string): number {
  const start = lineOf(text, after)
  const offset = text
    .split('\n')
    .slice(start - 1)
    .findIndex((l) => l.includes(needle))
  expect(offset, `“${needle}” after “${after}”`).toBeGreaterThanOrEqual(0)
  return start + offset
}

describe.each([
  ['in Croatian', CROATIAN],
  ['with no author and no footnotes', UNSIGNED],
  ['in Serbian, Latin script', SERBIAN],
])('a brief from a real source %s', (_, c) => {
  it('checks clean against its source', () => {
    expect(findingsOf(c, c.yaml)).toEqual([])
  })
})

describe('a Serbian brief written in Latin, shown in Cyrillic', () => {
  const loaded = () => loadBrief(SERBIAN.yaml, SERBIAN.file, { variant: 'cyrillic' })

  it('its texts are in Cyrillic; its evidence, link and kept names as written', () => {
    const { brief } = loaded()
    expect(brief.meta.title).toBe('Рођени и умрли у Србији 2021. године')
    expect(brief.figures.births?.evidence).toBe('broj živorođenih iznosi 62 180')
    expect(brief.meta.source.url).toBe(SERBIAN.source.text.split('\n')[0]?.replace('Source: ', ''))
    expect(brief.figures.covid?.label).toBe('умрлих, од болести повезаних са COVID-19')
    expect(JSON.stringify(brief)).not.toMatch(/ЦОВИД/)
  })

  it('its Latin evidence is found in the publisher’s Cyrillic text: every phrase the stored copy holds', () => {
    // The stored Cyrillic page ends mid-sentence ("[…]"), before the two causes of death it would go on to give.
    const source = { file: 'serbia-vital-events.cyrl.txt', text: fixture('serbia-vital-events.cyrl.txt') }
    const findings = provenanceFindings(loaded(), source)
    expect(findings.map((f) => [f.code, f.line])).toEqual([
      ['evidence-not-in-source', lineAfter(SERBIAN.yaml, 'covid:', 'evidence:')],
      ['evidence-not-in-source', lineAfter(SERBIAN.yaml, 'tumours:', 'evidence:')],
    ])
    expect(source.text).not.toContain('20,3%')
    expect(source.text).not.toContain('15,1%')
    // The same evidence, against the Latin text, is all there.
    expect(provenanceFindings(loaded(), SERBIAN.source)).toEqual([])
  })

  it('against the whole source written in Cyrillic (the Latin text transliterated, as the office publishes its pages in both), the check passes', () => {
    const whole = { file: 'serbia-vital-events.cyrl-whole.txt', text: toCyrillic(SERBIAN.source.text) }
    expect(whole.text).toContain('број живорођених износи 62 180')
    expect(whole.text).toContain('20,3% од укупног броја умрлих')
    expect(provenanceFindings(loaded(), whole)).toEqual([])
  })
})

it('each brief leaves out what its source does not give, instead of filling it in', () => {
  const croatian = loadBrief(CROATIAN.yaml, CROATIAN.file).brief
  expect(croatian.meta.author).toBe('Velimir Šonje')
  expect([croatian.meta.affiliation, croatian.meta.source.publisher, croatian.references]).toEqual([undefined, undefined, []])
  const unsigned = loadBrief(UNSIGNED.yaml, UNSIGNED.file).brief
  expect([unsigned.meta.author, unsigned.meta.affiliation, unsigned.meta.source.publisher, unsigned.references]).toEqual([undefined, undefined, undefined, []])
  expect(unsigned.slides.find((s) => s.layout === 'quote')).not.toHaveProperty('attribution')
  expect(unsigned.timeline?.map((e) => e.when)).toEqual(['2004', 'ten years ago', 'during the decade', undefined, 'at the end of the decade'])
})

/**
 * One mistake a writer makes in a brief: the piece of the brief changed, and what `check` must
 * say: the finding's code and severity, the line it points at (the first line after `after`
 * that holds `at`), and the fix its message names.
 */
interface Mistake {
  name: string
  from: string
  to: string
  code: string
  severity?: 'error' | 'warning'
  at: string
  after?: string
  says: RegExp
}

const MISTAKES: [string, Corpus, Mistake[]][] = [
  [
    'in Croatian',
    CROATIAN,
    [
      {
        name: 'a figure value changed (1.8 for the source’s 1,6 milijardi)',
        from: '    value: 1.6\n',
        to: '    value: 1.8\n',
        code: 'value-not-in-evidence',
        at: 'value: 1.8',
        says: /does not say 1\.8: correct the value/,
      },
      {
        name: 'a dollar sign for the source’s “eura”',
        from: '    approx: true\n    prefix: "€"\n    suffix: " billion"\n    label: of new revenue from goods',
        to: '    approx: true\n    prefix: "$"\n    suffix: " billion"\n    label: of new revenue from goods',
        code: 'unit-mismatch',
        after: 'goods-gain:',
        at: 'prefix: "$"',
        says: /in USD.*in EUR: fix the prefix, suffix or scale/,
      },
      {
        name: 'a wrong scale word (million for the source’s “milijardi”)',
        from: '    suffix: " billion"\n    label: of new revenue from tourist',
        to: '    suffix: " million"\n    label: of new revenue from tourist',
        code: 'unit-mismatch',
        at: 'suffix: " million"',
        says: /as billion.*: fix the prefix, suffix or scale/,
      },
      {
        name: 'approx on a figure the source states exactly (“17%”)',
        from: '    value: 17\n',
        to: '    value: 17\n    approx: true\n',
        code: 'approx-not-in-evidence',
        after: 'nominal-growth:',
        at: 'approx: true',
        says: /remove `approx: true`/,
      },
      {
        name: 'approx missing on a figure the source hedges (“gotovo 1,6 milijardi”)',
        from: '    value: 1.6\n    approx: true\n',
        to: '    value: 1.6\n',
        code: 'hedged-evidence',
        at: 'evidence: gotovo',
        says: /says “gotovo”.*add `approx: true`/,
      },
      {
        name: '“about” typed before an approximate figure',
        from: 'a little less, {fig:tourism-gain}',
        to: 'a little less, about {fig:tourism-gain}',
        code: 'double-hedge',
        at: 'about {fig:tourism-gain}',
        says: /drop “about”/,
      },
      {
        name: 'a wrong amount typed into a slide (€1.9 billion where the figure is 1.6)',
        from: '      - Whether goods exports keep growing faster than tourism',
        to: '      - Whether goods exports, €1.9 billion so far, keep growing',
        code: 'number-not-in-source',
        at: '€1.9 billion',
        says: /\{fig:goods-gain\}/,
      },
      {
        name: 'a count typed as a word the source does not say (“four years” for “tri godine”)',
        from: '      - Over {fig:years} goods exports',
        to: '      - Over four years goods exports',
        code: 'count-not-in-source',
        severity: 'warning',
        at: 'Over four years',
        says: /^“four” \(4\) is typed here, but croatian-exports\.txt does not give it: add it as a figure with its evidence and write \{fig:…\}, or remove it$/,
      },
      {
        name: 'a timeline date changed against its evidence (“14.8.2017.”)',
        from: '  - when: "2017-08-14"',
        to: '  - when: "2017-08-15"',
        code: 'date-not-in-evidence',
        at: '"2017-08-15"',
        says: /correct the date|evidence/,
      },
      {
        name: 'a mistyped {fig:…} placeholder',
        from: 'a little less, {fig:tourism-gain}',
        to: 'a little less, {fig:tourism-gian}',
        code: 'schema',
        at: '{fig:tourism-gian}',
        says: /did you mean \{fig:tourism-gain\}\?/,
      },
      {
        name: 'an evidence phrase that is not the source’s (“novih” left out)',
        from: 'evidence: gotovo 1,6 milijardi novih eura',
        to: 'evidence: gotovo 1,6 milijardi eura',
        code: 'evidence-not-in-source',
        at: 'evidence: gotovo 1,6 milijardi eura',
        says: /is not in croatian-exports\.txt: copy/,
      },
    ],
  ],
  [
    'with no author and no footnotes',
    UNSIGNED,
    [
      {
        name: 'a figure value changed (56.0 for the source’s 50.6%)',
        from: '    value: 50.6\n',
        to: '    value: 56.0\n',
        code: 'value-not-in-evidence',
        at: 'value: 56.0',
        says: /does not say 56: correct the value/,
      },
      {
        name: 'a dollar sign for the source’s “euros”',
        from: '    value: 67\n    prefix: "€"\n',
        to: '    value: 67\n    prefix: "$"\n',
        code: 'unit-mismatch',
        after: 'gdp-last-year:',
        at: 'prefix: "$"',
        says: /in USD.*in EUR: fix the prefix, suffix or scale/,
      },
      {
        name: 'a wrong scale word (million for the source’s “8.1 billion”)',
        from: '    suffix: " billion"\n    label: of it came from the EU',
        to: '    suffix: " million"\n    label: of it came from the EU',
        code: 'unit-mismatch',
        at: 'suffix: " million"',
        says: /as billion.*: fix the prefix, suffix or scale/,
      },
      {
        name: 'a minus sign lost (2.6 for the source’s “-2.6%”)',
        from: '    value: -2.6\n',
        to: '    value: 2.6\n',
        code: 'sign-lost',
        at: 'value: 2.6',
        says: /minus sign: write the value as -2\.6/,
      },
      {
        name: 'approx on a figure the source states exactly (“GDP growth of 50.6%”)',
        from: '    value: 50.6\n',
        to: '    value: 50.6\n    approx: true\n',
        code: 'approx-not-in-evidence',
        after: 'gdp-growth:',
        at: 'approx: true',
        says: /remove `approx: true`/,
      },
      {
        name: 'approx missing on a figure the source hedges in words (“almost seven hungry years”)',
        from: '    value: 7\n    approx: true\n',
        to: '    value: 7\n',
        code: 'hedged-evidence',
        at: 'evidence: almost seven',
        says: /says “almost”.*add `approx: true`/,
      },
      {
        name: '“almost” typed before an approximate figure',
        from: 'without a recession of {fig:recession-years}',
        to: 'without a recession of almost {fig:recession-years}',
        code: 'double-hedge',
        at: 'almost {fig:recession-years}',
        says: /drop “almost”/,
      },
      {
        name: 'a wrong amount typed into a slide (€76 billion where the figure is 67)',
        from: "of last year's {fig:gdp-last-year} GDP",
        to: "of last year's €76 billion GDP",
        code: 'typed-number-differs',
        at: '€76 billion',
        says: /beside \{fig:eu-net\}, which is €8\.1.billion: write \{fig:gdp-last-year\} \(€67.billion\) or \{fig:eu-net\} if it is meant/,
      },
      {
        name: 'a count typed as a word the source does not say (“nine newcomers” for “the eight countries”)',
        from: '    caption: Change in population over each',
        to: '    caption: Among nine newcomers, change in population over each',
        code: 'count-not-in-source',
        severity: 'warning',
        at: 'nine newcomers',
        says: /^“nine” \(9\) is typed here, but croatia-eu-decade\.txt does not give it: add it as a figure/,
      },
      {
        name: 'a timeline date changed against its evidence (“joined the EU in 2004”)',
        from: '  - when: "2004"',
        to: '  - when: "2005"',
        code: 'date-not-in-evidence',
        at: 'when: "2005"',
        says: /correct the date|evidence/,
      },
      {
        name: 'a mistyped {fig:…} placeholder',
        from: 'Croatia lost {fig:one-in-ten} inhabitants',
        to: 'Croatia lost {fig:one-in-tne} inhabitants',
        code: 'schema',
        at: '{fig:one-in-tne}',
        says: /did you mean \{fig:one-in-ten\}\?/,
      },
      {
        name: 'an evidence phrase that is not the source’s (a space before the percent sign)',
        from: 'evidence: Estonia (-2.6%)',
        to: 'evidence: Estonia (-2.6 %)',
        code: 'evidence-not-in-source',
        at: 'evidence: Estonia (-2.6 %)',
        says: /is not in croatia-eu-decade\.txt: copy/,
      },
    ],
  ],
]

describe.each(MISTAKES)('the brief from a source %s: each single mistake is caught at its line, with a message that names the fix', (_, c, mistakes) => {
  it('has ten mistakes or more, of different kinds', () => {
    expect(mistakes.length).toBeGreaterThanOrEqual(10)
    expect(new Set(mistakes.map((m) => m.code)).size).toBeGreaterThanOrEqual(8)
  })

  it.each(mistakes.map((m) => [m.name, m] as const))('%s', (_name, m) => {
    const text = edit(c, m.from, m.to)
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: m.severity ?? 'error',
        code: m.code,
        line: m.after === undefined ? lineOf(text, m.at) : lineAfter(text, m.after, m.at),
        message: expect.stringMatching(m.says),
      }),
    ])
  })
})

describe('what these sources write that is no minus sign', () => {
  it('a period written as the source writes it, “2014.-2016.”: its last year is 2016, not -2016', () => {
    const text = edit(
      CROATIAN,
      '  first-year:\n',
      '  last-year:\n    value: 2016\n    kind: year\n    label: the last year of the period measured\n    refs: []\n    evidence: u razdoblju 2014.-2016.\n  first-year:\n',
    )
    expect(findingsOf(CROATIAN, text)).toEqual([])
  })

  it('a dash between words before a number, “grew less – 47.2%”', () => {
    const text = edit(
      UNSIGNED,
      '  industry:\n',
      '  slovakia:\n    value: 47.2\n    suffix: "%"\n    label: growth of Slovakia’s GDP\n    refs: []\n    evidence: only Slovakia’s GDP grew less – 47.2%\n  industry:\n',
    )
    expect(findingsOf(UNSIGNED, text)).toEqual([])
  })
})
