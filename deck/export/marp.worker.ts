import { createRequire } from 'node:module'
import { parentPort, workerData } from 'node:worker_threads'

import type { Marp as MarpClass, MarpOptions } from '@marp-team/marp-core'
import type * as Marpit from '@marp-team/marpit'

import { keepThemeWork } from './marp-cache.ts'

// Marp's worker thread (see MarpWorker in marp.ts): Marp Core for the printed pages' slides,
// Marp CLI for the HTML decks. It runs as a bundle of its own (deck/shared/bundles.ts), so it
// imports nothing that needs the main thread.

/** Where the packages are: resolved by the main thread, so the worker loads the same copies. */
export interface MarpWorkerData {
  marpCore: string
  marpit: string
  marpCli: string
  /** Load Marp CLI at once (HTML decks are coming), not at the first HTML job. */
  preloadCli: boolean
}

/** A job for the worker: build an engine ahead of time, render slides, or run Marp CLI. */
export type MarpRequest =
  | { id: number; kind: 'engine'; options: MarpOptions; themeCss: string }
  | { id: number; kind: 'slides'; options: MarpOptions; themeCss: string; markdown: string }
  | { id: number; kind: 'html'; args: string[] }

/** `patch`: the error is a patch's (marp-cache.ts) finding Marp otherwise than it was written for, a bug reported as it is. */
export type MarpReply = { id: number; result?: unknown; error?: string; logs?: string; patch?: true }
/** Sent once, when Marp is loaded: the time (since the epoch, ms), for DEBUG=deck:time. */
export type MarpReady = { ready: number }

const port = parentPort
if (!port) throw new Error('marp.worker runs only as a worker thread')
const paths = workerData as MarpWorkerData
const load = createRequire(import.meta.url)
// Marp CLI logs with console.warn; its lines are sent back with the result.
const logs: string[] = []
// eslint-disable-next-line no-console -- replaced, not called: the worker's output goes back to the main thread
console.warn = console.log = (...args: unknown[]) => void logs.push(args.join(' '))

const { Marp } = load(paths.marpCore) as { Marp: typeof MarpClass } // loaded as soon as the worker starts
/** Set when Marp is not what marp-cache.ts patches: every job fails with it, rather than running unpatched. */
let broken: string | undefined
try {
  keepThemeWork(load(paths.marpit) as typeof Marpit, Marp)
} catch (err) {
  broken = err instanceof Error ? err.message : String(err)
}
let marpCli: ((argv: string[], opts: object) => Promise<number>) | undefined
const loadCli = () => (marpCli ??= (load(paths.marpCli) as { marpCli: typeof marpCli }).marpCli)
if (paths.preloadCli) loadCli()
port.postMessage({ ready: performance.timeOrigin + performance.now() } satisfies MarpReady)

// An engine with the theme added is kept: building one parses every theme, which takes
// longer than rendering a deck, so it is built while the main thread reads the brief.
let engine: { key: string; marp: MarpClass } | undefined
function engineFor(options: MarpOptions, themeCss: string): MarpClass {
  const key = JSON.stringify(options) + themeCss
  if (engine?.key !== key) {
    const marp = new Marp(options)
    marp.themeSet.add(themeCss)
    engine = { key, marp }
  }
  return engine.marp
}

async function answer(job: MarpRequest): Promise<unknown> {
  if (job.kind === 'engine') {
    engineFor(job.options, job.themeCss)
    return true
  }
  if (job.kind === 'slides') {
    const { html, css } = engineFor(job.options, job.themeCss).render(job.markdown, { htmlAsArray: true })
    return { slides: html, css }
  }
  logs.length = 0
  const status = await loadCli()?.(job.args, {})
  return { status, logs: logs.join('\n') }
}

port.on('message', (job: MarpRequest) => {
  if (broken !== undefined) {
    port.postMessage({ id: job.id, error: broken, patch: true } satisfies MarpReply)
    return
  }
  answer(job).then(
    (result) => port.postMessage({ id: job.id, result } satisfies MarpReply),
    (error: unknown) =>
      port.postMessage({
        id: job.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        logs: logs.join('\n'),
      } satisfies MarpReply),
  )
})
