import { Command, CommanderError } from 'commander'

import { wasInterrupted } from '../shared/cleanup.ts'
import { DeckError, escapeControls, ExitCode, type ExitCodeValue, formatError, machineError } from '../shared/errors.ts'
import { TOOL_NAME, toolVersion } from '../shared/home.ts'
import { log } from '../shared/log.ts'
import { buildCommand } from './commands/build.ts'
import { checkCommand } from './commands/check.ts'
import { devCommand } from './commands/dev.ts'
import { initCommand } from './commands/init.ts'
import { newCommand } from './commands/new.ts'
import { schemaCommand } from './commands/schema.ts'

// The command line: parse the arguments, run the command (one file each in commands/),
// turn errors into messages and an exit code. `main` never exits the process; the bin does.

export async function main(argv: readonly string[]): Promise<ExitCodeValue> {
  let outcome: Promise<ExitCodeValue> = Promise.resolve(ExitCode.ok)
  const run = (work: Promise<ExitCodeValue>) => void (outcome = work)
  const cli = new Command(TOOL_NAME)
    .description('Turn a policy brief written in YAML into a slide deck: HTML with presenter view, PDF, handout, notes, PowerPoint and slide images.')
    .version(toolVersion(), '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    // Commander's messages quote the arguments, which may be hostile file names: escaped like everything printed.
    .configureOutput({ writeErr: (s) => process.stderr.write(escapeControls(s, { lines: true })), writeOut: (s) => process.stdout.write(s) })
    .exitOverride()
  // Each command keeps the settings above (exit override, escaped output), as `.command()` would give it.
  for (const command of [initCommand(run), newCommand(run), buildCommand(run), checkCommand(run), devCommand(run), schemaCommand(run)])
    cli.addCommand(command.copyInheritedSettings(cli))
  try {
    await cli.parseAsync([...argv], { from: 'user' })
    if (argv.length === 0) {
      cli.outputHelp()
      return ExitCode.usage
    }
    return await outcome
  } catch (err) {
    return failed(err)
  }
}

/** The exit code of a command that threw, with its message shown. */
function failed(err: unknown): ExitCodeValue {
  if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage
  // The browser and staging folders were taken away under the work: that is the interruption, not a bug.
  if (wasInterrupted()) return ExitCode.interrupted
  const machine = machineError(err)
  if (err instanceof DeckError || machine) {
    const shown = err instanceof DeckError ? err : (machine as DeckError)
    log.error(formatError(shown))
    return shown.exitCode
  }
  log.error(`internal error: this is a bug in brief-deck, please report it with the text below.\n${err instanceof Error ? err.stack : String(err)}`)
  return ExitCode.internal
}
