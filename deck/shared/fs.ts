import { constants, type Stats } from 'node:fs'
import { access, copyFile, link, mkdir, mkdtemp, open, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

import { onInterrupt } from './cleanup.ts'
import { makeDir } from './dirs.ts'
import { DeckError, errorCode, errorMessage, ExitCode, type ExitCodeValue, fileError } from './errors.ts'
import { alive, RE_LOCK_TEMP, withLock } from './lock.ts'
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

/** A staging folder kept, renamed, after a commit that could not be undone: it holds earlier outputs, and no build removes it. */
const KEPT_PREFIX = '.earlier-outputs-'

/** The browser profile of this process's builds, a staging folder of the output folder (removed as one when left behind). */
export function browserProfileDir(outDir: string): string {
  return join(outDir, `${STAGING_PREFIX}${process.pid}-browser`)
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
    // Read as any input: a record that is a pipe must not hang the commit while it holds the lock.
    const record = JSON.parse((await readInput(file, "a deck's record", MAX_RECORD_BYTES)).toString('utf8')) as Partial<SetRecord>
    if (typeof record.version !== 'string' || typeof record.started !== 'number' || !Array.isArray(record.outputs)) return undefined
    return { version: record.version, started: record.started, outputs: record.outputs.filter((o) => typeof o === 'string') }
  } catch {
    return undefined // none yet, or not ours: the deck's other outputs count as another version
  }
}

const MAX_RECORD_BYTES = 1024 * 1024
const RE_RECORD = /^\.(.+)\.deck\.json$/

/**
 * An output of another deck in the folder (its record lists it) is never replaced: a brief
 * named x-audience.yaml built after x.yaml would put its full deck, notes and all, where x's
 * audience copy was. Refused, naming both, before anything is moved.
 */
async function refuseOthersOutputs(outDir: string, mine: string, names: readonly string[]): Promise<void> {
  const wanted = new Set(names.map((name) => name.toLowerCase()))
  for (const entry of await readdir(outDir)) {
    const owner = RE_RECORD.exec(entry)?.[1]
    if (owner === undefined || entry === mine) continue
    const taken = (await readRecord(join(outDir, entry)))?.outputs.find((output) => wanted.has(output.toLowerCase()))
    if (taken !== undefined)
      throw new DeckError(
        `${join(outDir, taken)} is an output of the deck ${owner}, and this deck would replace it: build one of them into another folder (--out), or rename one brief`,
        { exitCode: ExitCode.usage },
      )
  }
}

/** An earlier output kept in the staging folder while a commit replaces it: put back if the commit fails. */
interface Aside {
  target: string
  aside: string
}

/** What the output folder holds after a commit whose undoing failed: outputs of two versions. */
export interface MixedSet {
  outDir: string
  /** Outputs in the folder that this build wrote. */
  fromThisBuild: string[]
  /** Outputs in the folder that are still the earlier build's. */
  fromEarlier: string[]
  /** Outputs that are in the folder no more: their earlier version is among the kept ones. */
  missing: string[]
  /** Each earlier version that could not be put back, and where it is now. */
  kept: { output: string; at: string }[]
  /** The folder they are kept in, and whether the next build into the output folder removes it (a staging folder). */
  keptIn: { dir: string; swept: boolean }
}

/** A commit that failed, and whose undoing failed too: what is left where, as data and in the message. */
export class RollbackFailed extends DeckError {
  readonly left: MixedSet

  constructor(left: MixedSet, causes: { commit: unknown; undo: unknown }) {
    super(mixedSetMessage(left, causes), { exitCode: ExitCode.environment, cause: causes.commit })
    this.left = left
  }
}

function mixedSetMessage(left: MixedSet, causes: { commit: unknown; undo: unknown }): string {
  const { outDir, keptIn } = left
  const why = (err: unknown) => errorCode(err) ?? errorMessage(err)
  const names = (paths: readonly string[]) => paths.map((path) => relative(outDir, path)).join(', ')
  const lines = [
    `Cannot write to the output folder ${outDir}: ${why(causes.commit)}; and putting its earlier outputs back failed too (${why(causes.undo)}), so it holds outputs of two versions:`,
    left.fromThisBuild.length > 0 ? `  from this build: ${names(left.fromThisBuild)}` : '',
    left.fromEarlier.length > 0 ? `  from the earlier build: ${names(left.fromEarlier)}` : '',
    left.missing.length > 0 ? `  missing: ${names(left.missing)}` : '',
    ...left.kept.map(({ output, at }) => `  the earlier ${relative(outDir, output)} is kept at ${at}`),
    keptIn.swept
      ? `Move the kept files back before anything else builds into ${outDir} (the next build removes ${keptIn.dir}), or build the deck again.`
      : `Move the kept files back by hand, or build the deck again; then remove ${keptIn.dir}.`,
  ]
  return lines.filter(Boolean).join('\n')
}

/** What undoing a commit could not undo: new outputs that stay, earlier ones not put back (and the first error). */
interface Undone {
  stayed: string[]
  notBack: Aside[]
  error?: unknown
}

