import { randomBytes } from 'node:crypto'
import { link, lstat, open, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

import { makeDir } from './dirs.ts'
import { errorCode, fileError } from './errors.ts'
import { log } from './log.ts'

// Locks in the output folder, as files: the lock held while a deck's outputs are renamed into
// place (so two builds never swap the same folder at once), and the browser slots builds into
// one folder queue for. A lock holds its process's id, is touched every second while held, and
// is taken over when it is stale; it is never touched or removed once another has taken it.

/** The file a lock is written to before it is linked into place, named after its process. */
export const RE_LOCK_TEMP = /^\.deck\.(?:lock|browser-\d+)\.(\d+)-/
/** Held while files are renamed into place, so two builds never swap the same folder at once. */
const LOCK_FILE = '.deck.lock'
const LOCK_WAIT_MS = 50
/** A build holding the lock touches it this often; one not touched for LOCK_STALE_MS is no build's. */
const LOCK_BEAT_MS = 1000
const LOCK_STALE_MS = 10_000
/** A wait for the lock this long is said: another build is writing into the folder. */
const LOCK_SAY_MS = 2000

/**
 * Runs `work` holding the output folder's lock. A lock is stale, and taken over, when it names
 * no live process (a build killed outright, a disk that filled up while it was written), a
 * process that is no Node (`echo 1 > dist/.deck.lock`, where /proc tells), or when it has not
 * been touched for LOCK_STALE_MS: a build touches its lock every second while it holds it.
 */
export async function withLock<T>(outDir: string, work: () => Promise<T>): Promise<T> {
  const lock = join(outDir, LOCK_FILE)
  const started = Date.now()
  let said = false
  let release = await tryLock(lock, outDir)
  while (!release) {
    if (!said && Date.now() - started > LOCK_SAY_MS) {
      said = true
      log.info(`Waiting for another build to finish writing into ${outDir}/ …`)
    }
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
  lockTries += 1
  // What this take writes: the process's id (what others read), and a mark no other take writes.
  const mark = `${process.pid} ${LOCK_MARK}-${lockTries}`
  while (!(await takeLock(lock, outDir, mark))) {
    const holder = await lockHolder(lock, outDir)
    if (holder === 'gone') continue // released meanwhile: try again at once
    if (holder.pid === 'none' || (holder.pid !== 'writing' && (!(await isBuild(holder.pid)) || holder.age > LOCK_STALE_MS))) await takeOver(lock, holder.pid)
    else return undefined
  }
  // Still this take's lock, by its mark: a lock another build has taken over meanwhile (after a
  // pause of this one longer than LOCK_STALE_MS) is never touched or removed. (A file's inode
  // is no such mark: a file made after ours was removed may get the same.)
  // A lock that cannot be read is gone (released, or taken away as stale): not ours.
  const ours = async () => (await readFile(lock, 'utf8').catch(() => undefined)) === mark
  const beat = setInterval(() => {
    const now = new Date()
    void ours().then(async (yes) => {
      // Gone between the read and the touch: there is nothing of ours to keep fresh.
      if (yes) await utimes(lock, now, now).catch(() => undefined)
    })
  }, LOCK_BEAT_MS)
  beat.unref()
  log.debug('fs', 'took %s', lock)
  return async () => {
    log.debug('fs', 'releasing %s', lock)
    clearInterval(beat)
    if (await ours()) await rm(lock, { force: true })
  }
}

/**
 * Whether a live process may be a build of ours: where /proc says what runs (Linux), only a
 * Node process can be; elsewhere any live process may, and its lock goes stale untouched.
 */
async function isBuild(pid: number): Promise<boolean> {
  if (!alive(pid)) return false
  // No /proc (not Linux), or the process just ended: nothing says it is not a build.
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined)
  return command === undefined || RE_NODE.test(command)
}
const RE_NODE = /(^|[/\0])node(js)?(\.exe)?\0/

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
/** Tells this process's takes from those of an earlier process that had the same id. */
const LOCK_MARK = randomBytes(6).toString('hex')

async function takeLock(lock: string, outDir: string, mark: string): Promise<boolean> {
  const mine = `${lock}.${process.pid}-${lockTries}`
  try {
    await writeFile(mine, mark)
    await link(mine, lock)
    return true
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false
    // A file system without hard links: an exclusive create, the id written after.
    if (errorCode(err) === 'EPERM' || errorCode(err) === 'ENOTSUP') return takeLockByCreate(lock, outDir, mark)
    throw fileError('lock the output folder', outDir, err)
  } finally {
    await rm(mine, { force: true })
  }
}

async function takeLockByCreate(lock: string, outDir: string, mark: string): Promise<boolean> {
  let handle
  try {
    handle = await open(lock, 'wx')
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false
    throw fileError('lock the output folder', outDir, err)
  }
  try {
    await handle.writeFile(mark)
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
  const info = await lstat(lock).catch(() => undefined) // released meanwhile
  if (!info) return 'gone'
  if (!info.isFile()) throw fileError('lock the output folder', outDir, new Error(`${lock} is not a file: remove it`))
  const text = await readFile(lock, 'utf8').catch(() => undefined) // released between the two looks
  if (text === undefined) return 'gone'
  const age = Date.now() - info.mtimeMs
  const pid = Number(text.split(' ')[0])
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
  // Unreadable, it names no process: judged as a lock that names none.
  const pid = Number((await readFile(aside, 'utf8').catch(() => '')).split(' ')[0])
  const same = stale === 'none' ? !(Number.isInteger(pid) && pid > 0) : pid === stale
  // Put back only if no other build has taken the lock since; if one has, its lock stands and this one goes.
  if (!same) await link(aside, lock).catch(() => undefined)
  await rm(aside, { force: true })
}
const LOCK_FRESH_MS = 1000

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return errorCode(err) === 'EPERM'
  }
}
