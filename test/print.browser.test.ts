import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { buildBrief } from '../deck/build.ts'
import type { Finding } from '../deck/check/report.ts'
import { CheckFailed, prepare } from '../deck/deck.ts'
import { handoutGeometry } from '../deck/render/print.ts'
import { browserSuite, DEFAULT_BRIEF, fixture, lineOf, outputsIn, ROOT, tempDir } from './helpers.ts'
import { openPdf, readPdf } from './readers.ts'

// The print check: every handout and notes page measured in the Chromium pass that
// prints it. Overlaps, margins and text too long for its slot fail the deck, with the
// page, the slide and the brief's line; nothing is written.

const suite = browserSuite()

const PRINTED = new Set(['handout', 'notes'] as const)
const PRINT_WARNINGS = new Set(['small-text', 'long-lines', 'ruled-lines-near-footer'])
const printFindings = (findings: readonly Finding[]) => findings.filter((f) => f.code.startsWith('print-') || PRINT_WARNINGS.has(f.code))

/** The fixture brief, edited, written to a fresh folder. */
function editedFixture(edit: (yaml: string) => string): { brief: string; dir: string; yaml: string } {
  const dir = tempDir('deck-print-')
  const yaml = edit(fixture('all-layouts.yaml'))
  const brief = join(dir, 'brief.yaml')
  writeFileSync(brief, yaml)
  return { brief, dir, yaml }
}

async function failureOf(build: Promise<unknown>): Promise<CheckFailed> {
  const err = await build.catch((e: unknown) => e)
  expect(err).toBeInstanceOf(CheckFailed)
  return err as CheckFailed
}

