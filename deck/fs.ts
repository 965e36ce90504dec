import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { onInterrupt } from './cleanup.ts'
import { errorCode, fileError } from './errors.ts'

// Outputs are written whole or not at all: everything goes to a private folder
// inside the output folder first and is renamed into place (same file system,
// so each rename is atomic). A failed or interrupted build leaves the earlier
// outputs untouched and no staging folder behind.

export interface Staging {
  dir: string
  path(name: string): string
  write(name: string, data: string | Uint8Array): Promise<string>
  /** Moves staged files or folders into the output folder, in the order given. */
  commit(names: readonly string[]): Promise<string[]>
  dispose(): Promise<void>
}

const RE_STAGING = /^\.staging-(\d+)-/
/** Held while files are renamed into place, so two builds never swap the same folder at once. */
const LOCK_FILE = '.deck.lock'
const LOCK_WAIT_MS = 50
const LOCK_GIVE_UP_MS = 60_000

async function withLock<T>(outDir: string, work: () => Promise<T>): Promise<T> {
  const lock = join(outDir, LOCK_FILE)
  const started = Date.now()
  for (;;) {
    try {
      const handle = await open(lock, 'wx')
      await handle.writeFile(String(process.pid))
      await handle.close()
      break
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw fileError('lock the output folder', outDir, err)
      const holder = Number(await readFile(lock, 'utf8').catch(() => ''))
      if (holder && !alive(holder)) await rm(lock, { force: true }) // left by a build that was killed
      else if (Date.now() - started > LOCK_GIVE_UP_MS) throw fileError('lock the output folder', outDir, new Error(`${lock} is held by process ${holder}`))
      else await new Promise((resolve) => setTimeout(resolve, LOCK_WAIT_MS))
    }
  }
  try {
    return await work()
  } finally {
    await rm(lock, { force: true })
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return errorCode(err) === 'EPERM'
  }
}

/** A build that was killed outright (no chance to clean up) leaves its staging folder; the next build removes it. */
async function removeAbandoned(outDir: string): Promise<void> {
  for (const name of await readdir(outDir)) {
    const pid = Number(RE_STAGING.exec(name)?.[1])
    // Best effort: a browser of that build may still be exiting and writing into its profile.
    if (pid && pid !== process.pid && !alive(pid)) await rm(join(outDir, name), { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined)
  }
}

export async function stage(outDir: string): Promise<Staging> {
  let dir: string
  try {
    await mkdir(outDir, { recursive: true })
    await removeAbandoned(outDir)
    dir = await mkdtemp(join(outDir, `.staging-${process.pid}-`))
  } catch (cause) {
    throw fileError('write to the output folder', outDir, cause)
  }
  let interrupted = false
  const remove = () => rm(dir, { recursive: true, force: true })
  const forget = onInterrupt(async () => {
    interrupted = true
    await remove()
  })
  let replaced = 0
  return {
    dir,
    path: (name) => join(dir, name),
    async write(name, data) {
      if (interrupted) throw new Error('interrupted')
      const file = join(dir, name)
      try {
        await mkdir(dirname(file), { recursive: true })
        await writeFile(file, data)
      } catch (cause) {
        throw fileError('write', file, cause)
      }
      // A write that was under way when Ctrl-C came must not bring the folder back.
      if (interrupted) await remove()
      return file
    },
    async commit(names) {
      if (interrupted) throw new Error('interrupted')
      return withLock(outDir, async () => {
        const written: string[] = []
        for (const name of names) {
          const target = join(outDir, name)
          try {
            await rename(join(dir, name), target)
          } catch (err) {
            // A folder (the slide images) cannot be renamed over a non-empty one: move the old one aside first.
            const code = errorCode(err)
            if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw fileError('write', target, err)
            replaced += 1
            try {
              await rename(target, join(dir, `.replaced-${replaced}`))
              await rename(join(dir, name), target)
            } catch (cause) {
              throw fileError('replace', target, cause)
            }
          }
          written.push(target)
        }
        return written
      })
    },
    async dispose() {
      forget()
      await remove()
    },
  }
}
