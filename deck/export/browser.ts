import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { access, constants, mkdir, mkdtemp, rename, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { Worker } from 'node:worker_threads'

import type * as Puppeteer from 'puppeteer-core'
import type { Browser, LaunchOptions } from 'puppeteer-core'

import { sideBundle } from '../shared/bundles.ts'
import { onInterrupt, wasInterrupted } from '../shared/cleanup.ts'
import { DeckError, errorCode, errorMessage, ExitCode } from '../shared/errors.ts'
import { removeAbandoned, removeDir } from '../shared/fs.ts'
import { BROWSER_SLOTS, browserSlot } from '../shared/lock.ts'
import { debugEnabled, log } from '../shared/log.ts'
import { cacheDir, packageVersion } from '../shared/packages.ts'
import { type BrowserSource, chosenInEnvironment } from './browser-choice.ts'

// Finding and starting Chromium. In order: an explicit path (option or CHROME_PATH), a Chrome or
// Chromium on the system, then the one inside the @sparticuz/chromium npm package (Node alone works).

export type { BrowserSource } from './browser-choice.ts'

export interface BrowserChoice {
  path: string
  source: BrowserSource
  /** Extra switches this build of Chromium needs. */
  args: readonly string[]
}

const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome']
const SYSTEM_PATHS = [
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
]

/** Switches for a headless run on a locked-down machine: no calls home. */
export const BASE_ARGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
  '--font-render-hinting=none',
] as const

export const NO_BROWSER_HELP = [
  'No Chromium could be started. Fix it in one of three ways:',
  '  1. pass --browser-path /path/to/chrome (or set CHROME_PATH);',
  '  2. install Chrome or Chromium on the system (Debian: apt-get install chromium);',
  '  3. run npm ci, which installs the Chromium inside the @sparticuz/chromium package.',
  'Or build only what needs no browser: --format md,html,audience',
].join('\n')

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK)
    return true
  } catch {
    return false // missing, or not a program this user may run: either way not one to start
  }
}

async function findSystemBrowser(): Promise<string | undefined> {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean)
  for (const name of SYSTEM_NAMES) for (const dir of dirs) if (await executable(join(dir, name))) return join(dir, name)
  for (const path of SYSTEM_PATHS) if (await executable(path)) return path
  return undefined
}

/** Where the Chromium from npm is unpacked, and how (tests put a failing unpack in its place). */
export interface NpmOptions {
  /** The folder it is unpacked into; by default this tool's cache for the package's version. */
  dir?: string | undefined
  /** Unpacks the package's Chromium into a folder, `chromium` being its program. */
  unpack?: ((into: string) => Promise<void>) | undefined
}

const NPM_PACKAGE = '@sparticuz/chromium'

/**
 * The Chromium inside @sparticuz/chromium, unpacked once into node_modules/.cache: into a
 * private folder renamed into place only when whole (the package itself unpacks into the
 * temp folder and reuses whatever it finds there, half-written or not). What fails is an
 * environment error naming the step and the folder, with its cause.
 */
export async function npmBrowser(options: NpmOptions = {}): Promise<BrowserChoice> {
  const dir = options.dir ?? cacheDir(`chromium-${npmVersion()}`)
  const binary = join(dir, 'chromium')
  if (await executable(binary)) return { path: binary, source: 'npm', args: [] }
  const partial = `${dir}.partial-${process.pid}`
  const step = async (what: string, work: () => Promise<unknown>) => {
    try {
      await work()
    } catch (cause) {
      // A half-unpacked Chromium is never run, nor left behind to fill the disk.
      await rm(partial, { recursive: true, force: true }).catch((err: unknown) => log.debug('browser', 'removing %s: %O', partial, err))
      throw new DeckError(`could not ${what}: ${errorMessage(cause).split('\n')[0]}`, { exitCode: ExitCode.environment, cause })
    }
  }
  await step(`make the folder ${partial} to unpack it into`, async () => {
    await rm(partial, { recursive: true, force: true })
    await mkdir(partial, { recursive: true })
  })
  await step(`unpack it into ${partial}`, () => (options.unpack ?? unpackChromium)(partial))
  await step(`move it from ${partial} to ${dir}`, () =>
    rename(partial, dir).catch(async (err: unknown) => {
      await rm(partial, { recursive: true, force: true })
      if (!(await executable(binary))) throw err // not just another build that finished first
    }),
  )
  return { path: binary, source: 'npm', args: [] }
}

