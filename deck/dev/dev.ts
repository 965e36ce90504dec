import { createHash } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import type { FSWatcher } from 'chokidar'
import { openBrief } from '../brief/brief.ts'
import { browserSession, type BrowserSession } from '../export/browser.ts'
import { buildBrief, deckName, prepare, sourceDocumentPath, type Toolkit } from '../build.ts'
import { CLIENT_PATH, devClient, EVENTS_PATH, PDF_PATH } from './client.ts'
import { DeckError, errorMessage, ExitCode, formatError } from '../shared/errors.ts'
import { log } from '../shared/log.ts'
import { readInput } from '../shared/fs.ts'
import { MarpWorker } from '../export/marp.ts'
import type { Format } from '../export/outputs.ts'

// `npm run dev`: build, serve the output folder on loopback, watch the brief, its
// source document, the templates and the theme; rebuild on every save and tell the
// open tabs over server-sent events. A failed build never replaces the last good deck:
// its message goes to the terminal and, as an overlay, to every tab.

export interface DevOptions {
  brief: string
  outDir: string
  /** First port to try; the next free one is taken when it is busy. 0: any free port. */
  port: number
  host: string
  /** Keep the PDF current on every save (with a browser kept warm between saves). */
  pdf: boolean
  templatesDir: string
  themeFile: string
  sourceFile?: string | undefined
  browserPath?: string | undefined
  /** A file counts as saved when it has not changed for this long (ms); STABLE_MS unless given. */
  stableMs?: number | undefined
  log: (message: string) => void
}

/** The newest outcome: `version` counts the decks built; a failed build keeps the last one. */
export interface DevState {
  version: number
  ok: boolean
  message?: string
  /** Milliseconds from the save that started it to the deck being ready to serve. */
  ms?: number
}

export interface DevServer {
  url: string
  /** Emits `state` (DevState) after each rebuild, and `pdf` when the PDF is current again. */
  events: EventEmitter
  state(): DevState
  close(): Promise<void>
}

/** A file counts as saved when it has not changed for this long. */
const STABLE_MS = 15
/** Changes of several files closer together than this are one rebuild (a template and the theme saved at once). */
const SETTLE_MS = 2
/** An empty brief is most likely a save in progress (truncate, then write): it is built only if it stays empty this long. */
const EMPTY_GRACE_MS = 300
const EMPTY_POLL_MS = 10
const PORT_TRIES = 20

