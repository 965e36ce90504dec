import { mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { Command, Option } from 'commander'

import { dataFindings } from '../../check/brief-checks.ts'
import { formatReport, makeReport, type Report } from '../../check/report.ts'
import { checkBrief } from '../../check-brief.ts'
import { prepare } from '../../deck.ts'
import { browserSession } from '../../export/browser.ts'
import { MarpWorker } from '../../export/marp.ts'
import { onInterrupt } from '../../shared/cleanup.ts'
import { DeckError, errorCode, errorMessage, escapeControls, escapeJson, ExitCode, type ExitCodeValue } from '../../shared/errors.ts'
import { browserProfileDir, removeAbandoned, removeDir } from '../../shared/fs.ts'
import { log } from '../../shared/log.ts'
import {
  brandFileFor,
  brandOption,
  briefFiles,
  browserPathOption,
  DATA_DIR,
  noBrandOption,
  type Run,
  runHint,
  sourceOption,
  templatesOption,
  themeOption,
  withConfig,
} from '../options.ts'

// `deck check [briefs…]`: every check, nothing written; the report goes to stdout (text or JSON).

interface CheckFlags {
  templates?: string
  theme?: string
  brand?: string | boolean
  browserPath?: string
  source?: string
  format: 'text' | 'json'
}

export function checkCommand(run: Run): Command {
  return new Command('check')
    .description(
      `Check each brief without writing anything: data, provenance of every figure, consistency, layout measured in Chromium, accessibility (axe-core) and readability. With no file, checks every *.yaml in ${DATA_DIR}/.`,
    )
    .argument('[briefs...]', 'YAML briefs to check')
    .addOption(sourceOption())
    .addOption(new Option('--format <format>', 'report as text, or as JSON for CI').choices(['text', 'json']).default('text'))
    .addOption(templatesOption())
    .addOption(themeOption())
    .addOption(brandOption())
    .addOption(noBrandOption())
    .addOption(browserPathOption('to measure the slides in'))
    .addHelpText(
      'after',
      `
The report goes to stdout, grouped by slide: each finding's severity, check, slide
number and title, and the line of the brief it comes from. Warnings can be silenced
in the brief: \`checks: { ignore: [code] }\` for the whole brief, or \`ignore: [code]\` on
one slide. Errors cannot be silenced.

Exit codes: 0 no errors (warnings allowed); ${ExitCode.input} at least one error; ${ExitCode.usage} bad command line or settings file;
${ExitCode.environment} no browser could start.

Examples:
  ${runHint('check').replace(/ --$/, '')}
  ${runHint('check')} data/serbia-china-extradition.yaml --source brief.txt
  ${runHint('check')} --format json > check.json`,
    )
    .action((briefs: string[], flags: CheckFlags, command: Command) => run(withConfig(command, flags).then((f) => runCheck(briefs, f))))
}

/** `check` works in a folder of its own in the temp folder, named after its process. */
const CHECK_DIR_PREFIX = 'brief-deck-check-'
const RE_CHECK_DIR = new RegExp(`^${CHECK_DIR_PREFIX}(\\d+)$`)

async function runCheck(briefs: string[], flags: CheckFlags): Promise<ExitCodeValue> {
  const files = await briefFiles(briefs)
  // Tidying what killed checks left: one that cannot be swept now is swept by a later check.
  await removeAbandoned(tmpdir(), RE_CHECK_DIR).catch((err: unknown) => log.debug('check', 'sweeping %s: %O', tmpdir(), err))
  const out = join(tmpdir(), `${CHECK_DIR_PREFIX}${process.pid}`)
  // check writes no output, but works in the temp folder: a temp folder it cannot write to is said to be that.
  await mkdir(out).catch((cause: unknown) => {
    if (errorCode(cause) === 'EEXIST') return
    throw new DeckError(
      `Cannot make check's working folder in the temp folder ${tmpdir()} (${errorCode(cause) ?? errorMessage(cause)}): set TMPDIR to a folder you can write to`,
      {
        exitCode: ExitCode.environment,
        cause,
      },
    )
  })
  const session = browserSession({ browserPath: flags.browserPath, profileDir: browserProfileDir(out) })
  // Started now, while the briefs are read; a browser that does not start fails the first check that needs it, which says why.
  void session.get().catch(() => undefined)
  const marp = new MarpWorker({ html: true })
  // On Ctrl-C too, after the browser and Marp have stopped writing into it.
  const forget = onInterrupt(async () => void (await removeDir(out)))
  const reports: Report[] = []
  try {
    const toolkit = await prepare({ templatesDir: flags.templates, themeFile: flags.theme, brandFile: await brandFileFor(flags.brand, files) })
    marp.prepareSlides(toolkit.theme, toolkit.marp)
    for (const file of files) {
      log.info(`Checking ${file} …`)
      const report = await checkOne(file, () => checkBrief(file, toolkit, { workDir: out, browser: session, marp, sourceFile: flags.source }))
      reports.push(report)
      if (flags.format === 'text') process.stdout.write(`${escapeControls(formatReport(report), { lines: true })}\n`)
    }
    if (flags.format === 'json') process.stdout.write(`${jsonText(files.length === 1 ? reports[0] : reports)}\n`)
    return reports.some((report) => report.errors > 0) ? ExitCode.input : ExitCode.ok
  } finally {
    await Promise.all([session.close(), marp.close()])
    await removeDir(out)
    forget()
  }
}

/** One brief's report; a brief that does not read is a report of its data errors. */
async function checkOne(file: string, check: () => Promise<Report>): Promise<Report> {
  try {
    return await check()
  } catch (err) {
    if (!(err instanceof DeckError) || err.exitCode !== ExitCode.input || err.problems.length === 0) throw err
    return makeReport(file, dataFindings(err.problems, file), undefined, ['the other checks did not run: the brief must be read first'])
  }
}

/** JSON with every invisible character escaped: JSON.stringify leaves DEL, U+0080–U+009F (CSI among them) and the bidi controls raw. */
function jsonText(value: unknown): string {
  return escapeJson(JSON.stringify(value, null, 2))
}
