import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Worker } from 'node:worker_threads'

import type { MarpOptions } from '@marp-team/marp-core'
import { z } from 'zod'

import type { RenderedSlides } from '../render/print.ts'
import type { Theme } from '../render/theme.ts'
import { sideBundle } from '../shared/bundles.ts'
import { onInterrupt } from '../shared/cleanup.ts'
import { DeckError, errorMessage, ExitCode, machineFaultIn } from '../shared/errors.ts'
import { readInput } from '../shared/fs.ts'
import { log, reached } from '../shared/log.ts'
import { MAX_DEPTH, readJson } from '../shared/parse.ts'
import { patchFailed } from '../shared/patches.ts'
import type { MarpReady, MarpReply, MarpRequest, MarpWorkerData } from './marp.worker.ts'

/** Omit, over each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

// The two edges where Marp turns Markdown into slides: Marp CLI for the bespoke
// HTML deck (presenter view, keyboard navigation), and Marp Core for the slides
// that go to the browser for the PDFs and images. Both read the same settings from
// templates/marp.config.json. Both load in Marp's worker thread, which a command starts
// only when it needs Marp: `--help`, `new`, and a build of the Markdown or the PowerPoint
// alone never load them (`check` does: it measures the slides as printed). Marp Core
// loads as the worker starts; Marp CLI too when HTML decks are coming, else at the first.

/** Marp's settings live beside the templates whose HTML tags they allow. */
export const MARP_CONFIG_FILE = 'marp.config.json'

export interface MarpSettings {
  file: string
  html: MarpOptions['html']
  options: MarpOptions
  /** Marp CLI's bespoke template's settings (its progress bar). */
  bespoke?: Record<string, unknown>
}

/** What Marp's settings may hold: nothing that tells Marp CLI where to read or write (inputDir, output, server…). */
const marpSettingsSchema = z.strictObject({
  html: z.union([z.boolean(), z.record(z.string(), z.array(z.string()))]).optional(),
  options: z.record(z.string(), z.unknown()),
  bespoke: z.record(z.string(), z.unknown()).optional(),
})

/** Marp's settings are a few lines of JSON. */
const MAX_MARP_SETTINGS_BYTES = 64 * 1024

export async function readMarpSettings(templatesDir: string): Promise<MarpSettings> {
  const file = join(templatesDir, MARP_CONFIG_FILE)
  const text = (await readInput(file, "Marp's settings", MAX_MARP_SETTINGS_BYTES, { missing: ExitCode.input })).toString('utf8')
  const read = readJson(text)
  if (!read.ok) {
    const message = read.tooDeep ? `the JSON nests more than ${MAX_DEPTH} levels deep` : 'this is not valid JSON'
    throw new DeckError(`Cannot read Marp's settings ${file}`, { problems: [{ file, line: read.line, col: read.col, message }] })
  }
  const settings = marpSettingsSchema.safeParse(read.value)
  if (!settings.success)
    throw new DeckError(
      `${file}: Marp's settings are a JSON object with "options" (an object), "html" (true, false or the HTML tags to allow) and "bespoke" (an object), and nothing else`,
    )
  const { html, options, bespoke } = settings.data
  return { file, html: html as MarpSettings['html'], options: options as MarpOptions, ...(bespoke ? { bespoke } : {}) }
}

/**
 * Marp runs in a worker thread (marp.worker.ts): loading it and converting takes most of a
 * second, which the main thread spends starting the browser instead. One worker does both
 * jobs, so Marp Core is loaded once: Marp CLI writes the HTML decks, and Marp Core renders
 * the slides for the printed pages.
 */
export class MarpWorker {
  readonly #worker: Worker
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>()
  #next = 0
  /** Set once the worker has stopped: every later request fails at once instead of waiting forever. */
  #dead: Error | undefined
  #forget: (() => void) | undefined

