import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'

import { beforeAll, describe, expect, it } from 'vitest'

import { fixture, noProcessNaming, outputsIn, ROOT, runDeck, tempDir, testBrowser } from './helpers.ts'

// Hostile input and faults, round 3, that need a browser's work to be under way: bounded
// waits, many builds at once, and Ctrl-C at the moments it used to leave something behind.
// Each test fails without its fix (run against the code before it: a three-minute wait, 8 of
// 20 builds failing, a slot or staging folder left, no "Interrupted" line).

let chrome: string
beforeAll(async () => {
  chrome = (await testBrowser()).path
})

function workspace() {
  const root = tempDir('deck-hostile3-')
  const tmp = join(root, 'tmp')
  mkdirSync(tmp)
  return { root, tmp, out: join(root, 'dist') }
}

const env = (tmp: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ NO_COLOR: '1', TMPDIR: tmp, CHROME_PATH: chrome, ...extra })
const FIXTURE = join(ROOT, 'test/fixtures/all-layouts.yaml')

/** What a build leaves in the output folder that is no output: staging folders, browser profiles, slots, locks. */
const debris = (out: string) => readdirSync(out).filter((f) => f.startsWith('.staging-') || f.startsWith('.deck.browser-') || f.startsWith('.deck.lock'))

/** The fixture with `extra` more slides. */
function briefWithSlides(dir: string, extra: number): string {
  const slides = Array.from({ length: extra }, (_, i) => `  - id: more-${i}\n    layout: points\n    title: Slide ${i}\n    points: [A point]\n`).join('')
  const file = join(dir, 'brief.yaml')
  writeFileSync(file, fixture('all-layouts.yaml').replace('  - id: sources\n', `${slides}  - id: sources\n`))
  return file
}

/** Resolves once `condition` holds (looked at every 25 ms); one that never holds fails the test by its own time. */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 25))
}

describe('bounded waits', () => {
  it('a browser that starts but never answers fails its launch at the launch’s bound, naming it, and is stopped', async () => {
    const { root, tmp, out } = workspace()
    const silent = join(root, 'silent-chromium')
    // Stands in for a wrapper script that hangs: it starts, and says nothing on the pipe.
    writeFileSync(silent, '#!/bin/sh\nexec sleep 1000\n', { mode: 0o755 })
    const run = await runDeck(['build', FIXTURE, '--variant', 'full', '--out', out, '--format', 'md,pdf'], { env: env(tmp, { CHROME_PATH: silent }) })
    expect(run.code).toBe(3)
    expect(run.stderr).toContain(`${silent} (CHROME_PATH): did not answer within 20 s of its launch`)
    expect(run.stderr).not.toContain('protocolTimeout')
    expect(outputsIn(out)).toEqual([])
    await noProcessNaming(silent)
  }, 120_000)

  it('more builds of one brief into one folder than it has browser slots queue, say so, and all succeed', async () => {
    const { tmp, out } = workspace()
    const builds = availableParallelism() + 2
    const runs = await Promise.all(
      Array.from({ length: builds }, () => runDeck(['build', FIXTURE, '--variant', 'full', '--out', out, '--format', 'pdf,handout'], { env: env(tmp) })),
    )
    expect(runs.map((r) => r.code)).toEqual(runs.map(() => 0))
    expect(runs.some((r) => r.stderr.includes(`Waiting for other builds into ${out}/ to finish with their browsers`))).toBe(true)
    expect(debris(out)).toEqual([])
    expect(outputsIn(out)).toEqual(['all-layouts-handout.pdf', 'all-layouts.pdf'])
  }, 300_000)

  it('a deck too long for a PDF is refused before the browser starts on it, with the limit; its Markdown builds', async () => {
    const { root, tmp, out } = workspace()
    const brief = briefWithSlides(root, 2000)
    const pdf = await runDeck(['build', brief, '--variant', 'full', '--out', out, '--format', 'md,pdf'], { env: env(tmp) })
    expect(pdf.code).toBe(1)
    expect(pdf.stderr).toContain('This deck has 2011 slides; pdf can be made for at most 2000')
    expect(pdf.stderr).toContain('build it without them (--format md)')
    expect(outputsIn(out)).toEqual([])
    const md = await runDeck(['build', brief, '--variant', 'full', '--out', out, '--format', 'md'], { env: env(tmp) })
    expect(md.code, md.stderr).toBe(0)
    expect(outputsIn(out)).toEqual(['brief.md'])
  }, 300_000)
})

/**
 * The moments of a build at which a signal used to leave something behind, each told by what
 * the build does. (Before Node has run a line of ours, a signal ends it as any process: there
 * is nothing yet to clean up.)
 */
const MOMENTS = {
  'at its first line': (stderr: string) => stderr.length > 0,
  'once it holds a browser slot': (_: string, out: string) => readdirSync(out).some((f) => f.startsWith('.deck.browser-')),
  'once it stages its outputs': (_: string, out: string) => readdirSync(out).some((f) => f.startsWith('.staging-') && !f.endsWith('-browser')),
}

