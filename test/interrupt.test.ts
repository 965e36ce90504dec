import type { Browser } from 'puppeteer-core'
import { describe, expect, it } from 'vitest'

import { stepper } from '../deck/export/steps.ts'
import { interruption, runInterruptTasks } from '../deck/shared/cleanup.ts'

// Ctrl-C during a browser step: the step stops waiting at once, so the build can say which
// deck it left unwritten before the process exits (it has 2 s for that). A step used to wait
// out its whole time bound (about a minute for a long deck) on a browser being closed.

describe('Ctrl-C during a browser step', () => {
  it('fails the step without waiting out its bound (a minute here; the test would time out), and any step started after it', async () => {
    const steps = stepper({} as Browser, 211, new Set())
    const hanging = steps.run({ name: 'loading the slides page' }, new Promise<never>(() => undefined))
    await runInterruptTasks()
    await expect(hanging).rejects.toThrow('interrupted')
    await expect(steps.run({ name: 'printing the slide PDF' }, new Promise<never>(() => undefined))).rejects.toThrow('interrupted')
    await expect(interruption()).rejects.toThrow('interrupted')
  })
})
