import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

// Outputs are written whole or not at all: everything goes to a private folder
// inside the output folder first and is renamed into place (same file system,
// so each rename is atomic). A failed build leaves the earlier outputs untouched.

export interface Staging {
  dir: string
  path(name: string): string
  write(name: string, data: string | Uint8Array): Promise<string>
  /** Moves the staged files into the output folder, in the order given. */
  commit(names: readonly string[]): Promise<string[]>
  dispose(): Promise<void>
}

export async function stage(outDir: string): Promise<Staging> {
  await mkdir(outDir, { recursive: true })
  const dir = await mkdtemp(join(outDir, '.staging-'))
  return {
    dir,
    path: (name) => join(dir, name),
    async write(name, data) {
      const file = join(dir, name)
      await writeFile(file, data)
      return file
    },
    async commit(names) {
      const written: string[] = []
      for (const name of names) {
        const target = join(outDir, name)
        await rename(join(dir, name), target)
        written.push(target)
      }
      return written
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  }
}
