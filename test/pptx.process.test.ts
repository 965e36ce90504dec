import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { DEFAULT_BRIEF, runDeck, tempDir } from './helpers.ts'

// The editable PowerPoint built by the CLI, in a child process: one with its own time zone, and
// one where a browser would be looked for if the PowerPoint needed one. The PowerPoint's content
// is in pptx.test.ts.

describe('the editable PowerPoint', () => {
  it('gives the same bytes in every time zone', async () => {
    const built: Buffer[] = []
    for (const tz of ['UTC', 'America/New_York', 'Asia/Tokyo']) {
      const dir = tempDir('deck-pptx-tz-')
      expect((await runDeck(['build', DEFAULT_BRIEF, '--variant', 'briefing', '--format', 'pptx', '--out', dir], { env: { TZ: tz } })).code).toBe(0)
      built.push(readFileSync(join(dir, 'serbia-china-extradition.briefing.pptx')))
    }
    expect(built[1]?.equals(built[0] as Buffer)).toBe(true)
    expect(built[2]?.equals(built[0] as Buffer)).toBe(true)
  })

  it('builds from the command line without a browser: none is looked for', async () => {
    const dir = tempDir('deck-pptx-cli-')
    const run = await runDeck(['build', DEFAULT_BRIEF, '--format', 'pptx', '--out', dir], { env: { CHROME_PATH: '/nowhere/chrome' } })
    expect(run.stderr).not.toMatch(/chrome|chromium|browser/i)
    expect(run.code).toBe(0)
    expect(readFileSync(join(dir, 'serbia-china-extradition.pptx')).subarray(0, 2).toString()).toBe('PK')
  })
})
