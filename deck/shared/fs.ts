import { constants, type Stats } from 'node:fs'
import { access, copyFile, link, lstat, mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

import { onInterrupt } from './cleanup.ts'
import { DeckError, errorCode, ExitCode, type ExitCodeValue, fileError } from './errors.ts'
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
  /** Tells versions of the deck apart (a hash of the brief, the templates, the theme and the options). */
  version: string
  /** When the build began (ms since 1970): of two versions, the later build's wins. */
  started: number
  /** Every output the deck can have, of every format: only these are ever removed. */
  members: readonly string[]
}

interface SetRecord {
  version: string
  started: number
  outputs: string[]
}

export interface Commit {
  /** The outputs moved into place. */
  written: string[]
  /** Outputs of the deck from another version of the brief, taken away because this build did not make them. */
  removed: string[]
  /** A build of another version that began later was committed first: this one wrote nothing. */
  superseded: boolean
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

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder'
  if (info.isFIFO()) return 'a pipe'
  if (info.isSocket()) return 'a socket'
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device'
  return 'not a regular file'
}

/**
 * Reads an input file (a brief, a source document) with a bound: links are followed, but
 * what they lead to must be a regular file (never a device such as /dev/zero, a pipe that
 * would wait for a writer, or a folder), and at most `maxBytes` are read, however large
 * the file says or turns out to be. Opened without blocking, so a pipe cannot hang it.
 */
export async function readInput(
  path: string,
  what: string,
  maxBytes: number,
  { exitCode = ExitCode.input, missing = ExitCode.usage, action = `read ${what}` }: { exitCode?: ExitCodeValue; missing?: ExitCodeValue; action?: string } = {},
): Promise<Buffer> {
  // Looked at before it is opened: opening some devices does something by itself.
  const before = await stat(path).catch((cause: unknown) => {
    throw fileError(action, path, cause, missing)
  })
  if (!before.isFile()) throw new DeckError(`${path} is ${kindOf(before)}: ${what} must be a regular file`, { exitCode })
  let handle
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (cause) {
    throw fileError(action, path, cause, missing)
  }
  try {
    const info = await handle.stat()
    // The same file that was looked at: a link swapped in between is refused.
    if (!info.isFile() || info.ino !== before.ino || info.dev !== before.dev)
      throw new DeckError(`${path} changed while it was being opened: try again`, { exitCode })
    const chunks: Buffer[] = []
    let total = 0
    for (;;) {
      const chunk = Buffer.alloc(Math.min(READ_CHUNK, maxBytes + 1 - total))
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null)
      if (bytesRead === 0) break
      total += bytesRead
      chunks.push(chunk.subarray(0, bytesRead))
      if (total > maxBytes) throw new DeckError(`${path} is larger than ${maxBytes} bytes, the most ${what} may be`, { exitCode })
    }
    return Buffer.concat(chunks)
  } catch (cause) {
    if (cause instanceof DeckError) throw cause
    throw fileError('read', path, cause, ExitCode.environment)
  } finally {
    await handle.close()
  }
}
const READ_CHUNK = 64 * 1024

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

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  )
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

/** Folders a build works in inside the output folder, named after its process: `.staging-<pid>-…`. */
const STAGING_PREFIX = '.staging-'
const RE_STAGING = new RegExp(`^${STAGING_PREFIX.replace('.', '\\.')}(\\d+)-`)

/** The browser profile of this process's builds, a staging folder of the output folder (removed as one when left behind). */
export function browserProfileDir(outDir: string): string {
  return join(outDir, `${STAGING_PREFIX}${process.pid}-browser`)
}
/** The file a lock is written to before it is linked into place, named after its process. */
const RE_LOCK_TEMP = /^\.deck\.(?:lock|browser-\d+)\.(\d+)-/
/** Held while files are renamed into place, so two builds never swap the same folder at once. */
const LOCK_FILE = '.deck.lock'
const LOCK_WAIT_MS = 50
/** A build holding the lock touches it this often; one not touched for LOCK_STALE_MS is no build's. */
const LOCK_BEAT_MS = 1000
const LOCK_STALE_MS = 5000

/**
 * Runs `work` holding the output folder's lock. A lock is stale, and taken over, when it names
 * no live process (a build killed outright, a disk that filled up while it was written), or
 * when it has not been touched for LOCK_STALE_MS: its process, alive or not, is no build of
 * ours (`echo 1 > dist/.deck.lock`, a process id reused since), for a build touches its lock
 * every second while it holds it.
 */
async function withLock<T>(outDir: string, work: () => Promise<T>): Promise<T> {
  const lock = join(outDir, LOCK_FILE)
  let release = await tryLock(lock, outDir)
  while (!release) {
    await sleep(LOCK_WAIT_MS)
    release = await tryLock(lock, outDir)
  }
  try {
    return await work()
  } finally {
    await release()
  }
}

