import { describe, expect, it } from 'vitest'
import { closeBrowser, findBrowser, launchBrowser } from '../deck/browser.ts'

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length

describe('closing the browser', () => {
  it('stops Chromium with tabs still open, and leaves no timer to hold the build’s process open', async () => {
    const browser = await launchBrowser(await findBrowser({ only: 'npm' }))
    const chromium = browser.process()
    for (const text of ['one', 'two']) await (await browser.newPage()).setContent(`<h1>${text}</h1>`)
    const before = timers()
    await closeBrowser(browser)
    expect(chromium?.exitCode !== null || chromium?.signalCode !== null).toBe(true)
    expect(browser.connected).toBe(false)
    // Puppeteer's close() leaves one 100 ms timer per open tab, waiting for a frame swap that never comes.
    expect(timers()).toBeLessThanOrEqual(before)
  })
})
