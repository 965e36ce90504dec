import { existsSync, mkdirSync, type PathLike, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import type * as FsPromises from 'node:fs/promises'
import { join } from 'node:path'

import { afterEach, describe, expect, it, vi } from 'vitest'

import { DeckError, ExitCode } from '../deck/shared/errors.ts'
import { RollbackFailed, stage } from '../deck/shared/fs.ts'
import { outputsIn, snapshot, tempDir } from './helpers.ts'

// The file system as it is, except for the faults a test puts in: a rename that fails (as on a
// disk gone read-only mid-commit), chosen by its paths.
const faults = vi.hoisted(() => ({ rename: undefined as ((from: string, to: string) => boolean) | undefined }))
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>()
  const rename = async (from: PathLike, to: PathLike) => {
    if (faults.rename?.(String(from), String(to)))
      throw Object.assign(new Error(`EIO: i/o error, rename '${String(from)}' -> '${String(to)}'`), { code: 'EIO', syscall: 'rename', path: String(from) })
    return fs.rename(from, to)
  }
  return { ...fs, rename, default: { ...fs, rename } }
})
afterEach(() => {
  faults.rename = undefined
})

const outDir = () => tempDir('deck-fs-')

describe('staging', () => {
  it('writes nothing into the output folder until commit, then renames each file into place', async () => {
    const out = outDir()
    writeFileSync(join(out, 'deck.pdf'), 'old')
    const staging = await stage(out)
    await staging.write('deck.pdf', 'new')
    expect(readFileSync(join(out, 'deck.pdf'), 'utf8')).toBe('old')
    await staging.commit(['deck.pdf'])
    await staging.dispose()
    expect(readFileSync(join(out, 'deck.pdf'), 'utf8')).toBe('new')
    expect(readdirSync(out)).toEqual(['deck.pdf'])
  })

  it('replaces a folder of images whole', async () => {
    const out = outDir()
    mkdirSync(join(out, 'deck-slides'))
    writeFileSync(join(out, 'deck-slides', '009.png'), 'from a longer deck')
    const staging = await stage(out)
    await staging.write('deck-slides/001.png', 'one')
    await staging.commit(['deck-slides'])
    await staging.dispose()
    expect(readdirSync(join(out, 'deck-slides'))).toEqual(['001.png'])
  })

  it('a build that fails leaves the folder as it was', async () => {
    const out = outDir()
    writeFileSync(join(out, 'deck.html'), 'old')
    const staging = await stage(out)
    await staging.write('deck.html', 'half')
    await staging.dispose()
    expect(readdirSync(out)).toEqual(['deck.html'])
    expect(readFileSync(join(out, 'deck.html'), 'utf8')).toBe('old')
  })

  it('removes the staging folder a killed build left behind', async () => {
    const out = outDir()
    mkdirSync(join(out, '.staging-999999999-abcdef'))
    const staging = await stage(out)
    await staging.dispose()
    expect(readdirSync(out)).toEqual([])
  })

  it('an output folder that cannot be made is a clear environment error', async () => {
    const out = outDir()
    writeFileSync(join(out, 'file'), '')
    const err = await stage(join(out, 'file')).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DeckError)
    expect((err as DeckError).message).toMatch(/^Cannot write to the output folder .*file: (EEXIST|ENOTDIR)$/)
    expect((err as DeckError).exitCode).toBe(ExitCode.environment)
  })
})

describe('two builds at once', () => {
  it('both replace the same folder of images without failing', async () => {
    const out = outDir()
    const build = async (label: string) => {
      const staging = await stage(out)
      for (let i = 1; i <= 5; i += 1) await staging.write(`deck-slides/00${i}.png`, label)
      await staging.commit(['deck-slides'])
      await staging.dispose()
    }
    for (let round = 0; round < 20; round += 1) await Promise.all([build('a'), build('b')])
    expect(readdirSync(join(out, 'deck-slides'))).toHaveLength(5)
    expect(readdirSync(out)).toEqual(['deck-slides'])
  })
})