/** Takes the lock at `lock` if it is free or stale; its release, or undefined if a live build holds it. */
async function tryLock(lock: string, outDir: string): Promise<(() => Promise<void>) | undefined> {
  while (!(await takeLock(lock, outDir))) {
    const holder = await lockHolder(lock, outDir)
    if (holder === 'gone') continue // released meanwhile: try again at once
    if (holder.pid === 'none' || (holder.pid !== 'writing' && (!alive(holder.pid) || holder.age > LOCK_STALE_MS))) await takeOver(lock, holder.pid)
    else return undefined
  }
  const beat = setInterval(() => {
    const now = new Date()
    utimes(lock, now, now).catch(() => undefined)
  }, LOCK_BEAT_MS)
  beat.unref()
  log.debug('fs', 'took %s', lock)
  return async () => {
    log.debug('fs', 'releasing %s', lock)
    clearInterval(beat)
    await rm(lock, { force: true })
  }
}

/** Builds into one output folder that may run a browser at once: one per CPU (two Chromiums on two CPUs already share them). */
export const BROWSER_SLOTS = Math.max(1, availableParallelism())
const BROWSER_SLOT_WAIT_MS = 200

/**
 * Waits for one of the output folder's browser slots, so that many builds into one folder at
 * once queue for the browser instead of starving each other's (and failing their bounds). The
 * wait is said once. Returns the slot's release, or nothing once `stopped` (Ctrl-C) says so.
 */
export async function browserSlot(outDir: string, onWait: () => void, stopped: () => boolean): Promise<(() => Promise<void>) | undefined> {
  await makeDir(outDir).catch((cause: unknown) => {
    throw fileError('write to the output folder', outDir, cause)
  })
  for (let round = 0; ; round += 1) {
    for (let slot = 1; slot <= BROWSER_SLOTS; slot += 1) {
      if (stopped()) return undefined
      const release = await tryLock(join(outDir, `${BROWSER_SLOT_FILE}${slot}`), outDir)
      if (release && stopped()) await release()
      else if (release) return release
    }
    if (round === 0) onWait()
    await sleep(BROWSER_SLOT_WAIT_MS)
  }
}
const BROWSER_SLOT_FILE = '.deck.browser-'

/**
 * Takes the lock: this process's id is written to a file of its own, which is then linked to
 * the lock's name, so a lock never exists without the id in it. False if another holds it.
 */
let lockTries = 0
async function takeLock(lock: string, outDir: string): Promise<boolean> {
  lockTries += 1
  const mine = `${lock}.${process.pid}-${lockTries}`
  try {
    await writeFile(mine, String(process.pid))
    await link(mine, lock)
    return true
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false
    // A file system without hard links: an exclusive create, the id written after.
    if (errorCode(err) === 'EPERM' || errorCode(err) === 'ENOTSUP') return takeLockByCreate(lock, outDir)
    throw fileError('lock the output folder', outDir, err)
  } finally {
    await rm(mine, { force: true })
  }
}

async function takeLockByCreate(lock: string, outDir: string): Promise<boolean> {
  let handle
  try {
    handle = await open(lock, 'wx')
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false
    throw fileError('lock the output folder', outDir, err)
  }
  try {
    await handle.writeFile(String(process.pid))
    return true
  } catch (err) {
    await rm(lock, { force: true })
    throw fileError('lock the output folder', outDir, err)
  } finally {
    await handle.close()
  }
}

/**
 * The process that holds the lock; `none` when the file names none (empty, or not a number),
 * `writing` when it was made a moment ago by the fallback and its id may be on its way.
 */
async function lockHolder(lock: string, outDir: string): Promise<{ pid: number | 'none' | 'writing'; age: number } | 'gone'> {
  const info = await lstat(lock).catch(() => undefined)
  if (!info) return 'gone'
  if (!info.isFile()) throw fileError('lock the output folder', outDir, new Error(`${lock} is not a file: remove it`))
  const text = await readFile(lock, 'utf8').catch(() => undefined)
  if (text === undefined) return 'gone'
  const age = Date.now() - info.mtimeMs
  const pid = Number(text)
  if (Number.isInteger(pid) && pid > 0) return { pid, age }
  return { pid: age < LOCK_FRESH_MS ? 'writing' : 'none', age }
}

/**
 * Takes a stale lock away: renamed first (only one waiter can), then looked at again; if
 * what was renamed is not the lock judged stale (another build took the lock in between),
 * it is put back.
 */
