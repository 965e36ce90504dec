import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { basename, dirname, join, resolve, sep } from 'node:path'

import { errorMessage } from '../shared/errors.ts'
import { readInput } from '../shared/fs.ts'
import { log } from '../shared/log.ts'

// What the dev server watches: the brief, its source document, the templates folder and
// the theme. A change is a file whose bytes differ from when it was last seen; an event
// that finds a file as it was (an editor touching it, a second event for one save) is none.

export interface FileWatcher {
  /** Looks at every watched file once more; a change found is reported before this resolves. */
  lookAgain(): Promise<void>
  /** Watches these files too, from now on (what a brand file names, once it names it). */
  add(paths: readonly string[]): Promise<void>
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
  const watched = await Promise.all(
    // A path not there yet is watched as a file: its folder is watched for it to appear.
    options.paths.map(async (path) => ({ path: resolve(path), folder: (await stat(path).catch(() => undefined))?.isDirectory() === true })),
  )
  const files = new Set(watched.filter((w) => !w.folder).map((w) => w.path))
  const folders = watched.filter((w) => w.folder).map((w) => w.path)
  /** A watched file, or a file in a watched folder: nothing else in the folders around them is news. */
  const relevant = (full: string) => files.has(full) || folders.some((folder) => full === folder || full.startsWith(folder + sep))
  // Each file as last seen (a hash of its bytes).
  const seen = new Map<string, string>()
  for (const file of files) seen.set(file, await fileState(file))
  /** The newest look at each file: a look overtaken by a newer one leaves the decision to it. */
  const newest = new Map<string, number>()
  let looks = 0
  const look = async (path: string) => {
    const full = resolve(path)
    if (!relevant(full)) return
    const id = ++looks
    newest.set(full, id)
    const now = await fileState(full)
    // Nothing there, and nothing was: no change (a file that came and went between two looks, say).
    if (newest.get(full) !== id || seen.get(full) === now || (now === MISSING && !seen.has(full))) return
    log.debug('dev', 'changed %s at %d ms', path, Math.round(performance.now()))
    seen.set(full, now)
    options.changed(full)
  }
  // A file is watched through the folder that holds it: a file renamed away and back, or
  // removed and written anew (git checkout, an editor's safe save), is seen again, where a
  // watch on the file itself ends with the file. Watched folders are watched whole.
  const parents = [...new Set([...files].map((file) => dirname(file)))]
  const keep = (path: string) => relevant(path) || parents.includes(path) || folders.some((folder) => folder.startsWith(path + sep))
  // Two views of the same saves. The file system's own events come at once: a build starts on
  // the first. chokidar's events come once a file has stopped changing: they catch what the raw
  // events miss (a file replaced by a rename), and find nothing new otherwise.
  // Loaded here, not with the module: `build` and `check` never need it.
  const { watch } = await import('chokidar')
  const watcher = watch([...parents, ...folders], {
    ignoreInitial: true,
    atomic: false,
    ignored: (path: string) => !keep(resolve(path)),
    awaitWriteFinish: { stabilityThreshold: options.stableMs, pollInterval: 5 },
  })
  watcher.on('raw', (_event, name, details) => {
    const where = (details as { watchedPath?: string } | undefined)?.watchedPath
    if (where === undefined) return
    // A watch on a folder names the file in it; a watch on a file (chokidar's, inside a watched folder) names the file itself.
    void look(name === undefined || name === basename(where) ? where : join(where, name))
  })
  watcher.on('all', (_event, path) => void look(path))
  watcher.on('error', (err) => options.failed(`watching failed: ${errorMessage(err)}`))
  await new Promise<void>((ready) => watcher.once('ready', ready))
  // The files of the watched folders as they are now: one removed later (a template, by a git
  // checkout) is then a change, where a file never seen and missing is none.
  const inFolders = Object.entries(watcher.getWatched()).flatMap(([dir, names]) => names.map((name) => resolve(dir, name)))
  for (const file of inFolders) if (!seen.has(file) && relevant(file) && !folders.includes(file)) seen.set(file, await fileState(file))
  return {
    lookAgain: async () => void (await Promise.all([...files].map(look))),
    add: async (paths) => {
      for (const full of paths.map((path) => resolve(path)).filter((path) => !relevant(path))) {
        files.add(full)
        seen.set(full, await fileState(full))
        const parent = dirname(full)
        if (parents.includes(parent)) continue
        parents.push(parent)
        watcher.add(parent)
      }
    },
    close: () => watcher.close(),
  }
}

const MISSING = 'missing'

/** Larger than any brief, template or source document the build accepts. */
const MAX_WATCHED_BYTES = 32 * 1024 * 1024

/**
 * What tells one version of a file from the next: a hash of its bytes (file times tick too
 * coarsely to tell two quick saves of the same size apart); for a folder, its inode and time.
 */
async function fileState(path: string): Promise<string> {
  const info = await stat(path, { bigint: true }).catch(() => undefined) // removed, or not made yet
  if (!info) return MISSING
  if (info.isDirectory()) return `folder ${info.ino}:${info.mtimeNs}`
  // A pipe or a device (what a link may lead to) is never read: the build refuses it with a message.
  if (!info.isFile()) return `not a file ${info.ino}`
  try {
    return createHash('sha1')
      .update(await readInput(path, 'a watched file', MAX_WATCHED_BYTES))
      .digest('base64')
  } catch {
    // Unreadable now (too large, replaced while read): its times still tell a change; the build says why it cannot read it.
    return `unreadable ${info.ino}:${info.mtimeNs}:${info.size}`
  }
}
