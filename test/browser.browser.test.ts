import { existsSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { closeBrowser, launchBrowser } from '../deck/export/browser.ts'
import { testBrowser } from './helpers.ts'

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
