import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'

import { beforeAll, describe, expect, it } from 'vitest'

import type { Report } from '../deck/check/report.ts'
import { DEFAULT_BRIEF, fixture, lineOf, outputsIn, ROOT, runDeck, tempDir, testBrowser } from './helpers.ts'

// `deck check` as a user runs it, one brief per kind of finding, with the layout
// measured in Chromium (the npm one) and the HTML deck audited by axe-core.

const SEED = join(ROOT, '..', 'shared', 'seeds', '000_1f5c8429eabb91f4.txt')
let chrome: string
beforeAll(async () => {
  chrome = (await testBrowser()).path
})

const deck = (...args: string[]) => runDeck(args, { env: { CHROME_PATH: chrome } })

/** Runs `check --format json` on a brief written from `text`; returns the exit code and the report. */
async function check(text: string, ...options: string[]): Promise<{ code: number | null; report: Report; stderr: string }> {
  const file = join(tempDir('deck-check-'), 'brief.yaml')
  writeFileSync(file, text)
  const { code, stdout, stderr } = await deck('check', file, '--format', 'json', ...options)
  return { code, report: JSON.parse(stdout) as Report, stderr }
}

const LONG_BULLETS = Array.from(
  { length: 12 },
  (_, i) => `      - Long point ${i + 1}, which runs over most of a line of the slide and then some more words.`,
).join('\n')
const overflowing = fixture('all-layouts.yaml').replace(
  '    points:\n      - The survey covers {fig:households} households.\n      - Prices run from {fig:price-low} to {fig:price-high}.',
  `    points:\n${LONG_BULLETS}`,
)

describe('deck check', () => {
  it('passes the default brief with no error, against its source document where it is present', async () => {
    const source = existsSync(SEED) ? ['--source', SEED] : []
    const { code, stdout } = await deck('check', DEFAULT_BRIEF, ...source)
    expect(stdout).toMatch(/✔ data\/serbia-china-extradition\.yaml: 0 errors, 0 warnings$/m)
    if (source.length === 0) expect(stdout).toContain('note: provenance not verified')
    else expect(stdout).not.toContain('provenance not verified')
    expect(code).toBe(0)
  })

  it('a slide with twelve long bullets overflows, found in Chromium at its slide and line', async () => {
    const { code, report } = await check(overflowing)
    expect(code).toBe(1)
    const errors = report.findings.filter((f) => f.severity === 'error')
    expect(errors).toEqual([
      expect.objectContaining({ code: 'overflow', slide: { number: 4, title: 'Key points' }, line: lineOf(overflowing, '  - id: points') }),
    ])
    expect(errors[0]?.message).toMatch(/runs \d+ px below its box/)
    expect(report.findings.map((f) => f.code).sort()).toEqual(['overflow', 'too-many-bullets', 'too-many-words'])
  })

  it('a footer too long for the slides’ line: a long affiliation is shortened at a word by the build; one of wide letters that still does not fit is found once', async () => {
    const affiliation =
      'Example Institute for the Comparative Study of Water Prices, Public Utilities, Tariff Regulation and Household Budgets in the Danube Basin'
    const long = fixture('all-layouts.yaml').replace('  affiliation: Example Institute', `  affiliation: ${affiliation}`)
    expect((await check(long)).report.findings.filter((f) => f.code === 'footer-shortened' || f.severity === 'error')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line: lineOf(long, '  affiliation:'),
        message: "the slides' footer shortens at a word meta.affiliation, for the line holds no more: shorten it to show it whole",
      }),
    ])
    // Capitals are twice as wide as the letters the build counts by: the slide measured as drawn is the judge.
    const wide = long
      .replace('  author: Jelena Vučić', `  author: ${'WMWM '.repeat(12).trim()}`)
      .replace('  shortTitle: Danube water prices', `  shortTitle: ${'WMWM '.repeat(11).trim()}`)
    const { code, report } = await check(wide)
    expect(code).toBe(1)
    expect(report.findings.filter((f) => f.code === 'footer-cut')).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: lineOf(wide, '  author:'),
        message: expect.stringMatching(/\d+ px too long for its line, and every slide cuts it: shorten meta\.author$/),
      }),
    ])
  })

  it('a chart without alt text, from a template that dropped it', async () => {
    const templates = join(tempDir('deck-templates-'), 'templates')
    cpSync(join(ROOT, 'templates'), templates, { recursive: true })
    const chart = join(templates, 'layouts', 'chart.hbs')
    writeFileSync(chart, readFileSync(chart, 'utf8').replace(' role="img" aria-label="{{attr alt}}"', '').replace('<span class="alt">{{attr alt}}</span>', ''))
    const { code, report } = await check(fixture('all-layouts.yaml'), '--templates', templates)
    expect(code).toBe(1)
    expect(report.findings).toEqual([
      expect.objectContaining({ severity: 'error', check: 'accessibility', code: 'missing-alt', slide: { number: 7, title: 'Tariffs keep rising' } }),
    ])
  })

  it('a brand with low contrast, by the brand’s colours and by axe-core on the slides', async () => {
    const brand = join(tempDir('deck-brand-'), '_brand.yml')
    writeFileSync(brand, 'color:\n  secondary: "#a0a8b0"\n')
    const { code, report } = await check(fixture('all-layouts.yaml'), '--brand', brand)
    expect(code).toBe(1)
    expect(report.findings.filter((f) => f.code === 'contrast').map((f) => [f.message, f.file])).toEqual([
      [
        expect.stringMatching(/^--muted \(color\.secondary\) on --paper \(color\.background\) has a contrast of 2\.\d\d:1; WCAG AA asks at least 4\.5:1$/),
        brand,
      ],
      [expect.stringMatching(/^--muted \(color\.secondary\) on --tint \(color\.light\) has a contrast of 2\.\d\d:1/), brand],
    ])
    expect(report.findings.some((f) => f.code === 'axe-color-contrast' && f.slide !== undefined)).toBe(true)
    expect(report.findings.every((f) => f.code === 'contrast' || f.code === 'axe-color-contrast')).toBe(true)
  })

  it('a missing reference is reported at its line, and the other checks wait for a readable brief', async () => {
    const text = fixture('all-layouts.yaml').replace('    refs: [1, 2]', '    refs: [1, 3]')
    const { code, report } = await check(text)
    expect(code).toBe(1)
    expect(report.findings).toEqual([
      expect.objectContaining({
        check: 'data',
        line: lineOf(text, 'refs: [1, 3]'),
        message: expect.stringContaining('no reference has this number (references: 1, 2)'),
      }),
    ])
  })

  it('a figure whose number changed, found against the source document', async () => {
    const text = fixture('all-layouts.yaml').replace('    value: 1250000', '    value: 1350000')
    const { report } = await check(text, '--source', join(ROOT, 'test/fixtures/all-layouts.txt'))
    expect(report.findings.map((f) => [f.code, f.line])).toEqual([['value-not-in-evidence', lineOf(text, 'value: 1350000')]])
  })
})

