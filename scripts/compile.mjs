// `npm run compile` (run by `npm pack` before it packs): the package's JavaScript, in lib/.
// The command (scripts/deck.ts) and the API (deck/index.ts) are bundled with our modules
// inside and the packages outside, and the code that runs off the main thread beside them,
// so an installed brief-deck runs with Node alone: no esbuild, no TypeScript.
import { rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { build } from 'esbuild'

import { esbuildSettings, sideEntries } from './bundle.mjs'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const out = join(root, 'lib')
await rm(out, { recursive: true, force: true })
await build({
  ...(await esbuildSettings(root)),
  outdir: out,
  entryPoints: { 'brief-deck': join(root, 'scripts', 'deck.ts'), index: join(root, 'deck', 'index.ts'), ...(await sideEntries(root)) },
})
process.stderr.write(`compiled into ${out}\n`)
