import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { fixture, ROOT, runDeck, runProgram, tempDir } from './helpers.ts'

// Hostile input and faults, round 3, through the CLI in a child process: what a user sees (the
// exit code, the message's words, the files left), never how long it took. Each test fails on
// the code before its fix (9499bc3): a secret echoed in an excerpt or in a parser's words, a
// pipe or a device read until the process is killed, a lock of a live process waited on for a
// minute, a settings mistake that exits 1, a brief with old Mac line breaks refused, a bidi
// override in a file name printed raw, a slide title that forges a line of check's report,
// check run with a temp folder that does not exist (it made it, and said nothing), a folder
// under /proc made forever.
// The exceptions, which pass on the old code too and guard what already held, say so.

const SECRET = 'S3CRET-marker-hunter2'
const TEMPLATES = join(ROOT, 'templates')
const THEME = join(ROOT, 'templates/theme.css')

/**
 * `deck …` run in `dir`. The variables of `envFirst` come first in the child's environment, so
 * that they open /proc/self/environ, the text a link to it reads.
 */
function deck(dir: string, args: readonly string[], envFirst: Record<string, string> = {}) {
  const env = { ...envFirst, ...process.env, NO_COLOR: '1' }
  return runProgram(process.execPath, [join(ROOT, 'scripts/run.mjs'), 'deck', ...args], { cwd: dir, env })
}

/** `deck build` run in `dir`, with the repository's templates and theme unless the test names its own. */
const build = (dir: string, ...args: string[]) => {
  const templates = args.includes('--templates') ? [] : ['--templates', TEMPLATES]
  const theme = args.includes('--theme') ? [] : ['--theme', THEME]
  return runDeck(['build', ...templates, ...theme, ...args], { cwd: dir })
}

/** `deck check` run in `dir` with the repository's templates and theme. */
const check = (dir: string, ...args: string[]) => runDeck(['check', '--templates', TEMPLATES, '--theme', THEME, ...args], { cwd: dir })

function workspace(): { dir: string; out: string } {
  const dir = tempDir('deck-hostile3-')
  return { dir, out: join(dir, 'dist') }
}

/** The fixture brief with one edit (which must apply). */
function edited(from: string, to: string): string {
  const text = fixture('all-layouts.yaml')
  expect(text, `the fixture has ${JSON.stringify(from)}`).toContain(from)
  return text.replace(from, to)
}

/** A copy of the repository's templates in `dir`, as a user's own. */
function copyTemplates(dir: string): string {
  const templates = join(dir, 'templates')
  cpSync(TEMPLATES, templates, { recursive: true })
  return templates
}

function mkfifo(path: string): void {
  rmSync(path, { force: true })
  expect(spawnSync('mkfifo', [path]).status, 'mkfifo makes the pipe').toBe(0)
}

// ---------------------------------------------------------------------------------------------

/** One wrong file planted where the tool reads one: the arguments that make it read it, what it must name. */
interface Planted {
  args: string[]
  /** Variables first in the environment (the text of /proc/self/environ). */
  envFirst?: Record<string, string>
  /** The file's name as the message must give it. */
  names: string
  /** More text that must never be printed (beyond the marker). */
  absent?: string[]
}

const PASSWD_FIRST_LINE = existsSync('/etc/passwd') ? (readFileSync('/etc/passwd', 'utf8').split('\n')[0] ?? '') : ''

/** `build` of a brief to Markdown, with the repository's templates and theme unless told otherwise (a theme of null: none named). */
function mdBuild(out: string, options: { templates?: string; theme?: string | null; brief?: string } = {}): string[] {
  const theme = options.theme === undefined ? THEME : options.theme
  const themeArgs = theme === null ? [] : ['--theme', theme]
  return ['build', '--templates', options.templates ?? TEMPLATES, ...themeArgs, options.brief ?? 'brief.yaml', '--out', out, '--format', 'md']
}

/** A brief whose text is the fixture with one edit that carries the secret. */
const briefWith =
  (from: string, to: string) =>
  (dir: string, out: string): Planted => {
    writeFileSync(join(dir, 'brief.yaml'), edited(from, to))
    return { args: mdBuild(out), names: 'brief.yaml' }
  }

