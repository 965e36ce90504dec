import { EventEmitter } from 'node:events'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'

import { openBrief } from '../brief/brief.ts'
import { buildBrief } from '../build.ts'
import { deckName, prepare, sourceDocumentPath, type Toolkit } from '../deck.ts'
import { type BrowserSession, browserSession } from '../export/browser.ts'
import { MarpWorker } from '../export/marp.ts'
import type { Format } from '../export/outputs.ts'
import { BRAND_FILE_NAME } from '../render/brand.ts'
import { templateDirs } from '../render/templates.ts'
import { sideBundleText } from '../shared/bundles.ts'
import { onInterrupt } from '../shared/cleanup.ts'
import { DeckError, ExitCode, formatError } from '../shared/errors.ts'
import { browserProfileDir } from '../shared/fs.ts'
import { PdfQueue } from './pdf-queue.ts'
import { RebuildScheduler, systemClock } from './scheduler.ts'
import { type DeckServer, type DevState, serveDeck } from './server.ts'
import { type FileWatcher, watchFiles } from './watcher.ts'

export type { DevState } from './server.ts'

// `npm run dev`: build, serve the output folder on loopback, watch the brief, its
// source document, the templates and the theme; rebuild on every save and tell the
// open tabs over server-sent events. A failed build never replaces the last good deck:
// its message goes to the terminal and, as an overlay, to every tab. The parts: the
// watcher (watcher.ts) hears of saves, the scheduler (scheduler.ts) decides when to
// build, the builder below builds, the server (server.ts) serves, the PDF queue prints.

export interface DevOptions {
  brief: string
  /**
   * Where the dev server writes its deck (and PDF), and the only folder it serves. Never the
   * build's output folder: a dev build makes only some outputs, and `dist/` holds one whole
   * build. Unless given, a folder of its own in the temp folder, removed when it stops.
   */
  outDir?: string | undefined
  /** First port to try; the next free one is taken when it is busy. 0: any free port. */
  port: number
  host: string
  /** Keep the PDF current on every save (with a browser kept warm between saves). */
  pdf: boolean
  /** The project's templates folder and theme, as --templates and --theme name them (else found as a build finds them). */
  templatesDir?: string | undefined
  themeFile?: string | undefined
  /** The brand file named (--brand); else the one beside the brief or here, as a build finds it. */
  brandFile?: string | false | undefined
  sourceFile?: string | undefined
  browserPath?: string | undefined
  /** A file counts as saved when it has not changed for this long (ms); STABLE_MS unless given. */
  stableMs?: number | undefined
  log: (message: string) => void
}

export interface DevServer {
  url: string
  /** Emits `state` (DevState) after each rebuild, and `pdf` when the PDF is current again. */
  events: EventEmitter
  state(): DevState
  /** Resolves once no rebuild is running or waiting to run. */
  idle(): Promise<void>
  close(): Promise<void>
}

/** The options with the output folder decided. */
type DevSettings = DevOptions & { outDir: string }

/** A file counts as saved when it has not changed for this long. */
const STABLE_MS = 15
/** The dev server's own folder in the temp folder, when none is given. */
export const DEV_FOLDER_PREFIX = 'brief-deck-dev-'

