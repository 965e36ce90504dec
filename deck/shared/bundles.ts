import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import type * as Esbuild from 'esbuild'

import { cacheDir } from './packages.ts'

// Code that runs off the main thread (Marp's worker thread, the thread that unpacks the npm Chromium, the dev server's page script,
// the measurements taken in Chromium) is written as TypeScript modules like the rest:
// `<name>.worker.ts` for Node, `<name>.client.ts` for the browser. scripts/run.mjs bundles
// them with the entry point, into the folder of its bundle, where they are found. Run
// from source (the tests), each is bundled on first use with the same esbuild settings,
// into node_modules/.cache.

const SIDE_BUNDLES = {
  'marp.worker': 'deck/export/marp.worker.ts',
  'chromium.worker': 'deck/export/chromium.worker.ts',
  'dev.client': 'deck/dev/dev.client.ts',
  'measure.client': 'deck/measure/measure.client.ts',
  'print.client': 'deck/export/print.client.ts',
} as const

export type SideBundle = keyof typeof SIDE_BUNDLES

const made = new Map<SideBundle, string>()

/** The path of a side bundle's JavaScript file. */
export function sideBundle(name: SideBundle): string {
  const known = made.get(name)
  if (known) return known
  const beside = fileURLToPath(new URL(`${name}.mjs`, import.meta.url))
  const path = existsSync(beside) ? beside : bundleFromSource(name)
  made.set(name, path)
  return path
}

const texts = new Map<SideBundle, Promise<string>>()

/**
 * A side bundle's text (a script for the browser), read once and kept: the bundle folder may be
 * cleaned away while a long `dev` runs. A read that fails is tried again next time.
 */
export function sideBundleText(name: SideBundle): Promise<string> {
  const known = texts.get(name)
  if (known) return known
  const text = readFile(sideBundle(name), 'utf8')
  texts.set(name, text)
  text.catch(() => texts.delete(name)) // not kept, to be read again next time; the failure is its caller's
  return text
}

/** Bundles a side entry from its source with scripts/run.mjs's settings (scripts/esbuild.json), into a file named by its content. */
function bundleFromSource(name: SideBundle): string {
  const root = fileURLToPath(new URL('../../', import.meta.url))
  // esbuild is loaded only here: a bundled run never needs it.
  const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof Esbuild
  const settings = JSON.parse(readFileSync(join(root, 'scripts', 'esbuild.json'), 'utf8')) as Esbuild.BuildOptions
  const { outputFiles } = buildSync({ ...settings, entryPoints: [join(root, SIDE_BUNDLES[name])], write: false })
  const text = outputFiles[0]?.text ?? ''
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16)
  const path = join(cacheDir('side'), `${name}-${hash}.mjs`)
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true })
    // Written under a name of its own and renamed, so two processes never load half a file.
    writeFileSync(`${path}.${process.pid}`, text)
    renameSync(`${path}.${process.pid}`, path)
  }
  return path
}