describe('deck new', () => {
  it('writes a starter brief that passes check as it is, and never overwrites one', async () => {
    const work = tempDir('deck-new-')
    const run = (...args: string[]) => runDeck(args, { cwd: work, env: { CHROME_PATH: chrome } })
    const made = await run('new', 'water-prices', '--templates', join(ROOT, 'templates'))
    expect(made.code).toBe(0)
    expect(made.stderr).toContain('Wrote data/water-prices.yaml. Next:')
    const text = readFileSync(join(work, 'data', 'water-prices.yaml'), 'utf8')
    // The schema the editor reads: the tool's own, wherever it is installed.
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${relative(join(work, 'data'), join(ROOT, 'data/brief.schema.json'))}`)
    // The file name is not turned into a title ("eu-enlargement" would read "Eu enlargement"): the titles are placeholders.
    expect(text).toContain('title: The full title of the brief, as on its first page')
    const checked = await run('check', 'data/water-prices.yaml', '--templates', join(ROOT, 'templates'), '--theme', join(ROOT, 'templates/theme.css'))
    expect(checked.stdout).toMatch(/✔ data\/water-prices\.yaml: 0 errors/)
    expect(checked.code).toBe(0)
    const again = await run('new', 'water-prices', '--templates', join(ROOT, 'templates'))
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('exists already')
    expect(readFileSync(join(work, 'data', 'water-prices.yaml'), 'utf8')).toBe(text)
  })
})

describe('deck build runs the checks first', () => {
  it('refuses to write when a check finds an error, and leaves earlier outputs as they were; --force writes', async () => {
    const dir = tempDir('deck-build-check-')
    const brief = join(dir, 'brief.yaml')
    const out = join(dir, 'dist')
    writeFileSync(brief, fixture('all-layouts.yaml'))
    expect((await deck('build', brief, '--out', out, '--format', 'md,pdf')).code).toBe(0)
    const before = readFileSync(join(out, 'brief.pdf'))
    writeFileSync(brief, overflowing)
    const refused = await deck('build', brief, '--out', out, '--format', 'md,pdf')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('Slide 4 · Key points')
    expect(refused.stderr).toContain('Nothing was written')
    // As root Chromium cannot have its sandbox: said once, not once per page.
    if (process.getuid?.() === 0) expect(refused.stderr.match(/runs without its sandbox/g)).toHaveLength(1)
    expect(readFileSync(join(out, 'brief.pdf')).equals(before)).toBe(true)
    expect(outputsIn(out)).toEqual(['brief.md', 'brief.pdf'])
    const forced = await deck('build', brief, '--out', out, '--format', 'md,pdf', '--force')
    expect(forced.code).toBe(0)
    expect(forced.stderr).toContain('[overflow]')
    expect(readFileSync(join(out, 'brief.pdf')).equals(before)).toBe(false)
  })
})
