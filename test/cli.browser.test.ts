import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { beforeAll, describe, expect, it } from 'vitest'

import { fixture, noProcessNaming, outputsIn, ROOT, runDeck, snapshot, tempDir, testBrowser } from './helpers.ts'
import { readPdf } from './readers.ts'

// The CLI with a browser, as a user meets it: no browser, Ctrl-C, a killed
// build, two builds at once. Each child gets its own TMPDIR so that anything
// left behind there is ours.

let chrome: string
/** The long brief's PDF, built once: each test that interrupts a build of it starts from a copy. */
let builtLong: { root: string; out: string }
beforeAll(async () => {
  chrome = (await testBrowser()).path
  const { root, tmp, out } = workspace()
  expect((await deck(tmp, longBrief(root), '--out', out, '--format', 'pdf')).code).toBe(0)
  builtLong = { root, out }
})

/** A workspace holding the long brief and its PDF, built as by `--format pdf`. */
function withLongPdf() {
  const space = workspace()
  cpSync(join(builtLong.root, 'long.yaml'), join(space.root, 'long.yaml'))
  cpSync(builtLong.out, space.out, { recursive: true })
  return { ...space, brief: join(space.root, 'long.yaml'), before: readFileSync(join(space.out, 'long.pdf')) }
}

function env(tmp: string): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1', TMPDIR: tmp, CHROME_PATH: chrome }
}

const args = (...rest: string[]) => ['scripts/run.mjs', 'deck', 'build', ...rest]

const deck = (tmp: string, ...rest: string[]) => runDeck(['build', ...rest], { env: env(tmp) })

/** What a run left in its TMPDIR. */
const leftovers = (tmp: string) => readdirSync(tmp)
const staging = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('.staging-'))

function workspace() {
  const root = tempDir('deck-cli-browser-')
  const tmp = join(root, 'tmp')
  const out = join(root, 'dist')
  mkdirSync(tmp)
  return { root, tmp, out }
}

/** Slides of the fixture brief: one per layout. */
const FIXTURE_SLIDES = 11
const EXTRA_SLIDES = 200
/** Kills of a build at random points; CI kills 20 times (KILL_RUNS=20). */
const KILL_RUNS = Number(process.env.KILL_RUNS ?? 4)
/** Slides of the largest brief built; CI builds 1,000 (MANY_SLIDES=1000). */
const MANY_SLIDES = Number(process.env.MANY_SLIDES ?? 300)

/** A brief long enough that printing it takes a while: the fixture with 200 more slides. */
function longBrief(dir: string): string {
  const extra = Array.from(
    { length: EXTRA_SLIDES },
    (_, i) => `  - id: extra-${i}\n    layout: points\n    title: Extra slide ${i}\n    points: [One point, Another point]\n`,
  ).join('')
  const file = join(dir, 'long.yaml')
  writeFileSync(file, fixture('all-layouts.yaml').replace('  - id: sources\n', `${extra}  - id: sources\n`))
  return file
}

/**
 * Starts a build of the long brief over its PDF and sends it `signal` while the browser is
 * printing. `stop` resolves with the exit code.
 */
async function interruptedBuild(signal: NodeJS.Signals) {
  const { tmp, out, brief, before } = withLongPdf()
  const child = spawn(process.execPath, args(brief, '--out', out, '--format', 'pdf'), { cwd: ROOT, env: env(tmp), stdio: 'ignore' })
  const stop = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  // Both the brief's staging folder and the browser's profile (kept beside it) exist once printing has begun.
  await waitFor(() => staging(out).some((f) => f.endsWith('-browser')) && staging(out).some((f) => !f.endsWith('-browser')))
  child.kill(signal)
  return { tmp, out, before, brief, stop }
}

/** Resolves once `condition` holds (looked at every 25 ms); a condition that never holds fails the test by its own time. */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 25))
}