/** The package's version, or why there is none to unpack. */
function npmVersion(): string {
  try {
    return packageVersion(NPM_PACKAGE)
  } catch (cause) {
    const missing = errorCode(cause) === 'MODULE_NOT_FOUND'
    throw new DeckError(missing ? 'the package is not installed' : `the package cannot be read: ${errorMessage(cause)}`, {
      exitCode: ExitCode.environment,
      cause,
    })
  }
}

/**
 * The package unpacks its Chromium into the temp folder (it asks os.tmpdir()) and takes no other:
 * a worker thread does it, its own environment naming `into` as its temp folder, so this process's
 * environment stays as it is. Should a version of the package unpack elsewhere, that is said.
 */
async function unpackChromium(into: string): Promise<void> {
  const worker = new Worker(sideBundle('chromium.worker'), { env: { ...process.env, TMPDIR: into } })
  try {
    const path = await new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
      worker.once('exit', (code) => reject(new Error(`the thread unpacking it stopped (exit ${code})`)))
    })
    const expected = join(into, 'chromium')
    if (path !== expected) throw new Error(`${NPM_PACKAGE} ${packageVersion(NPM_PACKAGE)} unpacked it to ${String(path)}, not to ${expected}`)
  } finally {
    await worker.terminate()
  }
}

export interface FindOptions {
  browserPath?: string | undefined
  /** Skip the explicit and system browsers (used to prove the fresh-machine path). */
  only?: BrowserSource | undefined
  /** Where and how the Chromium from npm is unpacked (used to prove what a failed unpack says). */
  npm?: NpmOptions | undefined
}

/**
 * The browsers to try, in order: an explicit one alone, else a system one, then the npm one.
 * One that cannot be had (the npm one failing to unpack) is told to `failed`, and the next tried.
 */
async function* candidates(options: FindOptions, failed: (line: string) => void): AsyncGenerator<BrowserChoice> {
  const explicit = options.browserPath ?? process.env.CHROME_PATH
  const only = options.only ?? chosenInEnvironment()
  const wants = (source: BrowserSource) => only === undefined || only === source
  if (explicit && (wants('option') || wants('CHROME_PATH'))) {
    if (!(await executable(explicit))) {
      throw new DeckError(`The browser ${explicit} does not exist or cannot be run.\n${NO_BROWSER_HELP}`, { exitCode: ExitCode.environment })
    }
    yield { path: explicit, source: options.browserPath ? 'option' : 'CHROME_PATH', args: [] }
    return // a browser the user named is the one to use: no silent substitute
  }
  if (wants('system')) {
    const system = await findSystemBrowser()
    if (system) yield { path: system, source: 'system', args: [] }
  }
  if (wants('npm')) {
    const npm = await npmBrowser(options.npm).catch((err: unknown) => {
      log.debug('browser', 'the Chromium of %s is not usable: %O', NPM_PACKAGE, err)
      failed(`  the Chromium of ${NPM_PACKAGE} (npm): ${errorMessage(err)}`)
    })
    if (npm) yield npm
  }
}

/** No browser could be had or started: each one tried and why, then the ways out. */
function noBrowser(failures: readonly string[]): DeckError {
  const tried = failures.length > 0 ? `Tried:\n${failures.join('\n')}\n` : ''
  return new DeckError(`${tried}${NO_BROWSER_HELP}`, { exitCode: ExitCode.environment })
}

/** The first browser that would be tried (it is not started). */
export async function findBrowser(options: FindOptions = {}): Promise<BrowserChoice> {
  const failures: string[] = []
  for await (const choice of candidates(options, (line) => failures.push(line))) return choice
  throw noBrowser(failures)
}

/** Starts the first browser that starts; one that is found but fails (a broken install) gives way to the next. */
export async function startBrowser(options: FindOptions = {}, extra: Partial<LaunchOptions> = {}): Promise<Browser> {
  const failures: string[] = []
  for await (const choice of candidates(options, (line) => failures.push(line))) {
    try {
      return await launchBrowser(choice, extra)
    } catch (err) {
      failures.push(
        `  ${choice.path} (${choice.source}): ${err instanceof DeckError ? String((err.cause as Error | undefined)?.message ?? err.message).split('\n')[0] : String(err)}`,
      )
    }
  }
  throw noBrowser(failures)
}

