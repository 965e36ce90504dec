// When the dev server rebuilds. It hears of changes (from the watcher), waits for a
// burst of saves to settle, runs one build at a time, and lets a build know whether
// what it read is still what is on disk. Time comes from a clock passed in, so the
// tests drive it with fake timers; nothing here touches files, browsers or sockets.

/** Where the scheduler reads the time and sets its timers. */
export interface Clock {
  now(): number
  setTimeout(run: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

/** Changes of several files closer together than this are one rebuild (a template and the theme saved at once). */
export const SETTLE_MS = 2
/**
 * An empty or missing brief is most likely a save in progress (truncate, then write; a git
 * checkout; an editor's rename): it is built only if it stays so this long.
 */
export const EMPTY_GRACE_MS = 300
export const EMPTY_POLL_MS = 10

export interface SchedulerOptions {
  clock: Clock
  /** A file counts as saved when it has not changed for this long (ms). */
  stableMs: number
  /**
   * One build. `started` is the time of the first save it answers. Before it shows what it
   * built, it asks `settled()`: false means a file changed meanwhile, and the change builds anew.
   */
  build(started: number, settled: () => Promise<boolean>): Promise<void>
  /** Whether the brief is empty or missing now. */
  briefIsUnwritten(): Promise<boolean>
  /** Looks at the watched files once more; a change found is reported to `changed()` before it resolves. */
  lookAgain(): Promise<void>
  /** A build that threw (a bug, not a brief's error). */
  failed(err: unknown): void
}

export class RebuildScheduler {
  readonly #options: SchedulerOptions
  /** Counts the changes seen; a build is shown only if none came while it ran. */
  #generation = 0
  #lastChange = Number.NEGATIVE_INFINITY
  #running: Promise<void> | undefined
  /** A change came during a build: one more build after it. */
  #again = false
  #timer: unknown
  /** A build is waiting for its timer. */
  #waiting = false
  /** Who waits for the scheduler to have nothing running or waiting. */
  #idleWaiters: (() => void)[] = []
  /** When the first save not yet built happened (0: none waiting). */
  #firstSave = 0
  #closed = false

  constructor(options: SchedulerOptions) {
    this.#options = options
  }

  /** A watched file changed: build once the burst has settled. */
  changed(): void {
    this.#generation += 1
    this.#lastChange = this.#options.clock.now()
    this.#schedule(SETTLE_MS)
  }

  /** Builds now (the first build), or after the running one. */
  run(): Promise<void> {
    return this.#run()
  }

  /** Resolves once no build is running or waiting to run. */
  idle(): Promise<void> {
    if (!this.#busy()) return Promise.resolve()
    return new Promise((resolve) => this.#idleWaiters.push(resolve))
  }

  /** Stops scheduling, and waits for a running build to end. */
  async close(): Promise<void> {
    this.#closed = true
    this.#waiting = false
    this.#options.clock.clearTimeout(this.#timer)
    await this.#running
    this.#tellIdle()
  }

  #busy(): boolean {
    return this.#waiting || this.#running !== undefined
  }

  #tellIdle(): void {
    if (this.#busy()) return
    for (const resolve of this.#idleWaiters.splice(0)) resolve()
  }

  #schedule(delay: number): void {
    if (this.#closed) return
    const { clock } = this.#options
    this.#firstSave ||= clock.now()
    clock.clearTimeout(this.#timer)
    this.#waiting = true
    this.#timer = clock.setTimeout(() => {
      this.#waiting = false
      void this.#run()
    }, delay)
  }

  async #run(): Promise<void> {
    if (this.#closed) return
    if (this.#running) {
      this.#again = true
      return
    }
    let release = () => undefined as void
    this.#running = new Promise<void>((resolve) => (release = resolve)) // taken before the first await: runs never overlap
    try {
      await this.#buildOnce()
    } finally {
      this.#running = undefined
      release()
    }
    if (this.#again) {
      this.#again = false
      this.#schedule(0)
    }
    this.#tellIdle()
  }

  async #buildOnce(): Promise<void> {
    const { clock, build, briefIsUnwritten, failed } = this.#options
    if ((await briefIsUnwritten()) && clock.now() - this.#firstSave < EMPTY_GRACE_MS) {
      this.#schedule(EMPTY_POLL_MS) // the rest of the file is most likely on its way: look again soon, build it once
      return
    }
    const started = this.#firstSave || clock.now()
    this.#firstSave = 0
    const reading = this.#generation
    await build(started, () => this.#settled(reading)).catch(failed)
  }

  /**
   * Whether what a build read is still what is on disk, and has been so for `stableMs`. The
   * files are looked at once more, so a change whose event has not arrived yet counts too.
   * A change found here has scheduled the next build.
   */
  async #settled(reading: number): Promise<boolean> {
    const { clock, stableMs, lookAgain } = this.#options
    const wait = this.#lastChange + stableMs - clock.now()
    if (wait > 0) await new Promise((resolve) => clock.setTimeout(() => resolve(undefined), wait))
    await lookAgain()
    return this.#generation === reading
  }
}
