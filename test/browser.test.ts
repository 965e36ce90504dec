import { existsSync, readdirSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { BASE_ARGS, findBrowser, needsNoSandbox, startBrowser } from '../deck/export/browser.ts'
import { DeckError, ExitCode } from '../deck/shared/errors.ts'
import { tempDir } from './helpers.ts'

describe('Chromium’s sandbox', () => {
  it('stays on for every user but root, who cannot have it', () => {
    expect(needsNoSandbox(0)).toBe(true)
    expect(needsNoSandbox(1000)).toBe(false)
    expect(BASE_ARGS).not.toContain('--no-sandbox')
  })
})

describe('the Chromium from npm, when it cannot be unpacked', () => {
  /** An unpack that fills the disk half-way: it writes a piece of the program, then fails as a full disk does. */
  const fullDisk = async (into: string) => {
    await writeFile(join(into, 'chromium'), 'half a program')
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' })
  }

  it.each([
    ['found', (dir: string) => findBrowser({ only: 'npm', npm: { dir, unpack: fullDisk } })],
    ['started', (dir: string) => startBrowser({ only: 'npm', npm: { dir, unpack: fullDisk } })],
  ])('is not %s: the message says what failed, where, and why, beside the ways out; nothing half-unpacked is left', async (_, attempt) => {
    const parent = tempDir('deck-npm-chromium-')
    const dir = join(parent, 'chromium-1.0.0')
    const err = await attempt(dir).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DeckError)
    const { message, exitCode } = err as DeckError
    expect(exitCode).toBe(ExitCode.environment)
    expect(message).toContain(
      `Tried:\n  the Chromium of @sparticuz/chromium (npm): could not unpack it into ${dir}.partial-${process.pid}: ENOSPC: no space left on device`,
    )
    expect(message).toContain('No Chromium could be started')
    expect(readdirSync(parent)).toEqual([])
    expect(existsSync(join(dir, 'chromium'))).toBe(false)
  })
})