/** How many paths (lines, boxes) pdf.js finds drawn on a page. */
async function pathsOnPage(file: string, page: number): Promise<number> {
  const { OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const doc = await openPdf(file)
  try {
    const { fnArray } = await (await doc.getPage(page)).getOperatorList()
    return fnArray.filter((op) => op === OPS.constructPath).length
  } finally {
    await doc.destroy()
  }
}

const LONG = Array.from({ length: 40 }, (_, i) => `Sentence ${i + 1} of a text that goes on and on.`).join(' ')

describe('the print check passes', () => {
  it.each([
    ['the default brief, two slides a page', undefined, 2],
    ['the default brief, three slides a page', undefined, 3],
    ['its Serbian briefing', 'briefing-sr', 2],
  ] as const)('%s: no overlap, nothing past the margins, every text fits, no slide text below 6 pt', async (_, variant, perPage) => {
    const out = tempDir('deck-print-ok-')
    const result = await buildBrief(join(ROOT, DEFAULT_BRIEF), suite.toolkit, {
      outDir: out,
      browser: suite.session,
      formats: PRINTED,
      handoutPerPage: perPage,
      ...(variant ? { variant } : {}),
    })
    expect(printFindings(result.report.findings)).toEqual([])
    expect(outputsIn(out)).toHaveLength(2)
    // The layout that cannot print slide text at 8 pt says so, once, as a note.
    const note = result.report.skipped.find((s) => s.startsWith('with 3 slides a handout page'))
    if (perPage === 3) expect(note).toMatch(/slide text prints at 6\.\d pt and captions at 3\.\d pt .*--handout 2, prints them at 10\.\d and 6\.\d pt/)
    else expect(note).toBeUndefined()
    // What was measured on paper, said as a note: at two a page every glyph at 6 pt or more, footnote markers included,
    // the audience text at 9.5 pt in lines of 90 characters or fewer, ruled lines clear of the footer; the notes at 14 pt.
    const measured = (kind: string) => {
      const said = result.report.skipped.find((s) => s.startsWith(`${kind} printed:`)) ?? ''
      const number = (re: RegExp) => Number(re.exec(said)?.[1])
      return { said, smallest: number(/slide pictures at ([\d.]+) pt/), text: number(/its text at ([\d.]+) pt/), chars: number(/at most (\d+) characters/) }
    }
    const handout = measured('handout')
    const notes = measured('notes PDF')
    if (perPage === 2) expect(handout.smallest, handout.said).toBeGreaterThanOrEqual(6)
    expect(handout.text, handout.said).toBe(9.5)
    expect(handout.chars, handout.said).toBeLessThanOrEqual(90)
    expect(notes.smallest, notes.said).toBeGreaterThanOrEqual(6)
    expect(notes.text, notes.said).toBe(14)
    expect(notes.chars, notes.said).toBeLessThanOrEqual(90)
  })

  it('a 4:3 deck, slides with no notes and no handout text (ruled lines), with two and three slides a page', async () => {
    const { brief, dir } = editedFixture((yaml) => yaml.replace('  language: en', '  language: en\n  size: "4:3"'))
    for (const perPage of [2, 3] as const) {
      const result = await buildBrief(brief, suite.toolkit, {
        outDir: join(dir, `out-${perPage}`),
        browser: suite.session,
        formats: PRINTED,
        handoutPerPage: perPage,
      })
      expect(printFindings(result.report.findings)).toEqual([])
    }
  })
})

describe('the print check fails', () => {
  it('a handout text too long for its slot: an error naming the handout page, the slide and the line of its handout field', async () => {
    const { brief, dir, yaml } = editedFixture((y) => y.replace('    notes: Welcome.', `    notes: Welcome.\n    handout: ${LONG}`))
    const { report } = await failureOf(buildBrief(brief, suite.toolkit, { outDir: join(dir, 'out'), browser: suite.session, formats: PRINTED }))
    const errors = report.findings.filter((f) => f.severity === 'error')
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'print-unfit',
        slide: { number: 1, title: expect.any(String) },
        line: lineOf(yaml, '    handout: Sentence 1'),
        message: expect.stringMatching(
          /^handout, page 1: the text of slide 1 is \d+(\.\d)? mm too long for its space even in the smallest type allowed \(9 pt\): shorten it$/,
        ),
      }),
    ])
    expect(outputsIn(join(dir, 'out'))).toEqual([])
  })

  it('speaker notes too long for the notes page: an error at the notes field; the handout does not print them', async () => {
    const long = Array.from({ length: 6 }, () => LONG).join(' ')
    const { brief, dir, yaml } = editedFixture((y) => y.replace('    notes: Welcome.', `    notes: ${long}`))
    const { report } = await failureOf(buildBrief(brief, suite.toolkit, { outDir: join(dir, 'out'), browser: suite.session, formats: PRINTED }))
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([
      expect.objectContaining({
        code: 'print-unfit',
        line: lineOf(yaml, '    notes: Sentence 1'),
        message: expect.stringMatching(/^notes PDF, page 1: the text of slide 1 is .* \(10\.5 pt\)/),
      }),
    ])
  })

  it('ruled lines that spill out of their slot into the next slide: an overlap, by page and slide', async () => {
    // A print template whose rows keep their height while the slot beside a slide loses its own and offers more
    // lines than fit: they run on over the next slide, as they once did.
    const templates = join(tempDir('deck-print-templates-'), 'templates')
    cpSync(join(ROOT, 'templates'), templates, { recursive: true })
    const handout = join(templates, 'print/handout.hbs')
    const lines = '{{#each @root.ruledLines}}<div class="p-line"></div>{{/each}}'
    const template = readFileSync(handout, 'utf8').replace('.p-text, .p-lines {', '.p-text {').replace(lines, lines.repeat(8))
    writeFileSync(handout, template.replace('</style>', '  .p-row { flex: 0 0 118mm; min-height: 0; }\n</style>'))
    const spilling = await prepare({ templatesDir: templates, themeFile: join(ROOT, 'templates/theme.css') })
    const { brief, dir, yaml } = editedFixture((y) => y)
    const { report } = await failureOf(buildBrief(brief, spilling, { outDir: join(dir, 'out'), browser: suite.session, formats: new Set(['handout']) }))
    const messages = report.findings.filter((f) => f.code === 'print-overlap').map((f) => f.message)
    // The fixture's slides have no audience text: slide 1's lines run over slide 2 below it, and slide 2's into the footer.
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringMatching(/^handout, page 1: the ruled lines of slide 1 and the picture of slide 2 overlap by [\d.]+ mm$/)]),
    )
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringMatching(/^handout, page 1: the ruled lines of slide 2 reach [\d.]+ mm into the page footer$/)]),
    )
    expect(report.findings.find((f) => f.code === 'print-overlap')).toMatchObject({
      severity: 'error',
      slide: { number: 1 },
      line: lineOf(yaml, '  - id: title'),
    })
    expect(outputsIn(join(dir, 'out'))).toEqual([])
  })
})

