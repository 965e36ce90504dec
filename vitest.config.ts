import { defineConfig } from 'vitest/config'

import { findBrowser } from './deck/export/browser.ts'

// `fast` (no browser, runs in seconds), then the browser suites once for each browser
// a build can pick on this machine: the Chromium inside @sparticuz/chromium always, and
// a system Chrome or Chromium when one is installed. `npm test` runs them all; `npm run
// test:fast` while editing. DECK_TEST_BROWSER tells a suite which browser it is for.
const system = await findBrowser({ only: 'system' }).catch(() => undefined)
const browsers = [{ name: 'browser (bundled)', source: 'npm' }, ...(system ? [{ name: `browser (system: ${system.path})`, source: 'system' }] : [])]

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: ['test/**/*.browser.test.ts'] } },
      ...browsers.map(({ name, source }) => ({
        test: { name, include: ['test/**/*.browser.test.ts'], testTimeout: 120_000, hookTimeout: 120_000, env: { DECK_TEST_BROWSER: source } },
      })),
    ],
  },
})