const require = createRequire(import.meta.url)

/** Chromium's sandbox cannot run as root; for everyone else it stays on. */
export function needsNoSandbox(uid: number | undefined = process.getuid?.()): boolean {
  return uid === 0
}

const RE_SANDBOX_FAILURE = /sandbox/i

let saidNoSandbox = false
function sayNoSandbox(why: string): void {
  if (saidNoSandbox) return
  saidNoSandbox = true
  log.info(`note: Chromium runs without its sandbox (${why}); it only opens pages this build wrote.`)
}

export async function launchBrowser(choice: BrowserChoice, extra: Partial<LaunchOptions> = {}): Promise<Browser> {
  if (needsNoSandbox()) {
    const browser = await launchWith(choice, ['--no-sandbox'], extra)
    sayNoSandbox('this process runs as root') // said once a browser runs, never when none starts
    return browser
  }
  try {
    return await launchWith(choice, [], extra)
  } catch (err) {
    // Some machines cannot give Chromium a sandbox (no user namespaces): run without, and say so.
    // Any other failure is reported as it is.
    if (!RE_SANDBOX_FAILURE.test(String((err as DeckError).cause ?? err))) throw err
    // Failing without it too, the first failure is the one reported: it is why the second was tried.
    const browser = await launchWith(choice, ['--no-sandbox'], extra).catch((again: unknown) => {
      log.debug('browser', 'without its sandbox too: %O', again)
      throw err
    })
    sayNoSandbox('this machine cannot give it one')
    return browser
  }
}

/** How long a browser may take to start and answer its first call. */
export const LAUNCH_BOUND_MS = 20_000
/** Puppeteer's bound on any one call to the browser, over every step's own (which are shorter for any deck a PDF is made of). */
const PROTOCOL_TIMEOUT_MS = 600_000

/** How long to wait for a started browser to tell its version (messages only need it). */
const VERSION_WAIT_MS = 5000

/** Which browser a Browser is, for messages: its version, path and how it was found. */
const descriptions = new WeakMap<Browser, string>()

const SOURCE_WORDS: Record<BrowserSource, string> = {
  option: 'given with --browser-path',
  CHROME_PATH: 'given by CHROME_PATH',
  system: 'found on the system',
  npm: 'from the @sparticuz/chromium package',
}

/** "Chromium 156.0.8078.108 at /usr/bin/chromium (found on the system)", or as much of it as is known. */
export function describeBrowser(browser: Browser): string {
  return descriptions.get(browser) ?? 'Chromium'
}

