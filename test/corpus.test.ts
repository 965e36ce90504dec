import { beforeAll, describe, expect, it } from 'vitest'

import { loadBrief } from '../deck/brief/brief.ts'
import { consistencyFindings, dataFindings, provenanceFindings, type SourceDocument } from '../deck/check/brief-checks.ts'
import { type Finding } from '../deck/check/report.ts'
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
])('a brief from a real source %s', (_, c) => {
  it('checks clean against its source', () => {
    expect(findingsOf(c, c.yaml)).toEqual([])
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

describe('the brief from a Croatian source: each mistake is caught at its line, saying what to do', () => {
  const c = CROATIAN

  it('a figure value changed (1.8 for the source’s 1,6 milijardi)', () => {
    const text = edit(c, '    value: 1.6\n', '    value: 1.8\n')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'value-not-in-evidence',
        line: lineOf(text, 'value: 1.8'),
        message: expect.stringMatching(/does not say 1\.8: .*\b(value|evidence)\b/),
      }),
    ])
  })

  it('a dollar sign for the source’s “eura”', () => {
    const text = edit(
      c,
      '    approx: true\n    prefix: "€"\n    suffix: " billion"\n    label: of new revenue from goods',
      '    approx: true\n    prefix: "$"\n    suffix: " billion"\n    label: of new revenue from goods',
    )
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'unit-mismatch',
        line: expect.toBeOneOf([lineAfter(text, 'goods-gain:', 'prefix: "$"'), lineAfter(text, 'goods-gain:', 'suffix:')]),
        message: expect.stringMatching(/in USD.*in EUR: fix the prefix, suffix or scale/),
      }),
    ])
  })

  it('a wrong scale word (million for the source’s “milijardi”)', () => {
    const text = edit(c, '    suffix: " billion"\n    label: of new revenue from tourist', '    suffix: " million"\n    label: of new revenue from tourist')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'unit-mismatch',
        line: lineOf(text, 'suffix: " million"'),
        message: expect.stringMatching(/as billion: fix the prefix, suffix or scale/),
      }),
    ])
  })

  it('approx on a figure the source states exactly (“17%”)', () => {
    const text = edit(c, '    value: 17\n', '    value: 17\n    approx: true\n')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: expect.stringMatching(/approx|hedge/),
        line: expect.toBeOneOf([lineAfter(text, 'nominal-growth:', 'approx: true'), lineAfter(text, 'nominal-growth:', 'evidence:')]),
        message: expect.stringMatching(/(remove|drop|leave out) `?approx/),
      }),
    ])
  })

  it('approx missing on a figure the source hedges (“gotovo 1,6 milijardi”)', () => {
    const text = edit(c, '    value: 1.6\n    approx: true\n', '    value: 1.6\n')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'hedged-evidence',
        line: lineOf(text, 'evidence: gotovo'),
        message: expect.stringMatching(/says “gotovo”.*add `approx: true`/),
      }),
    ])
  })

  it('“about” typed before an approximate figure', () => {
    const text = edit(c, 'a little less, {fig:tourism-gain}', 'a little less, about {fig:tourism-gain}')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'double-hedge',
        line: lineOf(text, 'about {fig:tourism-gain}'),
        message: expect.stringMatching(/drop “about”/),
      }),
    ])
  })

  it('a wrong amount typed into a slide (€1.9 billion where the figure is 1.6)', () => {
    const text = edit(c, '      - Whether goods exports keep growing faster than tourism', '      - Whether goods exports, €1.9 billion so far, keep growing')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: expect.stringMatching(/number/),
        line: lineOf(text, '€1.9 billion'),
        message: expect.stringMatching(/\{fig:goods-gain\}|add .*figure/),
      }),
    ])
  })

  it('a count typed as a word the source does not say (“four years” for “tri godine”)', () => {
    const text = edit(c, '      - Over {fig:years} goods exports', '      - Over four years goods exports')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: expect.stringMatching(/number/),
        line: lineOf(text, 'Over four years'),
        message: expect.stringMatching(/\{fig:years\}|add .*figure/),
      }),
    ])
  })

  it('a timeline date changed against its evidence (“14.8.2017.”)', () => {
    const text = edit(c, '  - when: "2017-08-14"', '  - when: "2017-08-15"')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: expect.stringMatching(/date|when|evidence/),
        line: expect.toBeOneOf([lineOf(text, '"2017-08-15"'), lineOf(text, 'evidence: Jutarnjeg')]),
        message: expect.stringMatching(/evidence.*: .*\b(when|date)\b/),
      }),
    ])
  })

  it('a mistyped {fig:…} placeholder', () => {
    const text = edit(c, 'a little less, {fig:tourism-gain}', 'a little less, {fig:tourism-gian}')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'schema',
        line: lineOf(text, '{fig:tourism-gian}'),
        message: expect.stringMatching(/did you mean \{fig:tourism-gain\}\?/),
      }),
    ])
  })

  it('an evidence phrase that is not the source’s (“novih” left out)', () => {
    const text = edit(c, 'evidence: gotovo 1,6 milijardi novih eura', 'evidence: gotovo 1,6 milijardi eura')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'evidence-not-in-source',
        line: lineOf(text, 'evidence: gotovo 1,6 milijardi eura'),
        message: expect.stringMatching(/is not in croatian-exports\.txt: .*(copy|quote|exact)/),
      }),
    ])
  })
})

describe('the brief from a source with no author and no footnotes: each mistake is caught at its line, saying what to do', () => {
  const c = UNSIGNED

  it('a figure value changed (56.0 for the source’s 50.6%)', () => {
    const text = edit(c, '    value: 50.6\n', '    value: 56.0\n')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'value-not-in-evidence',
        line: lineOf(text, 'value: 56.0'),
        message: expect.stringMatching(/does not say 56: .*\b(value|evidence)\b/),
      }),
    ])
  })

  it('a dollar sign for the source’s “euros”', () => {
    const text = edit(c, '    value: 67\n    prefix: "€"\n', '    value: 67\n    prefix: "$"\n')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'unit-mismatch',
        line: expect.toBeOneOf([lineOf(text, 'prefix: "$"'), lineAfter(text, 'gdp-last-year:', 'suffix:')]),
        message: expect.stringMatching(/in USD.*in EUR: fix the prefix, suffix or scale/),
      }),
    ])
  })

  it('a wrong scale word (million for the source’s “8.1 billion”)', () => {
    const text = edit(c, '    suffix: " billion"\n    label: of it came from the EU', '    suffix: " million"\n    label: of it came from the EU')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'unit-mismatch',
        line: lineOf(text, 'suffix: " million"'),
        message: expect.stringMatching(/as billion: fix the prefix, suffix or scale/),
      }),
    ])
  })

  it('a minus sign lost (2.6 for the source’s “-2.6%”)', () => {
    const text = edit(c, '    value: -2.6\n', '    value: 2.6\n')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'sign-lost',
        line: lineOf(text, 'value: 2.6'),
        message: expect.stringMatching(/minus sign: write the value as -2\.6/),
      }),
    ])
  })

  it('approx on a figure the source states exactly (“GDP growth of 50.6%”)', () => {
    const text = edit(c, '    value: 50.6\n', '    value: 50.6\n    approx: true\n')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: expect.stringMatching(/approx|hedge/),
        line: expect.toBeOneOf([lineAfter(text, 'gdp-growth:', 'approx: true'), lineAfter(text, 'gdp-growth:', 'evidence:')]),
        message: expect.stringMatching(/(remove|drop|leave out) `?approx/),
      }),
    ])
  })

  it('approx missing on a figure the source hedges in words (“almost seven hungry years”)', () => {
    const text = edit(c, '    value: 7\n    approx: true\n', '    value: 7\n')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'hedged-evidence',
        line: lineOf(text, 'evidence: almost seven'),
        message: expect.stringMatching(/says “almost”.*add `approx: true`/),
      }),
    ])
  })

  it('“almost” typed before an approximate figure', () => {
    const text = edit(c, 'without a recession of {fig:recession-years}', 'without a recession of almost {fig:recession-years}')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'double-hedge',
        line: lineOf(text, 'almost {fig:recession-years}'),
        message: expect.stringMatching(/drop “almost”/),
      }),
    ])
  })

  it('a wrong amount typed into a slide (€76 billion where the figure is 67)', () => {
    const text = edit(c, "of last year's {fig:gdp-last-year} GDP", "of last year's €76 billion GDP")
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: expect.stringMatching(/number/),
        line: lineOf(text, '€76 billion'),
        message: expect.stringMatching(/\{fig:gdp-last-year\}|add .*figure/),
      }),
    ])
  })

  it('a count typed as a word the source does not say (“nine newcomers” for “the eight countries”)', () => {
    const text = edit(c, '    caption: Change in population over each', '    caption: Among nine newcomers, change in population over each')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: expect.stringMatching(/number/),
        line: lineOf(text, 'nine newcomers'),
        message: expect.stringMatching(/\{fig:new-members-2004\}|add .*figure/),
      }),
    ])
  })

  it('a timeline date changed against its evidence (“joined the EU in 2004”)', () => {
    const text = edit(c, '  - when: "2004"', '  - when: "2005"')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: expect.stringMatching(/date|when|evidence/),
        line: expect.toBeOneOf([lineOf(text, 'when: "2005"'), lineAfter(text, 'when: "2005"', 'evidence:')]),
        message: expect.stringMatching(/evidence.*: .*\b(when|date)\b/),
      }),
    ])
  })

  it('a mistyped {fig:…} placeholder', () => {
    const text = edit(c, 'Croatia lost {fig:one-in-ten} inhabitants', 'Croatia lost {fig:one-in-tne} inhabitants')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'schema',
        line: lineOf(text, '{fig:one-in-tne}'),
        message: expect.stringMatching(/did you mean \{fig:one-in-ten\}\?/),
      }),
    ])
  })

  it('an evidence phrase that is not the source’s (a space before the percent sign)', () => {
    const text = edit(c, 'evidence: Estonia (-2.6%)', 'evidence: Estonia (-2.6 %)')
    expect(findingsOf(c, text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'evidence-not-in-source',
        line: lineOf(text, 'evidence: Estonia (-2.6 %)'),
        message: expect.stringMatching(/is not in croatia-eu-decade\.txt: .*(copy|quote|exact)/),
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