/** Undoes a commit, newest first: the outputs it added go, the earlier versions it replaced come back. */
async function undoCommit(added: readonly string[], earlier: readonly Aside[]): Promise<Undone> {
  const undone: Undone = { stayed: [], notBack: [] }
  const failed = (err: unknown) => {
    log.debug('fs', 'undoing a commit: %O', err)
    undone.error ??= err
  }
  for (const target of added) {
    await rm(target, { recursive: true, force: true }).catch((err: unknown) => {
      failed(err)
      undone.stayed.push(target)
    })
  }
  for (const entry of [...earlier].reverse()) {
    try {
      if (await isDirectory(entry.aside)) await rm(entry.target, { recursive: true, force: true })
      await rename(entry.aside, entry.target)
    } catch (err) {
      failed(err)
      undone.notBack.push(entry)
    }
  }
  return undone
}

/**
 * Moves staged files into the output folder, in the order given, earlier versions kept
 * aside (at `asidePath()`) and put back if any move fails. With a set, the deck's outputs
 * from another version that this commit does not replace go too, and its record is written.
 * Should putting them back fail, `keepAsides` keeps the earlier versions where they are
 * (and says where that is), and the error names what the folder holds.
 */
async function commitStaged(
  outDir: string,
  dir: string,
  names: readonly string[],
  set: OutputSet | undefined,
  asidePath: () => string,
  keepAsides: () => Promise<{ dir: string; swept: boolean }>,
): Promise<Commit> {
  if (set) await refuseOthersOutputs(outDir, set.record, names)
  const record = set ? await readRecord(join(outDir, set.record)) : undefined
  const same = set !== undefined && record?.version === set.version
  if (set && record && !same && record.started > set.started) return { written: [], removed: [], superseded: true }
  const kept = same ? record.outputs.filter((o) => !names.includes(o)) : []
  // Only what the record lists goes: never a file of another deck that happens to share a name.
  const stale = set && record && !same ? record.outputs.filter((o) => !names.includes(o) && set.members.includes(o)) : []
  /** Earlier outputs kept in staging until the commit is done, to be put back if it fails. */
  const earlier: Aside[] = []
  const added: string[] = []
  const written: string[] = []
  const keepAside = async (target: string, how: 'move' | 'link') => {
    const aside = asidePath()
    // A hard link costs nothing; a file system without them gets a copy.
    await (how === 'move' ? rename(target, aside) : link(target, aside).catch(() => copyFile(target, aside)))
    earlier.push({ target, aside })
  }
  try {
    for (const name of stale) if (await exists(join(outDir, name))) await keepAside(join(outDir, name), 'move')
    for (const name of names) {
      const target = join(outDir, name)
      const old = await stat(target).catch(() => undefined) // none yet: the output is new
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
    // Undone, newest first: the folder holds the earlier set again, as the build will say; or, where that
    // fails, the error says which outputs are of which version, and where the earlier ones are kept.
    const undone = await undoCommit(added, earlier)
    if (undone.stayed.length === 0 && undone.notBack.length === 0) throw fileError('write to the output folder', outDir, cause)
    throw await mixedSet(
      outDir,
      [...names, ...stale].map((name) => join(outDir, name)),
      written,
      undone,
      keepAsides,
      { commit: cause, undo: undone.error },
    )
  }
}

/** What the output folder holds after a commit that could not be undone, as the error that says so. */
async function mixedSet(
  outDir: string,
  touched: readonly string[],
  written: readonly string[],
  undone: Undone,
  keepAsides: () => Promise<{ dir: string; swept: boolean }>,
  causes: { commit: unknown; undo: unknown },
): Promise<RollbackFailed> {
  const kept = await keepAsides()
  const notBack = new Map(undone.notBack.map(({ target, aside }) => [target, join(kept.dir, basename(aside))]))
  const fromThisBuild: string[] = []
  const fromEarlier: string[] = []
  const missing: string[] = []
  for (const target of touched) {
    if (!(await exists(target))) {
      if (notBack.has(target)) missing.push(target)
    } else if (undone.stayed.includes(target) || (notBack.has(target) && written.includes(target))) fromThisBuild.push(target)
    else fromEarlier.push(target)
  }
  const keptAt = [...notBack].filter(([target]) => !fromEarlier.includes(target)).map(([output, at]) => ({ output, at }))
  return new RollbackFailed({ outDir, fromThisBuild, fromEarlier, missing, kept: keptAt, keptIn: kept }, causes)
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
  /** Set when a commit could not be undone: the folder then holds the only copy of earlier outputs, and stays. */
  let holdsEarlier = false
  const remove = async () => holdsEarlier || removeDir(dir)
  /** Out of the way of the next build's sweep of staging folders, if it can be moved. */
  const keepAsides = async () => {
    holdsEarlier = true
    const kept = join(outDir, `${KEPT_PREFIX}${basename(dir).slice(STAGING_PREFIX.length)}`)
    try {
      await rename(dir, kept)
      return { dir: kept, swept: false }
    } catch (err) {
      log.debug('fs', 'keeping %s as %s: %O', dir, kept, err)
      return { dir, swept: true }
    }
  }
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
      const work = withLock(outDir, () => commitStaged(outDir, dir, names, set, () => join(dir, `.replaced-${(replaced += 1)}`), keepAsides))
      committing = work.catch(() => undefined) // for Ctrl-C to wait on; its failure is the build's, through `work`
      return work
    },
    async dispose() {
      closed = true
      forget()
      await remove()
    },
  }
}

/** Whether `file` (links followed) is in `dir` (links followed) or below it. */
export async function isInside(dir: string, file: string): Promise<boolean> {
  // A path that does not exist (yet) has no links to follow: compared as written.
  const [realDir, realFile] = await Promise.all([realpath(dir).catch(() => resolve(dir)), realpath(file).catch(() => resolve(file))])
  const rel = relative(realDir, realFile)
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)
}
