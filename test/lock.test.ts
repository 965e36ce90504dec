import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { withLock } from '../deck/shared/lock.ts'
import { tempDir } from './helpers.ts'

// The output folder's lock: taken over when it is no build's, and never removed once another
// build has taken it. (Spawns a `sleep` as a live process that is not Node: no CLI, no browser.)

const lockOf = (dir: string) => join(dir, '.deck.lock')

describe('the output folder’s lock', () => {
  it('held by a live process that is not Node, is taken over at once', async () => {
    const dir = tempDir('deck-lock-')
    const other = spawn('sleep', ['60'], { stdio: 'ignore' })
    try {
      writeFileSync(lockOf(dir), String(other.pid))
      const ran = await withLock(dir, async () => readFileSync(lockOf(dir), 'utf8'))
      expect(ran.split(' ')[0]).toBe(String(process.pid))
      expect(existsSync(lockOf(dir))).toBe(false)
    } finally {
      other.kill()
    }
  })

  it('taken over by another build while this one held it, is left to that build', async () => {
    const dir = tempDir('deck-lock-')
    await withLock(dir, async () => {
      // Another build judged ours stale (this one was paused) and took the lock: its own file now.
      rmSync(lockOf(dir))
      writeFileSync(lockOf(dir), String(process.ppid))
    })
    expect(readFileSync(lockOf(dir), 'utf8')).toBe(String(process.ppid))
  })
})
