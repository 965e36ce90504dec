// What must be undone if the process is interrupted: a browser to close, Marp's
// worker to stop, a staging folder to remove. The bin runs these on Ctrl-C before
// it exits, one after another in the order they were registered, so the browser
// and the worker have stopped writing before the staging folders go.

import { log } from './log.ts'

type Task = () => Promise<void>
const tasks = new Set<Task>()
/** A task that takes longer than this is abandoned, so Ctrl-C always ends the process. */
const TASK_TIMEOUT_MS = 5000

/** Tasks registered after Ctrl-C came (a staging folder whose creation was under way): run at once. */
const late = new Set<Promise<void>>()

/**
 * Registers a task; call the returned function once the task has run by itself. Registered
 * after Ctrl-C came, it runs at once, and the process waits for it before it exits.
 */
export function onInterrupt(task: Task): () => void {
  if (interrupted) {
    const run = withTimeout(task())
    late.add(run)
    void run.finally(() => late.delete(run))
    return () => undefined
  }
  tasks.add(task)
  return () => tasks.delete(task)
}

/** Waits for the tasks registered since Ctrl-C came, each within its bound. */
export async function lateTasksDone(): Promise<void> {
  while (late.size > 0) await Promise.all([...late])
}

async function withTimeout(work: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, TASK_TIMEOUT_MS)))
  // A task that fails must not keep the others from running: the process is stopping either way.
  await Promise.race([work.catch((err: unknown) => log.debug('cleanup', 'a task on interrupt failed: %O', err)), timeout])
  clearTimeout(timer)
}

let interrupted = false
let said = false

/** Says that the command was interrupted, and what that left; the bin says it for a command that did not. */
export function sayInterrupted(message: string): void {
  said = true
  log.info(message)
}

/** Whether the command has said it was interrupted. */
export function interruptionSaid(): boolean {
  return said
}

/**
 * Whether Ctrl-C (or SIGTERM) came: what fails after it failed because of it, and is no news.
 * It is set before any task runs, so a build that fails because its browser was closed knows why.
 */
export function wasInterrupted(): boolean {
  return interrupted
}

let interruptedSignal: { promise: Promise<never>; reject: (err: Error) => void } | undefined

/**
 * A promise that fails when Ctrl-C comes: work that waits on something Ctrl-C takes away
 * (a browser call while the browser is being closed) races it, and stops waiting at once.
 */
export function interruption(): Promise<never> {
  if (!interruptedSignal) {
    let reject: (err: Error) => void = () => undefined
    const promise = new Promise<never>((_, fail) => (reject = fail))
    promise.catch(() => undefined) // nobody may be racing it when it fails
    interruptedSignal = { promise, reject }
    if (interrupted) reject(new Error('interrupted'))
  }
  return interruptedSignal.promise
}

export async function runInterruptTasks(): Promise<void> {
  interrupted = true
  interruptedSignal?.reject(new Error('interrupted'))
  const pending = [...tasks]
  tasks.clear()
  for (const task of pending) await withTimeout(task())
}