  /** `html`: HTML decks will be asked for, so the worker loads Marp CLI as soon as it starts, while the brief is read. */
  constructor(options: { html?: boolean } = {}) {
    const marpCore = require.resolve('@marp-team/marp-core')
    const workerData: MarpWorkerData = {
      marpCore,
      marpit: createRequire(marpCore).resolve('@marp-team/marpit'),
      marpCli: require.resolve('@marp-team/marp-cli'),
      preloadCli: options.html === true,
    }
    this.#worker = new Worker(sideBundle('marp.worker'), { workerData })
    this.#worker.on('message', (reply: MarpReply | MarpReady) => {
      if ('ready' in reply) return reached(`Marp loaded in its worker, at ${Math.round(reply.ready - performance.timeOrigin)} ms`)
      const waiting = this.#pending.get(reply.id)
      this.#pending.delete(reply.id)
      if (reply.patch) waiting?.reject(new DeckError(reply.error ?? '', { exitCode: ExitCode.internal }))
      else if (reply.error !== undefined) waiting?.reject(new Error(`${reply.error}${reply.logs ? `\n${reply.logs}` : ''}`))
      else waiting?.resolve(reply.result)
    })
    const fail = (err: Error) => {
      this.#dead ??= err
      for (const waiting of this.#pending.values()) waiting.reject(err)
      this.#pending.clear()
    }
    this.#worker.on('error', fail)
    this.#worker.on('exit', (code) => fail(new Error(`Marp's worker stopped (exit ${code})`)))
    // On Ctrl-C the worker stops first, so Marp CLI cannot write into a staging folder being removed.
    // Made after Ctrl-C came, it closes at once, and then has nothing to forget.
    this.#forget = onInterrupt(() => this.close())
  }

  #ask<T>(message: DistributiveOmit<MarpRequest, 'id'>): Promise<T> {
    if (this.#dead) return Promise.reject(this.#dead)
    const id = this.#next++
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.#worker.postMessage({ id, ...message } satisfies MarpRequest)
    })
  }

  /** Builds the engine `slides` will use, ahead of time; any failure is reported by `slides`. */
  prepareSlides(theme: Theme, settings: MarpSettings): void {
    this.#ask({ kind: 'engine', options: printOptions(settings), themeCss: theme.css }).catch(() => undefined)
  }

  /** Slides for the printed pages, one `<svg>` each. */
  async slides(markdown: string, theme: Theme, settings: MarpSettings): Promise<RenderedSlides> {
    try {
      return await this.#ask<RenderedSlides>({ kind: 'slides', markdown, options: printOptions(settings), themeCss: theme.css })
    } catch (cause) {
      if (cause instanceof DeckError) throw cause // a patch's finding, which names itself
      throw new DeckError(`Marp Core could not render the slides: ${errorMessage(cause)}`, { exitCode: ExitCode.internal, cause })
    }
  }

  /** The HTML decks (Marp CLI's bespoke template); each is written beside its Markdown. */
  async html(job: MarpJob): Promise<{ file: string; text: string }[]> {
    // Marp CLI gets the settings as read and checked here, in a file of the staging folder: it
    // never reads the templates' file itself (its other keys could send it elsewhere to read or write).
    const config = join(dirname(job.inputs[0] ?? job.themeFile), STAGED_MARP_SETTINGS)
    const { html, options, bespoke } = job.settings
    await writeFile(config, JSON.stringify({ html, options, ...(bespoke ? { bespoke } : {}) }))
    const args = [...job.inputs, '--no-stdin', '--config-file', config, '--theme-set', job.themeFile]
    let reply: { status: number; logs: string }
    try {
      reply = await this.#ask<{ status: number; logs: string }>({ kind: 'html', args })
    } catch (cause) {
      if (cause instanceof DeckError) throw cause // a patch's finding, which names itself
      const message = errorMessage(cause)
      log.debug('marp', message)
      // A full disk or a folder without permission is the machine's fault, not a bug of this tool.
      const machine = machineFaultIn(message)
      throw new DeckError(`Marp CLI could not convert ${job.inputs.join(', ')}: ${machine ?? 'it failed (DEBUG=deck:marp shows why)'}`, {
        exitCode: machine ? ExitCode.environment : ExitCode.internal,
        cause,
      })
    }
    log.debug('marp', reply.logs)
    const machine = machineFaultIn(reply.logs)
    if (reply.status !== 0)
      // Its log may quote what it read: shown under DEBUG=deck:marp (above), not in the message.
      throw new DeckError(
        `Marp CLI could not convert ${job.inputs.join(', ')} (exit ${reply.status}${machine ? `: ${machine}` : ''}); DEBUG=deck:marp shows its log`,
        {
          exitCode: machine ? ExitCode.environment : ExitCode.internal,
        },
      )
    const outputs = job.inputs.map((input) => input.replace(RE_MD_EXTENSION, '.html'))
    return Promise.all(outputs.map(async (file) => ({ file, text: await finishHtml(file, job.headCss, job.keywords) })))
  }

  async close(): Promise<void> {
    this.#forget?.()
    await this.#worker.terminate()
  }
}

const RE_MD_EXTENSION = /\.md$/
const STAGED_MARP_SETTINGS = '.marp.config.json'

/**
 * A speaker note in Marp CLI's HTML deck (the presenter view shows it), as its bespoke
 * template writes one: a <div> holding a <p> for each paragraph, their text escaped, so no </div>
 * within (src/templates/bespoke/bespoke.pug in Marp CLI 4.5).
 */
const RE_NOTE = /<div class="bespoke-marp-note" data-index="\d+" tabindex="0">[\s\S]*?<\/div>/g
/** A note's element in any form: none may be left once RE_NOTE has removed the notes. */
const RE_ANY_NOTE = /<div\b[^>]*\bclass="bespoke-marp-note"/
/** The notes' class, which the template's style sheet and script name in every deck, with notes or without. */
const NOTE_CLASS = 'bespoke-marp-note'

