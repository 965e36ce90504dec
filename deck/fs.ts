import { access, mkdir, mkdtemp, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { onInterrupt } from './cleanup.ts'
import { errorCode, fileError } from './errors.ts'
import { log } from './log.ts'

// Outputs are written whole or not at all: everything goes to a private folder
// inside the output folder first and is renamed into place (same file system,
// so each rename is atomic). A failed or interrupted build leaves the earlier
// outputs untouched and no staging folder behind.
//
// A deck's outputs belong together: each deck keeps a record of the version of the
// brief its outputs in the folder come from, and a commit of another version takes
// away that deck's outputs it does not replace, so a new HTML never sits beside an
// old PDF.

/** The outputs of one deck, committed together. */
export interface OutputSet {
  /** The deck's record, a hidden file in the output folder: which version its outputs are, and which there are. */
  record: string
  /** Tells versions of the brief apart (a hash of what the deck shows). */
  version: string
  /** Every output the deck can have, of every format. */
  members: readonly string[]
}

interface SetRecord {
  version: string
  outputs: string[]
}

export interface Commit {
  /** The outputs moved into place. */
  written: string[]
  /** Outputs of the deck from another version of the brief, taken away because this build did not make them. */
  removed: string[]
}

export interface Staging {
  dir: string
  path(name: string): string
  write(name: string, data: string | Uint8Array): Promise<string>
  /**
   * Moves staged files or folders into the output folder, in the order given. With a set,
   * the deck's outputs from another version that this commit does not replace go too.
   */
  commit(names: readonly string[], set?: OutputSet): Promise<Commit>
  dispose(): Promise<void>
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

/**
 * Removes a folder that a process just stopped may still be writing into (a browser's
 * profile, a staging folder that Marp was writing to): tries again until it is gone.
 * Never throws: what cannot be removed now is swept by the next build.
 */
export async function removeDir(dir: string): Promise<boolean> {
  for (let attempt = 1; attempt <= 8; attempt += 1) {
    try {
      await rm(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 20 })
    } catch (err) {
      log.debug('fs', 'removing %s (try %d): %O', dir, attempt, err)
    }
    if (!(await exists(dir))) return true
    await sleep(25 * attempt)
  }
  return false
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

/**
 * A build that was killed outright (no chance to clean up) leaves its staging folder; the
 * next build removes it. Folders are told by the process id in their name (`pattern`'s first group).
 */
export async function removeAbandoned(outDir: string, pattern: RegExp = RE_STAGING): Promise<void> {
  for (const name of await readdir(outDir)) {
    const pid = Number(pattern.exec(name)?.[1])
    // Best effort: a browser of that build may still be exiting and writing into its profile.
    if (pid && pid !== process.pid && !alive(pid)) await removeDir(join(outDir, name))
  }
}

async function readRecord(file: string): Promise<SetRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(file, 'utf8')) as Partial<SetRecord>
    return typeof record.version === 'string' && Array.isArray(record.outputs) ? { version: record.version, outputs: record.outputs.filter((o) => typeof o === 'string') } : undefined
  } catch {
    return undefined // none yet, or not ours: the deck's other outputs count as another version
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
  let closed = false
  const remove = () => removeDir(dir)
  const forget = onInterrupt(async () => {
    closed = true
    await remove()
  })
  let replaced = 0
  /** Moves an output out of the output folder into staging, where it goes with the rest. */
  const takeAway = async (name: string) => {
    const target = join(outDir, name)
    if (!(await exists(target))) return false
    replaced += 1
    try {
      await rename(target, join(dir, `.replaced-${replaced}`))
    } catch (cause) {
      throw fileError('replace', target, cause)
    }
    return true
  }
  return {
    dir,
    path: (name) => join(dir, name),
    async write(name, data) {
      if (closed) throw new Error('the staging folder is closed')
      const file = join(dir, name)
      try {
        await mkdir(dirname(file), { recursive: true })
        await writeFile(file, data)
      } catch (cause) {
        throw fileError('write', file, cause)
      }
      // A write that was under way when Ctrl-C came (or the build ended) must not bring the folder back.
      if (closed) await remove()
      return file
    },
    async commit(names, set) {
      if (closed) throw new Error('the staging folder is closed')
      return withLock(outDir, async () => {
        const record = set ? await readRecord(join(outDir, set.record)) : undefined
        const kept = set && record?.version === set.version ? record.outputs.filter((o) => !names.includes(o)) : []
        // Every earlier output this commit replaces, and the deck's outputs from another version, go first:
        // a commit cut short leaves part of the new set, never a mix of versions.
        const removed: string[] = []
        for (const name of set?.members ?? []) if (!names.includes(name) && !kept.includes(name) && (await takeAway(name))) removed.push(join(outDir, name))
        for (const name of names) await takeAway(name)
        const written: string[] = []
        for (const name of names) {
          const target = join(outDir, name)
          try {
            await rename(join(dir, name), target)
          } catch (cause) {
            throw fileError('write', target, cause)
          }
          written.push(target)
        }
        if (set) {
          const outputs = [...kept.filter((o) => set.members.includes(o)), ...names]
          const staged = join(dir, set.record)
          try {
            await writeFile(staged, `${JSON.stringify({ version: set.version, outputs } satisfies SetRecord)}\n`)
            await rename(staged, join(outDir, set.record))
          } catch (cause) {
            throw fileError('write', join(outDir, set.record), cause)
          }
        }
        return { written, removed }
      })
    },
    async dispose() {
      closed = true
      forget()
      await remove()
    },
  }
}
