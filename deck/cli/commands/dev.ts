import { access } from 'node:fs/promises'

import { Command, Option } from 'commander'

import { startDev } from '../../dev/dev.ts'
import { interruption } from '../../shared/cleanup.ts'
import { errorMessage, ExitCode, type ExitCodeValue, fileError } from '../../shared/errors.ts'
import { log } from '../../shared/log.ts'
import {
  brandOption,
  briefFiles,
  browserPathOption,
  DATA_DIR,
  noBrandOption,
  parsePort,
  type Run,
  runHint,
  sourceOption,
  templatesOption,
  themeOption,
  withConfig,
} from '../options.ts'

// `deck dev [brief]`: serve the deck, rebuild on every save; runs until Ctrl-C.

interface DevFlags {
  port: number
  host: string
  open?: boolean
  pdf?: boolean
  templates?: string
  theme?: string
  brand?: string | boolean
  source?: string
  browserPath?: string
}

export function devCommand(run: Run): Command {
  return new Command('dev')
    .description(
      `Serve a brief's deck on this machine and rebuild it on every save of the brief, its source document, a template or the theme. With no file, serves the first *.yaml in ${DATA_DIR}/.`,
    )
    .argument('[brief]', 'the YAML brief to serve')
    .addOption(
      new Option('-p, --port <n>', 'port to listen on; the next free one is taken when it is busy (0: any free port)').argParser(parsePort).default(8080),
    )
    .addOption(new Option('--host <address>', 'address to listen on; other machines can connect only if you give one other than loopback').default('127.0.0.1'))
    .addOption(new Option('--open', 'open the deck in the default browser'))
    .addOption(new Option('--pdf', 'keep the PDF current on every save too (a browser is kept warm between saves)'))
    .addOption(templatesOption())
    .addOption(themeOption())
    .addOption(brandOption())
    .addOption(noBrandOption())
    .addOption(sourceOption())
    .addOption(browserPathOption('for the PDF'))
    .addHelpText(
      'after',
      `
A save that breaks the brief, a template or the theme shows the same file:line:col
message as the build, in the terminal and over the deck in every open tab; the last
good deck stays underneath until the next good save. The "PDF" link in the corner
prints the current deck (--pdf keeps it printed on every save).

The dev server writes to a folder of its own in the temp folder, removed when it
stops: the output folder (dist/) keeps the last full build, whole. It stops on
Ctrl-C, SIGTERM and SIGHUP (exit 130, 143, 129).

Examples:
  ${runHint('dev').replace(/ --$/, '')}
  ${runHint('dev')} data/serbia-china-extradition.yaml --port 3000 --open`,
    )
    .action((brief: string | undefined, flags: DevFlags, command: Command) => run(withConfig(command, flags).then((f) => runDev(brief, f))))
}

async function runDev(brief: string | undefined, flags: DevFlags): Promise<ExitCodeValue> {
  const files = await briefFiles(brief ? [brief] : [])
  const file = files[0] as string
  if (files.length > 1) log.info(`Several briefs in ${DATA_DIR}/; serving ${file} (name another: ${runHint('dev')} <file>)`)
  await access(file).catch((cause: unknown) => {
    throw fileError('read', file, cause, ExitCode.usage)
  })
  const server = await startDev({
    brief: file,
    port: flags.port,
    host: flags.host,
    pdf: flags.pdf === true,
    templatesDir: flags.templates,
    themeFile: flags.theme,
    ...(typeof flags.brand === 'string' || flags.brand === false ? { brandFile: flags.brand } : {}),
    sourceFile: flags.source,
    browserPath: flags.browserPath,
    log: (message) => log.info(message),
  })
  log.info(`Serving ${file} at ${server.url} (Ctrl-C to stop). Edit the brief, a template or the theme: open tabs reload.`)
  if (flags.open) {
    const { default: open } = await import('open')
    await open(server.url).catch((err: unknown) => log.warn(`could not open a browser: ${errorMessage(err)}`))
  }
  // Until Ctrl-C (or SIGTERM, SIGHUP): the bin closes the server and exits with the signal's code.
  await interruption().catch(() => undefined)
  return ExitCode.interrupted
}
