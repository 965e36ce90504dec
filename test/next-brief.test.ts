import { beforeAll, describe, expect, it } from 'vitest'

import { loadBrief } from '../deck/brief/brief.ts'
import { consistencyFindings, provenanceFindings } from '../deck/check/brief-checks.ts'
import { type Finding } from '../deck/check/report.ts'
import { buildView, renderDeck, renderView } from '../deck/render/render.ts'
import { compileTemplates, readTemplates, type TemplateSources } from '../deck/render/templates.ts'
import { chartsOf, fixture, lineOf, problemsOf, ROOT, shownFor } from './helpers.ts'

// The second brief, on another subject (the cost of EU enlargement), with its own source
// text: what a real source needs from the schema, and the mistakes `check` must catch in it.

const FILE = 'eu-enlargement.yaml'
const YAML = fixture(FILE)
const SOURCE = { file: 'eu-enlargement.txt', text: fixture('eu-enlargement.txt') }

let templates: TemplateSources
beforeAll(async () => {
  templates = await readTemplates(`${ROOT}/templates`)
})

/** Every finding of the data-level checks on a version of the fixture. */
function findingsOf(yaml: string): Finding[] {
  const loaded = loadBrief(yaml, FILE)
  return [...provenanceFindings(loaded, SOURCE), ...consistencyFindings(loaded, templates)]
}

/** The fixture with one exact piece replaced, failing loudly if it is not there. */
function edit(from: string, to: string): string {
  expect(YAML).toContain(from)
  return YAML.replace(from, to)
}

describe('the second brief', () => {
  it('says what its source does not give (no link, no date, a period in words) and checks clean against its source', () => {
    expect(findingsOf(YAML)).toEqual([])
  })

  it('shows a figure at another scale, a number as a word, a verbal quantity and a quotation with the language’s marks', async () => {
    const brief = loadBrief(YAML, FILE).brief
    const markdown = renderDeck(brief, compileTemplates(templates), { charts: await chartsOf(brief) })
    expect(markdown).toContain('<span class="value">€1.47<span class="unit"> trillion</span><sup class="ref"> 1</sup></span>')
    expect(markdown).toContain('- Nine countries could join, making a Union of 36.') // a word opening its sentence gets a capital
    expect(markdown).toContain('negotiated for 25\u00A0years.')
    expect(markdown).toContain('> “almost unthinkable”<sup class="ref"> 2</sup>')
    expect(markdown).toContain('<span class="source">The next seven-year budget · Source: Example Centre for European Studies</span>')
    expect(markdown).toContain('<span class="nolink">no link available</span>')
    // The closing slide credits its sources on one line instead of markers.
    expect(markdown).toContain('- The budget talks in the first week of October\n')
    expect(markdown).toContain('<span class="source source-line">Sources: \\[2\\] Example Centre for European Studies, 2025</span>')
  })
})

describe('mistakes that used to get past check', () => {
  it('“about” typed before a figure that already shows ≈: an error at that line', () => {
    const text = edit('The budget would reach {fig:budget}, {fig:gni-share}', 'The budget would reach {fig:budget}, about {fig:gni-share}')
    expect(findingsOf(text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'double-hedge',
        line: lineOf(text, 'about {fig:gni-share}'),
        message: expect.stringContaining('reads “about ≈1.4%”'),
      }),
    ])
  })

  it('a figure given in another scale and currency than its evidence ("$186 million" for "186 billion euros"): an error at the line', () => {
    const text = edit('    prefix: "€"\n    suffix: " billion"', '    prefix: "$"\n    suffix: " million"')
    expect(findingsOf(text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'unit-mismatch',
        line: lineOf(text, '    suffix: " million"'),
        message:
          'figure newcomers shows its value as million in USD, but its evidence “almost 186 billion euros” gives 186 as billion in EUR: fix the prefix, suffix or scale',
      }),
    ])
  })

  it('a percentage in the evidence shown as a plain number, and a rescaled figure without its scale', () => {
    const plain = edit('    suffix: "%"\n    label: of the budget', '    label: of the budget')
    expect(findingsOf(plain).map((f) => f.code)).toEqual(['unit-mismatch'])
    const unscaled = edit('    scale: 0.001\n', '')
    expect(findingsOf(unscaled)).toEqual([
      expect.objectContaining({
        code: 'unit-mismatch',
        message: 'figure budget shows its value as trillion, but its evidence “1,470 billion euros” gives 1,470 as billion: fix the prefix, suffix or scale',
      }),
    ])
  })

  it('a quotation changed from its source: an error at the quote', () => {
    const text = edit('    quote: almost unthinkable', '    quote: completely unthinkable')
    expect(findingsOf(text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'quote-not-in-source',
        line: lineOf(text, '    quote: completely'),
        message: 'the quotation “completely unthinkable” is not in eu-enlargement.txt: quote the source word for word',
      }),
    ])
  })

  it('a figure whose evidence says “about” but that is not marked approximate: an error at its evidence', () => {
    const text = edit('    value: 1.4\n    approx: true\n', '    value: 1.4\n')
    expect(findingsOf(text)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'hedged-evidence',
        line: lineOf(text, 'evidence: about 1.4 percent'),
        message: expect.stringContaining('its evidence says “about”'),
      }),
    ])
  })

  it('the same amount typed at another scale ("1.47 trillion euros" for the 1,470-billion figure): a warning at the line', () => {
    const text = edit('      - The budget talks in the first week of October{ref:2}', '      - A budget of 1.47 trillion euros is on the table{ref:2}')
    expect(findingsOf(text)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'typed-number',
        line: lineOf(text, '1.47 trillion euros'),
        message: expect.stringContaining('write {fig:budget}'),
      }),
    ])
  })

  it('a number typed beside a figure in its unit but with another value ("35 milijardi eura" beside €1.47 trillion, "66 %" beside ≈1.4%): errors', () => {
    const text = edit(
      'The budget would reach {fig:budget}, {fig:gni-share} of gross national income.',
      'The budget would reach {fig:budget} with 35 milijardi eura for roads, {fig:gni-share} (66 % of it) of gross national income.',
    )
    const findings = findingsOf(text).filter((f) => f.code === 'typed-number-differs')
    expect(findings.map((f) => [f.severity, f.line, f.message.split(': write')[0]])).toEqual([
      ['error', lineOf(text, '35 milijardi'), '35 billion EUR is typed beside {fig:budget}, which is €1.47\u00A0trillion'],
      ['error', lineOf(text, '35 milijardi'), '66% is typed beside {fig:gni-share}, which is ≈1.4%'],
    ])
  })

  it('quotation marks typed around a quote the layout already marks: a warning', () => {
    const text = edit('    quote: almost unthinkable', '    quote: "“almost unthinkable”"')
    expect(findingsOf(text)).toEqual([expect.objectContaining({ severity: 'warning', code: 'quote-marks', line: lineOf(text, '    quote: "“almost') })])
  })
})

