import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

import { log } from './log.ts'

// Where an installed package lives and which version it is, for caches keyed by
// version. A package's `exports` may hide its package.json, so it is found on disk.

const require = createRequire(import.meta.url)

function manifest(dir: string): { name?: string; version?: string } | undefined {
  const file = join(dir, 'package.json')
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }) : undefined
}

/** The folder of the package `name` (packages may hold other package.json files, e.g. a build/cjs one). */
export function packageDir(name: string): string {
  const entry = require.resolve(name)
  let dir = dirname(entry)
  while (manifest(dir)?.name !== name) {
    if (dirname(dir) === dir) throw new Error(`no package.json of ${name} above ${entry}`)
    dir = dirname(dir)
  }
  return dir
}

export function packageVersion(name: string): string {
  return manifest(packageDir(name))?.version ?? '0'
}

/**
 * A folder of this tool's cache, `node_modules/.cache/brief-deck/<name>`, in the node_modules
 * the packages are installed in (wherever the command runs from), as other tools keep theirs.
 */
export function cacheDir(name: string): string {
  return join(dirname(packageDir('yaml')), '.cache', 'brief-deck', name)
}

/** A cache file's name for what it is made from: the parts' JSON, hashed. */
export function cacheKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)
}

/**
 * Keeps `text` in the cache file `file`, written whole (a partial file renamed into place), so a
 * reader never sees half of it. A cache that cannot be written only costs time on the next run.
 */
export async function keepInCache(file: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true })
    const partial = `${file}.${process.pid}`
    await writeFile(partial, text)
    await rename(partial, file)
  } catch (cause) {
    log.debug('cache', 'cannot keep %s: %O', file, cause)
  }
}
