import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { DeckError, ExitCode } from '../deck/shared/errors.ts'
import { stage } from '../deck/shared/fs.ts'
import { outputsIn, snapshot, tempDir } from './helpers.ts'

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