export async function startDev(options: DevOptions): Promise<DevServer> {
  const name = deckName(options.brief)
  const htmlName = `${name}.html`
  const outDir = resolve(options.outDir)
  const events = new EventEmitter()
  const stableMs = options.stableMs ?? STABLE_MS
  const marp = new MarpWorker()
  let session: BrowserSession | undefined
  const browser = () => (session ??= browserSession({ browserPath: options.browserPath, profileDir: join(outDir, `.staging-${process.pid}-browser`) }))
  if (options.pdf) void browser().get().catch(() => undefined)

  let toolkit: Toolkit | undefined
  let toolkitStale = true
  let state: DevState = { version: 0, ok: false, message: 'Building…' }
  let html: string | undefined
  let pdfCurrent = false

  const publish = (next: DevState) => {
    state = next
    for (const client of clients) sendState(client)
    events.emit('state', state)
  }

  /** One build of the HTML deck (and the PDF when asked for), reported to the terminal and the tabs. */
  const build = async (started: number): Promise<void> => {
    const reading = generation
    try {
      if (toolkitStale || !toolkit) {
        // Until templates and theme compile again, there is no toolkit: the next save tries anew.
        toolkit = undefined
        toolkitStale = false // a template saved while they are read makes them stale again
        toolkit = await prepare({ templatesDir: options.templatesDir, themeFile: options.themeFile })
        marp.prepareSlides(toolkit.theme, toolkit.marp)
      }
      const checks = { sourceFile: options.sourceFile }
      const built = await buildBrief(options.brief, toolkit, { outDir, formats: new Set<Format>(['html']), marp, checks })
      if (!(await settled(reading))) return // a file changed while it was read: what was built may be half of it (the change builds anew)
      if (built.html === undefined) throw new DeckError('the build made no HTML deck', { exitCode: ExitCode.internal })
      html = built.html
      pdfCurrent = false
      const ms = Math.round(performance.now() - started)
      publish({ version: state.version + 1, ok: true, ms })
      options.log(`✔ ${htmlName} rebuilt in ${ms} ms`)
      if (options.pdf) await makePdf(started)
    } catch (err) {
      if (!(err instanceof DeckError)) throw err
      if (!(await settled(reading))) return // most likely a file read half-written
      const message = formatError(err)
      publish({ version: state.version, ok: false, message })
      options.log(`✖ ${message}`)
    }
  }

  // PDF builds run one after another, and a PDF counts as current only if no deck was built meanwhile.
  let pdfQueue: Promise<unknown> = Promise.resolve()
  const makePdf = (started: number): Promise<void> => {
    const next = pdfQueue.then(() => printPdf(started))
    pdfQueue = next.catch(() => undefined)
    return next
  }
  const printPdf = async (started: number): Promise<void> => {
    if (!toolkit) return
    const version = state.version
    await buildBrief(options.brief, toolkit, { outDir, formats: new Set<Format>(['pdf']), marp, browser: browser(), checks: { sourceFile: options.sourceFile } })
    pdfCurrent = state.version === version
    const ms = Math.round(performance.now() - started)
    events.emit('pdf', { version: state.version, ms })
    options.log(`✔ ${name}.pdf rebuilt in ${ms} ms`)
  }

  // Rebuilds never overlap: a save during a build asks for one more build after it.
  let running: Promise<void> | undefined
  let again = false
  /** Counts the changes seen; a build is shown only if none came while it ran. */
  let generation = 0
  let lastChange = 0
  /**
   * Whether what a build read is still what is on disk, and has been so for `stableMs`. The
   * files are looked at once more, so a change whose event has not arrived yet counts too.
   * A change found here has scheduled the next build.
   */
  const settled = async (reading: number): Promise<boolean> => {
    const wait = lastChange + stableMs - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    await Promise.all([...watchedFiles].map((file) => changed(file)))
    return generation === reading
  }
  let timer: NodeJS.Timeout | undefined
  let firstSave = 0
  let closed = false
  const schedule = (delay = SETTLE_MS) => {
    if (closed) return
    firstSave ||= performance.now()
    clearTimeout(timer)
    timer = setTimeout(() => void run(), delay)
  }
  const run = async (): Promise<void> => {
    if (closed) return
    if (running) {
      again = true
      return
    }
    let release = () => undefined as void
    running = new Promise<void>((resolve) => (release = resolve)) // taken before the first await: runs never overlap
    try {
      if ((await briefIsEmpty()) && performance.now() - firstSave < EMPTY_GRACE_MS) {
        schedule(EMPTY_POLL_MS) // the rest of the file is most likely on its way: look again soon, build it once
        return
      }
      const started = firstSave
      firstSave = 0
      await build(started || performance.now()).catch((err: unknown) => {
        publish({ version: state.version, ok: false, message: `internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` })
      })
    } finally {
      running = undefined
      release()
    }
    if (again) {
      again = false
      schedule(0)
    }
  }
  const briefIsEmpty = async () => (await stat(options.brief).catch(() => undefined))?.size === 0

  // Watch what the deck is made from.
  const watched = [options.brief, options.templatesDir, options.themeFile]
  // The source document the brief names now; a brief that does not read yet names none.
  const source = options.sourceFile ?? (await openBrief(options.brief).then((l) => sourceDocumentPath(l.brief, l.file)).catch(() => undefined))
  if (source) watched.push(source)
  const watchedFiles = new Set(watched.map((path) => resolve(path)))
  // Each file as last seen (a hash of its bytes): an event that finds a file as it was is not a change.
  const seen = new Map<string, string>()
  for (const file of watchedFiles) seen.set(file, await fileState(file))
  /** The newest look at each file: a look overtaken by a newer one leaves the decision to it. */
  const newest = new Map<string, number>()
  let looks = 0
  const changed = async (path: string) => {
    const full = resolve(path)
    const look = ++looks
    newest.set(full, look)
    const now = await fileState(full)
    if (newest.get(full) !== look || seen.get(full) === now) return
    seen.set(full, now)
    generation += 1
    lastChange = performance.now()
    log.debug('dev', 'changed %s at %d ms', path, Math.round(performance.now()))
    if (full.startsWith(resolve(options.templatesDir)) || full === resolve(options.themeFile)) toolkitStale = true
    schedule()
  }
  // Two views of the same saves. The file system's own events come at once: a build starts on the
  // first. It is shown only if, once the files have not changed for `stableMs`, they are still what
  // it read; otherwise it is thrown away and the change builds anew, so a half-written file never
  // shows. chokidar's events come once a file has stopped changing: they catch what the raw events
  // miss (a file replaced by a rename), and find nothing new otherwise.
  // Loaded here, not with the module: `build` and `check` never need them.
  const [{ watch }, { default: sirv }] = await Promise.all([import('chokidar'), import('sirv')])
  const watcher: FSWatcher = watch(watched, { ignoreInitial: true, atomic: false, awaitWriteFinish: { stabilityThreshold: stableMs, pollInterval: 5 } })
  watcher.on('raw', (_event, name, details) => {
    const where = (details as { watchedPath?: string } | undefined)?.watchedPath
    if (where === undefined) return
    void changed(watchedFiles.has(resolve(where)) ? where : join(where, name ?? ''))
  })
  watcher.on('all', (_event, path) => void changed(path))
  watcher.on('error', (err) => options.log(`watching failed: ${errorMessage(err)}`))

  // Server-sent events: each tab hears of every new state.
  const clients = new Set<ServerResponse>()
  const sendState = (res: ServerResponse) => res.write(`event: state\ndata: ${JSON.stringify({ version: state.version, ok: state.ok, message: state.message })}\n\n`)

  const files = sirv(outDir, { dev: true, dotfiles: false, etag: false })
  const loopback = LOOPBACK.has(options.host)
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    // On loopback, only pages of this machine may talk to the server (no DNS rebinding).
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '')
    if (loopback && !LOOPBACK.has(hostname) && hostname !== 'localhost') {
      res.writeHead(403).end()
      return
    }
    const raw = (req.url ?? '/').split('?')[0] ?? '/'
    let path: string
    try {
      path = decodeURIComponent(raw)
    } catch {
      res.writeHead(400).end()
      return
    }
    if (path === EVENTS_PATH) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' })
      clients.add(res)
      sendState(res)
      req.on('close', () => clients.delete(res))
      return
    }
    if (path === CLIENT_PATH) {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' })
      res.end(`(${devClient.toString()})()\n`)
      return
    }
    if (path === '/') {
      res.writeHead(302, { Location: encodeURI(`/${htmlName}`) })
      res.end()
      return
    }
    if (path === `/${htmlName}`) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
      res.end(withClient(html ?? PLACEHOLDER, state.version))
      return
    }
    if (path === PDF_PATH) {
      try {
        if (!pdfCurrent) await makePdf(performance.now())
        res.writeHead(302, { Location: encodeURI(`/${name}.pdf`), 'Cache-Control': 'no-store' })
        res.end()
      } catch (err) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
        res.end(err instanceof DeckError ? formatError(err) : String(err))
      }
      return
    }
    // Only the output folder's files: no staging folders, lock files or anything above the folder.
    if (raw.split('/').some((part) => part.startsWith('.') || part.toLowerCase().startsWith('%2e')) || path.split('/').some((part) => part.startsWith('.')) || path.includes('\\')) {
      res.writeHead(404).end()
      return
    }
    files(req, res, () => {
      res.writeHead(404).end()
    })
  }

  const server = createServer((req, res) => {
    handler(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  const close = async () => {
    closed = true
    clearTimeout(timer)
    await watcher.close()
    for (const client of clients) client.end()
    server.closeAllConnections()
    if (server.listening) await new Promise<void>((done) => server.close(() => done()))
    await running
    await pdfQueue
    await Promise.all([marp.close(), session?.close()])
  }
  let url: string
  try {
    const port = await listen(server, options.port, options.host)
    const host = options.host.includes(':') ? `[${options.host}]` : options.host
    url = `http://${host}:${port}/`
    await run()
  } catch (err) {
    await close() // a server that cannot start leaves nothing running
    throw err
  }

  return {
    url,
    events,
    state: () => state,
    close,
  }
}

/**
 * What tells one version of a file from the next: a hash of its bytes (file times tick too
 * coarsely to tell two quick saves of the same size apart); for a folder, its inode and time.
 */
/** Larger than any brief, template or source document the build accepts. */
const MAX_WATCHED_BYTES = 32 * 1024 * 1024

async function fileState(path: string): Promise<string> {
  const info = await stat(path, { bigint: true }).catch(() => undefined)
  if (!info) return 'missing'
  if (info.isDirectory()) return `folder ${info.ino}:${info.mtimeNs}`
  // A pipe or a device (what a link may lead to) is never read: the build refuses it with a message.
  if (!info.isFile()) return `not a file ${info.ino}`
  try {
    return createHash('sha1').update(await readInput(path, 'a watched file', MAX_WATCHED_BYTES)).digest('base64')
  } catch {
    return `unreadable ${info.ino}:${info.mtimeNs}:${info.size}`
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost'])

/** A page for the time before the first deck has built. */
const PLACEHOLDER = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Deck</title></head><body></body></html>'

/**
 * The deck with the dev client added, its version written on the script tag. The deck's
 * Content-Security-Policy is widened for this server only: its script, its events.
 */
function withClient(page: string, version: number): string {
  const tag = `<script src="${CLIENT_PATH}" data-version="${version}"></script>`
  const end = page.lastIndexOf('</body>')
  const withTag = end < 0 ? page + tag : `${page.slice(0, end)}${tag}${page.slice(end)}`
  return withTag.replace(RE_CSP, (_, policy: string) => `${CSP_START}${policy.replace('script-src ', "script-src 'self' ")}; connect-src 'self'"`)
}

const CSP_START = '<meta http-equiv="Content-Security-Policy" content="'
const RE_CSP = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/

/** Listens on `port`, or the next free one; 0 takes any free port. */
async function listen(server: Server, port: number, host: string): Promise<number> {
  for (let tries = 0; ; tries += 1) {
    const attempt = port === 0 ? 0 : port + tries
    try {
      await new Promise<void>((done, fail) => {
        server.once('error', fail)
        server.listen(attempt, host, () => {
          server.off('error', fail)
          done()
        })
      })
      return (server.address() as AddressInfo).port
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'EADDRINUSE' || port === 0 || tries >= PORT_TRIES - 1) {
        throw new DeckError(`Cannot listen on ${host}:${attempt}: ${(err as Error).message}`, { exitCode: ExitCode.environment, cause: err })
      }
    }
  }
}
