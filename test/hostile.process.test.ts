import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { fixture, lineOf, outputsIn, ROOT, runDeck, tempDir } from './helpers.ts'

// Hostile input and faults, round 2, through the CLI in a child process: what it prints (never a
// secret or a raw escape), its exit code and the output folder it leaves. Each case: a located,
// short, escaped message, exit 1 (the brief) or 3 (the machine), never 70, and the output folder
// as it was. The cases that need no process are in hostile.test.ts.

const SECRET = 'MY_SECRET_TOKEN=hunter2-do-not-print-me'
/** `deck build` run in `dir`, with the repository's templates and theme unless the test names its own. */
const build = (dir: string, ...args: string[]) => {
  const theme = args.includes('--theme') ? [] : ['--theme', join(ROOT, 'templates/theme.css')]
  return runDeck(['build', '--templates', join(ROOT, 'templates'), ...theme, ...args], { cwd: dir, env: { MY_SECRET_TOKEN: SECRET } })
}

function workspace(): { dir: string; out: string } {
  const dir = tempDir('deck-hostile-')
  return { dir, out: join(dir, 'dist') }
}

/** The fixture brief with one edit, built to Markdown in a folder of its own. */
async function buildEdited(from: string, to: string) {
  const { dir, out } = workspace()
  const text = fixture('all-layouts.yaml').replace(from, to)
  writeFileSync(join(dir, 'brief.yaml'), text)
  return { text, run: await build(dir, 'brief.yaml', '--out', out, '--format', 'md') }
}

describe('a brief that is a link to something else', () => {
  it('a link to a file of secrets says the file is not a brief and prints none of it', async () => {
    const { dir, out } = workspace()
    writeFileSync(join(dir, '.env'), `${SECRET}\nOTHER=value\n`)
    writeFileSync(join(dir, 'quoted.env'), `API_KEY="sk-live-hunter2"\n`)
    writeFileSync(join(dir, 'credentials'), '[default]\naws_access_key_id = AKIAhunter2\naws_secret_access_key = hunter2\n')
    writeFileSync(join(dir, 'env.yaml'), 'apiVersion: v1\nkind: Secret\ndata:\n  token: hunter2\n')
    for (const target of ['.env', 'quoted.env', 'credentials', 'env.yaml']) {
      symlinkSync(join(dir, target), join(dir, `${target}.brief.yaml`))
      const run = await build(dir, `${target}.brief.yaml`, '--out', out, '--format', 'md')
      expect(run.code, target).toBe(1)
      expect(run.stderr, target).toContain(`${target}.brief.yaml:1:1  a brief is a YAML mapping of fields`)
      expect(run.stderr, target).not.toContain('hunter2')
      expect(run.stderr, target).not.toContain('OTHER=value')
    }
  })

  it('a link to the process environment prints none of it, whatever the variables look like', async () => {
    const { dir, out } = workspace()
    symlinkSync('/proc/self/environ', join(dir, 'x.yaml'))
    // The secret first, and a variable that reads as a YAML mapping: the environment's first bytes.
    const env = { MY_SECRET_TOKEN: SECRET, LOOKS_LIKE: 'key: value', ...process.env, NO_COLOR: '1' }
    const args = ['build', '--templates', join(ROOT, 'templates'), '--theme', join(ROOT, 'templates/theme.css'), 'x.yaml', '--out', out, '--format', 'md']
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts/run.mjs'), 'deck', ...args], { cwd: dir, encoding: 'utf8', env })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('x.yaml is not a brief')
    expect(run.stderr).not.toContain('hunter2')
    expect(run.stderr).not.toContain('LOOKS_LIKE')
  })

  it('a link to /dev/zero or to a pipe is refused at once, without reading it', async () => {
    const { dir, out } = workspace()
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'))
    const zero = await build(dir, 'zero.yaml', '--out', out, '--format', 'md')
    expect(zero.code).toBe(1)
    expect(zero.stderr).toContain('zero.yaml is a device: a brief must be a regular file')
    expect(spawnSync('mkfifo', [join(dir, 'pipe.yaml')]).status).toBe(0)
    const pipe = spawnSync(
      process.execPath,
      [
        join(ROOT, 'scripts/run.mjs'),
        'deck',
        'build',
        '--templates',
        join(ROOT, 'templates'),
        '--theme',
        join(ROOT, 'templates/theme.css'),
        'pipe.yaml',
        '--out',
        out,
        '--format',
        'md',
      ],
      // A build that waited for a writer is killed here, and fails the status below: no clock needed.
      { cwd: dir, encoding: 'utf8', timeout: 120_000 },
    )
    expect(pipe.status).toBe(1)
    expect(pipe.stderr).toContain('pipe.yaml is a pipe')
  })

  it('a source document named through ../ outside the brief’s folder is refused at its line', async () => {
    const { text, run } = await buildEdited(
      '    url: https://example.org/briefs/water',
      '    url: https://example.org/briefs/water\n    document: ../../../../../../etc/passwd',
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`brief.yaml:${lineOf(text, 'document: ../')}:`)
    expect(run.stderr).toContain("the source document must be in the brief's folder or below it")
    expect(run.stderr).not.toContain('root:')
  })
})

