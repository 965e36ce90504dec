// The package's API, for programs that make decks without the command line. The command
// line itself is `main` (what the `brief-deck` command runs).
export { loadBrief, openBrief, parseBrief } from './brief/brief.ts'
export { type Brief, briefJsonSchema, briefSchema } from './brief/schema.ts'
export { buildBrief, type BuildOptions, type BuildResult } from './build.ts'
export { checkBrief } from './check-brief.ts'
export { main } from './cli/cli.ts'
export { prepare, type Toolkit } from './deck.ts'
export { browserSession } from './export/browser.ts'
export { readBrand } from './render/brand.ts'
export { DeckError, ExitCode } from './shared/errors.ts'
