// Entry point of the npm scripts (`npm run build` → `deck build`).
import { constants } from 'node:os'

import { main } from '../deck/cli/cli.ts'
import { interruptionSaid, lateTasksDone, runInterruptTasks, wasInterrupted } from '../deck/shared/cleanup.ts'
import { log } from '../deck/shared/log.ts'

/** How long the command may take, once the cleanup is done, to say what it was doing when stopped. */
const REPORT_MS = 3000
/** The longest a stop may take, cleanup and all. */
const STOP_DEADLINE_MS = 15_000
/** How often a command run by npm looks whether npm is still there. */
const PARENT_CHECK_MS = 500

const running = main(process.argv.slice(2))

// Ctrl-C, a terminal closed, a process manager's stop: close the browser and remove staging
// folders, let the command say which deck it left unwritten (its work fails at once without its
// browser), then exit as shells report the signal (128 + its number: 130, 143, 129).
let stopping = false
function stop(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP'): void {
  if (stopping) return
  stopping = true
  // Kept referenced: work left waiting on a browser that is gone holds nothing open, and Node
  // would end the process (exit 13, an unsettled top-level await) before the command reports.
  const reported = new Promise((resolve) => setTimeout(resolve, REPORT_MS))
  // Whatever the cleanup waits on (a file system that does not answer), the signal ends the process.
  setTimeout(() => process.exit(128 + constants.signals[signal]), STOP_DEADLINE_MS).unref()
  void runInterruptTasks()
    .then(() => Promise.race([running.catch(() => undefined), reported]))
    .then(() => {
      // A command that did not say it was stopped (it had not begun, or could not report in time): said for it.
      if (!interruptionSaid()) log.info('Interrupted: what was under way was not finished; the earlier outputs are unchanged.')
    })
    // A staging folder or browser that was being made when the signal came is taken away too.
    .then(lateTasksDone)
    .finally(() => process.exit(128 + constants.signals[signal]))
}
// Kept for the whole run: a signal often comes twice (a terminal's Ctrl-C reaches both npm,
// which passes it on, and this process), and the second must not cut the cleanup short.
// (The launcher's own handlers, for the time before this command ran, stand aside: scripts/run.mjs.)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal))

// Run by npm (`npm run dev`), which passes SIGINT and SIGTERM on but not SIGHUP: when npm is
// gone, nobody is left to stop this process, which then stops as on a hang-up.
if (process.env.npm_lifecycle_event !== undefined) {
  const parent = process.ppid
  setInterval(() => process.ppid !== parent && stop('SIGHUP'), PARENT_CHECK_MS).unref()
}

try {
  process.exitCode = await running
} catch (err) {
  // Work torn down under the command by Ctrl-C fails in its own ways: the signal's exit code stands (above).
  if (!wasInterrupted()) throw err
}
// The command has closed all it opened. What may still be pending is Puppeteer's own wait for a
// page that was opening when its browser closed (after a failed build): its 30 s timer must not
// hold the process. The terminal gets every line first.
if (!wasInterrupted()) {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))))
  // A Ctrl-C during that wait exits with its own code (above).
  if (!wasInterrupted()) process.exit()
}