export async function startDev(given: DevOptions): Promise<DevServer> {
  const options: DevSettings = { ...given, outDir: given.outDir ?? (await mkdtemp(join(tmpdir(), DEV_FOLDER_PREFIX))) }
  /** Made here, so removed here when it stops. */
  const ownFolder = given.outDir === undefined
  const stableMs = options.stableMs ?? STABLE_MS
  const builder = new DevBuilder(options)
  const scheduler = new RebuildScheduler({
    clock: systemClock,
    stableMs,
    build: (started, settled) => builder.build(started, settled),
    // A brief that is not there (an editor's save under way removes it first) is as unwritten as an empty one.
    briefIsUnwritten: async () => ((await stat(options.brief).catch(() => undefined))?.size ?? 0) === 0,
    lookAgain: async () => watcher?.lookAgain(),
    failed: (err) => builder.failed(err),
  })
  let watcher: FileWatcher | undefined
  let server: DeckServer | undefined
  const close = async () => {
    forget()
    try {
      await Promise.all([scheduler.close(), watcher?.close(), server?.close()])
      await builder.close()
    } finally {
      if (ownFolder) await rm(options.outDir, { recursive: true, force: true })
    }
  }
  // Ctrl-C (or SIGTERM, SIGHUP) closes it, while it starts too, and removes its folder last.
  const forget = onInterrupt(close)
  try {
    watcher = await watchFiles({
      paths: await watchedPaths(options),
      stableMs,
      changed: (file) => {
        builder.changed(file)
        scheduler.changed()
      },
      failed: options.log,
    })
    server = await serveDeck(builder.pages(), options)
    builder.publishTo(server)
    builder.watchAlso((paths) => watcher?.add(paths))
    await scheduler.run()
  } catch (err) {
    await close() // a server that cannot start leaves nothing running, and no folder behind
    throw err
  }
  return { url: server.url, events: builder.events, state: () => builder.state, idle: () => scheduler.idle(), close }
}

/** What the deck is made from: the brief, the templates, the theme, and the source document the brief names now. */
async function watchedPaths(options: DevOptions): Promise<string[]> {
  const paths = [options.brief, ...templateDirs(options.templatesDir), ...(options.themeFile ? [options.themeFile] : []), ...(await brandPaths(options))]
  // A brief that does not read yet names none.
  const source =
    options.sourceFile ??
    (await openBrief(options.brief)
      .then((l) => sourceDocumentPath(l.brief, l.file))
      .catch(() => undefined))
  return source ? [...paths, source] : paths
}

/**
 * The brand files a build would read (beside the brief, here; the one named), there or not
 * yet: one made while the server runs is read at once. What a brand names (its logos and
 * fonts) is watched once it is read (watchAlso).
 */
async function brandPaths(options: DevOptions): Promise<string[]> {
  if (options.brandFile === false) return []
  if (options.brandFile !== undefined) return [options.brandFile]
  return [join(dirname(options.brief), BRAND_FILE_NAME), BRAND_FILE_NAME]
}

/** Builds the HTML deck (and the PDF), keeps the newest outcome, and reports it. */
class DevBuilder {
  readonly events = new EventEmitter()
  state: DevState = { version: 0, ok: false, message: 'Building…' }
  readonly #options: DevSettings
  readonly #outDir: string
  readonly #name: string
  readonly #marp = new MarpWorker({ html: true })
  readonly #pdf: PdfQueue
  #session: BrowserSession | undefined
  #toolkit: Toolkit | undefined
  #toolkitStale = true
  #html: string | undefined
  #server: DeckServer | undefined
  #watch: ((paths: readonly string[]) => Promise<void> | undefined) | undefined

