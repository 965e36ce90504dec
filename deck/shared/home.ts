import { existsSync, readFileSync } from 'node:fs'
import { access } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

// Where this tool's own files are (its templates, theme, default brand, the brief's JSON
// Schema): the folder of its package.json, found upward from this module, whether it runs
// from source, from scripts/run.mjs's bundle in node_modules/.cache, or installed as a
// package (node_modules/brief-deck/lib). A project's own files, in the folder the command
// runs in, come first; these are what it does not have.

export const TOOL_NAME = 'brief-deck'

let root: string | undefined

/** The folder of this tool's package.json. */
export function toolRoot(): string {
  if (root !== undefined) return root
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === TOOL_NAME) return (root = dir)
    if (dirname(dir) === dir) throw new Error(`no package.json of ${TOOL_NAME} above ${fileURLToPath(import.meta.url)}`)
    dir = dirname(dir)
  }
}

/** This tool's version, from its package.json. */
export function toolVersion(): string {
  return (JSON.parse(readFileSync(join(toolRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0'
}

/** A file of this tool's own: `toolFile('templates', 'theme.css')`. */
export const toolFile = (...parts: string[]): string => join(toolRoot(), ...parts)

/** The folders in order with each folder once (the repository's templates are both the project's and the tool's). */
export function uniqueDirs(dirs: readonly string[]): string[] {
  const seen = new Set<string>()
  return dirs.filter((dir) => {
    const key = resolve(dir)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** The first of these paths that exists, if any. */
export async function firstExisting(paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) {
    if (
      await access(path).then(
        () => true,
        () => false,
      )
    )
      return path
  }
  return undefined
}
