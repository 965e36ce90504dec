// What scripts/run.mjs (the repository's npm scripts) and scripts/compile.mjs (the package)
// both bundle with: esbuild's settings, and the code that runs off the main thread.
import { readdir, readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'

/** esbuild's settings (scripts/esbuild.json, which deck/shared/bundles.ts reads too), writing .mjs files. */
export async function esbuildSettings(root) {
  return { ...JSON.parse(await readFile(join(root, 'scripts', 'esbuild.json'), 'utf8')), outExtension: { '.js': '.mjs' } }
}

/**
 * Every `<name>.worker.ts` and `<name>.client.ts` under deck/, by the names their bundles take:
 * bundled beside the entry point, where deck/shared/bundles.ts looks for them.
 */
export async function sideEntries(root) {
  const names = await readdir(join(root, 'deck'), { recursive: true })
  const sides = names.filter((name) => /\.(worker|client)\.ts$/.test(name))
  return Object.fromEntries(sides.map((name) => [basename(name, '.ts'), join(root, 'deck', name)]))
}
