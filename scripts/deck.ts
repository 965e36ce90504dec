// Entry point of the npm scripts (`npm run build` → `deck build`).
import { main } from '../deck/cli/cli.ts'
import { runInterruptTasks, wasInterrupted } from '../deck/shared/cleanup.ts'

/** How long the command may take, once the cleanup is done, to say what it was doing when stopped. */
const REPORT_MS = 2000

const running = main(process.argv.slice(2))

// Ctrl-C: close the browser and remove staging folders, let the command say which deck it
// left unwritten (its work fails at once without its browser), then stop with the usual code.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    const reported = new Promise((resolve) => setTimeout(resolve, REPORT_MS).unref())
    void runInterruptTasks()
      .then(() => Promise.race([running.catch(() => undefined), reported]))
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
  })
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