  constructor(options: DevSettings) {
    this.#options = options
    this.#outDir = resolve(options.outDir)
    this.#name = deckName(options.brief)
    this.#pdf = new PdfQueue(
      (started) => this.#printPdf(started),
      () => this.state.version,
    )
    // Started now, to be ready for the first PDF; a browser that does not start fails that PDF, which says why.
    if (options.pdf)
      void this.#browser()
        .get()
        .catch(() => undefined)
  }

  pages() {
    return {
      outDir: this.#outDir,
      htmlName: `${this.#name}.html`,
      pdfName: `${this.#name}.pdf`,
      html: () => this.#html,
      state: () => this.state,
      pdf: () => (this.#pdf.current ? Promise.resolve() : this.#pdf.add(performance.now())),
      client: () => sideBundleText('dev.client'),
    }
  }

  publishTo(server: DeckServer): void {
    this.#server = server
  }

  /** Where to say which files the toolkit was made from (the brand's logos and fonts), each time it is made anew. */
  watchAlso(watch: (paths: readonly string[]) => Promise<void> | undefined): void {
    this.#watch = watch
    if (this.#toolkit) void this.#watch(this.#toolkit.theme.brand.inputs)
  }

  /** A watched file changed: templates and theme are read again if it is one of them. */
  changed(file: string): void {
    const { templatesDir, themeFile } = this.#options
    const toolkitFile = templateDirs(templatesDir).some((dir) => file.startsWith(resolve(dir))) || (themeFile !== undefined && file === resolve(themeFile))
    // A brand file made or changed beside the brief or here, or a file the brand names (a logo, a font).
    const brandFile = basename(file) === BRAND_FILE_NAME || this.#toolkit?.theme.brand.inputs.includes(file) === true
    if (toolkitFile || brandFile) this.#toolkitStale = true
  }

  /** One build of the HTML deck (and the PDF when asked for), reported to the terminal and the tabs. */
  async build(started: number, settled: () => Promise<boolean>): Promise<void> {
    try {
      const toolkit = await this.#freshToolkit()
      const checks = { sourceFile: this.#options.sourceFile }
      const built = await buildBrief(this.#options.brief, toolkit, { outDir: this.#outDir, formats: new Set<Format>(['html']), marp: this.#marp, checks })
      if (!(await settled())) return // a file changed while it was read: what was built may be half of it (the change builds anew)
      if (built.html === undefined) throw new DeckError('the build made no HTML deck', { exitCode: ExitCode.internal })
      this.#html = built.html
      const ms = Math.round(performance.now() - started)
      this.#publish({ version: this.state.version + 1, ok: true, ms })
      this.#options.log(`✔ ${this.#name}.html rebuilt in ${ms} ms`)
      if (this.#options.pdf) await this.#pdf.add(started)
    } catch (err) {
      if (!(err instanceof DeckError)) throw err
      if (!(await settled())) return // most likely a file read half-written
      const message = formatError(err)
      this.#publish({ version: this.state.version, ok: false, message })
      this.#options.log(`✖ ${message}`)
    }
  }

  /** A build that threw something other than a DeckError: a bug, shown as such. */
  failed(err: unknown): void {
    this.#publish({ version: this.state.version, ok: false, message: `internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` })
  }

  async close(): Promise<void> {
    await this.#pdf.idle()
    await Promise.all([this.#marp.close(), this.#session?.close()])
  }

  #publish(next: DevState): void {
    this.state = next
    this.#server?.publish(next)
    this.events.emit('state', next)
  }

  async #freshToolkit(): Promise<Toolkit> {
    if (this.#toolkitStale || !this.#toolkit) {
      // Until templates and theme compile again, there is no toolkit: the next save tries anew.
      this.#toolkit = undefined
      this.#toolkitStale = false // a template saved while they are read makes them stale again
      this.#toolkit = await prepare({
        templatesDir: this.#options.templatesDir,
        themeFile: this.#options.themeFile,
        brandFile: this.#options.brandFile,
        briefFile: this.#options.brief,
      })
      this.#marp.prepareSlides(this.#toolkit.theme, this.#toolkit.marp)
      void this.#watch?.(this.#toolkit.theme.brand.inputs)
    }
    return this.#toolkit
  }

  #browser(): BrowserSession {
    this.#session ??= browserSession({ browserPath: this.#options.browserPath, profileDir: browserProfileDir(this.#outDir) })
    return this.#session
  }

  async #printPdf(started: number): Promise<boolean> {
    const toolkit = this.#toolkit
    if (!toolkit) return false // templates or theme being read again, or broken: nothing to print from
    const checks = { sourceFile: this.#options.sourceFile }
    await buildBrief(this.#options.brief, toolkit, {
      outDir: this.#outDir,
      formats: new Set<Format>(['pdf']),
      marp: this.#marp,
      browser: this.#browser(),
      checks,
    })
    const ms = Math.round(performance.now() - started)
    this.events.emit('pdf', { version: this.state.version, ms })
    this.#options.log(`✔ ${this.#name}.pdf rebuilt in ${ms} ms`)
    return true
  }
}