describe('a deck’s outputs as one set', () => {
  const members = ['deck.md', 'deck.html', 'deck.pdf', 'deck-slides']
  const set = (version: string, started: number) => ({ record: '.deck.deck.json', version, started, members })
  const commit = async (out: string, files: Record<string, string>, version: string, started: number) => {
    const staging = await stage(out)
    for (const [name, text] of Object.entries(files)) await staging.write(name, text)
    try {
      return await staging.commit(Object.keys(files), set(version, started))
    } finally {
      await staging.dispose()
    }
  }

  it('the same version built with other formats adds to the set; another version removes what it did not make', async () => {
    const out = outDir()
    await commit(out, { 'deck.md': 'v1', 'deck.pdf': 'v1' }, 'v1', 1)
    expect((await commit(out, { 'deck.html': 'v1' }, 'v1', 2)).removed).toEqual([])
    expect(outputsIn(out)).toEqual(['deck.html', 'deck.md', 'deck.pdf'])
    const second = await commit(out, { 'deck.html': 'v2' }, 'v2', 3)
    expect(second.removed.map((f) => f.slice(out.length + 1)).sort()).toEqual(['deck.md', 'deck.pdf'])
    expect(outputsIn(out)).toEqual(['deck.html'])
    expect(readFileSync(join(out, 'deck.html'), 'utf8')).toBe('v2')
  })

  it('removes only what its record lists: a file of another deck that shares a name stays', async () => {
    const out = outDir()
    writeFileSync(join(out, 'deck.pdf'), 'the PDF of another brief, or of a build before records')
    await commit(out, { 'deck.html': 'v1' }, 'v1', 1)
    await commit(out, { 'deck.html': 'v2' }, 'v2', 2)
    expect(outputsIn(out)).toEqual(['deck.html', 'deck.pdf'])
  })

  it('a build of another version that began earlier than the one committed writes nothing', async () => {
    const out = outDir()
    await commit(out, { 'deck.html': 'newer' }, 'v2', 20)
    const late = await commit(out, { 'deck.pdf': 'older' }, 'v1', 10)
    expect(late).toMatchObject({ written: [], superseded: true })
    expect(outputsIn(out)).toEqual(['deck.html'])
  })

  it('a commit that fails half-way puts the earlier set back as it was', async () => {
    const out = outDir()
    await commit(out, { 'deck.md': 'v1', 'deck.html': 'v1', 'deck.pdf': 'v1' }, 'v1', 1)
    const before = snapshot(out)
    const staging = await stage(out)
    await staging.write('deck.md', 'v2')
    await staging.write('deck.html', 'v2')
    // deck.pdf is named but was never made: its rename fails after the other two have moved in.
    const err = await staging.commit(['deck.md', 'deck.html', 'deck.pdf'], set('v2', 2)).catch((e: unknown) => e)
    await staging.dispose()
    expect(err).toBeInstanceOf(DeckError)
    expect((err as DeckError).exitCode).toBe(ExitCode.environment)
    expect(snapshot(out)).toEqual(before)
  })

  it('replaces a file in place, so it is never missing while the set is committed', async () => {
    const out = outDir()
    await commit(out, { 'deck.pdf': 'v1' }, 'v1', 1)
    const staging = await stage(out)
    await staging.write('deck.pdf', 'v2')
    let seen = true
    const watching = (async () => {
      for (let i = 0; i < 200 && seen; i += 1) {
        seen = existsSync(join(out, 'deck.pdf'))
        await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    await staging.commit(['deck.pdf'], set('v2', 2))
    await staging.dispose()
    await watching
    expect(seen).toBe(true)
    expect(readFileSync(join(out, 'deck.pdf'), 'utf8')).toBe('v2')
  })
})

describe('a commit whose undoing fails too', () => {
  const members = ['deck.md', 'deck.html', 'deck.pdf', 'deck-slides']
  const set = (version: string, started: number) => ({ record: '.deck.deck.json', version, started, members })
  /** The deck built at v1 with `files`, then a v2 commit of `names` of which only `staged` were made: it fails at the first missing one. */
  const failingCommit = async (files: Record<string, string>, staged: Record<string, string>, names: string[]) => {
    const out = outDir()
    const first = await stage(out)
    for (const [name, text] of Object.entries(files)) await first.write(name, text)
    await first.commit([...new Set(Object.keys(files).map((name) => name.split('/')[0] ?? name))], set('v1', 1))
    await first.dispose()
    const staging = await stage(out)
    for (const [name, text] of Object.entries(staged)) await staging.write(name, text)
    const err = await staging.commit(names, set('v2', 2)).catch((e: unknown) => e)
    await staging.dispose()
    return { out, err }
  }

  it('exit 3, naming which outputs are new, which old, and where the earlier version it could not put back is kept', async () => {
    // deck.html's earlier version cannot be moved back into place.
    faults.rename = (from) => from.endsWith('.replaced-2')
    const v1 = { 'deck.md': 'v1', 'deck.html': 'v1', 'deck.pdf': 'v1' }
    // deck.pdf is named but was never made: its rename fails after the other two have moved in.
    const { out, err } = await failingCommit(v1, { 'deck.md': 'v2', 'deck.html': 'v2' }, ['deck.md', 'deck.html', 'deck.pdf'])
    expect(err).toBeInstanceOf(RollbackFailed)
    const { left, exitCode, message } = err as RollbackFailed
    expect(exitCode).toBe(ExitCode.environment)
    expect(left.fromThisBuild).toEqual([join(out, 'deck.html')])
    expect(left.fromEarlier).toEqual([join(out, 'deck.md'), join(out, 'deck.pdf')])
    expect(left.missing).toEqual([])
    expect(left.kept).toHaveLength(1)
    const [kept] = left.kept
    expect(kept?.output).toBe(join(out, 'deck.html'))
    // Out of the staging folders' way: the build's own cleanup and the next build's leave it.
    expect(left.keptIn.swept).toBe(false)
    expect(kept?.at.startsWith(join(out, '.earlier-outputs-'))).toBe(true)
    await (await stage(out)).dispose()
    expect(readFileSync(kept?.at ?? '', 'utf8')).toBe('v1')
    expect(readFileSync(join(out, 'deck.html'), 'utf8')).toBe('v2')
    expect(readFileSync(join(out, 'deck.md'), 'utf8')).toBe('v1')
    expect(message).toMatch(/^Cannot write to the output folder .*: ENOENT; and putting its earlier outputs back failed too \(EIO\)/)
    expect(message).toContain('  from this build: deck.html\n  from the earlier build: deck.md, deck.pdf\n')
    expect(message).toContain(`  the earlier deck.html is kept at ${kept?.at}\n`)
    expect(message).toContain(`then remove ${left.keptIn.dir}`)
  })

  it('a folder of images whose earlier version cannot come back is named missing, its earlier version kept', async () => {
    faults.rename = (from) => from.endsWith('.replaced-1')
    const v1 = { 'deck-slides/001.png': 'v1', 'deck.pdf': 'v1' }
    const { out, err } = await failingCommit(v1, { 'deck-slides/001.png': 'v2' }, ['deck-slides', 'deck.pdf'])
    expect(err).toBeInstanceOf(RollbackFailed)
    const { left } = err as RollbackFailed
    expect(left.missing).toEqual([join(out, 'deck-slides')])
    expect(left.fromThisBuild).toEqual([])
    expect(left.fromEarlier).toEqual([join(out, 'deck.pdf')])
    expect(readdirSync(left.kept[0]?.at ?? '')).toEqual(['001.png'])
    expect((err as RollbackFailed).message).toContain('  missing: deck-slides\n')
  })

  it('kept in the staging folder when that cannot be moved either: the message says the next build removes it', async () => {
    faults.rename = (from) => from.endsWith('.replaced-2') || /\.staging-\d+-\w+$/.test(from)
    const v1 = { 'deck.md': 'v1', 'deck.html': 'v1', 'deck.pdf': 'v1' }
    const { out, err } = await failingCommit(v1, { 'deck.md': 'v2', 'deck.html': 'v2' }, ['deck.md', 'deck.html', 'deck.pdf'])
    const { left, message } = err as RollbackFailed
    expect(left.keptIn.swept).toBe(true)
    expect(left.keptIn.dir.startsWith(join(out, '.staging-'))).toBe(true)
    // Not removed by the build that failed, whose staging folder it is.
    expect(readFileSync(left.kept[0]?.at ?? '', 'utf8')).toBe('v1')
    expect(message).toContain(`Move the kept files back before anything else builds into ${out} (the next build removes ${left.keptIn.dir})`)
  })
})
