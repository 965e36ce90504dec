import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'

import { errorMessage } from '../shared/errors.ts'
import { readInput } from '../shared/fs.ts'
import { log } from '../shared/log.ts'

// What the dev server watches: the brief, its source document, the templates folder and
// the theme. A change is a file whose bytes differ from when it was last seen; an event
// that finds a file as it was (an editor touching it, a second event for one save) is none.

export interface FileWatcher {
  /** Looks at every watched file once more; a change found is reported before this resolves. */
  lookAgain(): Promise<void>
  close(): Promise<void>
}

export interface WatchOptions {
  /** Files and folders to watch. */
  paths: readonly string[]
  /** A file counts as saved when it has not changed for this long (ms). */
  stableMs: number
  /** A watched file (or a file in a watched folder) changed; `file` is its absolute path. */
  changed(file: string): void
  failed(message: string): void
}

export async function watchFiles(options: WatchOptions): Promise<FileWatcher> {
  const files = new Set(options.paths.map((path) => resolve(path)))
  // Each file as last seen (a hash of its bytes).
  const seen = new Map<string, string>()
  for (const file of files) seen.set(file, await fileState(file))
  /** The newest look at each file: a look overtaken by a newer one leaves the decision to it. */
  const newest = new Map<string, number>()
  let looks = 0
  const look = async (path: string) => {
    const full = resolve(path)
    const id = ++looks
    newest.set(full, id)
    const now = await fileState(full)
    if (newest.get(full) !== id || seen.get(full) === now) return
    seen.set(full, now)
    log.debug('dev', 'changed %s at %d ms', path, Math.round(performance.now()))
    options.changed(full)
  }
  // Two views of the same saves. The file system's own events come at once: a build starts on
  // the first. chokidar's events come once a file has stopped changing: they catch what the raw
  // events miss (a file replaced by a rename), and find nothing new otherwise.
  // Loaded here, not with the module: `build` and `check` never need it.
  const { watch } = await import('chokidar')
  const watcher = watch([...options.paths], { ignoreInitial: true, atomic: false, awaitWriteFinish: { stabilityThreshold: options.stableMs, pollInterval: 5 } })
  watcher.on('raw', (_event, name, details) => {
    const where = (details as { watchedPath?: string } | undefined)?.watchedPath
    if (where === undefined) return
    void look(files.has(resolve(where)) ? where : join(where, name ?? ''))
  })
  watcher.on('all', (_event, path) => void look(path))
  watcher.on('error', (err) => options.failed(`watching failed: ${errorMessage(err)}`))
  return {
    lookAgain: async () => void (await Promise.all([...files].map(look))),
    close: () => watcher.close(),
  }
}

/** Larger than any brief, template or source document the build accepts. */
const MAX_WATCHED_BYTES = 32 * 1024 * 1024

/**
 * What tells one version of a file from the next: a hash of its bytes (file times tick too
 * coarsely to tell two quick saves of the same size apart); for a folder, its inode and time.
 */
async function fileState(path: string): Promise<string> {
  const info = await stat(path, { bigint: true }).catch(() => undefined)
  if (!info) return 'missing'
  if (info.isDirectory()) return `folder ${info.ino}:${info.mtimeNs}`
  // A pipe or a device (what a link may lead to) is never read: the build refuses it with a message.
  if (!info.isFile()) return `not a file ${info.ino}`
  try {
    return createHash('sha1')
      .update(await readInput(path, 'a watched file', MAX_WATCHED_BYTES))
      .digest('base64')
  } catch {
    return `unreadable ${info.ino}:${info.mtimeNs}:${info.size}`
  }
}