/** A settings file in the working folder, holding the secret in text that does not parse. */
const settingsWith =
  (name: string, text: string) =>
  (dir: string, out: string): Planted => {
    writeFileSync(join(dir, name), text)
    return { args: mdBuild(out), names: name }
  }

/** One file of a copy of the templates replaced by broken text that holds the secret. */
const templateWith =
  (file: string, text: string) =>
  (dir: string, out: string): Planted => {
    const templates = copyTemplates(dir)
    writeFileSync(join(templates, file), text)
    return { args: mdBuild(out, { templates }), names: file }
  }

const SECRET_CASES: [string, (dir: string, out: string) => Planted][] = [
  // Themes.
  [
    'a theme that is a .env file',
    (dir, out) => {
      writeFileSync(join(dir, '.env'), `DB_PASSWORD=${SECRET}\n`)
      return { args: mdBuild(out, { theme: '.env' }), names: '.env' }
    },
  ],
  [
    'a theme that is /etc/passwd',
    (_, out) => ({ args: mdBuild(out, { theme: '/etc/passwd' }), names: '/etc/passwd', absent: [PASSWD_FIRST_LINE, 'root:x:0:0'] }),
  ],
  [
    'a theme linked to /proc/self/environ',
    (dir, out) => {
      symlinkSync('/proc/self/environ', join(dir, 'environ.css'))
      // A variable first whose colons make the CSS reader stop at once, next to the secret.
      return { args: mdBuild(out, { theme: 'environ.css' }), envFirst: { DECK_TEST_FIRST: `x:y:${SECRET}` }, names: 'environ.css' }
    },
  ],
  [
    'a theme named in deck.config.json that is a .env file',
    (dir, out) => {
      writeFileSync(join(dir, '.env'), `DB_PASSWORD=${SECRET}\n`)
      writeFileSync(join(dir, 'deck.config.json'), JSON.stringify({ theme: '.env' }))
      return { args: mdBuild(out, { theme: null }), names: '.env' }
    },
  ],
  // Settings files that do not parse.
  ['deck.config.yaml with a quote that does not close', settingsWith('deck.config.yaml', `out: "${SECRET}\nformat: md\n`)],
  ['deck.config.json with a string that does not close', settingsWith('deck.config.json', `{"out": "${SECRET}}`)],
  ['.deckrc with a bracket that does not close', settingsWith('.deckrc', `{ out: [${SECRET}\n`)],
  ['package.json whose "deck" key is not JSON (a key with no colon)', settingsWith('package.json', `{"name": "x", "deck": {"${SECRET}" 1}}`)],
  // Templates that do not parse.
  ['layouts/quote.hbs with a mustache that does not close', templateWith('layouts/quote.hbs', `## {{#if ${SECRET}}\ntext\n`)],
  ['deck.hbs with braces that do not match', templateWith('deck.hbs', `{{${SECRET}}}}}\n`)],
  ['print/handout.hbs with a mustache that does not close', templateWith('print/handout.hbs', `{{#each ${SECRET}}\n`)],
  ['marp.config.json that is not JSON (a word for a value)', templateWith('marp.config.json', `{"options": {}, "${SECRET}": x}\n`)],
  // Briefs that do not read.
  ['a brief with a quote that does not close', briefWith('  role: Analyst', `  role: "Analyst ${SECRET}`)],
  ['a brief with the secret as a tag', briefWith('  role: Analyst', `  role: !${SECRET} !x Analyst`)],
  ['a brief with the secret as an alias', briefWith('  role: Analyst', `  role: *${SECRET}`)],
  ['a brief with the secret as a value of the wrong kind', briefWith('  language: en', `  language: ${SECRET}`)],
  [
    'a brief linked to /proc/self/environ that begins as a brief',
    (dir, out) => {
      symlinkSync('/proc/self/environ', join(dir, 'envbrief.yaml'))
      // The environment's first bytes read as a brief's start, the secret on a line that does not parse.
      return {
        args: mdBuild(out, { brief: 'envbrief.yaml' }),
        envFirst: { DECK_TEST_FIRST: `x: 1\nmeta:\n  title: !${SECRET} !x y\n` },
        names: 'envbrief.yaml',
      }
    },
  ],
]