describe('read well', () => {
  it('one marker per reference in a text, none in a title or a divider', async () => {
    const text = edit(
      '      - "The budget would reach {fig:budget}, {fig:gni-share} of gross national income."',
      '      - "{fig:budget}{ref:1}, {fig:gni-share} of GNI for all {fig:members-total} countries."',
    ).replace('    subtitle: The next seven-year budget', '    subtitle: "A budget of {fig:budget}{ref:2}"')
    const brief = loadBrief(text, FILE).brief
    const markdown = renderDeck(brief, compileTemplates(templates), { charts: await chartsOf(brief) })
    expect(markdown).toContain('- €1.47\u00A0trillion<sup class="ref"> 1</sup>, ≈1.4% of GNI for all 36 countries.')
    expect(markdown).toContain('A budget of €1.47\u00A0trillion\n')
  })

  it('a reference or figure a text names that does not exist is said with what does, at the text’s line, never the token written', () => {
    const ref = edit('first week of October{ref:2}', 'first week of October{ref:3}')
    expect(problemsOf(ref, FILE)).toEqual([
      expect.objectContaining({
        line: lineOf(ref, '{ref:3}'),
        col: 9,
        path: 'slides.6.points.0',
        message: 'a footnote marker in this text names no reference (references: 1, 2)',
      }),
    ])
    const refShown = shownFor(ref, FILE)
    expect(refShown).not.toContain('ref:3')
    expect(refShown).not.toContain('October')
    const fig = edit('{fig:waiting}', '{fig:wait}')
    expect(problemsOf(fig, FILE)).toEqual([
      expect.objectContaining({
        line: lineOf(fig, '{fig:wait}'),
        col: 9,
        path: 'slides.1.points.2',
        message: expect.stringMatching(
          /^a \{fig:…\} in this text names a figure that does not exist; did you mean \{fig:waiting\}\? \(figures: budget, .*waiting\)$/,
        ),
      }),
    ])
    expect(shownFor(fig, FILE)).not.toContain('{fig:wait}')
  })

  it('a slide with a source line shows no marker at all, its quote’s and figure’s included; its notes add nothing to it', async () => {
    const text = edit('    refs: [2]\n\n  - id: end', '    refs: [2]\n    markers: source-line\n    notes: "The budget is {fig:budget}."\n\n  - id: end')
    const brief = loadBrief(text, FILE).brief
    const markdown = renderDeck(brief, compileTemplates(templates), { charts: await chartsOf(brief) })
    const quote = markdown.split('\n---\n').find((slide) => slide.includes('_class: quote')) ?? ''
    expect(quote).toContain('> “almost unthinkable”\n')
    expect(quote).not.toContain('class="ref"')
    expect(quote).toContain('Sources: \\[2\\] Example Centre for European Studies, 2025</span>') // not [1], the budget's in the notes
  })

  it('a Serbian deck quotes in Serbian marks, and a summary, bookmark or message never holds a no-break space', async () => {
    const text = edit('  language: en', '  language: sr')
    const brief = loadBrief(text, FILE).brief
    const view = buildView(brief, { charts: await chartsOf(brief) })
    expect(renderView(view, compileTemplates(templates))).toContain('> „almost unthinkable“')
    expect((view.meta.summary as { plain: string }).plain).toContain('€1,47 trillion')
    expect(view.slides.find((s) => s.id === 'budget')?.outline).toBe('€1,47 trillion budget of an enlarged Union')
  })

  it('a number word gets a capital where a sentence starts, not after a year or an abbreviation', async () => {
    const text = edit(
      '      - "{fig:new-members} countries could join',
      '      - "By 2030. {fig:new-members} countries, e.g. {fig:new-members} more. {fig:new-members} could join',
    )
    const brief = loadBrief(text, FILE).brief
    const markdown = renderDeck(brief, compileTemplates(templates), { charts: await chartsOf(brief) })
    expect(markdown).toContain('- By 2030. nine countries, e.g. nine more. Nine could join')
  })

  it('a pasted line with an unquoted colon gets a plain hint', () => {
    const text = edit('    title: A change of mind', '    title: A change of mind: before 2022')
    expect(problemsOf(text, FILE)).toEqual([
      expect.objectContaining({ line: lineOf(text, 'A change of mind:'), message: expect.stringContaining('put the whole value in quotes') }),
    ])
  })
})
