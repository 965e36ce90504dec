import { describe, expect, it } from 'vitest'

import { BASE_ARGS, needsNoSandbox } from '../deck/export/browser.ts'

describe('Chromium’s sandbox', () => {
  it('stays on for every user but root, who cannot have it', () => {
    expect(needsNoSandbox(0)).toBe(true)
    expect(needsNoSandbox(1000)).toBe(false)
    expect(BASE_ARGS).not.toContain('--no-sandbox')
  })
})
