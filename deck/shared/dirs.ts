import { mkdir, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'

import { errorCode } from './errors.ts'

/**
 * Makes a folder and the folders above it that are missing, one at a time. Node's own
 * `mkdir(…, { recursive: true })` never returns for a path under /proc (`--out /proc/self/x`
 * hung the build): its loop takes the ENOENT there for a missing parent, again and again.
 */
export async function makeDir(dir: string): Promise<void> {
  const missing: string[] = []
  for (let current = resolve(dir); ; current = dirname(current)) {
    const info = await stat(current).catch((err: unknown) => err as NodeJS.ErrnoException)
    if (info instanceof Error) {
      if (errorCode(info) !== 'ENOENT') throw info
      missing.push(current)
      if (dirname(current) === current) break
    } else {
      if (!info.isDirectory()) throw Object.assign(new Error(`${current} is not a folder`), { code: 'ENOTDIR', path: current, syscall: 'mkdir' })
      break
    }
  }
  for (const folder of missing.reverse()) {
    await mkdir(folder).catch((err: unknown) => {
      if (errorCode(err) !== 'EEXIST') throw err
    })
  }
}
