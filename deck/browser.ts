import { access, constants } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { createRequire } from 'node:module'
import type { Browser, LaunchOptions } from 'puppeteer-core'
import type * as Puppeteer from 'puppeteer-core'
import { onInterrupt } from './cleanup.ts'
import { DeckError, ExitCode } from './errors.ts'
import { log } from './log.ts'

// Finding and starting Chromium. In order: an explicit path (option or
// CHROME_PATH), a Chrome or Chromium on the system, then the Chromium shipped
// inside the @sparticuz/chromium npm package, so a machine with only Node works.

export type BrowserSource = 'option' | 'CHROME_PATH' | 'system' | 'npm'

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

/** Switches for a headless run on a locked-down machine: no sandbox as root, no calls home. */
export const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
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
].join('\n')

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

export async function findSystemBrowser(): Promise<string | undefined> {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean)
  for (const name of SYSTEM_NAMES) for (const dir of dirs) if (await executable(join(dir, name))) return join(dir, name)
  for (const path of SYSTEM_PATHS) if (await executable(path)) return path
  return undefined
}

export async function npmBrowser(): Promise<BrowserChoice | undefined> {
  try {
    const { default: Chromium } = await import('@sparticuz/chromium')
    const path = await Chromium.executablePath()
    // Its own switches are for AWS Lambda (--single-process, --disable-web-security); here it runs
    // like any Chromium, with several processes, so pages really work in parallel.
    return { path, source: 'npm', args: [] }
  } catch (cause) {
    log.debug('browser', 'the @sparticuz/chromium package is not usable: %O', cause)
    return undefined
  }
}

export interface FindOptions {
  browserPath?: string | undefined
  /** Skip the explicit and system browsers (used to prove the fresh-machine path). */
  only?: BrowserSource | undefined
}

export async function findBrowser(options: FindOptions = {}): Promise<BrowserChoice> {
  const explicit = options.browserPath ?? process.env.CHROME_PATH
  if (options.only === undefined || options.only === 'option' || options.only === 'CHROME_PATH') {
    if (explicit) {
      if (await executable(explicit)) return { path: explicit, source: options.browserPath ? 'option' : 'CHROME_PATH', args: [] }
      throw new DeckError(`The browser ${explicit} does not exist or cannot be run.\n${NO_BROWSER_HELP}`, { exitCode: ExitCode.environment })
    }
  }
  if (options.only === undefined || options.only === 'system') {
    const system = await findSystemBrowser()
    if (system) return { path: system, source: 'system', args: [] }
  }
  if (options.only === undefined || options.only === 'npm') {
    const npm = await npmBrowser()
    if (npm) return npm
  }
  throw new DeckError(NO_BROWSER_HELP, { exitCode: ExitCode.environment })
}

const require = createRequire(import.meta.url)

export async function launchBrowser(choice: BrowserChoice, extra: Partial<LaunchOptions> = {}): Promise<Browser> {
  // Its CommonJS build loads in half the time of its ES modules, and this is on the way to every PDF.
  const { launch } = require('puppeteer-core') as typeof Puppeteer
  log.debug('browser', 'launching %s (%s)', choice.path, choice.source)
  try {
    return await launch({
      executablePath: choice.path,
      headless: true,
      args: [...new Set([...BASE_ARGS, ...choice.args])],
      // Puppeteer's own handlers would exit at once on Ctrl-C; ours close the browser and remove staging folders first.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      // Over a pipe, Chromium exits by itself when this process dies, even on kill -9.
      pipe: true,
      ...extra,
    })
  } catch (cause) {
    throw new DeckError(`Chromium at ${choice.path} (${choice.source}) did not start: ${cause instanceof Error ? cause.message : String(cause)}\n${NO_BROWSER_HELP}`, {
      exitCode: ExitCode.environment,
      cause,
    })
  }
}

/** One browser for a whole build, started on first use (or early, to overlap with other work), closed once. */
export interface BrowserSession {
  get(): Promise<Browser>
  close(): Promise<void>
}

export function browserSession(options: FindOptions = {}): BrowserSession {
  let launching: Promise<Browser> | undefined
  let forget: (() => void) | undefined
  const close = async () => {
    forget?.()
    const pending = launching
    launching = undefined
    const browser = await pending?.catch(() => undefined)
    await browser?.close().catch(() => undefined)
  }
  return {
    get() {
      if (!launching) {
        const started = performance.now()
        launching = findBrowser(options).then((choice) => launchBrowser(choice))
        launching.then(() => log.debug('time', `browser started: ${Math.round(performance.now() - started)} ms (at ${Math.round(performance.now())} ms)`), () => undefined)
        launching.catch(() => undefined) // reported to whoever awaits it
        forget = onInterrupt(close)
      }
      return launching
    },
    close,
  }
}
