// Runs a TypeScript entry point of scripts/ with plain Node. esbuild bundles our
// own modules into one file, which loads several times faster than compiling each
// module on import; the bundle is kept in node_modules/.cache and rebuilt only when
// a source file changes. Packages stay external and load from node_modules.
// The code that runs off the main thread (Marp's worker, the scripts run in the browser)
// is bundled in the same step. A bundle folder not used for a day is removed.
//   node scripts/run.mjs deck build …   →   scripts/deck.ts with `build …`
import { writeSync } from 'node:fs'
import { readdir, rename, rm, stat, utimes } from 'node:fs/promises'
import module from 'node:module'
import { constants } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

import { esbuildSettings, sideEntries } from './bundle.mjs'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const [entry, ...args] = process.argv.slice(2)
if (!entry) {
  process.stderr.write('usage: node scripts/run.mjs <script> [arguments]\n')
  process.exit(2)
}
// Until a command puts its own handlers in place (while it is bundled and loaded), a signal ends
// it at once, with a word: nothing has been written yet. Once it has (scripts/deck.ts), they
// stand aside. (Removing them instead could lose a signal that is on its way.)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (process.listenerCount(signal) > 1) return
    writeSync(2, 'Interrupted: nothing was written.\n') // at once: the process exits on the next line
    process.exit(128 + constants.signals[signal])
  })
}
const SOURCES = ['deck', 'scripts']
const A_DAY_MS = 24 * 60 * 60 * 1000

/** A key that changes whenever a source file, or the set of files, changes. */
async function sourceKey() {
  let newest = 0
  let count = 0
  for (const dir of SOURCES) {
    for (const name of await readdir(join(root, dir), { recursive: true })) {
      const info = await stat(join(root, dir, name))
      newest = Math.max(newest, info.mtimeMs)
      count += 1
    }
  }
  return `${Math.round(newest).toString(36)}${count.toString(36)}`
}

const cache = join(root, 'node_modules', '.cache', 'brief-deck')
// Node 22.1 and later can keep the compiled code of every module between runs (ours and the
// packages'); Node 20 has no such cache, and this does nothing there.
module.enableCompileCache?.(join(cache, 'v8'))
const folder = join(cache, `${entry}-${await sourceKey()}`)
const bundle = join(folder, `${entry}.mjs`)
// Used now: its age is counted from here, so a long-running `dev` keeps the folder it runs from.
const now = new Date()
const built = await utimes(folder, now, now).then(
  () => true,
  () => false,
)
if (!built) {
  const { build } = await import('esbuild')
  // Built in a folder of its own and renamed, so two builds at once never load half a file.
  const partial = `${folder}.${process.pid}`
  // The settings deck/shared/bundles.ts bundles with too, when the tests run from source.
  const common = { ...(await esbuildSettings(root)), outdir: partial }
  // Code that runs off the main thread (`*.worker.ts`, `*.client.ts`) is bundled beside the
  // entry point, where deck/shared/bundles.ts looks for it.
  await build({ ...common, entryPoints: { [entry]: join(root, 'scripts', `${entry}.ts`), ...(await sideEntries(root)) }, sourcemap: 'inline' })
  await rename(partial, folder).catch(async (err) => {
    // Another run built the same sources at the same time: its folder is as good.
    if (!(await stat(bundle).catch(() => undefined))) throw err
    await rm(partial, { recursive: true, force: true })
  })
  for (const old of await readdir(cache)) {
    const path = join(cache, old)
    if (path !== folder && old.startsWith(`${entry}-`) && Date.now() - (await stat(path)).mtimeMs > A_DAY_MS) await rm(path, { recursive: true, force: true })
  }
}
process.argv = [process.argv[0], join(root, 'scripts', `${entry}.ts`), ...args]
await import(pathToFileURL(bundle).href)