async function launchWith(choice: BrowserChoice, sandbox: readonly string[], extra: Partial<LaunchOptions>): Promise<Browser> {
  // Its CommonJS build loads in half the time of its ES modules, and this is on the way to every PDF.
  const { launch } = require('puppeteer-core') as typeof Puppeteer
  log.debug('browser', 'launching %s (%s)', choice.path, choice.source)
  let browser: Browser
  // A browser that starts but never answers (a wrapper script that hangs, a Chromium stuck on
  // its profile) is stopped at the launch's bound: over a pipe, Puppeteer's own wait would be
  // its protocol timeout, three minutes. The signal is never aborted once the browser runs.
  const giveUp = new AbortController()
  const bound = setTimeout(() => giveUp.abort(), LAUNCH_BOUND_MS)
  try {
    browser = await launch({
      signal: giveUp.signal,
      // The backstop for any one call to the browser; each step of ours has a tighter bound of its own.
      protocolTimeout: PROTOCOL_TIMEOUT_MS,
      executablePath: choice.path,
      headless: true,
      args: [...new Set([...sandbox, ...BASE_ARGS, ...choice.args])],
      // Puppeteer's own handlers would exit at once on Ctrl-C; ours close the browser and remove staging folders first.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      // Over a pipe, Chromium exits by itself when this process dies, even on kill -9.
      pipe: true,
      // What Chromium prints (a launcher script's shell warnings, its own logging) is not for the
      // user's terminal: Puppeteer reads and keeps it, and it is shown only under DEBUG=deck:browser.
      dumpio: debugEnabled('deck:browser'),
      ...extra,
    })
  } catch (cause) {
    // What the failed launch's messages say is the browser closed under its first call: the bound is the reason.
    const reason = giveUp.signal.aborted ? new Error(`did not answer within ${LAUNCH_BOUND_MS / 1000} s of its launch`, { cause }) : cause
    throw new DeckError(`Chromium at ${choice.path} (${SOURCE_WORDS[choice.source]}) did not start: ${errorMessage(reason)}`, {
      exitCode: ExitCode.environment,
      cause: reason,
    })
  } finally {
    clearTimeout(bound)
  }
  // A Chromium that dies (killed, out of memory) can reset the pipes of its output, which nobody
  // may be reading: that error must not end this process, whose deck then fails with the
  // browser's own message (found as an uncaught ECONNRESET after a Chromium killed mid-build).
  for (const stream of browser.process()?.stdio ?? []) stream?.on('error', (err) => log.debug('browser', 'a pipe of Chromium failed: %O', err))
  // A browser that cannot tell its version is named without it: messages are all it is for.
  const version = await Promise.race([browser.version(), new Promise<string>((resolve) => setTimeout(resolve, VERSION_WAIT_MS, 'Chromium').unref())]).catch(
    () => 'Chromium',
  )
  const product = version.replace(/^(Headless)?Chrome\//, 'Chromium ')
  descriptions.set(browser, `${product} at ${choice.path} (${SOURCE_WORDS[choice.source]})`)
  return browser
}

/** How long Chromium may take to shut down before it is killed (under the 5 s a Ctrl-C task may take). */
const CLOSE_TIMEOUT_MS = 3000

/**
 * Stops a browser this process launched. Puppeteer's own close() asks Chromium to close
 * while still connected: every open tab then waits 100 ms for a frame swap that never
 * comes, and those timers keep the process alive after the build is done. Disconnecting
 * first and ending Chromium with SIGTERM (its own orderly shutdown) stops it as quickly,
 * with nothing left to wait for; it is killed, with its child processes, if it has not
 * stopped in time. Then Puppeteer's close() finds the process gone and only removes the
 * profile folder it may have made. On Windows, where a signal cannot ask for an orderly
 * shutdown, and for a browser not launched here, Puppeteer's close() does it all.
 */
export async function closeBrowser(browser: Browser): Promise<void> {
  const child = browser.process()
  if (!child || process.platform === 'win32') return browser.close()
  const exited = child.exitCode === null && child.signalCode === null ? once(child, 'exit') : undefined
  await browser.disconnect()
  if (exited) {
    child.kill('SIGTERM')
    const timer = setTimeout(() => killGroup(child), CLOSE_TIMEOUT_MS)
    try {
      await exited
    } finally {
      clearTimeout(timer)
    }
  }
  // Its helpers (zygote, GPU, crash handler) may outlive it by a moment, still writing into the profile.
  killGroup(child, 'stragglers')
  await browser.close()
}

/** Puppeteer starts Chromium as the leader of a process group of its own: all of it goes. */
function killGroup(child: ChildProcess, what: 'all' | 'stragglers' = 'all'): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
  } catch {
    // ESRCH: the group is gone already.
    if (what === 'all') child.kill('SIGKILL')
  }
}

/** One browser for a whole build, started on first use (or early, to overlap with other work), closed once. */
export interface BrowserSession {
  get(): Promise<Browser>
  close(): Promise<void>
}

export interface SessionOptions extends FindOptions {
  /**
   * Chromium's profile folder. Named like a staging folder in the output folder, it is
   * removed on close, and by the next build if this one was killed outright.
   */
  profileDir?: string | undefined
  /** The output folder whose browser slots this session queues for (builds into one folder at once take turns). */
  slotsOf?: string | undefined
}

/**
 * Chrome and Chromium (not the headless shell) make a socket in their temp folder, at
 * `<folder>/org.chromium.Chromium.XXXXXX/SingletonSocket`, whose path may not exceed 107
 * bytes: a longer one stops them at start ("Socket path too long").
 */
const MAX_TEMP_DIR_BYTES = 107 - '/org.chromium.Chromium.XXXXXX/SingletonSocket'.length

