import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

import { DeckError, errorMessage, ExitCode, formatError } from '../shared/errors.ts'
import { log } from '../shared/log.ts'
import { CLIENT_PATH, EVENTS_PATH, PDF_PATH } from './routes.ts'

// The dev server's HTTP side: the newest deck with the dev client added, the client
// script, server-sent events for every new state, the PDF on request, and the output
// folder's files, nothing else.

/** The newest outcome: `version` counts the decks built; a failed build keeps the last one. */
export interface DevState {
  version: number
  ok: boolean
  message?: string
  /** Milliseconds from the save that started it to the deck being ready to serve. */
  ms?: number
}

export interface DeckPages {
  outDir: string
  /** The deck's file names: `<deck>.html` and `<deck>.pdf`. */
  htmlName: string
  pdfName: string
  /** The newest deck's HTML; undefined before the first one built. */
  html(): string | undefined
  state(): DevState
  /** Makes the PDF current, if it is not. */
  pdf(): Promise<void>
  /** The dev client's script. */
  client(): Promise<string>
}

export interface DeckServer {
  url: string
  /** Tells every open tab of a new state. */
  publish(state: DevState): void
  close(): Promise<void>
}

const PORT_TRIES = 20
/**
 * Sent with every answer. Only pages of this server may frame its pages (the presenter view
 * shows the next slide in a frame of the deck): no other site can put the deck in a frame of
 * its own to catch clicks or keys.
 */
const SAFETY_HEADERS = {
  'Content-Security-Policy': "frame-ancestors 'self'",
  'X-Frame-Options': 'SAMEORIGIN',
  'X-Content-Type-Options': 'nosniff',
}
const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost'])

export async function serveDeck(pages: DeckPages, where: { host: string; port: number }): Promise<DeckServer> {
  // Server-sent events: each tab hears of every new state.
  const clients = new Set<ServerResponse>()
  const sendState = (res: ServerResponse) => {
    const { version, ok, message } = pages.state()
    res.write(`event: state\ndata: ${JSON.stringify({ version, ok, message })}\n\n`)
  }
  // Loaded here, not with the module: `build` and `check` never need it.
  const { default: sirv } = await import('sirv')
  const files = sirv(pages.outDir, { dev: true, dotfiles: false, etag: false })
  const loopback = LOOPBACK.has(where.host)
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    // On loopback, only pages of this machine may talk to the server (no DNS rebinding).
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '')
    if (loopback && !LOOPBACK.has(hostname)) return void res.writeHead(403).end()
    for (const [name, value] of Object.entries(SAFETY_HEADERS)) res.setHeader(name, value)
    const raw = (req.url ?? '/').split('?')[0] ?? '/'
    const path = decodePath(raw)
    if (path === undefined) return void res.writeHead(400).end()
    // Only reads: anything else (OPTIONS, POST…) is refused at once, never held open like a tab's events.
    // The events and the PDF (which a request prints) take GET alone: a HEAD has no effects.
    const allowed = path === EVENTS_PATH || path === PDF_PATH ? 'GET' : 'GET, HEAD'
    if (!allowed.split(', ').includes(req.method ?? '')) return void res.writeHead(405, { Allow: allowed }).end()
    if (path === EVENTS_PATH) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' })
      clients.add(res)
      sendState(res)
      req.on('close', () => clients.delete(res))
      return
    }
    if (path === CLIENT_PATH) {
      const script = await pages.client()
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' })
      return void res.end(script)
    }
    if (path === '/') return void res.writeHead(302, { Location: encodeURI(`/${pages.htmlName}`) }).end()
    if (path === `/${pages.htmlName}`) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
      return void res.end(withClient(pages.html() ?? PLACEHOLDER, pages.state().version))
    }
    if (path === PDF_PATH) return sendPdf(pages, res)
    // Only the output folder's files: no staging folders, lock files or anything above the folder.
    if (isHidden(raw, path)) return void res.writeHead(404).end()
    files(req, res, () => void res.writeHead(404).end())
  }

  const server = createServer((req, res) => {
    // A request that fails (a bug of ours, a client gone mid-answer) ends with a 500 that says why, and never the server.
    handler(req, res).catch((err: unknown) => {
      log.debug('dev', 'answering %s: %O', req.url, err)
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end(errorMessage(err))
    })
  })
  const port = await listen(server, where.port, where.host)
  const host = where.host.includes(':') ? `[${where.host}]` : where.host
  return {
    url: `http://${host}:${port}/`,
    publish: () => {
      for (const client of clients) sendState(client)
    },
    close: async () => {
      for (const client of clients) client.end()
      server.closeAllConnections()
      if (server.listening) await new Promise<void>((done) => server.close(() => done()))
    },
  }
}

function decodePath(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw)
  } catch {
    return undefined // a malformed %-escape names no file: 404
  }
}

/** A path to a dot file or folder, however spelled, or with a backslash. */
function isHidden(raw: string, path: string): boolean {
  return (
    raw.split('/').some((part) => part.startsWith('.') || part.toLowerCase().startsWith('%2e')) ||
    path.split('/').some((part) => part.startsWith('.')) ||
    path.includes('\\')
  )
}

async function sendPdf(pages: DeckPages, res: ServerResponse): Promise<void> {
  try {
    await pages.pdf()
    res.writeHead(302, { Location: encodeURI(`/${pages.pdfName}`), 'Cache-Control': 'no-store' })
    res.end()
  } catch (err) {
    res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
    res.end(err instanceof DeckError ? formatError(err) : String(err))
  }
}

/** A page for the time before the first deck has built. */
const PLACEHOLDER = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Deck</title></head><body></body></html>'

/**
 * The deck with the dev client added, its version written on the script tag. The deck's
 * Content-Security-Policy is widened for this server only: its script, its events.
 */
function withClient(page: string, version: number): string {
  const tag = `<script type="module" src="${CLIENT_PATH}" data-version="${version}"></script>`
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
