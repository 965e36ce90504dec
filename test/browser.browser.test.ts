import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { closeBrowser, launchBrowser, npmBrowser } from '../deck/export/browser.ts'
import { tempDir, testBrowser } from './helpers.ts'

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length
const RE_PROFILE_ARG = /^--user-data-dir=(.+)$/

describe('closing the browser', () => {
  it('stops Chromium with tabs still open, removes its profile, and leaves no timer to hold the build’s process open', async () => {
    // No profile folder given: Puppeteer makes one in the temp folder, which must go too.
    const browser = await launchBrowser(await testBrowser())
    const chromium = browser.process()
    try {
      expect(chromium).toBeDefined()
      const profile = chromium?.spawnargs.map((arg) => RE_PROFILE_ARG.exec(arg)?.[1]).find(Boolean)
      expect(profile && existsSync(profile)).toBe(true)
      for (const text of ['one', 'two']) await (await browser.newPage()).setContent(`<h1>${text}</h1>`)
      const before = timers()
      await closeBrowser(browser)
      expect(chromium?.exitCode !== null || chromium?.signalCode !== null).toBe(true)
      expect(browser.connected).toBe(false)
      expect(existsSync(profile as string)).toBe(false)
      // Puppeteer's close() leaves one 100 ms timer per open tab, waiting for a frame swap that never comes.
      expect(timers()).toBeLessThanOrEqual(before)
    } finally {
      if (chromium?.exitCode === null && chromium.signalCode === null) chromium.kill('SIGKILL')
    }
  })
})

describe('the Chromium from npm, unpacked afresh', () => {
  it('lands whole in its own folder, unpacked by a thread of its own, the process’s TMPDIR never changed; and it starts', async () => {
    const parent = tempDir('deck-npm-unpack-')
    const dir = join(parent, 'chromium-fresh')
    const tmp = process.env.TMPDIR
    // Looked at on every turn of the event loop while the package unpacks (seconds of work).
    const seen = new Set<string | undefined>()
    let unpacking = true
    const watching = (async () => {
      while (unpacking) {
        seen.add(process.env.TMPDIR)
        await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    const choice = await npmBrowser({ dir }).finally(() => (unpacking = false))
    await watching
    expect([...seen]).toEqual([tmp])
    expect(choice).toEqual({ path: join(dir, 'chromium'), source: 'npm', args: [] })
    expect(readdirSync(parent)).toEqual(['chromium-fresh']) // no partial folder left beside it
    const browser = await launchBrowser(choice)
    try {
      expect(await browser.version()).toMatch(/Chrome\/\d+/)
    } finally {
      await closeBrowser(browser)
    }
  })
})
