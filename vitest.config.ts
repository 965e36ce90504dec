import { defineConfig } from 'vitest/config'

import { type BrowserChoice, findBrowser } from './deck/export/browser.ts'

// Three projects, named for what runs in them:
// - `unit`: no process spawned, no browser (`npm run test:unit` while editing);
// - `process`: runs the CLI (or another program) as a child process;
// - `browser`: starts Chromium.
// The browser suites run on the browser a default build would pick on this machine
// (CHROME_PATH, else a system Chrome or Chromium, else the one from npm). CI runs them
// again on every other browser present: TEST_BROWSERS=others (or `all` for every one).
// DECK_TEST_BROWSER tells a suite which browser it is for.
const which = process.env.TEST_BROWSERS ?? 'default'
if (!['default', 'others', 'all'].includes(which)) throw new Error(`TEST_BROWSERS=${which}: use default, others or all`)
// What a default build picks (which may unpack the one from npm, on a machine with no other).
const picked = await findBrowser().catch(() => undefined)
const isPicked = (choice: BrowserChoice) => choice.path === picked?.path
/** Every other browser a build can use here: a system one, the one from npm (unpacked on first use). */
async function others(): Promise<BrowserChoice[]> {
  const found = await Promise.all((['system', 'npm'] as const).map((only) => findBrowser({ only }).catch(() => undefined)))
  return found.filter((choice): choice is BrowserChoice => choice !== undefined && !isPicked(choice))
}
const browsers =
  which === 'all'
    ? [...(picked ? [picked] : []), ...(await others())]
    : which === 'others'
      ? await others()
      : // No browser at all: the suites run all the same, and fail saying so.
        [picked ?? { path: '', source: 'npm' as const, args: [] }]

// Sized for a machine busy with other work (two cores shared with two busy loops): a test fails on
// its own bound only when something is stuck, never because the machine is slow.
const UNIT_TIMEOUT_MS = 60_000
const PROCESS_TIMEOUT_MS = 180_000
const BROWSER_TIMEOUT_MS = 300_000

export default defineConfig({
  test: {
    // The process and browser suites mostly wait on other processes: two files at once keep both cores busy.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.browser.test.ts', 'test/**/*.process.test.ts'],
          testTimeout: UNIT_TIMEOUT_MS,
          hookTimeout: UNIT_TIMEOUT_MS,
        },
      },
      { test: { name: 'process', include: ['test/**/*.process.test.ts'], testTimeout: PROCESS_TIMEOUT_MS, hookTimeout: PROCESS_TIMEOUT_MS } },
      ...browsers.map((browser) => ({
        test: {
          name: isPicked(browser) ? 'browser' : `browser (${browser.source}: ${browser.path})`,
          include: ['test/**/*.browser.test.ts'],
          testTimeout: BROWSER_TIMEOUT_MS,
          hookTimeout: BROWSER_TIMEOUT_MS,
          env: { DECK_TEST_BROWSER: browser.source },
        },
      })),
    ],
  },
})
