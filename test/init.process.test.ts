import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { fixture, HARBOUR, ROOT, runDeck, tempDir } from './helpers.ts'

// A project in a folder of its own, as a user of the installed command has it: `init`
// starts it, the tool's templates serve it until it overrides one of them, and its brand
// is the _brand.yml beside its briefs. (CI does the same with the packed package: .ci/package.)

const md = (dir: string, name: string) => readFileSync(join(dir, 'dist', `${name}.md`), 'utf8')

describe('brief-deck init', () => {
  it('starts a project: a starter brief naming the schema, the settings, a .gitignore; again, it writes over nothing', async () => {
    const dir = tempDir('deck-init-')
    writeFileSync(join(dir, '.gitignore'), 'node_modules/')
    const first = await runDeck(['init'], { cwd: dir })
    expect(first.code).toBe(0)
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'brief.schema.json', 'data', 'deck.config.json'])
    const brief = readFileSync(join(dir, 'data', 'first-brief.yaml'), 'utf8')
    // The tool is not installed in this folder (as when npx runs it from its cache): the schema is copied in.
    expect(brief.split('\n')[0]).toBe('# yaml-language-server: $schema=../brief.schema.json')
    expect(readFileSync(join(dir, 'brief.schema.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'data/brief.schema.json'), 'utf8'))
    expect(JSON.parse(readFileSync(join(dir, 'deck.config.json'), 'utf8'))).toEqual({ out: 'dist' })
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\ndist/\n')
    expect(first.stderr).toMatch(/wrote {2}data\/first-brief\.yaml/)
    expect(first.stderr).toContain('npx brief-deck build')
    writeFileSync(join(dir, 'data', 'first-brief.yaml'), `${brief}\n# mine now\n`)
    const again = await runDeck(['init'], { cwd: dir })
    expect(again.code).toBe(0)
    expect(again.stderr).toMatch(/kept {3}data\/first-brief\.yaml \(there already\)/)
    expect(readFileSync(join(dir, 'data', 'first-brief.yaml'), 'utf8')).toContain('# mine now')
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\ndist/\n')
  })

  it('--templates copies the templates, theme and brand out, keeping a file the project has', async () => {
    const dir = tempDir('deck-init-templates-')
    mkdirSync(join(dir, 'templates', 'layouts'), { recursive: true })
    writeFileSync(join(dir, 'templates', 'layouts', 'points.hbs'), 'ours')
    const made = await runDeck(['init', '--templates'], { cwd: dir })
    expect(made.code).toBe(0)
    for (const file of ['deck.hbs', 'theme.css', '_brand.yml', 'marp.config.json', 'layouts/title.hbs', 'print/handout.hbs', 'new/brief.yaml.hbs'])
      expect(readFileSync(join(dir, 'templates', file), 'utf8'), file).toBe(readFileSync(join(ROOT, 'templates', file), 'utf8'))
    expect(readFileSync(join(dir, 'templates', 'layouts', 'points.hbs'), 'utf8')).toBe('ours')
    expect(made.stderr).toMatch(/kept {3}templates\/layouts\/points\.hbs/)
  })
})

describe('a project’s own files', () => {
  it('one layout in templates/ changes that layout only; the rest come from the tool', async () => {
    const dir = tempDir('deck-override-')
    mkdirSync(join(dir, 'data'))
    writeFileSync(join(dir, 'data', 'water.yaml'), fixture('all-layouts.yaml'))
    expect((await runDeck(['build', '--format', 'md'], { cwd: dir })).code).toBe(0)
    const before = md(dir, 'water')
    mkdirSync(join(dir, 'templates', 'layouts'), { recursive: true })
    const closing = readFileSync(join(ROOT, 'templates', 'layouts', 'closing.hbs'), 'utf8')
    writeFileSync(join(dir, 'templates', 'layouts', 'closing.hbs'), closing.replace('## {{title}}', '## {{title}}, from us'))
    expect((await runDeck(['build', '--format', 'md'], { cwd: dir })).code).toBe(0)
    const after = md(dir, 'water')
    const changed = after.split('\n').filter((line, i) => line !== before.split('\n')[i])
    expect(changed).toEqual(['## Thank you, from us'])
  })

  it('a --templates folder that is not there is an error, not the tool’s own in silence', async () => {
    const dir = tempDir('deck-override-')
    writeFileSync(join(dir, 'water.yaml'), fixture('all-layouts.yaml'))
    const ran = await runDeck(['build', 'water.yaml', '--format', 'md', '--templates', 'mine'], { cwd: dir })
    expect(ran.code).toBe(2)
    expect(ran.stderr).toContain('There is no templates folder mine')
  })

  it('the brand beside the briefs is theirs; --no-brand leaves it out; briefs of two brands are not built as one', async () => {
    const dir = tempDir('deck-brands-')
    for (const folder of ['harbour', 'plain']) {
      mkdirSync(join(dir, folder))
      writeFileSync(join(dir, folder, 'water.yaml'), fixture('all-layouts.yaml'))
    }
    writeFileSync(join(dir, 'harbour', '_brand.yml'), readFileSync(HARBOUR, 'utf8').replace(/path: (logo|fonts)/g, `path: ${join(HARBOUR, '..')}/$1`))
    expect((await runDeck(['build', 'harbour/water.yaml', '--format', 'html', '--out', 'a'], { cwd: dir })).code).toBe(0)
    expect(readFileSync(join(dir, 'a', 'water.html'), 'utf8')).toContain('--navy: #0b5563;')
    expect((await runDeck(['build', 'harbour/water.yaml', '--format', 'html', '--out', 'b', '--no-brand'], { cwd: dir })).code).toBe(0)
    expect(readFileSync(join(dir, 'b', 'water.html'), 'utf8')).toContain('--navy: #14305a;')
    const both = await runDeck(['build', 'harbour/water.yaml', 'plain/water.yaml', '--format', 'md', '--out', 'c'], { cwd: dir })
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('These briefs have different brands')
  })
})