describe('a secret in a file that is not what it was named as is never printed', { timeout: 120_000 }, () => {
  it.each(SECRET_CASES)('%s', async (_, plant) => {
    const { dir, out } = workspace()
    writeFileSync(join(dir, 'brief.yaml'), fixture('all-layouts.yaml'))
    const planted = plant(dir, out)
    const run = await deck(dir, planted.args, planted.envFirst)
    expect(run.code, run.stderr).not.toBe(0)
    expect(run.code, run.stderr).not.toBe(70)
    expect(run.code, run.stderr).not.toBeNull()
    for (const text of [SECRET, 'hunter2', ...(planted.absent ?? [])].filter((t) => t !== '')) {
      expect(run.stdout, 'stdout').not.toContain(text)
      expect(run.stderr, 'stderr').not.toContain(text)
    }
    expect(run.stderr).toContain(planted.names)
  })
})

// ---------------------------------------------------------------------------------------------

// On the old code each of these waits for a writer (or reads /dev/zero) until it is killed: the
// test's own bound, well short of the child's, fails it.
const SPECIAL_TIMEOUT_MS = 60_000

describe('a special file where a file is read is refused at once, and named', () => {
  it.each([
    {
      name: 'a pipe as marp.config.json',
      kind: 'a pipe',
      plant: (dir: string) => {
        const templates = copyTemplates(dir)
        mkfifo(join(templates, 'marp.config.json'))
        return ['--templates', templates]
      },
    },
    {
      name: 'a pipe as deck.config.json in the working folder',
      kind: 'a pipe',
      plant: (dir: string) => {
        mkfifo(join(dir, 'deck.config.json'))
        return []
      },
    },
    {
      name: 'marp.config.json linked to /dev/zero',
      kind: 'a device',
      plant: (dir: string) => {
        const templates = copyTemplates(dir)
        rmSync(join(templates, 'marp.config.json'))
        symlinkSync('/dev/zero', join(templates, 'marp.config.json'))
        return ['--templates', templates]
      },
    },
  ])(
    '$name',
    async ({ plant, kind }) => {
      const { dir, out } = workspace()
      writeFileSync(join(dir, 'brief.yaml'), fixture('all-layouts.yaml'))
      const args = plant(dir)
      const run = await build(dir, ...args, 'brief.yaml', '--out', out, '--format', 'md')
      expect(run.code, run.stderr).not.toBe(0)
      expect(run.code, run.stderr).not.toBe(70)
      expect(run.code, run.stderr).not.toBeNull()
      const file = args.length > 0 ? 'marp.config.json' : 'deck.config.json'
      expect(run.stderr).toMatch(new RegExp(`${file.replaceAll('.', '\\.')} is ${kind}: .* must be a regular file`))
    },
    SPECIAL_TIMEOUT_MS,
  )
})

// ---------------------------------------------------------------------------------------------

describe('a brief of 100,000 opening brackets', { timeout: 120_000 }, () => {
  const deep = `meta:\n  title: ${'['.repeat(100_000)}`

  it('is an error at its place in build, never a crash', async () => {
    const { dir, out } = workspace()
    writeFileSync(join(dir, 'brief.yaml'), deep)
    const run = await build(dir, 'brief.yaml', '--out', out, '--format', 'md')
    expect(run.code, run.stderr).toBe(1)
    expect(run.stderr).toContain('nests more than 64 levels deep')
    expect(run.stderr).not.toContain('FATAL ERROR')
  })

  it('is an error at its place in check, never a crash', async () => {
    const { dir } = workspace()
    writeFileSync(join(dir, 'brief.yaml'), deep)
    const run = await check(dir, 'brief.yaml')
    expect(run.code, run.stderr).toBe(1)
    expect(`${run.stdout}\n${run.stderr}`).toContain('nests more than 64 levels deep')
    expect(run.stderr).not.toContain('FATAL ERROR')
  })
})