describe('what the handout prints beside a slide', () => {
  it('its audience text; ruled lines beside a slide without; speaker notes only when the brief asks', async () => {
    const audience = 'The take-away for the reader.'
    const { brief, dir } = editedFixture((y) =>
      y
        .replace('    notes: Welcome.', `    notes: Thank the hosts first.\n    handout: ${audience}`)
        .replace('  - id: agenda\n    layout: agenda', '  - id: agenda\n    layout: agenda\n    notes: Skip this if time is short.'),
    )
    await buildBrief(brief, suite.toolkit, { outDir: join(dir, 'a'), browser: suite.session, formats: new Set(['handout']) })
    const plain = (await readPdf(join(dir, 'a/brief-handout.pdf'))).text.join('\n')
    expect(plain).toContain(audience)
    expect(plain).not.toContain('Thank the hosts')
    expect(plain).not.toContain('Skip this')

    const asked = join(dir, 'asked.yaml')
    writeFileSync(asked, `${readFileSync(brief, 'utf8')}\nhandout:\n  speakerNotes: true\n`)
    await buildBrief(asked, suite.toolkit, { outDir: join(dir, 'b'), browser: suite.session, formats: new Set(['handout']) })
    const withNotes = (await readPdf(join(dir, 'b/asked-handout.pdf'))).text.join('\n')
    expect(withNotes).toContain(audience) // a slide's own audience text still comes first
    expect(withNotes).not.toContain('Thank the hosts')
    expect(withNotes).toContain('Skip this if time is short.')

    // Page 1 of the first handout has ruled lines beside slide 2; the second prints its notes there instead.
    const geometry = handoutGeometry(2, { width: 1280, height: 720 })
    const lines = await pathsOnPage(join(dir, 'a/brief-handout.pdf'), 1)
    const text = await pathsOnPage(join(dir, 'b/asked-handout.pdf'), 1)
    expect(lines - text).toBe(geometry.ruledLines)
  })

  it('a long address in audience text wraps within its slot, never cut off at the edge', async () => {
    // Four lines of the handout's column (at most about 90 characters a line) hold it.
    const address = `https://example.org/${'a-very-long-path-segment/'.repeat(10)}end`
    const { brief, dir } = editedFixture((y) => y.replace('    notes: Welcome.', `    handout: See ${address}`))
    const result = await buildBrief(brief, suite.toolkit, { outDir: join(dir, 'out'), browser: suite.session, formats: new Set(['handout']) })
    expect(printFindings(result.report.findings)).toEqual([])
    const page = (await readPdf(join(dir, 'out/brief-handout.pdf'))).text[0]?.replace(/\s+/g, '') ?? ''
    expect(page).toContain(address)
  })
})

