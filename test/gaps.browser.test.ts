import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'

import { buildBrief } from '../deck/build.ts'
import { browserSuite, fixture, outputsIn, ROOT, tempDir } from './helpers.ts'
import { decodeXml, readPdf } from './readers.ts'

// A real source often names no author, no publisher and no speaker, and has no footnotes and
// no date for some events. The brief then leaves those fields out, and every output must read
// naturally without them: nothing invented in their place, no stray separators, no empty
// properties. Built here with every output, in a browser.

const suite = browserSuite()

/** The small brief that uses every layout, with all that a source may not say left out. */
function briefWithGaps(): string {
  const brief = parse(fixture('all-layouts.yaml')) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- a test edits the parsed YAML freely
  delete brief.meta.author
  delete brief.meta.role
  delete brief.meta.affiliation
  delete brief.meta.source.publisher
  brief.meta.source.title = 'Tariffs along the river'
  delete brief.references
  for (const f of Object.values(brief.figures) as Record<string, unknown>[]) f.refs = []
  brief.series.tariffs.refs = []
  for (const e of brief.timeline as Record<string, unknown>[]) delete e.refs
  brief.timeline.push({ when: 'during the drought', label: 'Rationing in two towns' }, { label: 'Meters installed' })
  const quote = brief.slides.find((s: { layout: string }) => s.layout === 'quote')
  delete quote.attribution
  delete quote.refs
  return stringify(brief)
}

/** What the removed fields held: none of it may show anywhere. */
const REMOVED = ['Jelena', 'Analyst', 'Example Institute', 'Statistics Office', 'Regulator', 'A mayor', 'Household survey']
/** What a missing value leaves when it is printed anyway, or its separator kept. */
const LEFTOVERS = [/undefined/, /\*\*\*\*/, /\bnull\b/, /·\s*·/, /·\s*,/, /,\s*,/, /,\s*·/, /^\s*·/m, /·\s*$/m, /“\s*”/, /\(\s*\)/]

function expectNothingMissingShown(text: string, where: string): void {
  for (const word of REMOVED) expect(text, `${where} shows “${word}”`).not.toContain(word)
  for (const leftover of LEFTOVERS) expect(text, `${where} matches ${leftover}`).not.toMatch(leftover)
}

describe('a brief with no author, affiliation, publisher, attribution or references', () => {
  it('builds every output with no finding, and no output shows or stores anything in their place', async () => {
    const dir = tempDir('deck-gaps-')
    const file = join(dir, 'gaps.yaml')
    writeFileSync(file, briefWithGaps())
    const out = join(dir, 'out')
    const result = await buildBrief(file, suite.toolkit, {
      outDir: out,
      browser: suite.session,
      formats: new Set(['md', 'html', 'pdf', 'handout', 'notes', 'pptx']),
    })
    expect(result.report.findings).toEqual([])
    expect(outputsIn(out)).toEqual(['gaps-handout.pdf', 'gaps-notes.pdf', 'gaps.html', 'gaps.md', 'gaps.pdf', 'gaps.pptx'])

    const markdown = readFileSync(join(out, 'gaps.md'), 'utf8')
    expectNothingMissingShown(markdown, 'the Markdown')
    expect(markdown).not.toMatch(/^(author|keywords):/m)
    expect(markdown).not.toContain('class="kicker"></span>')
    // Every figure credits the source document itself, by the site it is published on; the sources slide lists it whole.
    expect(markdown).toContain('Source: example.org, 14 March 2025')
    expect(markdown).toMatch(
      /<span class="entry">“Tariffs along the river”, 14[\s\u00A0]March[\s\u00A0]2025\.<br><a href="https:\/\/example\.org\/briefs\/water">/,
    )
    // The quote reads as the source's words.
    expect(markdown).not.toContain('class="attribution"')
    expect(markdown).toMatch(/> “Water is not a luxury\.”\n\n<span class="source">Source: example\.org, 14\sMarch\s2025<\/span>/)
    // Events the line cannot place are listed after it, in order, said in the deck's language.
    expect(markdown).toContain('Without an exact date:')
    expect(markdown).toMatch(/- During the drought: Rationing in two towns\n- Meters installed\n/)
    expectNothingMissingShown(readFileSync(join(out, 'gaps.html'), 'utf8').replace(/<(script|style)[\s\S]*?<\/\1>/g, ''), 'the HTML')

    for (const name of ['gaps.pdf', 'gaps-handout.pdf', 'gaps-notes.pdf']) {
      const pdf = await readPdf(join(out, name))
      expectNothingMissingShown(pdf.text.join('\n'), name)
      expect(pdf.info.Author, `${name} names an author`).toBeUndefined()
      expect(pdf.info.Keywords, `${name} has keywords`).toBeUndefined()
      expect(pdf.info.Title).toBe('Water prices in the Danube basin')
    }
    const handout = (await readPdf(join(out, 'gaps-handout.pdf'))).text[0] ?? ''
    expect(handout).toContain('Danube water prices 14 March 2025')

    const zip = await JSZip.loadAsync(readFileSync(join(out, 'gaps.pptx')))
    const core = (await zip.file('docProps/core.xml')?.async('string')) ?? ''
    expect(core).not.toContain('dc:creator')
    expect(core).not.toContain('lastModifiedBy')
    expect(core).not.toContain('PptxGenJS')
    expect((await zip.file('docProps/app.xml')?.async('string')) ?? '').not.toContain('Company>')
    const slides = Object.keys(zip.files).filter((n) => /^ppt\/(slides|slideLayouts|slideMasters)\/[^/]+\.xml$/.test(n))
    for (const name of slides) {
      const xml = (await zip.file(name)?.async('string')) ?? ''
      // Each paragraph's runs joined, one paragraph a line, as PowerPoint shows the text.
      const paragraphs = [...xml.matchAll(/<a:p>([\s\S]*?)<\/a:p>/g)].map((p) => [...(p[1] ?? '').matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => m[1]).join(''))
      expectNothingMissingShown(decodeXml(paragraphs.join('\n')), name)
    }
  })
})

// Kept in step with the fixture it edits: a field it removes that the fixture no longer has would make the test pass vacuously.
it('the fixture still has every field the brief above removes', () => {
  const yaml = readFileSync(join(ROOT, 'test/fixtures/all-layouts.yaml'), 'utf8')
  for (const word of REMOVED) expect(yaml).toContain(word)
})
