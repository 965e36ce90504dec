import { copyFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { outputsIn, ROOT, runDeck, tempDir } from './helpers.ts'

// End to end: the CLI as `npm run build` runs it (scripts/run.mjs), in a child process, from the repository root.

const deck = (...args: string[]) => runDeck(args)

const fixtureFile = join(ROOT, 'test/fixtures/all-layouts.yaml')

/** Every file of a folder with its bytes and modification time, to prove nothing changed. */
function snapshotDir(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, `${statSync(join(dir, f)).mtimeMs}:${readFileSync(join(dir, f)).toString('base64')}`]))
}

describe('deck build', () => {
  it('writes the Markdown and the HTML and says so', async () => {
    const out = tempDir('deck-cli-')
    const { code, stderr } = await deck('build', fixtureFile, '--out', out, '--format', 'md,html')
    expect(code).toBe(0)
    expect(stderr).toMatch(/all-layouts\.yaml: 11 slides → .*all-layouts\.md, .*all-layouts\.html/)
    expect(stderr).toMatch(/^ {2}\d+\.\d s {2}all-layouts\.md, all-layouts\.html ready$/m) // progress as each output is ready
    expect(outputsIn(out)).toEqual(['all-layouts.html', 'all-layouts.md'])
    const html = readFileSync(join(out, 'all-layouts.html'), 'utf8')
    expect(html).toContain('<title>Water prices in the Danube basin</title>')
    expect(html).toContain('Jelena Vučić')
    expect(html).toContain('bespoke') // Marp's presenter view and navigation
  })

  it('the same brief built twice gives byte-identical Markdown and HTML', async () => {
    const [a, b] = [tempDir('deck-cli-'), tempDir('deck-cli-')]
    for (const out of [a, b]) expect((await deck('build', fixtureFile, '--out', out, '--format', 'md,html,audience')).code).toBe(0)
    for (const file of ['all-layouts.md', 'all-layouts.html', 'all-layouts-audience.html']) {
      expect(readFileSync(join(a, file)).equals(readFileSync(join(b, file))), file).toBe(true)
    }
  })

  it('a broken brief: file:line:col, exit 1, and the earlier outputs untouched', async () => {
    const work = tempDir('deck-cli-')
    const brief = join(work, 'water.yaml')
    const out = join(work, 'dist')
    copyFileSync(fixtureFile, brief)
    expect((await deck('build', brief, '--out', out, '--format', 'md,html')).code).toBe(0)
    const before = snapshotDir(out)

    writeFileSync(brief, readFileSync(fixtureFile, 'utf8').replace('    value: 1250000', '    value: [1250000'))
    const { code, stderr } = await deck('build', brief, '--out', out, '--format', 'md,html')
    expect(code).toBe(1)
    expect(stderr).toContain(`${brief}:`)
    expect(stderr).toMatch(/water\.yaml:\d+:\d+ {2}/)
    expect(stderr).toContain('earlier outputs')
    expect(snapshotDir(out)).toEqual(before)
  })

  it('builds every brief it is given; a broken one fails alone', async () => {
    const work = tempDir('deck-cli-')
    const good = join(work, 'good.yaml')
    const bad = join(work, 'bad.yaml')
    copyFileSync(fixtureFile, good)
    writeFileSync(bad, 'meta:\n  title: [unclosed\n')
    const { code, stderr } = await deck('build', bad, good, '--out', join(work, 'dist'), '--format', 'md,html')
    expect(code).toBe(1)
    expect(stderr).toMatch(/bad\.yaml:\d+:\d+/)
    expect(stderr).toContain('1 of 2 briefs built')
    expect(outputsIn(join(work, 'dist'))).toEqual(['good.html', 'good.md'])
  })

  it('a batch of ten briefs with one broken: nine built, the broken one named in the summary, a failing exit', async () => {
    const work = tempDir('deck-cli-batch-')
    const files = Array.from({ length: 10 }, (_, i) => join(work, `brief-${i + 1}.yaml`))
    files.forEach((f, i) =>
      writeFileSync(f, i === 6 ? readFileSync(fixtureFile, 'utf8').replace('  role: Analyst', '  role: [Analyst') : readFileSync(fixtureFile, 'utf8')),
    )
    const { code, stderr } = await deck('build', ...files, '--out', join(work, 'dist'), '--format', 'md')
    expect(code).toBe(1)
    expect(stderr).toMatch(/^deck +slides +outputs +time +problems$/m)
    expect(stderr).toMatch(/brief-7\.yaml +– +0 +[\d.]+ s +FAILED: .*brief-7\.yaml is not valid YAML$/m)
    expect(stderr).toMatch(/brief-1\.yaml +11 +1 +[\d.]+ s +none$/m)
    expect(stderr).toContain('9 of 10 briefs built')
    expect(outputsIn(join(work, 'dist'))).toEqual(
      files
        .filter((_, i) => i !== 6)
        .map((f) => basename(f, '.yaml') + '.md')
        .sort(),
    )
  })

  it('variants: each builds to its own files, with its slides in its order; --variant builds one', async () => {
    const work = tempDir('deck-cli-variants-')
    const brief = join(work, 'brief.yaml')
    writeFileSync(brief, `${readFileSync(fixtureFile, 'utf8')}variants:\n  briefing:\n    slides: [title, households, points, sources]\n`)
    const all = await deck('build', brief, '--out', join(work, 'all'), '--format', 'md')
    expect(all.code).toBe(0)
    expect(outputsIn(join(work, 'all'))).toEqual(['brief.briefing.md', 'brief.md'])
    const slides = (file: string) =>
      readFileSync(join(work, 'all', file), 'utf8')
        .split(/\n---\n/)
        .slice(1)
        .map((s) => /<!-- _class: (\w+) -->/.exec(s)?.[1])
    expect(slides('brief.briefing.md')).toEqual(['title', 'figure', 'points', 'sources'])
    expect(slides('brief.md')).toHaveLength(11) // the whole brief: the full deck
    expect(all.stderr).toContain('2 of 2 decks built')
    const one = await deck('build', brief, '--out', join(work, 'one'), '--format', 'md', '--variant', 'briefing')
    expect(one.code).toBe(0)
    expect(outputsIn(join(work, 'one'))).toEqual(['brief.briefing.md'])
    const full = await deck('build', brief, '--out', join(work, 'full'), '--format', 'md', '--variant', 'full')
    expect(outputsIn(join(work, 'full'))).toEqual(['brief.md'])
    expect(full.code).toBe(0)
    const unknown = await deck('build', brief, '--out', join(work, 'none'), '--format', 'md', '--variant', 'seminar')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('has no variant "seminar" (its variants: briefing)')
  })

  it('a Serbian variant: Serbian words of the deck, Serbian numbers and dates, lang="sr-Latn-RS"', async () => {
    const work = tempDir('deck-cli-sr-')
    const brief = join(work, 'brief.yaml')
    const text = readFileSync(fixtureFile, 'utf8')
      .replace('  title: Water prices in the Danube basin\n', '  title: { en: Water prices in the Danube basin, sr: Cene vode u slivu Dunava }\n')
      .replace('    title: Key points\n', '    title: { en: Key points, sr: Ključne tačke }\n')
    writeFileSync(brief, `${text}variants:\n  srpski:\n    language: sr\n`)
    expect((await deck('build', brief, '--out', join(work, 'dist'), '--format', 'md,html', '--variant', 'srpski')).code).toBe(0)
    const md = readFileSync(join(work, 'dist', 'brief.srpski.md'), 'utf8')
    expect(md).toContain('lang: "sr-Latn-RS"')
    expect(md).toContain('# Cene vode u slivu Dunava')
    expect(md).toContain('## Ključne tačke')
    expect(md).toContain('## Pregled') // the agenda's title, from the Serbian catalogue
    expect(md).toContain('## Izvori')
    expect(md).toContain('1\\.250.000<sup class="ref"> 1</sup>') // 1,250,000 as Serbian writes it
    const html = readFileSync(join(work, 'dist', 'brief.srpski.html'), 'utf8')
    expect(html).toMatch(/<html lang="sr-Latn-RS"/)
    expect(html).toContain('14.\u00A0mart\u00A02025.') // the brief's date, as Serbian writes it
  })

  it('settings come from deck.config.json or package.json, and an option on the command line wins', async () => {
    const work = tempDir('deck-cli-config-')
    copyFileSync(fixtureFile, join(work, 'brief.yaml'))
    const templates = ['--templates', join(ROOT, 'templates'), '--theme', join(ROOT, 'templates/theme.css')]
    const run = (...args: string[]) => runDeck(['build', 'brief.yaml', ...templates, ...args], { cwd: work })
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'x', deck: { out: 'from-package', formats: ['md'] } }))
    expect((await run()).code).toBe(0)
    expect(outputsIn(join(work, 'from-package'))).toEqual(['brief.md'])
    writeFileSync(join(work, 'deck.config.json'), JSON.stringify({ out: 'from-config', formats: ['html'] }))
    rmSync(join(work, 'package.json'))
    expect((await run()).code).toBe(0)
    expect(outputsIn(join(work, 'from-config'))).toEqual(['brief.html'])
    expect((await run('--out', 'from-option', '--format', 'md')).code).toBe(0) // the option over the file
    expect(outputsIn(join(work, 'from-option'))).toEqual(['brief.md'])
    // `formats` is for build: check still prints its report as text (here about a brief that does not read).
    writeFileSync(join(work, 'broken.yaml'), 'meta: [\n')
    const checked = await runDeck(['check', 'broken.yaml', ...templates, '--browser-path', '/no/such/browser'], { cwd: work })
    expect(checked.stdout).toMatch(/✖ broken\.yaml: 1 error, 0 warnings/)
    // A setting of the wrong kind is a mistake of the command line (exit 2), named by its path, not its value.
    writeFileSync(join(work, 'deck.config.json'), JSON.stringify({ out: 73519 }))
    const bad = await run()
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('deck.config.json: the settings do not match the format')
    expect(bad.stderr).toMatch(/deck\.config\.json {2}out {2}\S/)
    expect(bad.stderr).not.toContain('73519')
    // One it does not have: named at its path, with the settings there are.
    writeFileSync(join(work, 'deck.config.json'), JSON.stringify({ outt: 'elsewhere-9241' }))
    const unknown = await run()
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain(
      'deck.config.json  outt  a setting this tool does not have (settings: out, formats, theme, brand, templates, browserPath, handout)',
    )
    expect(unknown.stderr).not.toContain('elsewhere-9241')
  })

  it.each([
    ['a missing file', ['build', 'no/such/brief.yaml', '--format', 'md'], 'Cannot read no/such/brief.yaml: ENOENT'],
    ['an unknown option, pointing to --help', ['build', '--colour'], "unknown option '--colour'"],
    [
      'an unknown format, listing the formats',
      ['build', '--format', 'pdf,docx'],
      'unknown format docx; use some of: md, html, audience, pdf, handout, notes, pptx, png',
    ],
  ])(
    '%s is a usage error (exit 2)',
    async (_, args, message) => {
      const { code, stderr } = await deck(...args, '--out', tempDir('deck-cli-'))
      expect(code).toBe(2)
      expect(stderr).toContain(message)
    },
    30_000,
  )

  it('--help describes the options and exit codes', async () => {
    const { code, stdout } = await deck('build', '--help')
    expect(code).toBe(0)
    expect(stdout).toContain('-o, --out <dir>')
    expect(stdout).toContain('Exit codes: 0 built; 1 a brief')
  })
})