/** Chromium's temp folder when the one in its profile would be too long, named after this process. */
const TEMP_PREFIX = 'brief-deck-browser-'
const RE_TEMP_DIR = new RegExp(`^${TEMP_PREFIX}(\\d+)-`)

const fits = (dir: string) => Buffer.byteLength(dir) <= MAX_TEMP_DIR_BYTES

/**
 * Where Chromium keeps its temporary files: inside its profile folder, so that if the build is
 * killed outright they are swept with it by the next build. When that path is too long for
 * Chromium's socket, a folder of this process's own in the system's temp folder (or /tmp),
 * removed with the profile, or by a later build if this one is killed.
 */
async function chromiumTempDir(profileDir: string): Promise<{ dir: string; own: boolean }> {
  const bases = [...new Set([tmpdir(), '/tmp'])]
  // Tidying what killed builds left: what cannot be swept now is swept by a later build.
  for (const base of bases) await removeAbandoned(base, RE_TEMP_DIR).catch((err: unknown) => log.debug('browser', 'sweeping %s: %O', base, err))
  const inProfile = join(profileDir, 'tmp')
  if (fits(inProfile) || process.platform === 'win32') {
    await mkdir(inProfile, { recursive: true })
    return { dir: inProfile, own: false }
  }
  for (const base of bases) {
    // A temp folder that cannot be written to gives way to the next; none at all is the error below.
    const dir = await mkdtemp(join(base, `${TEMP_PREFIX}${process.pid}-`)).catch((err: unknown) => void log.debug('browser', 'a folder in %s: %O', base, err))
    if (dir && fits(dir)) return { dir, own: true }
    if (dir) await removeDir(dir)
  }
  throw new DeckError(`No temporary folder short enough for Chromium: set TMPDIR to a short path such as /tmp`, { exitCode: ExitCode.environment })
}

export function browserSession(options: SessionOptions = {}): BrowserSession {
  let launching: Promise<Browser> | undefined
  let forget: (() => void) | undefined
  let ownTemp: string | undefined
  let releaseSlot: (() => Promise<void>) | undefined
  /** Ctrl-C while this session waits for a slot: it stops waiting and takes none. */
  let closed = false
  const freeSlot = async () => {
    const release = releaseSlot
    releaseSlot = undefined
    await release?.()
  }
  const close = async () => {
    closed = true
    forget?.()
    // Taken before anything is awaited: of two closes at once (Ctrl-C's task and the build's
    // own), the first waits for the browser being launched and removes its profile; the other
    // must not find nothing to wait for and let the process end first.
    const pending = launching
    launching = undefined
    // The slot first: a build waiting for it need not wait for this browser to exit, nor this
    // process for its profile to be removed (a Ctrl-C's cleanup has its bound).
    await freeSlot()
    const browser = await pending?.catch(() => undefined) // a launch that failed was reported to whoever asked for the browser
    if (browser) await closeBrowser(browser).catch((err: unknown) => log.debug('browser', 'closing: %O', err))
    if (options.profileDir) await removeDir(options.profileDir)
    if (ownTemp) await removeDir(ownTemp)
    await freeSlot() // taken while the browser was closing
  }
  const takeSlot = async (outDir: string) => {
    const waiting = () => log.info(`Waiting for other builds into ${outDir}/ to finish with their browsers (${BROWSER_SLOTS} at a time) …`)
    releaseSlot = await browserSlot(outDir, waiting, () => closed || wasInterrupted())
    if (!releaseSlot) throw new DeckError('stopped while waiting for a browser', { exitCode: ExitCode.interrupted })
  }
  return {
    get() {
      if (!launching) {
        const started = performance.now()
        launching = (async () => {
          if (options.slotsOf) await takeSlot(options.slotsOf)
          if (!options.profileDir) return startBrowser(options)
          const tmp = await chromiumTempDir(options.profileDir)
          if (tmp.own) ownTemp = tmp.dir
          return startBrowser(options, { userDataDir: join(options.profileDir, 'profile'), env: { ...process.env, TMPDIR: tmp.dir } })
        })()
        launching.then(
          () => log.debug('time', `browser started: ${Math.round(performance.now() - started)} ms (at ${Math.round(performance.now())} ms)`),
          () => undefined,
        )
        launching.catch(() => undefined) // reported to whoever awaits it
        forget = onInterrupt(close)
      }
      return launching
    },
    close,
  }
}