describe('terminal escapes and control characters', () => {
  it('never reach the terminal, raw or escaped: a key holding them shows as …, a value not at all, each at its line', async () => {
    const { text, run } = await buildEdited('  role: Analyst', '  role: Analyst\n  "\u001b]0;PWNED\u0007\u001b[2J": 1\n  subtitle2: "a\u0000b"')
    expect(run.code).toBe(1)
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(run.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/)
    expect(run.stderr).toContain(`brief.yaml:${lineOf(text, 'PWNED')}:3  meta.…  a field the brief format does not have here`)
    expect(run.stderr).toContain(`brief.yaml:${lineOf(text, 'subtitle2:')}:3  meta.subtitle2  a field the brief format does not have here`)
    expect(run.stderr).not.toContain('PWNED')
    expect(run.stderr).not.toMatch(/\\x1b|\\x00|\\x07/)
  })
})

describe('the machine’s faults are exit 3 with one message', () => {
  it('--out naming a file: exit 3, no internal error', async () => {
    const { dir } = workspace()
    writeFileSync(join(dir, 'brief.yaml'), fixture('all-layouts.yaml'))
    writeFileSync(join(dir, 'afile'), 'not a folder')
    const run = await build(dir, 'brief.yaml', '--out', 'afile', '--format', 'md,pdf', '--browser-path', '/bin/false')
    expect(run.code).toBe(3)
    expect(run.stderr).not.toContain('internal error')
    expect(run.stderr).toMatch(/Cannot write to the output folder \S*afile: (EEXIST|ENOTDIR)/)
  })

  it('a lock that names no process (left by a full disk) is taken over at once', async () => {
    const { dir, out } = workspace()
    writeFileSync(join(dir, 'brief.yaml'), fixture('all-layouts.yaml'))
    mkdirSync(out)
    writeFileSync(join(out, '.deck.lock'), '')
    const old = new Date(Date.now() - 60_000)
    utimesSync(join(out, '.deck.lock'), old, old)
    // Nobody would ever release it: a build that waited for it would give up (exit 3), not build.
    const run = await build(dir, 'brief.yaml', '--out', out, '--format', 'md')
    expect(run.code, run.stderr).toBe(0)
    expect(existsSync(join(out, '.deck.lock'))).toBe(false)
  })

  it.runIf(process.getuid?.() === 0)('no sandbox note when no Chromium starts (as root, where the note is due once one does)', async () => {
    const { dir, out } = workspace()
    writeFileSync(join(dir, 'brief.yaml'), fixture('all-layouts.yaml'))
    const run = await build(dir, 'brief.yaml', '--out', out, '--format', 'pdf', '--browser-path', '/bin/false')
    expect(run.code).toBe(3)
    expect(run.stderr).not.toContain('without its sandbox')
  })
})

describe('a theme that reaches for the network', () => {
  it('is an error at the line of each @import and remote url()', async () => {
    const { dir, out } = workspace()
    writeFileSync(join(dir, 'brief.yaml'), fixture('all-layouts.yaml'))
    const theme = `${fixture('../../templates/theme.css')}\n@import url("https://example.org/x.css");\nsection { background: url(http://example.org/bg.png); }\n`
    writeFileSync(join(dir, 'theme.css'), theme)
    const run = await build(dir, 'brief.yaml', '--out', out, '--format', 'md', '--theme', 'theme.css')
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`theme.css:${lineOf(theme, '@import')}:`)
    expect(run.stderr).toContain(`theme.css:${lineOf(theme, 'bg.png')}:`)
    expect(existsSync(out) ? outputsIn(out) : []).toEqual([])
  })

  it('an @IMPORT in capitals is caught; data: URLs however spaced, and #fragments, are not', async () => {
    const { dir, out } = workspace()
    writeFileSync(join(dir, 'brief.yaml'), fixture('all-layouts.yaml'))
    const allowed = `${fixture('../../templates/theme.css')}\nsection { background-image: url( "data:image/png;base64,AAAA"); clip-path: url(#clip); }\n`
    writeFileSync(join(dir, 'ok.css'), allowed)
    expect((await build(dir, 'brief.yaml', '--out', out, '--format', 'md', '--theme', 'ok.css')).code).toBe(0)
    const caps = `${allowed}@IMPORT "https://example.org/x.css";\nsection { background: u\\72l(http://example.org/escaped.png); }\n`
    writeFileSync(join(dir, 'caps.css'), caps)
    const run = await build(dir, 'brief.yaml', '--out', out, '--format', 'md', '--theme', 'caps.css')
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`caps.css:${lineOf(caps, '@IMPORT')}:`)
    expect(run.stderr).toContain(`caps.css:${lineOf(caps, 'escaped.png')}:`)
  })
})

