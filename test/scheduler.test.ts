import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { type Clock, EMPTY_GRACE_MS, RebuildScheduler, SETTLE_MS } from '../deck/dev/scheduler.ts'

// The dev server's rebuild scheduler on fake timers: saves arrive at exact times, builds
// take exact times, and what a user would see (which builds showed, when) is asserted.

const STABLE_MS = 15
const START = 10_000

interface Build {
  /** When the first save it answers happened. */
  started: number
  /** When it began and ended, on the fake clock. */
  began: number
  ended: number
  /** Whether it was shown (what it read was still on disk). */
  shown: boolean
}

/** Vitest's fake timers as the scheduler's clock (looked up at each call, once the timers are faked). */
const clock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

/** A scheduler whose builds take `buildMs` each, with the brief's emptiness and the files' second look under the test's control. */
function setUp(options: { buildMs?: number } = {}) {
  const builds: Build[] = []
  let running = 0
  let overlapped = false
  const world = { empty: false, changeOnSecondLook: false, failed: [] as unknown[] }
  const scheduler: RebuildScheduler = new RebuildScheduler({
    clock,
    stableMs: STABLE_MS,
    build: async (started, settled) => {
      running += 1
      overlapped ||= running > 1
      const began = Date.now()
      await new Promise((resolve) => setTimeout(resolve, options.buildMs ?? 20))
      const shown = await settled()
      builds.push({ started, began, ended: Date.now(), shown })
      running -= 1
    },
    briefIsUnwritten: async () => world.empty,
    lookAgain: async () => {
      if (!world.changeOnSecondLook) return
      world.changeOnSecondLook = false
      scheduler.changed()
    },
    failed: (err) => world.failed.push(err),
  })
  return { scheduler, builds, world, overlapped: () => overlapped }
}

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(START)
})

afterEach(() => {
  vi.useRealTimers()
})

describe('the dev server decides when to rebuild', () => {
  it('builds once for saves of several files close together, once they settle, counting from the first save', async () => {
    const { scheduler, builds } = setUp()
    scheduler.changed() // the theme
    await vi.advanceTimersByTimeAsync(1)
    scheduler.changed() // a template, 1 ms later
    expect(builds).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(500)
    expect(builds).toHaveLength(1)
    expect(builds[0]).toMatchObject({ started: START, shown: true })
    // It began SETTLE_MS after the last save, and was shown only once the files had been still for STABLE_MS.
    expect(builds[0]?.began).toBe(START + 1 + SETTLE_MS)
    expect(builds[0]?.ended).toBeGreaterThanOrEqual(START + 1 + STABLE_MS)
  })

  it('throws away a build overtaken by a save, and builds the save after it; builds never overlap', async () => {
    const { scheduler, builds, overlapped } = setUp({ buildMs: 50 })
    scheduler.changed()
    await vi.advanceTimersByTimeAsync(SETTLE_MS + 10) // the build is running
    scheduler.changed()
    await vi.advanceTimersByTimeAsync(500)
    expect(builds.map((b) => b.shown)).toEqual([false, true])
    expect(builds[1]?.began).toBeGreaterThanOrEqual(builds[0]?.ended ?? Infinity)
    expect(overlapped()).toBe(false)
  })

  it('counts a change found on the last look before showing (its event not yet arrived) as a save', async () => {
    const { scheduler, builds, world } = setUp()
    world.changeOnSecondLook = true
    scheduler.changed()
    await vi.advanceTimersByTimeAsync(500)
    expect(builds.map((b) => b.shown)).toEqual([false, true])
  })

  it('waits for an emptied brief to be written again, and builds the whole file once', async () => {
    const { scheduler, builds, world } = setUp()
    world.empty = true
    scheduler.changed()
    await vi.advanceTimersByTimeAsync(100)
    expect(builds).toHaveLength(0) // the empty moment is never built
    world.empty = false
    scheduler.changed() // the rest of the save, 100 ms later
    await vi.advanceTimersByTimeAsync(500)
    expect(builds).toHaveLength(1)
    expect(builds[0]).toMatchObject({ started: START, shown: true })
  })

  it('builds a brief that stays empty once, after the grace period, and not again and again', async () => {
    const { scheduler, builds, world } = setUp()
    world.empty = true
    scheduler.changed()
    await vi.advanceTimersByTimeAsync(EMPTY_GRACE_MS - 10)
    expect(builds).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(5000)
    expect(builds).toHaveLength(1)
    expect(builds[0]?.began).toBeGreaterThanOrEqual(START + EMPTY_GRACE_MS)
  })

  it('ends a burst of 20 saves in 100 ms with the last save shown, after far fewer than 20 builds', async () => {
    const { scheduler, builds, overlapped } = setUp({ buildMs: 30 })
    for (let i = 0; i < 20; i += 1) {
      scheduler.changed()
      await vi.advanceTimersByTimeAsync(5)
    }
    const lastSave = Date.now() - 5
    await vi.advanceTimersByTimeAsync(1000)
    expect(builds.length).toBeLessThanOrEqual(5)
    expect(builds.at(-1)).toMatchObject({ shown: true })
    expect(builds.at(-1)?.began).toBeGreaterThanOrEqual(lastSave) // the deck shown read the last save
    expect(builds.filter((b) => b.shown)).toHaveLength(1)
    expect(overlapped()).toBe(false)
  })

  it('reports a build that throws, and keeps building on the next save', async () => {
    const boom = new Error('a bug')
    let calls = 0
    const failed: unknown[] = []
    const scheduler = new RebuildScheduler({
      clock,
      stableMs: STABLE_MS,
      build: async () => {
        calls += 1
        if (calls === 1) throw boom
      },
      briefIsUnwritten: async () => false,
      lookAgain: async () => undefined,
      failed: (err) => failed.push(err),
    })
    scheduler.changed()
    await vi.advanceTimersByTimeAsync(50)
    scheduler.changed()
    await vi.advanceTimersByTimeAsync(50)
    expect(failed).toEqual([boom])
    expect(calls).toBe(2)
  })

  it('builds nothing after close, and close waits for the running build', async () => {
    const { scheduler, builds } = setUp({ buildMs: 40 })
    scheduler.changed()
    await vi.advanceTimersByTimeAsync(SETTLE_MS + 5)
    let closed = false
    const closing = scheduler.close().then(() => (closed = true))
    await vi.advanceTimersByTimeAsync(10)
    expect(closed).toBe(false)
    await vi.advanceTimersByTimeAsync(100)
    await closing
    expect(builds).toHaveLength(1)
    scheduler.changed()
    await vi.advanceTimersByTimeAsync(500)
    expect(builds).toHaveLength(1)
  })

  it('says when it is idle: only once no build runs and none waits, the one a change made during a build included', async () => {
    const { scheduler, builds } = setUp({ buildMs: 50 })
    let idle = false
    const markIdle = () => void scheduler.idle().then(() => (idle = true))
    await scheduler.idle() // nothing to do yet
    scheduler.changed()
    markIdle()
    await vi.advanceTimersByTimeAsync(SETTLE_MS + 10) // the build runs
    scheduler.changed() // a save during it: one more build after it
    await vi.advanceTimersByTimeAsync(45)
    expect(builds).toHaveLength(1)
    expect(idle).toBe(false) // the second build waits
    await vi.advanceTimersByTimeAsync(200)
    expect(builds).toHaveLength(2)
    expect(idle).toBe(true)
  })
})