/** Signals at points of a build; CI sends 20 (KILL_RUNS=20). */
const SIGNAL_RUNS = Number(process.env.KILL_RUNS ?? 6)

/** A build of every output but the images, its stderr kept. */
function startBuild(brief: string, out: string, tmp: string) {
  const child = spawn(process.execPath, ['scripts/run.mjs', 'deck', 'build', brief, '--out', out, '--format', 'md,html,pdf,handout'], {
    cwd: ROOT,
    env: { ...process.env, ...env(tmp) },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => (stderr += chunk))
  // 'close', not 'exit': the exit can come before the last of its stderr has been read.
  const stop = new Promise<number | null>((resolve) => child.on('close', (exit) => resolve(exit)))
  return { child, stop, stderr: () => stderr, began: Date.now() }
}

const RE_BUILT = /✔ .* slides → /

/**
 * Sends the signal; the build must exit with its code, say "Interrupted" (unless it had
 * finished) and leave nothing behind. With `lateOk`, a build in its last moments, whose
 * exit was already under way when the signal came, may exit 0: it must leave nothing
 * behind all the same. Whether the signal stopped the build.
 */
async function stopsCleanly(
  build: ReturnType<typeof startBuild>,
  signal: NodeJS.Signals,
  code: number,
  out: string,
  tmp: string,
  what: string,
  lateOk = false,
): Promise<boolean> {
  build.child.kill(signal)
  const exit = await build.stop
  const stopped = !(lateOk && exit === 0)
  if (stopped) expect(exit, `${what}: ${build.stderr()}`).toBe(code)
  // A build that exited 0 wrote every output (Markdown, HTML, PDF, handout), each anew.
  else expect(outputsIn(out).length, what).toBeGreaterThanOrEqual(4)
  if (!stopped)
    for (const file of outputsIn(out))
      expect(statSync(join(out, file)).mtimeMs, `${what}: ${file} was not written by the build that exited 0`).toBeGreaterThanOrEqual(build.began - 50)
  // A signal that comes after the deck was written (while the browser closes) has nothing to report.
  if (stopped && !RE_BUILT.test(build.stderr())) expect(build.stderr(), what).toContain('Interrupted')
  await noProcessNaming(out)
  expect(debris(out), what).toEqual([])
  expect(readdirSync(tmp), what).toEqual([])
  return stopped
}

describe('a signal early in a build', () => {
  it(`SIGINT or SIGHUP at ${SIGNAL_RUNS} points of a build: each time the signal's exit code, an "Interrupted" line, and nothing left`, async () => {
    const { root, tmp, out } = workspace()
    mkdirSync(out)
    const brief = briefWithSlides(root, 40)
    // The points are spread over a whole build of this brief on this machine, measured first: the
    // second of two, as the builds that follow run (the first also fills the caches and starts a cold browser).
    let took = 0
    for (let warm = 0; warm < 2; warm += 1) {
      const began = performance.now()
      const whole = startBuild(brief, out, tmp)
      expect(await whole.stop, whole.stderr()).toBe(0)
      took = performance.now() - began
    }
    let seed = 20261207 // a fixed sequence of points, so that a failure can be run again
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    let signalled = 0
    for (let i = 0; i < SIGNAL_RUNS; i += 1) {
      const [signal, code] = i % 2 === 0 ? (['SIGINT', 130] as const) : (['SIGHUP', 129] as const)
      // Fault injection, not a wait: the points cover loading, reading, the browser's start, printing and staging.
      const delay = Math.round(took * (0.1 + 0.8 * random()))
      const build = startBuild(brief, out, tmp)
      await new Promise((r) => setTimeout(r, delay))
      // A build that finished first (the machine was quicker this time) proves nothing here, nor one whose
      // exit was under way when the signal came (exit 0, with nothing left behind all the same).
      if (build.child.exitCode !== null) continue
      if (await stopsCleanly(build, signal, code, out, tmp, `${signal} after ${delay} ms of a ${Math.round(took)} ms build`, true)) signalled += 1
    }
    expect(signalled).toBeGreaterThanOrEqual(Math.ceil(SIGNAL_RUNS / 2))
  }, 600_000)

  for (const [moment, reached] of Object.entries(MOMENTS)) {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGHUP', 129],
    ] as const) {
      it(`${signal} ${moment}: exit ${code}, an "Interrupted" line, and no staging folder, browser profile or slot left`, async () => {
        const { root, tmp, out } = workspace()
        mkdirSync(out)
        const brief = briefWithSlides(root, 40)
        const build = startBuild(brief, out, tmp)
        await waitFor(() => reached(build.stderr(), out) || build.child.exitCode !== null)
        await stopsCleanly(build, signal, code, out, tmp, `${signal} ${moment}`)
      }, 120_000)
    }
  }
})