// ---------------------------------------------------------------------------------------------

describe('a lock that names a live process that is no build', { timeout: 120_000 }, () => {
  it('is taken over: the build writes its outputs and leaves no lock', async () => {
    const { dir, out } = workspace()
    writeFileSync(join(dir, 'brief.yaml'), fixture('all-layouts.yaml'))
    mkdirSync(out)
    // Process 1 is always alive, and is never a build of ours: nobody would ever release this lock.
    writeFileSync(join(out, '.deck.lock'), '1')
    const run = await build(dir, 'brief.yaml', '--out', out, '--format', 'md')
    expect(run.code, run.stderr).toBe(0)
    expect(existsSync(join(out, 'brief.md'))).toBe(true)
    expect(run.stderr).not.toContain('held by process')
    expect(existsSync(join(out, '.deck.lock'))).toBe(false)
  })
})

// ---------------------------------------------------------------------------------------------

describe('a settings file of the wrong shape', { timeout: 120_000 }, () => {
  it('is a mistake of the command line: exit 2, naming the file', async () => {
    const { dir, out } = workspace()
    writeFileSync(join(dir, 'brief.yaml'), fixture('all-layouts.yaml'))
    writeFileSync(join(dir, 'deck.config.json'), '{"out": 5}')
    const run = await build(dir, 'brief.yaml', '--out', out, '--format', 'md')
    expect(run.code, run.stderr).toBe(2)
    expect(run.stderr).toContain('deck.config.json')
  })
})

// ---------------------------------------------------------------------------------------------

describe('a brief saved with an old Mac’s line breaks (CR only)', { timeout: 120_000 }, () => {
  it('builds', async () => {
    const { dir, out } = workspace()
    writeFileSync(join(dir, 'brief.yaml'), fixture('all-layouts.yaml').replaceAll('\n', '\r'))
    const run = await build(dir, 'brief.yaml', '--out', out, '--format', 'md')
    expect(run.code, run.stderr).toBe(0)
    expect(existsSync(join(out, 'brief.md'))).toBe(true)
  })
})

// ---------------------------------------------------------------------------------------------

describe('a file name with a right-to-left override', { timeout: 120_000 }, () => {
  it('is shown escaped, never raw', async () => {
    const { dir, out } = workspace()
    const name = 'x\u202Eevil.yaml'
    // A schema error, so that the name is echoed in a message.
    writeFileSync(join(dir, name), edited('  language: en', '  language: xx'))
    const run = await build(dir, name, '--out', out, '--format', 'md')
    expect(run.code, run.stderr).toBe(1)
    expect(run.stderr).toContain('x\\u202eevil.yaml')
    expect(run.stderr).not.toContain('\u202E')
    expect(run.stdout).not.toContain('\u202E')
  })
})

// ---------------------------------------------------------------------------------------------

