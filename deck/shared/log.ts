import { formatWithOptions } from 'node:util'

import { escapeControls } from './errors.ts'

// Human messages go to stderr; stdout stays free for data. `DEBUG=deck:*` (or
// `DEBUG=deck:marp`) turns on the namespaced debug lines.

const RE_DEBUG_SPLIT = /[\s,]+/

export function debugEnabled(namespace: string): boolean {
  const patterns = (process.env.DEBUG ?? '').split(RE_DEBUG_SPLIT).filter(Boolean)
  return patterns.some((p) => p === namespace || (p.endsWith('*') && namespace.startsWith(p.slice(0, -1))))
}

const colour = process.stderr.isTTY && !process.env.NO_COLOR
const paint = (code: number, s: string) => (colour ? `\u001b[${code}m${s}\u001b[0m` : s)

/** What is printed may quote the input: its control characters are escaped, our colours added after. */
const safe = (message: string) => escapeControls(message, { lines: true })

export const log = {
  info(message: string): void {
    process.stderr.write(`${safe(message)}\n`)
  },
  success(message: string): void {
    process.stderr.write(`${paint(32, '✔')} ${safe(message)}\n`)
  },
  warn(message: string): void {
    process.stderr.write(`${paint(33, 'warning')} ${safe(message)}\n`)
  },
  error(message: string): void {
    process.stderr.write(`${paint(31, 'error')} ${safe(message)}\n`)
  },
  debug(namespace: string, ...args: unknown[]): void {
    if (debugEnabled(`deck:${namespace}`)) process.stderr.write(`deck:${namespace} ${formatWithOptions({ colors: colour }, ...args)}\n`)
  },
}

/** Logs (DEBUG=deck:time) that a stage of the build ended, and when since the process started. */
export function reached(label: string): void {
  log.debug('time', `${label} (at ${Math.round(performance.now())} ms)`)
}

/** Logs (DEBUG=deck:time) how long `work` took, and when it ended since the process started. */
export async function timed<T>(label: string, work: Promise<T>): Promise<T> {
  const started = performance.now()
  const result = await work
  const now = performance.now()
  log.debug('time', `${label}: ${Math.round(now - started)} ms (at ${Math.round(now)} ms)`)
  return result
}