describe("the pages' header and footer", () => {
  const SHORT_TITLE = 'Water, wastewater and tariffs in the Danube basin: III draft'
  const AUTHOR = 'Jelena Vučić and Aleksandar Petrović-Njegoš'
  const AFFILIATION = 'Institute for Comparative Studies of Public Utilities in Southeast Europe'
  const longMeta = (affiliation: string) => (y: string) =>
    y
      .replace('  shortTitle: Danube water prices', `  shortTitle: "${SHORT_TITLE}"`)
      .replace('  author: Jelena Vučić', `  author: ${AUTHOR}`)
      .replace('  affiliation: Example Institute', `  affiliation: ${affiliation}`)
      .replace('    publisher: Example Institute', `    publisher: ${AFFILIATION}`)

  it('a 60-character short title, a long author and affiliation: printed whole on every page, nothing cut', async () => {
    expect(SHORT_TITLE).toHaveLength(60) // the longest the schema allows
    const { brief, dir } = editedFixture(longMeta(AFFILIATION))
    const result = await buildBrief(brief, suite.toolkit, { outDir: join(dir, 'out'), browser: suite.session, formats: PRINTED })
    expect(printFindings(result.report.findings)).toEqual([])
    for (const file of ['brief-handout.pdf', 'brief-notes.pdf']) {
      const { text } = await readPdf(join(dir, 'out', file))
      for (const page of text) {
        expect(page).toContain(SHORT_TITLE)
        expect(page).toContain(`${AUTHOR} · ${AFFILIATION} · 14 March 2025`)
        expect(page).toContain(`${SHORT_TITLE} · Source: ${AFFILIATION}, 14 March 2025`)
        // The handout leaves out the slides' own footers: any "…" would be the page's.
        if (file === 'brief-handout.pdf') expect(page).not.toContain('…')
      }
    }
  })

  it('a byline longer than the header holds: the affiliation shortened at a word with "…", a warning at its line', async () => {
    const affiliation = `${AFFILIATION}, Water Governance and Municipal Tariff Regulation in the Danube Region`
    const { brief, dir, yaml } = editedFixture(longMeta(affiliation))
    const result = await buildBrief(brief, suite.toolkit, { outDir: join(dir, 'out'), browser: suite.session, formats: PRINTED })
    expect(printFindings(result.report.findings)).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'print-shortened',
        line: lineOf(yaml, '  affiliation:'),
        message: expect.stringMatching(/^handout, pages 1–6: meta\.affiliation is shortened at a word to fit the header \(\d+ of its 144 characters show\)/),
      }),
      expect.objectContaining({ code: 'print-shortened', message: expect.stringMatching(/^notes PDF, pages 1–6: meta\.affiliation/) }),
    ])
    const page = (await readPdf(join(dir, 'out/brief-handout.pdf'))).text[0] ?? ''
    expect(page).toContain(SHORT_TITLE)
    const shown = new RegExp(`${AUTHOR} · (.+?)… · 14 March 2025`).exec(page)?.[1] ?? ''
    // Whole words of the affiliation, never the start of one, and not a little word last.
    expect(affiliation.startsWith(`${shown} `)).toBe(true)
    expect(shown.length).toBeGreaterThan(AFFILIATION.length / 2)
    expect(shown).not.toMatch(/ (and|in|of|the)$/)
  })

  it('a template that cuts its header with an ellipsis: an error naming the page and the field, at its line', async () => {
    const templates = join(tempDir('deck-print-templates-'), 'templates')
    cpSync(join(ROOT, 'templates'), templates, { recursive: true })
    // The header as it once was: the title given what the byline leaves, cut by the browser, not fitted.
    const head = join(templates, 'print/_head.hbs')
    writeFileSync(head, readFileSync(head, 'utf8').replaceAll(' data-fit ', ' '))
    const sheet = join(templates, 'print/_sheet.hbs')
    writeFileSync(
      sheet,
      `${readFileSync(sheet, 'utf8')}  .p-head { flex-wrap: nowrap; }\n  .p-title { text-overflow: ellipsis; }\n  .p-byline { flex: 0 0 auto; }\n`,
    )
    const cutting = await prepare({ templatesDir: templates, themeFile: join(ROOT, 'templates/theme.css') })
    const { brief, dir, yaml } = editedFixture(longMeta(AFFILIATION))
    const { report } = await failureOf(buildBrief(brief, cutting, { outDir: join(dir, 'out'), browser: suite.session, formats: new Set(['handout']) }))
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([
      expect.objectContaining({
        code: 'print-cut',
        line: lineOf(yaml, '  shortTitle:'),
        message: expect.stringMatching(/^handout, pages 1–6: the header \(meta\.shortTitle\) is cut off by [\d.]+ mm: shorten it$/),
      }),
      // The byline, kept whole, runs past the header's edge.
      expect.objectContaining({
        code: 'print-cut',
        line: lineOf(yaml, '  author:'),
        message: expect.stringMatching(/^handout, pages 1–6: the header \(meta\.author, meta\.affiliation\) is cut off by [\d.]+ mm: shorten it$/),
      }),
    ])
    expect(outputsIn(join(dir, 'out'))).toEqual([])
  })
})