describe('check’s report of a slide whose title holds line breaks', { timeout: 170_000 }, () => {
  it('cannot be forged by the title, and its heading stays one short line', async () => {
    const { dir } = workspace()
    const forged = '✔ brief.yaml: 0 errors, 0 warnings'
    // Over 300 characters, and over 60 words with the slide's text: a readability finding on the slide.
    const title = `Key points\\n${forged}${' padding'.repeat(40)}`
    expect(title.length).toBeGreaterThan(300)
    const text = edited('    title: Key points\n', `    title: "${title}"\n`)
    writeFileSync(join(dir, 'brief.yaml'), text)
    const run = await check(dir, 'brief.yaml')
    // Warnings, and an error if the long title runs below its box: either way a report.
    expect([0, 1], run.stderr).toContain(run.code)
    const lines = run.stdout.split('\n')
    const heading = lines.find((line) => line.startsWith('Slide ') && line.includes('Key points'))
    expect(heading, run.stdout).toBeDefined()
    expect(heading?.length ?? 0).toBeLessThanOrEqual(120)
    expect(lines.filter((line) => line.startsWith(forged))).toEqual([])
    expect(lines.filter((line) => line.trimStart().startsWith('padding'))).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------

describe('check with a temp folder that does not exist', { timeout: 120_000 }, () => {
  it('says it cannot make its working folder there: exit 3, no word of an output folder', async () => {
    const { dir } = workspace()
    writeFileSync(join(dir, 'brief.yaml'), fixture('all-layouts.yaml'))
    const run = await runDeck(['check', '--templates', TEMPLATES, '--theme', THEME, 'brief.yaml'], { cwd: dir, env: { TMPDIR: join(dir, 'missing') } })
    expect(run.code, run.stderr).toBe(3)
    expect(run.stderr).toContain("Cannot make check's working folder in the temp folder")
    expect(run.stderr).not.toContain('output folder')
  })
})

// ---------------------------------------------------------------------------------------------

describe('an output folder that cannot be made', () => {
  // On the old code Node's recursive mkdir loops forever under /proc: the test's bound fails it.
  it(
    'under /proc: exit 3 naming the folder',
    async () => {
      const { dir } = workspace()
      writeFileSync(join(dir, 'brief.yaml'), fixture('all-layouts.yaml'))
      const run = await build(dir, 'brief.yaml', '--out', '/proc/self/brief-deck-out', '--format', 'md')
      expect(run.code, run.stderr).toBe(3)
      expect(run.stderr).toContain('/proc/self/brief-deck-out')
    },
    SPECIAL_TIMEOUT_MS,
  )

  // These passed on the old code too (ELOOP, ENOENT): kept so that makeDir, which replaced the recursive mkdir, keeps them.
  it('through a symlink loop, or a dangling link: exit 3 naming the folder, nothing made at the link’s target', { timeout: 120_000 }, async () => {
    const { dir } = workspace()
    writeFileSync(join(dir, 'brief.yaml'), fixture('all-layouts.yaml'))
    symlinkSync('b', join(dir, 'a'))
    symlinkSync('a', join(dir, 'b'))
    mkdirSync(join(dir, 'parent'))
    // One link into a folder that is missing, one to a missing folder in a folder that is there.
    symlinkSync(join(dir, 'nowhere', 'target'), join(dir, 'dangling'))
    symlinkSync(join(dir, 'parent', 'target'), join(dir, 'dangling2'))
    for (const out of ['a/sub', 'a', 'dangling', 'dangling/sub', 'dangling2', 'dangling2/sub']) {
      const run = await build(dir, 'brief.yaml', '--out', out, '--format', 'md')
      expect(run.code, `${out}: ${run.stderr}`).toBe(3)
      expect(run.stderr).toContain(`Cannot write to the output folder ${out}`)
    }
    expect(existsSync(join(dir, 'nowhere'))).toBe(false)
    expect(readdirSync(join(dir, 'parent'))).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------

describe('a brief name so long that its outputs pass the file-name limit', { timeout: 120_000 }, () => {
  // Passed on the old code too: kept as a guard that a failed commit leaves no staging folder.
  it('writes nothing, says so, and leaves no staging folder', async () => {
    const { dir, out } = workspace()
    const name = `${'x'.repeat(245)}.yaml` // <name>-audience.html is 259 bytes, past 255
    writeFileSync(join(dir, name), fixture('all-layouts.yaml'))
    const run = await build(dir, name, '--out', out, '--format', 'md,audience')
    expect(run.code, run.stderr).toBe(3)
    expect(run.stderr).toContain('Nothing was written')
    expect(existsSync(out) ? readdirSync(out).filter((entry) => entry.startsWith('.staging-')) : []).toEqual([])
  })
})

// Found by reading the change again (each fails on the code before its fix).
describe('found in review', { timeout: 170_000 }, () => {
  it('a brief built later never replaces another deck’s output: x-audience.yaml after x.yaml is refused, and x’s copy keeps no notes', async () => {
    const { dir, out } = workspace()
    const withNote = edited('    notes: Welcome.', '    notes: SPEAKER-ONLY-NOTE')
    writeFileSync(join(dir, 'x.yaml'), withNote)
    writeFileSync(join(dir, 'x-audience.yaml'), withNote)
    expect((await build(dir, 'x.yaml', '--variant', 'full', '--out', out, '--format', 'html,audience')).code).toBe(0)
    const copy = readFileSync(join(out, 'x-audience.html'), 'utf8')
    const later = await build(dir, 'x-audience.yaml', '--variant', 'full', '--out', out, '--format', 'html')
    expect(later.code).toBe(2)
    expect(later.stderr).toContain('x-audience.html is an output of the deck x, and this deck would replace it')
    expect(readFileSync(join(out, 'x-audience.html'), 'utf8')).toBe(copy)
    expect(copy).not.toContain('SPEAKER-ONLY-NOTE')
  })

  it('a deck’s record that is a pipe does not hang the commit', async () => {
    const { dir, out } = workspace()
    writeFileSync(join(dir, 'x.yaml'), fixture('all-layouts.yaml'))
    mkdirSync(out)
    spawnSync('mkfifo', [join(out, '.x.deck.json')])
    const run = await build(dir, 'x.yaml', '--variant', 'full', '--out', out, '--format', 'md')
    expect(run.code, run.stderr).toBe(0)
    expect(existsSync(join(out, 'x.md'))).toBe(true)
  })

  it('a starter brief that is a pipe, or not a template, is refused at once without its text', async () => {
    const { dir } = workspace()
    const templates = copyTemplates(dir)
    const starter = join(templates, 'new/brief.yaml.hbs')
    rmSync(starter)
    spawnSync('mkfifo', [starter])
    const piped = await runDeck(['new', 'piped', '--templates', templates], { cwd: dir })
    expect(piped.code).toBe(1)
    expect(piped.stderr).toContain('is a pipe')
    rmSync(starter)
    writeFileSync(starter, `DB_PASSWORD=${SECRET} {{\n`)
    const broken = await runDeck(['new', 'broken', '--templates', templates], { cwd: dir })
    expect(broken.code).toBe(1)
    expect(broken.stderr).toContain('is not a starter brief this tool can fill in')
    expect(broken.stderr + broken.stdout).not.toContain(SECRET)
  })

  it('Marp’s settings may not send Marp CLI elsewhere: keys other than html, options and bespoke are refused, nothing written', async () => {
    const { dir, out } = workspace()
    const templates = copyTemplates(dir)
    const settings = JSON.parse(readFileSync(join(templates, 'marp.config.json'), 'utf8')) as Record<string, unknown>
    writeFileSync(join(templates, 'marp.config.json'), JSON.stringify({ ...settings, inputDir: `DB_PASSWORD=${SECRET}`, output: 'stolen.html' }))
    writeFileSync(join(dir, 'x.yaml'), fixture('all-layouts.yaml'))
    const run = await build(dir, 'x.yaml', '--variant', 'full', '--templates', templates, '--out', out, '--format', 'html')
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('and nothing else')
    expect(run.stderr + run.stdout).not.toContain(SECRET)
    expect(existsSync(join(dir, 'stolen.html'))).toBe(false)
  })

  it('a file name with a line break is refused, so it cannot print a line of its own', async () => {
    const { dir, out } = workspace()
    const name = 'evil\n✔ all good: 0 errors\n.yaml'
    writeFileSync(join(dir, name), fixture('all-layouts.yaml'))
    const run = await build(dir, name, '--out', out, '--format', 'md')
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('holds a line break; rename it')
    expect(run.stderr.split('\n').some((line) => line.startsWith('✔ all good'))).toBe(false)
  })

  it('a number in a template that is not one is named by its line, not by its digits', async () => {
    const { dir } = workspace()
    const templates = copyTemplates(dir)
    writeFileSync(join(templates, 'layouts/section.hbs'), `PIN=4242\n${readFileSync(join(TEMPLATES, 'layouts/section.hbs'), 'utf8')}`)
    writeFileSync(join(dir, 'x.yaml'), fixture('all-layouts.yaml'))
    const run = await runDeck(['build', 'x.yaml', '--templates', templates, '--theme', THEME, '--out', join(dir, 'dist'), '--format', 'md'], { cwd: dir })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('a number is written into the template')
    expect(run.stderr + run.stdout).not.toContain('4242')
  })
})