describe('two briefs with the same file name', () => {
  it('are refused before anything is built, naming both', async () => {
    const { dir, out } = workspace()
    for (const sub of ['a', 'b']) {
      mkdirSync(join(dir, sub))
      writeFileSync(join(dir, sub, 'x.yaml'), fixture('all-layouts.yaml'))
    }
    const run = await build(dir, 'a/x.yaml', 'b/x.yaml', '--out', out, '--format', 'md')
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('a/x.yaml → x.md and b/x.yaml → x.md')
    expect(existsSync(out)).toBe(false)
  })

  it('a brief named as another’s output (x and x-audience) is refused before anything is built', async () => {
    const { dir, out } = workspace()
    for (const name of ['x', 'x-audience']) writeFileSync(join(dir, `${name}.yaml`), fixture('all-layouts.yaml'))
    // Built alone, x-audience.html would be the full deck, notes and all, where x's copy to e-mail belongs.
    const run = await build(dir, 'x.yaml', 'x-audience.yaml', '--variant', 'full', '--format', 'md,html,audience', '--out', out)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('x.yaml → x-audience.html and x-audience.yaml → x-audience.html')
    expect(existsSync(out)).toBe(false)
  })
})

describe('a language the tool does not speak', () => {
  it('a hostile command-line argument is echoed escaped', async () => {
    const run = await runDeck(['build', '--\u001b]0;PWNED\u0007'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('\\x1b]0;PWNED\\x07')
    expect(run.stderr).not.toContain('\u001b]0;')
  })
})

describe('the keywords of the HTML deck', () => {
  it('a single keyword gets its meta tag too', async () => {
    const { dir, out } = workspace()
    const text = fixture('all-layouts.yaml').replace('  language: en', '  language: en\n  keywords: [water]')
    writeFileSync(join(dir, 'brief.yaml'), text)
    expect((await build(dir, 'brief.yaml', '--out', out, '--format', 'html')).code).toBe(0)
    expect(readFileSync(join(out, 'brief.html'), 'utf8')).toContain('<meta name="keywords" content="water">')
  })
})

describe('a source document too large to be one', () => {
  it('is refused after reading just past the limit, never read whole', async () => {
    const { dir, out } = workspace()
    writeFileSync(join(dir, 'brief.yaml'), fixture('all-layouts.yaml'))
    const huge = join(dir, 'huge.txt')
    expect(spawnSync('truncate', ['-s', '1G', huge]).status).toBe(0) // sparse: a gigabyte that takes no disk
    const run = await build(dir, 'brief.yaml', '--out', out, '--format', 'md', '--source', 'huge.txt')
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('huge.txt is larger than 16777216 bytes, the most the source document may be')
  })
})

describe('a template that reaches for what every object inherits', () => {
  it('is an error at its line and column that names the inherited name, not the expression written', async () => {
    const { dir, out } = workspace()
    writeFileSync(join(dir, 'brief.yaml'), fixture('all-layouts.yaml'))
    const templates = join(dir, 'templates')
    cpSync(join(ROOT, 'templates'), templates, { recursive: true })
    const layout = join(templates, 'layouts', 'points.hbs')
    const text = readFileSync(layout, 'utf8').replace('## {{title}}', '## {{title.constructor.name}}')
    writeFileSync(layout, text)
    const run = await runDeck(['build', 'brief.yaml', '--templates', templates, '--theme', join(ROOT, 'templates/theme.css'), '--out', out, '--format', 'md'], {
      cwd: dir,
    })
    expect(run.code).toBe(1)
    const line = lineOf(text, 'constructor')
    const col = (text.split('\n')[line - 1] ?? '').indexOf('title.constructor.name') + 1
    expect(run.stderr).toContain(`points.hbs:${line}:${col}  "constructor" is not data a template can use (every object has it)`)
    expect(run.stderr).not.toContain('title.constructor')
  })
})
