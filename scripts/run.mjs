// Runs a TypeScript entry point of scripts/ with plain Node. esbuild bundles our
// own modules into one file, which loads several times faster than compiling each
// module on import; the bundle is kept in node_modules/.cache and rebuilt only when
// a source file changes. Packages stay external and load from node_modules.
//   node scripts/run.mjs deck build …   →   scripts/deck.ts with `build …`
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const [entry, ...args] = process.argv.slice(2)
if (!entry) {
  process.stderr.write('usage: node scripts/run.mjs <script> [arguments]\n')
  process.exit(2)
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
const bundle = join(cache, `${entry}-${await sourceKey()}.mjs`)
if (!(await stat(bundle).catch(() => undefined))) {
  const { build } = await import('esbuild')
  await mkdir(cache, { recursive: true })
  // Written under a name of its own and renamed, so two builds at once never load half a file.
  const partial = `${bundle}.${process.pid}`
  await build({
    entryPoints: [join(root, 'scripts', `${entry}.ts`)],
    outfile: partial,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'error',
  })
  await rename(partial, bundle)
  for (const old of await readdir(cache)) {
    const file = join(cache, old)
    if (file !== bundle && old.startsWith(`${entry}-`) && Date.now() - (await stat(file)).mtimeMs > A_DAY_MS) await rm(file, { force: true })
  }
}
process.argv = [process.argv[0], join(root, 'scripts', `${entry}.ts`), ...args]
await import(pathToFileURL(bundle).href)
