import { defineConfig } from 'vitest/config'

// Two projects: `fast` (no browser, runs in seconds) and `browser` (starts Chromium).
// `npm test` runs both; `npm run test:fast` while editing.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: ['test/**/*.browser.test.ts'] } },
      { test: { name: 'browser', include: ['test/**/*.browser.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
    ],
  },
})
