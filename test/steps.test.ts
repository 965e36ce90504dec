import type { Browser } from 'puppeteer-core'
import { describe, expect, it } from 'vitest'

import { stepper } from '../deck/export/steps.ts'

// When one of a deck's outputs fails (its HTML, its PowerPoint, another printed page), the
// browser's steps stop at once with that failure: the deck fails now, not when the slowest
// page gives up (a browser on a full disk took 20 s to fail a page load).

describe('a browser step of a deck that was given up', () => {
  it('fails at once with the reason, without waiting out its bound (a minute here; the test would time out), and so does any later step', async () => {
    const giveUp = new AbortController()
    const steps = stepper({} as Browser, 211, new Set(), undefined, giveUp.signal)
    const hanging = steps.run({ name: 'loading the handout page' }, new Promise<never>(() => undefined))
    const reason = new Error('Marp CLI could not convert deck.md: ENOSPC')
    giveUp.abort(reason)
    await expect(hanging).rejects.toBe(reason)
    await expect(steps.run({ name: 'printing the notes' }, new Promise<never>(() => undefined))).rejects.toBe(reason)
  })

  it('is not stopped while the deck is not given up: a step ends with its own result', async () => {
    const steps = stepper({} as Browser, 1, new Set(), undefined, new AbortController().signal)
    await expect(steps.run({ name: 'printing the slide PDF' }, Promise.resolve('printed'))).resolves.toBe('printed')
  })
})
