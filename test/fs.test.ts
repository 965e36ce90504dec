import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from './helpers.ts'
import { describe, expect, it } from 'vitest'
import { DeckError, ExitCode } from '../deck/errors.ts'
import { stage } from '../deck/fs.ts'

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