describe('deck build with a browser', () => {
  it('with no usable browser: one message with the three fixes and the formats that need none, exit 3, and nothing written', async () => {
    const { tmp, out } = workspace()
    const { code, stderr } = await deck(
      tmp,
      join(ROOT, 'test/fixtures/all-layouts.yaml'),
      '--out',
      out,
      '--format',
      'md,html,pdf',
      '--browser-path',
      '/no/such/chrome',
    )
    expect(code).toBe(3)
    expect(stderr).toContain('The browser /no/such/chrome does not exist or cannot be run.')
    expect(stderr).toContain('--browser-path')
    expect(stderr).toContain('apt-get install chromium')
    expect(stderr).toContain('@sparticuz/chromium')
    expect(stderr).toContain('--format md,html,audience')
    expect(stderr).toContain('Nothing was written for')
    // A new HTML beside an old PDF would be a mixed set: the deck is built whole or not at all.
    expect(outputsIn(out)).toEqual([])
  }, 60_000)

  it('a browser that is found but does not start: the reason, the three fixes, exit 3', async () => {
    const { tmp, out } = workspace()
    const { code, stderr } = await deck(tmp, join(ROOT, 'test/fixtures/all-layouts.yaml'), '--out', out, '--format', 'md,pdf', '--browser-path', '/bin/false')
    expect(code).toBe(3)
    expect(stderr).toContain('/bin/false (option)')
    expect(stderr).toContain('No Chromium could be started')
    expect(outputsIn(out)).toEqual([])
  }, 60_000)

  it('a broken Chromium on the system gives way to the one from npm', async () => {
    const { root, tmp, out } = workspace()
    const fakeBin = join(root, 'bin')
    mkdirSync(fakeBin)
    writeFileSync(join(fakeBin, 'chromium'), '#!/bin/sh\nexit 1\n', { mode: 0o755 })
    const run = await runDeck(['build', join(ROOT, 'test/fixtures/all-layouts.yaml'), '--out', out, '--format', 'pdf'], {
      env: { TMPDIR: tmp, CHROME_PATH: '', PATH: `${fakeBin}:${process.env.PATH ?? ''}` },
    })
    expect(run.code).toBe(0)
    expect(outputsIn(out)).toEqual(['all-layouts.pdf'])
  }, 120_000)

  it('keeps what Chromium prints to itself: a noisy launcher reaches the terminal only under DEBUG=deck:browser', async () => {
    const { root, tmp, out } = workspace()
    // Like Debian's /usr/bin/chromium, a shell script that complains before it starts the browser.
    const noisy = join(root, 'noisy-chromium')
    writeFileSync(noisy, `#!/bin/sh\necho "/usr/bin/chromium: 9: [: 25276059648: unexpected operator" >&2\nexec "${chrome}" "$@"\n`, { mode: 0o755 })
    const build = (extra: NodeJS.ProcessEnv) =>
      runDeck(['build', join(ROOT, 'test/fixtures/all-layouts.yaml'), '--out', out, '--format', 'pdf', '--browser-path', noisy], {
        env: { ...env(tmp), ...extra },
      })
    const quiet = await build({})
    expect(quiet.code, quiet.stderr).toBe(0)
    expect(quiet.stderr).not.toContain('unexpected operator')
    const debug = await build({ DEBUG: 'deck:browser' })
    expect(debug.code).toBe(0)
    expect(debug.stderr).toContain('/usr/bin/chromium: 9: [: 25276059648: unexpected operator')
  }, 120_000)

  it('builds into an output folder with a long path (Chromium’s own socket path has a limit)', async () => {
    const { root, tmp } = workspace()
    const out = join(root, 'an output folder whose path is long', 'as a user’s project folders often are', 'dist')
    const run = await deck(tmp, join(ROOT, 'test/fixtures/all-layouts.yaml'), '--out', out, '--format', 'pdf,png')
    expect(run.code, run.stderr).toBe(0)
    expect(outputsIn(out)).toEqual(['all-layouts-cover.png', 'all-layouts-slides', 'all-layouts.pdf'])
    expect(leftovers(tmp)).toEqual([])
  }, 120_000)

  it('leaves no temporary folder behind, in the temp folder or the output folder', async () => {
    const { tmp, out } = workspace()
    expect((await deck(tmp, join(ROOT, 'test/fixtures/all-layouts.yaml'), '--out', out)).code).toBe(0)
    expect(leftovers(tmp)).toEqual([])
    expect(staging(out)).toEqual([])
    expect(outputsIn(out)).toContain('all-layouts.pdf')
  }, 120_000)

  it('Ctrl-C during export: exit 130, browser closed, no staging folder, earlier PDF intact', async () => {
    const { tmp, out, before, stop } = await interruptedBuild('SIGINT')
    expect(await stop).toBe(130)
    expect(staging(out)).toEqual([])
    expect(leftovers(tmp)).toEqual([])
    expect(readFileSync(join(out, 'long.pdf')).equals(before)).toBe(true)
  }, 180_000)

  it('Ctrl-C in the terminal (to the build’s process group) during a build of a changed brief: exit 130, one line, every earlier output as it was', async () => {
    const { root, tmp, out } = workspace()
    const brief = longBrief(root)
    // Several outputs, each of them printed or written (the 211 slide images and the PowerPoint would add only time).
    const formats = ['--format', 'md,html,audience,pdf,handout']
    expect((await deck(tmp, brief, '--out', out, ...formats)).code).toBe(0)
    const before = snapshot(out)
    writeFileSync(brief, readFileSync(brief, 'utf8').replace('title: Water prices in the Danube basin', 'title: Water tariffs in the Danube basin'))
    // A terminal's Ctrl-C goes to every process of the foreground group (Chromium runs in a session of its own).
    const child = spawn(process.execPath, args(brief, '--out', out, ...formats), {
      cwd: ROOT,
      env: env(tmp),
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    })
    let stderr = ''
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => (stderr += chunk))
    const stop = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    await waitFor(() => stderr.includes('ready') || stderr.includes('printed'))
    process.kill(-(child.pid as number), 'SIGINT')
    expect(await stop).toBe(130)
    expect(stderr).toContain('Interrupted: nothing was written for')
    expect(stderr).not.toMatch(/failed while printing|internal error|Written all the same/)
    await noProcessNaming(out)
    expect(staging(out)).toEqual([])
    expect(leftovers(tmp)).toEqual([])
    expect(snapshot(out)).toEqual(before)
  }, 180_000)

  it('killed outright during export: the earlier PDF is intact, and the next build clears the debris', async () => {
    const { tmp, out, before, brief, stop } = await interruptedBuild('SIGKILL')
    await stop
    expect(readFileSync(join(out, 'long.pdf')).equals(before)).toBe(true)
    // Chromium talks to us over a pipe, so it goes when we go: no orphan browser keeps running.
    // (Its profile is in this test's unique output folder, so a process whose command line names it is its browser.)
    await noProcessNaming(out)

    expect((await deck(tmp, brief, '--out', out, '--format', 'pdf')).code).toBe(0)
    expect(staging(out)).toEqual([])
    expect((await readPdf(join(out, 'long.pdf'))).pages).toBe(FIXTURE_SLIDES + EXTRA_SLIDES)
  }, 240_000)

  it(`killed ${KILL_RUNS} times at random points of the PDF export, by Ctrl-C or outright: the PDF is whole every time, and nothing is left`, async () => {
    const { tmp, out, brief, before } = withLongPdf()
    let seed = 20261127 // a fixed sequence of points, so a failure can be run again
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    for (let i = 0; i < KILL_RUNS; i += 1) {
      const signal = i % 2 === 0 ? 'SIGINT' : 'SIGKILL'
      const delay = Math.round(random() * 1500)
      const child = spawn(process.execPath, args(brief, '--out', out, '--format', 'pdf'), { cwd: ROOT, env: env(tmp), stdio: 'ignore' })
      const stop = new Promise<void>((resolve) => child.on('exit', () => resolve()))
      await waitFor(() => staging(out).length > 0 || child.exitCode !== null)
      await new Promise((r) => setTimeout(r, delay))
      child.kill(signal)
      await stop
      // Killed before the rename, the old file; after it, the new one: the same bytes, as builds are reproducible.
      expect(readFileSync(join(out, 'long.pdf')).equals(before), `kill ${i + 1} (${signal} after ${delay} ms)`).toBe(true)
    }
    await noProcessNaming(out) // no browser of ours still running
    expect((await deck(tmp, brief, '--out', out, '--format', 'pdf')).code).toBe(0)
    expect(staging(out)).toEqual([])
    expect(leftovers(tmp)).toEqual([])
    expect((await readPdf(join(out, 'long.pdf'))).pages).toBe(FIXTURE_SLIDES + EXTRA_SLIDES)
  }, 600_000)

  it(`a brief of ${MANY_SLIDES.toLocaleString('en')} slides builds`, async () => {
    const { root, tmp, out } = workspace()
    const extra = Array.from(
      { length: MANY_SLIDES - FIXTURE_SLIDES },
      (_, i) => `  - id: many-${i}\n    layout: points\n    title: Slide ${i}\n    points: [A point]\n`,
    ).join('')
    const file = join(root, 'many.yaml')
    writeFileSync(file, fixture('all-layouts.yaml').replace('  - id: sources\n', `${extra}  - id: sources\n`))
    const run = await deck(tmp, file, '--out', out, '--format', 'md,html,pdf')
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain(`many.yaml: ${MANY_SLIDES} slides`)
  }, 300_000)

  it('two builds of the same brief at once both finish with valid files', async () => {
    const { tmp, out } = workspace()
    const run = () =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, args(join(ROOT, 'test/fixtures/all-layouts.yaml'), '--out', out, '--format', 'html,pdf,handout'), {
          cwd: ROOT,
          env: env(tmp),
          stdio: 'ignore',
        })
        child.on('exit', (code) => resolve(code))
      })
    expect(await Promise.all([run(), run()])).toEqual([0, 0])
    expect((await readPdf(join(out, 'all-layouts.pdf'))).pages).toBe(FIXTURE_SLIDES)
    expect((await readPdf(join(out, 'all-layouts-handout.pdf'))).pages).toBe(Math.ceil(FIXTURE_SLIDES / 2))
    expect(existsSync(join(out, 'all-layouts.html'))).toBe(true)
    expect(staging(out)).toEqual([])
  }, 180_000)
})
