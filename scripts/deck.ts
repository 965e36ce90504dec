// Entry point of the npm scripts (`npm run build` → `deck build`).
import { runInterruptTasks } from '../deck/cleanup.ts'
import { main } from '../deck/cli.ts'

// Ctrl-C: close the browser and remove staging folders, then stop with the usual code.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void runInterruptTasks().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
  })
}

process.exitCode = await main(process.argv.slice(2))
