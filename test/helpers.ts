import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import type { Marp, MarpOptions } from '@marp-team/marp-core'
import { afterAll, beforeAll, expect } from 'vitest'

import { parseBrief } from '../deck/brief/brief.ts'
import type { Brief } from '../deck/brief/schema.ts'
import { drawBriefCharts, prepare, type Toolkit } from '../deck/deck.ts'
import { type BrowserChoice, type BrowserSession, browserSession, type BrowserSource, findBrowser } from '../deck/export/browser.ts'
import type { MarpSettings } from '../deck/export/marp.ts'
import { readTheme } from '../deck/render/theme.ts'
import { DeckError, formatError, type Problem } from '../deck/shared/errors.ts'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))

/**
 * Cases per property test: a few in `npm test` (each case renders a whole deck); CI searches
 * deeper (PROPERTY_RUNS=400), and PROPERTY_RUNS=5000 before a release.
 */
export const PROPERTY_RUNS = Number(process.env.PROPERTY_RUNS ?? 20)
export const PROPERTY_TIMEOUT_MS = 60_000 * Math.max(1, PROPERTY_RUNS / 150)
export const DEFAULT_BRIEF = 'data/serbia-china-extradition.yaml'
/** A second brand, other than the default look in every respect: palette, logos, font files. */
export const HARBOUR = join(ROOT, 'test/fixtures/brands/harbour/_brand.yml')

export function fixture(name: string): string {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')
}

export function readRepoFile(path: string): string {
  return readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')
}

/** The charts of a brief's chart slides, drawn with the repository's theme (no cache: each run draws them). */
export async function chartsOf(brief: Brief): Promise<Map<string, string>> {
  return drawBriefCharts(brief, await readTheme(join(ROOT, 'templates/theme.css')), {})
}

/** The problems a brief's text is rejected with (fails the test if it is accepted). */
export function problemsOf(text: string, file = 'brief.yaml'): Problem[] {
  try {
    parseBrief(text, file)
  } catch (err) {
    if (err instanceof DeckError) return [...err.problems]
    throw err
  }
  throw new Error('expected the brief to be rejected, but it was accepted')
}

/** All a user is shown when a brief's text is rejected: the heading and every problem, as printed (fails the test if it is accepted). */
export function shownFor(text: string, file = 'brief.yaml'): string {
  return formatError(deckErrorOf(() => parseBrief(text, file)))
}

/** The error a function throws, which must be a DeckError. */
export function deckErrorOf(fn: () => unknown): DeckError {
  try {
    fn()
  } catch (err) {
    if (err instanceof DeckError) return err
    throw err
  }
  throw new Error('expected a DeckError, but nothing was thrown')
}

const made: string[] = []
// Registered when a test file imports this module: its temp folders go when the file is done.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A fresh folder in the temp folder, removed after the test file has run. */
export function tempDir(prefix = 'deck-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

/** Longer than any build of the tests takes on a busy machine, shorter than the process project's time for a test. */
const RUN_TIMEOUT_MS = 170_000

export interface Ran {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs the CLI as `npm run build` does (node scripts/run.mjs deck …), in a child process. Never
 * synchronously: a test's thread blocked for a minute on a busy machine loses Vitest's calls.
 */
export function runDeck(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  return runProgram(process.execPath, [join(ROOT, 'scripts/run.mjs'), 'deck', ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  })
}

/** Runs a program to its end, its output kept; one that runs past RUN_TIMEOUT_MS is killed (and fails the test on its code). */
export function runProgram(file: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      [...args],
      { ...options, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: RUN_TIMEOUT_MS, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number' && child.exitCode === null && child.signalCode === null) return reject(err)
        resolve({ code: child.exitCode, stdout, stderr })
      },
    )
  })
}

/**
 * Resolves once no process's command line names `path` (a folder or file of one test alone):
 * the processes it started, and their children (a browser), are gone. They may not be this
 * process's children (npm's, Chromium's): there is no event to wait for, only their absence.
 */
export async function noProcessNaming(path: string): Promise<void> {
  expect(spawnSync('pgrep', ['-V']).status, 'pgrep (Debian: procps) looks for the processes').toBe(0)
  while (spawnSync('pgrep', ['-f', path]).status === 0) await new Promise((resolve) => setTimeout(resolve, 100))
}

/** 1-based number of the first line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1
}

const SOURCES: readonly BrowserSource[] = ['option', 'CHROME_PATH', 'system', 'npm']
/** The browser this run of the browser suites is for (`vitest.config.ts` says which: the default build's pick, or each one present in CI). */
export const TEST_BROWSER: BrowserSource = SOURCES.find((source) => source === process.env.DECK_TEST_BROWSER) ?? 'npm'

/**
 * A browser suite's toolkit (the repository's templates and theme) and a session on the
 * browser under test, made before the suite's tests and closed after them.
 */
export function browserSuite(): { readonly toolkit: Toolkit; readonly session: BrowserSession } {
  let toolkit: Toolkit | undefined
  let session: BrowserSession | undefined
  beforeAll(async () => {
    toolkit = await prepare({ templatesDir: join(ROOT, 'templates'), themeFile: join(ROOT, 'templates/theme.css') })
    session = browserSession({ only: TEST_BROWSER })
  })
  afterAll(async () => {
    await session?.close()
  })
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('browserSuite() is used before its beforeAll ran')
    return value
  }
  return {
    get toolkit() {
      return ready(toolkit)
    },
    get session() {
      return ready(session)
    },
  }
}

/** The browser under test: its path and how the build would find it. */
export function testBrowser(): Promise<BrowserChoice> {
  return findBrowser({ only: TEST_BROWSER })
}

/** What a build left in an output folder that a user sees: its files and folders, without hidden ones (each deck's record). */
export function outputsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .sort()
}

/** Every file below `dir` (hidden ones too) with its bytes, to compare a folder before and after. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {}
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub))) {
      const path = join(sub, name)
      if (statSync(join(dir, path)).isDirectory()) walk(path)
      else files[path] = readFileSync(join(dir, path)).toString('base64')
    }
  }
  walk('')
  return files
}

/** A Marp Core engine set up as the build sets up Marp CLI, for tests that render Markdown without a build. */
export async function marpEngine(settings: MarpSettings): Promise<Marp> {
  const { Marp } = await import('@marp-team/marp-core')
  const options: MarpOptions = { ...settings.options, html: settings.html }
  return new Marp(options)
}