async function takeOver(lock: string, stale: number | 'none'): Promise<void> {
  lockTries += 1
  const aside = `${lock}.${process.pid}-stale-${lockTries}`
  try {
    await rename(lock, aside)
  } catch {
    return // gone already: another waiter took it away
  }
  const pid = Number(await readFile(aside, 'utf8').catch(() => ''))
  const same = stale === 'none' ? !(Number.isInteger(pid) && pid > 0) : pid === stale
  if (!same) await link(aside, lock).catch(() => undefined)
  await rm(aside, { force: true })
}
const LOCK_FRESH_MS = 1000

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
    if (typeof record.version !== 'string' || typeof record.started !== 'number' || !Array.isArray(record.outputs)) return undefined
    return { version: record.version, started: record.started, outputs: record.outputs.filter((o) => typeof o === 'string') }
  } catch {
    return undefined // none yet, or not ours: the deck's other outputs count as another version
  }
}

/**
 * Moves staged files into the output folder, in the order given, earlier versions kept
 * aside (at `asidePath()`) and put back if any move fails. With a set, the deck's outputs
 * from another version that this commit does not replace go too, and its record is written.
 */
async function commitStaged(outDir: string, dir: string, names: readonly string[], set: OutputSet | undefined, asidePath: () => string): Promise<Commit> {
  const record = set ? await readRecord(join(outDir, set.record)) : undefined
  const same = set !== undefined && record?.version === set.version
  if (set && record && !same && record.started > set.started) return { written: [], removed: [], superseded: true }
  const kept = same ? record.outputs.filter((o) => !names.includes(o)) : []
  // Only what the record lists goes: never a file of another deck that happens to share a name.
  const stale = set && record && !same ? record.outputs.filter((o) => !names.includes(o) && set.members.includes(o)) : []
  /** Earlier outputs kept in staging until the commit is done, to be put back if it fails. */
  const earlier: { target: string; aside: string }[] = []
  const added: string[] = []
  const keepAside = async (target: string, how: 'move' | 'link') => {
    const aside = asidePath()
    // A hard link costs nothing; a file system without them gets a copy.
    await (how === 'move' ? rename(target, aside) : link(target, aside).catch(() => copyFile(target, aside)))
    earlier.push({ target, aside })
  }
  try {
    for (const name of stale) if (await exists(join(outDir, name))) await keepAside(join(outDir, name), 'move')
    const written: string[] = []
    for (const name of names) {
      const target = join(outDir, name)
      const old = await stat(target).catch(() => undefined)
      // A file is renamed over its old version, so it is never missing; a folder cannot be, so the old one moves aside.
      if (old) await keepAside(target, old.isDirectory() ? 'move' : 'link')
      else added.push(target)
      await rename(join(dir, name), target)
      written.push(target)
    }
    if (set) {
      const outputs = [...new Set([...kept.filter((o) => set.members.includes(o)), ...names])]
      const started = same ? Math.max(record.started, set.started) : set.started
      const staged = join(dir, set.record)
      await writeFile(staged, `${JSON.stringify({ version: set.version, started, outputs } satisfies SetRecord)}\n`)
      await rename(staged, join(outDir, set.record))
    }
    return { written, removed: stale.map((name) => join(outDir, name)), superseded: false }
  } catch (cause) {
    // Undone, newest first: the folder holds the earlier set again, as the build will say.
    for (const target of added) await rm(target, { recursive: true, force: true }).catch(() => undefined)
    for (const { target, aside } of earlier.reverse()) {
      if (await isDirectory(aside)) await rm(target, { recursive: true, force: true }).catch(() => undefined)
      await rename(aside, target).catch(() => undefined)
    }
    throw fileError('write to the output folder', outDir, cause)
  }
}

export async function stage(outDir: string): Promise<Staging> {
  let dir: string
  try {
    await makeDir(outDir)
    await removeAbandoned(outDir)
    await removeAbandoned(outDir, RE_LOCK_TEMP)
    dir = await mkdtemp(join(outDir, `${STAGING_PREFIX}${process.pid}-`))
  } catch (cause) {
    throw fileError('write to the output folder', outDir, cause)
  }
  let closed = false
  const remove = () => removeDir(dir)
  const forget = onInterrupt(async () => {
    closed = true
    await committing
    await remove()
  })
  let replaced = 0
  /** A commit under way: Ctrl-C lets it finish (or undo itself) before the staging folder goes. */
  let committing: Promise<unknown> | undefined
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
      const work = withLock(outDir, () => commitStaged(outDir, dir, names, set, () => join(dir, `.replaced-${(replaced += 1)}`)))
      committing = work.catch(() => undefined)
      return work
    },
    async dispose() {
      closed = true
      forget()
      await remove()
    },
  }
}
