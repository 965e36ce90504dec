// Entry point of the npm scripts (`npm run build` → `deck build`).
import { main } from '../deck/cli.ts'

process.exitCode = await main(process.argv.slice(2))