/**
 * The HTML deck without its speaker notes: the audience copy, as Marp writes it from the
 * Markdown without notes (test/marp.test.ts compares the two), made from the one
 * conversion rather than a second. A patch of Marp CLI 4.5.1's output, pinned in
 * package.json: Marp CLI has no option to leave the notes out (asked for in
 * https://github.com/marp-team/marp-cli/issues/701, open; the maintainer's way there is
 * an engine plugin, which would take a second conversion). A deck whose notes are marked
 * up otherwise is a bug, never an audience copy with the notes in it.
 */
export function withoutNotes(html: string): string {
  const patch = 'withoutNotes (deck/export/marp.ts)'
  if (!html.includes(NOTE_CLASS)) throw patchFailed('@marp-team/marp-cli', patch, `Marp CLI's HTML deck does not name the notes' class ${NOTE_CLASS}`)
  const audience = html.replace(RE_NOTE, '')
  if (RE_ANY_NOTE.test(audience)) throw patchFailed('@marp-team/marp-cli', patch, `Marp CLI's HTML deck holds a note that ${RE_NOTE} does not match`)
  return audience
}

/** Marp's browser script resizes slides for screens; printed pages must keep the size we give them. */
function printOptions(settings: MarpSettings): MarpOptions {
  return { ...settings.options, html: settings.html, script: false }
}

/** Adds the CSS (the @font-face rules) to the deck's head, and the deck's Content-Security-Policy; returns the page. */
async function finishHtml(file: string, css: string | undefined, keywords: readonly string[] = []): Promise<string> {
  let html = await readFile(file, 'utf8')
  // Marp CLI writes the keywords only when there are two or more; one keyword is a keyword too.
  if (keywords.length > 0 && !html.includes('<meta name="keywords"'))
    html = html.replace('<head>', `<head><meta name="keywords" content="${escapeAttribute(keywords.join(','))}">`)
  const end = html.indexOf('</head>')
  const start = html.indexOf('<head>')
  if (end < 0 || start < 0) throw new DeckError(`Marp wrote ${file} without a <head>`, { exitCode: ExitCode.internal })
  const head = start + '<head>'.length
  const policy = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(html, css === undefined ? [] : [css])}">`
  const page = `${html.slice(0, head)}${policy}${html.slice(head, end)}${css === undefined ? '' : `<style>${css}</style>`}${html.slice(end)}`
  await writeFile(file, page)
  return page
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

const RE_INLINE_SCRIPT = /<script>([\s\S]*?)<\/script>/g
const RE_INLINE_STYLE = /<style>([\s\S]*?)<\/style>/g

/** The CSP hash of a script or style; the fonts' large style sheet is the same in every deck of the same scripts, so its hash is kept. */
let kept: { text: string; hash: string } | undefined
function cspHash(text: string): string {
  if (kept?.text === text) return kept.hash
  const hash = `'sha256-${createHash('sha256').update(text).digest('base64')}'`
  if (text.length > KEEP_HASH_CHARS) kept = { text, hash }
  return hash
}
const KEEP_HASH_CHARS = 100_000

/**
 * The deck runs Marp's own scripts and nothing else, and reaches no network: scripts
 * and style sheets are allowed by the hash of their text, fonts and images only as
 * data: URLs, frames (the presenter view's next slide) only from the deck itself.
 * Style attributes stay allowed: Marp sets slide variables with them. An empty style
 * sheet is allowed too: Marp's slide transitions add one and fill it through the CSS
 * object model (which the policy does not govern); without it every load logs a violation
 * and the transitions are lost. `styles` are style sheets to be added to the page.
 */
export function contentSecurityPolicy(html: string, styles: readonly string[] = []): string {
  const inline = (re: RegExp) => [...html.matchAll(re)].map((m) => cspHash(m[1] ?? ''))
  return [
    "default-src 'none'",
    `script-src ${inline(RE_INLINE_SCRIPT).join(' ')}`,
    `style-src ${[...new Set([...inline(RE_INLINE_STYLE), ...styles.map(cspHash), cspHash('')])].join(' ')}`,
    "style-src-attr 'unsafe-inline'",
    'img-src data:',
    'font-src data:',
    "frame-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ')
}

export interface MarpJob {
  settings: MarpSettings
  /** Markdown files; each HTML deck is written beside its Markdown. */
  inputs: readonly string[]
  themeFile: string
  /** CSS added to each page's head after conversion (the @font-face rules). */
  headCss?: string
  /** The deck's keywords, for its keywords meta tag. */
  keywords?: readonly string[]
}

const require = createRequire(import.meta.url)
