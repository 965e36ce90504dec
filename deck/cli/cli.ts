import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import Handlebars from 'handlebars'
import { parseBrief, type LoadedBrief } from '../brief/brief.ts'
import { SCHEMA_FILE } from '../brief/schema.ts'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { browserSession, type BrowserSession } from '../export/browser.ts'
import { briefVariants, buildBrief, deckName, prepare, type BuildResult } from '../build.ts'
import { dataFindings, formatReport, makeReport, type Report } from '../check/check.ts'
import { loadConfig, type DeckConfig } from './config.ts'
import { DEFAULT_FORMATS, FORMATS, needsBrowser, needsMarp, type Format } from '../export/outputs.ts'
import { onInterrupt, wasInterrupted } from '../shared/cleanup.ts'
import { removeAbandoned, removeDir } from '../shared/fs.ts'
import { startDev } from '../dev/dev.ts'
import { DeckError, errorCode, errorMessage, escapeControls, ExitCode, type ExitCodeValue, fileError, formatError, machineError } from '../shared/errors.ts'
import { MarpWorker } from '../export/marp.ts'
import { DEFAULT_HANDOUT } from '../export/print.ts'
import { log, reached } from '../shared/log.ts'
import { TEMPLATE_DIR } from '../render/templates.ts'
import { THEME_FILE } from '../render/theme.ts'

// The command line: parse the arguments, run the pipeline, turn errors into
// messages and an exit code. `main` never exits the process; the bin does.

export const DATA_DIR = 'data'
const RE_BRIEF_FILE = /\.ya?ml$/

interface BuildFlags {
  out: string
  templates: string
  theme: string
  format: Format[]
  browserPath?: string
  handout: '2' | '3'
  imageScale: number
  source?: string
  force?: boolean
  variant?: string
}

interface DevFlags {
  out: string
  port: number
  host: string
  open?: boolean
  pdf?: boolean
  templates: string
  theme: string
  source?: string
  browserPath?: string
}

function parsePort(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('give a port number from 0 to 65535')
  return port
}

/** `dev`: serve the deck, rebuild on every save; runs until Ctrl-C. */
async function runDev(brief: string | undefined, flags: DevFlags): Promise<ExitCodeValue> {
  const files = brief ? [brief] : await briefFiles([])
  const file = files[0] as string
  if (files.length > 1) log.info(`Several briefs in ${DATA_DIR}/; serving ${file} (name another: npm run dev -- <file>)`)
  await access(file).catch((cause: unknown) => {
    throw fileError('read', file, cause, ExitCode.usage)
  })
  const server = await startDev({
    brief: file,
    outDir: flags.out,
    port: flags.port,
    host: flags.host,
    pdf: flags.pdf === true,
    templatesDir: flags.templates,
    themeFile: flags.theme,
    sourceFile: flags.source,
    browserPath: flags.browserPath,
    log: (message) => log.info(message),
  })
  onInterrupt(() => server.close())
  log.info(`Serving ${file} at ${server.url} (Ctrl-C to stop). Edit the brief, a template or the theme: open tabs reload.`)
  if (flags.open) {
    const { default: open } = await import('open')
    await open(server.url).catch((err: unknown) => log.warn(`could not open a browser: ${errorMessage(err)}`))
  }
  await new Promise<never>(() => undefined) // until Ctrl-C
  return ExitCode.ok
}

interface CheckFlags {
  templates: string
  theme: string
  browserPath?: string
  source?: string
  format: 'text' | 'json'
}

function parseFormats(value: string): Format[] {
  const asked = value.split(',').map((f) => f.trim()).filter(Boolean)
  const unknown = asked.filter((f) => !(FORMATS as readonly string[]).includes(f))
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown format ${unknown.join(', ')}; use some of: ${FORMATS.join(', ')}`)
  return asked as Format[]
}

function parseScale(value: string): number {
  const scale = Number(value)
  if (!Number.isFinite(scale) || scale < 0.5 || scale > 4) throw new InvalidArgumentError('give a number from 0.5 to 4')
  return scale
}

async function defaultBriefs(): Promise<string[]> {
  const files = await readdir(DATA_DIR).catch(() => [] as string[])
  return files.filter((f) => RE_BRIEF_FILE.test(f)).sort().map((f) => join(DATA_DIR, f))
}

const RE_NEW_NAME = /^[a-z0-9][a-z0-9-]*$/
/** The starter brief `new` writes, a Handlebars template. */
const STARTER_TEMPLATE = 'new/brief.yaml.hbs'

/** `new <name>`: a starter brief that validates, never over an existing file. */
async function runNew(name: string, flags: { templates: string }): Promise<ExitCodeValue> {
  if (!RE_NEW_NAME.test(name)) throw new DeckError(`"${name}" cannot name a brief: use lower-case letters, digits and hyphens, e.g. water-prices`, { exitCode: ExitCode.usage })
  const file = join(DATA_DIR, `${name}.yaml`)
  const starter = join(flags.templates, STARTER_TEMPLATE)
  const source = await readFile(starter, 'utf8').catch((cause: unknown) => {
    throw fileError('read the starter brief', starter, cause, ExitCode.input)
  })
  const today = new Date()
  // The name is a file name, not a title ("eu-enlargement" is not "Eu enlargement"): the titles are placeholders to replace.
  const text = Handlebars.compile(source, { strict: true })({
    name,
    schema: relative(DATA_DIR, SCHEMA_FILE) || SCHEMA_FILE,
    date: today.toISOString().slice(0, 7),
    year: String(today.getUTCFullYear() - 1),
  })
  parseBrief(text, file) // the starter must be a brief that builds
  await mkdir(DATA_DIR, { recursive: true })
  try {
    await writeFile(file, text, { flag: 'wx' })
  } catch (cause) {
    if (errorCode(cause) === 'EEXIST') throw new DeckError(`${file} exists already; pick another name, or edit that file`, { exitCode: ExitCode.usage })
    throw fileError('write', file, cause)
  }
  log.success(`Wrote ${file}. Next:`)
  log.info(`  1. Open it in your editor and replace the values with your brief's (the editor completes the keys).`)
  log.info(`  2. npm run check -- ${file} --source <the brief's text>   finds numbers that do not match their source`)
  log.info(`  3. npm run dev -- ${file}                               shows the deck and rebuilds it on every save`)
  log.info(`  4. npm run build -- ${file}                             writes the HTML, PDFs, handout and PowerPoint to dist/`)
  return ExitCode.ok
}

/** Which option each setting of the settings file stands for. */
const CONFIG_OPTIONS: Record<keyof DeckConfig, string> = { out: 'out', formats: 'format', theme: 'theme', templates: 'templates', browserPath: 'browserPath', handout: 'handout' }

/** The options with the settings file's values filled in where the command line gave none. */
async function withConfig<T extends object>(command: Command, flags: T): Promise<T> {
  const { config, file } = await loadConfig()
  const merged = { ...flags } as Record<string, unknown>
  for (const [key, option] of Object.entries(CONFIG_OPTIONS) as [keyof DeckConfig, string][]) {
    const value = config[key]
    // `formats` is build's --format; check's --format (text or json) is another thing.
    const known = command.options.some((o) => o.attributeName() === option) && (key !== 'formats' || command.name() === 'build')
    if (value === undefined || !known || command.getOptionValueSource(option) === 'cli') continue
    merged[option] = key === 'handout' ? String(value) : value
  }
  if (file) log.debug('config', 'settings from %s: %j', file, config)
  return merged as T
}

async function briefFiles(briefs: string[]): Promise<string[]> {
  const files = briefs.length > 0 ? briefs : await defaultBriefs()
  if (files.length === 0) throw new DeckError(`No brief given: name a YAML file, or put one in ${DATA_DIR}/`, { exitCode: ExitCode.usage })
  return files
}

/** JSON with every control character escaped: JSON.stringify leaves DEL and U+0080–U+009F (CSI among them) raw. */
function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** `check` works in a folder of its own in the temp folder, named after its process. */
const CHECK_DIR_PREFIX = 'brief-deck-check-'
const RE_CHECK_DIR = new RegExp(`^${CHECK_DIR_PREFIX}(\\d+)$`)

/** `check`: every check, nothing written; the report goes to stdout (text or JSON). */
async function runCheck(briefs: string[], flags: CheckFlags): Promise<ExitCodeValue> {
  const files = await briefFiles(briefs)
  await removeAbandoned(tmpdir(), RE_CHECK_DIR).catch(() => undefined)
  const out = join(tmpdir(), `${CHECK_DIR_PREFIX}${process.pid}`)
  const session = browserSession({ browserPath: flags.browserPath, profileDir: join(out, `.staging-${process.pid}-browser`) })
  void session.get().catch(() => undefined)
  const marp = new MarpWorker()
  // On Ctrl-C too, after the browser and Marp have stopped writing into it.
  const forget = onInterrupt(async () => void (await removeDir(out)))
  const reports: Report[] = []
  let worst: ExitCodeValue = ExitCode.ok
  try {
    const toolkit = await prepare({ templatesDir: flags.templates, themeFile: flags.theme })
    marp.prepareSlides(toolkit.theme, toolkit.marp)
    for (const file of files) {
      log.info(`Checking ${file} …`)
      try {
        const checks = { dryRun: true, audit: true, sourceFile: flags.source }
        const result = await buildBrief(file, toolkit, { outDir: out, formats: new Set(['html']), browser: session, marp, checks })
        reports.push(result.report)
      } catch (err) {
        if (!(err instanceof DeckError) || err.exitCode !== ExitCode.input || err.problems.length === 0) throw err
        reports.push(makeReport(file, dataFindings(err.problems, file), undefined, ['the other checks did not run: the brief must be read first']))
      }
      const report = reports.at(-1) as Report
      if (report.errors > 0) worst = ExitCode.input
      if (flags.format === 'text') process.stdout.write(`${escapeControls(formatReport(report), { lines: true })}\n`)
    }
    if (flags.format === 'json') process.stdout.write(`${jsonText(files.length === 1 ? reports[0] : reports)}\n`)
    return worst
  } finally {
    await Promise.all([session.close(), marp.close()])
    await removeDir(out)
    forget()
  }
}

/** Two briefs whose outputs would have the same names (a/x.yaml and b/x.yaml): refused before anything is built. */
function refuseSameNames(decks: readonly { file: string; variant: string | undefined }[], out: string): void {
  const byName = new Map<string, string[]>()
  for (const { file, variant } of decks) {
    const name = variant === undefined ? deckName(file) : `${deckName(file)}.${variant}`
    const label = variant === undefined ? file : `${file} (${variant})`
    // Names that differ only in case are one file on macOS and Windows.
    byName.set(name.toLowerCase(), [...(byName.get(name.toLowerCase()) ?? []), `${label} → ${name}.*`])
  }
  const clashes = [...byName.values()].filter((group) => group.length > 1)
  if (clashes.length === 0) return
  const lines = clashes.map((group) => `  ${group.join(' and ')}`)
  throw new DeckError(`Two decks would write the same files to ${out}/:\n${lines.join('\n')}\nBuild them one at a time into different folders (--out), or rename one.`, { exitCode: ExitCode.usage })
}

async function runBuild(briefs: string[], flags: BuildFlags): Promise<ExitCodeValue> {
  // The same brief named twice is built once.
  const files = [...new Map((await briefFiles(briefs)).map((f) => [resolve(f), f])).values()]
  const formats = new Set(flags.format)
  // Start the browser and Marp now: they load while the briefs are read and checked.
  let session: BrowserSession | undefined
  if (needsBrowser(formats)) {
    session = browserSession({ browserPath: flags.browserPath, profileDir: join(flags.out, `.staging-${process.pid}-browser`) })
    void session.get().catch(() => undefined)
  }
  const marp = needsMarp(formats) ? new MarpWorker() : undefined
  try {
    const toolkit = await prepare({ templatesDir: flags.templates, themeFile: flags.theme })
    reached('templates and theme read')
    if (session) marp?.prepareSlides(toolkit.theme, toolkit.marp)
    let worst: ExitCodeValue = ExitCode.ok
    const results: BuildResult[] = []
    /** The summary of a batch: a row per brief. */
    const rows: string[][] = []
    const reported = new Set<string>()
    /** Said once for the whole run, however many briefs. */
    const notes = new Set<string>()
    const decks: { file: string; variant: string | undefined; read: LoadedBrief | undefined }[] = []
    for (const file of files) {
      const { variants, read } = await briefVariants(file, flags.variant)
      for (const variant of variants) decks.push({ file, variant, read })
    }
    refuseSameNames(decks, flags.out)
    for (const { file, variant, read } of decks) {
      if (wasInterrupted()) return ExitCode.interrupted
      const started = performance.now()
      const label = variant === undefined ? file : `${file} (${variant})`
      log.info(`Building ${label} …`)
      try {
        const progress = (message: string) => log.info(`  ${((performance.now() - started) / 1000).toFixed(1)} s  ${message}`)
        const checks = { sourceFile: flags.source, force: flags.force }
        const options = { outDir: flags.out, formats, handoutPerPage: Number(flags.handout) as 2 | 3, imageScale: flags.imageScale, onProgress: progress, checks, variant, read, ...(marp ? { marp } : {}) }
        const result = await buildBrief(file, toolkit, session ? { ...options, browser: session } : options)
        results.push(result)
        const seconds = ((performance.now() - started) / 1000).toFixed(1)
        const { errors, warnings } = result.report
        const problems = [errors > 0 ? `${errors} errors (--force)` : '', warnings > 0 ? `${warnings} warnings` : ''].filter(Boolean).join(', ')
        rows.push([label, String(result.slides), String(result.outputs.length), `${seconds} s`, problems || 'none'])
        log.success(`${label}: ${result.slides} slides → ${result.outputs.join(', ')} (${seconds} s)`)
        if (result.removed.length > 0) log.info(`  removed ${result.removed.join(', ')}: made from an earlier version of the brief, and not built this time`)
        for (const warning of result.warnings) log.warn(`${label}: ${warning}`)
        if (result.report.findings.length > 0) log.warn(`the checks found:\n${formatReport({ ...result.report, skipped: [] })}`)
        for (const note of result.report.skipped) notes.add(note)
      } catch (err) {
        if (wasInterrupted()) {
          log.info(`Interrupted: nothing was written for ${label}; its earlier outputs in ${flags.out}/ are unchanged.`)
          return ExitCode.interrupted
        }
        // A full disk or a path that is a file fails this deck with exit 3, not the run as a bug.
        const failure = machineError(err) ?? err
        if (!(failure instanceof DeckError)) throw err
        // A browser that cannot start fails every brief the same way: say it once.
        const message = formatError(failure)
        if (!reported.has(message)) log.error(message)
        reported.add(message)
        log.info(`Nothing was written for ${label}: its earlier outputs in ${flags.out}/ are unchanged.`)
        worst = Math.max(worst, failure.exitCode) as ExitCodeValue
        const seconds = ((performance.now() - started) / 1000).toFixed(1)
        rows.push([label, '–', '0', `${seconds} s`, `FAILED: ${failure.message.split('\n')[0] ?? ''}`])
      }
    }
    if (decks.length > 1) {
      log.info(`\n${table(['deck', 'slides', 'outputs', 'time', 'problems'], rows)}`)
      log.info(`${results.length} of ${decks.length} ${files.length === decks.length ? 'briefs' : 'decks'} built.`)
    }
    for (const note of notes) log.info(`note: ${note}`)
    return worst
  } finally {
    await Promise.all([session?.close(), marp?.close()])
  }
}

/** Rows under a header, each column as wide as its widest cell. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

function program(): Command {
  const cli = new Command('deck')
    .description('Turn a policy brief written in YAML into a slide deck (Marp Markdown and a self-contained HTML file).')
    .version(process.env.npm_package_version ?? '0.1.0', '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    // Commander's messages quote the arguments, which may be hostile file names: escaped like everything printed.
    .configureOutput({ writeErr: (s) => process.stderr.write(escapeControls(s, { lines: true })), writeOut: (s) => process.stdout.write(s) })
    .exitOverride()

  cli
    .command('build')
    .description(`Validate each brief and write its outputs to the output folder. With no file, builds every *.yaml in ${DATA_DIR}/.`)
    .argument('[briefs...]', 'YAML briefs to build')
    .addOption(new Option('-o, --out <dir>', 'output folder').default('dist'))
    .addOption(new Option('--templates <dir>', 'folder with deck.hbs, layouts/, print/ and marp.config.json').default(TEMPLATE_DIR))
    .addOption(new Option('--theme <file>', 'Marp theme CSS').default(THEME_FILE))
    .addOption(new Option('-f, --format <list>', `outputs to write, comma-separated: ${FORMATS.join(', ')}`).argParser(parseFormats).default([...DEFAULT_FORMATS], 'all but pptx-images'))
    .addOption(new Option('--handout <n>', 'slides per handout page: 2 (each full width, its audience text below; slide text prints at 8 pt or more) or 3 (text beside, slide text smaller)').choices(['2', '3']).default(String(DEFAULT_HANDOUT)))
    .addOption(new Option('--image-scale <n>', 'pixels per CSS pixel in the PNGs (slides are 1280×720 CSS pixels; the picture PowerPoint is at least 2)').argParser(parseScale).default(1))
    .addOption(new Option('--browser-path <path>', 'Chrome or Chromium to use for PDFs and images (or set CHROME_PATH)'))
    .addOption(new Option('--source <file>', "the brief's text, to find every figure's evidence in (else meta.source.document)"))
    .addOption(new Option('--force', 'write the outputs even when a check finds an error'))
    .addOption(new Option('--variant <name>', 'build only this variant of each brief (one of its `variants`, or `full` for the whole brief); by default the whole brief and every variant are built, the variants to <brief>.<variant>.* files'))
    .addHelpText(
      'after',
      `
Before writing anything, build runs the checks of \`deck check\` (all but the axe-core
audit): an error stops the build and leaves earlier outputs as they were.

Outputs, for a brief <name>.yaml:
  <name>.md             the Marp Markdown
  <name>.html           the deck to present (p: presenter view, f: full screen)
  <name>-audience.html  the same deck without speaker notes, to send out
  <name>.pdf            one page per slide, with bookmarks
  <name>-handout.pdf    A4 for the audience, two slides a page with their handout text (or ruled lines)
  <name>-notes.pdf      each slide with its speaker notes, for the presenter
  <name>.pptx           PowerPoint to edit: titles, points, figures and charts as
                        PowerPoint's own text and charts, notes in the notes pane
  <name>-slides/NNN.png and <name>-cover.png
  <name>-images.pptx    only with --format pptx-images: PowerPoint with each slide
                        as a picture (2x), for pixel fidelity

PDFs and images (pptx-images too) need Chromium; md and pptx alone do not. Set --browser-path or CHROME_PATH, else a
system Chrome or Chromium, else the one that npm ci installed. Each browser step
has a bound (20 s plus 0.2 s a slide, more for images); one that runs over fails
the deck, naming the step and the browser.

Exit codes: 0 built; ${ExitCode.input} a brief, template or theme has errors (nothing written for it);
${ExitCode.usage} bad command line; ${ExitCode.environment} missing browser, a browser step that hung, or disk problem;
${ExitCode.interrupted} interrupted (Ctrl-C); ${ExitCode.internal} a bug in this tool. A deck that fails writes nothing:
its earlier outputs stay exactly as they were.

Examples:
  npm run build
  npm run build -- data/serbia-china-extradition.yaml --out public
  npm run build -- --format html,pdf,handout --handout 3`,
    )
  cli
    .command('new')
    .description(`Write a starter brief, ${DATA_DIR}/<name>.yaml, that builds as it is: replace its values with your own.`)
    .argument('<name>', 'file name of the new brief: lower-case letters, digits and hyphens')
    .addOption(new Option('--templates <dir>', 'folder with new/brief.yaml.hbs').default(TEMPLATE_DIR))
    .addHelpText('after', '\nExample:\n  npm run new -- water-prices')

  cli
    .command('dev')
    .description(`Serve a brief's deck on this machine and rebuild it on every save of the brief, its source document, a template or the theme. With no file, serves the first *.yaml in ${DATA_DIR}/.`)
    .argument('[brief]', 'the YAML brief to serve')
    .addOption(new Option('-p, --port <n>', 'port to listen on; the next free one is taken when it is busy (0: any free port)').argParser(parsePort).default(8080))
    .addOption(new Option('--host <address>', 'address to listen on; other machines can connect only if you give one other than loopback').default('127.0.0.1'))
    .addOption(new Option('--open', 'open the deck in the default browser'))
    .addOption(new Option('--pdf', 'keep the PDF current on every save too (a browser is kept warm between saves)'))
    .addOption(new Option('-o, --out <dir>', 'output folder, the only folder served').default('dist'))
    .addOption(new Option('--templates <dir>', 'folder with deck.hbs, layouts/, print/ and marp.config.json').default(TEMPLATE_DIR))
    .addOption(new Option('--theme <file>', 'Marp theme CSS').default(THEME_FILE))
    .addOption(new Option('--source <file>', "the brief's text, to find every figure's evidence in (else meta.source.document)"))
    .addOption(new Option('--browser-path <path>', 'Chrome or Chromium for the PDF (or set CHROME_PATH)'))
    .addHelpText(
      'after',
      `
A save that breaks the brief, a template or the theme shows the same file:line:col
message as the build, in the terminal and over the deck in every open tab; the last
good deck stays underneath until the next good save. The "PDF" link in the corner
prints the current deck (--pdf keeps it printed on every save).

Examples:
  npm run dev
  npm run dev -- data/serbia-china-extradition.yaml --port 3000 --open`,
    )

  cli
    .command('check')
    .description(`Check each brief without writing anything: data, provenance of every figure, consistency, layout measured in Chromium, accessibility (axe-core) and readability. With no file, checks every *.yaml in ${DATA_DIR}/.`)
    .argument('[briefs...]', 'YAML briefs to check')
    .addOption(new Option('--source <file>', "the brief's text, to find every figure's evidence in (else meta.source.document)"))
    .addOption(new Option('--format <format>', 'report as text, or as JSON for CI').choices(['text', 'json']).default('text'))
    .addOption(new Option('--templates <dir>', 'folder with deck.hbs, layouts/, print/ and marp.config.json').default(TEMPLATE_DIR))
    .addOption(new Option('--theme <file>', 'Marp theme CSS').default(THEME_FILE))
    .addOption(new Option('--browser-path <path>', 'Chrome or Chromium to measure the slides in (or set CHROME_PATH)'))
    .addHelpText(
      'after',
      `
The report goes to stdout, grouped by slide: each finding's severity, check, slide
number and title, and the line of the brief it comes from. Warnings can be silenced
in the brief: \`checks: { ignore: [code] }\` for the whole brief, or \`ignore: [code]\` on
one slide. Errors cannot be silenced.

Exit codes: 0 no errors (warnings allowed); ${ExitCode.input} at least one error; ${ExitCode.usage} bad command line;
${ExitCode.environment} no browser could start.

Examples:
  npm run check
  npm run check -- data/serbia-china-extradition.yaml --source brief.txt
  npm run check -- --format json > check.json`,
    )
  return cli
}

export async function main(argv: readonly string[]): Promise<ExitCodeValue> {
  const cli = program()
  let outcome: Promise<ExitCodeValue> = Promise.resolve(ExitCode.ok)
  cli.commands
    .find((c) => c.name() === 'build')
    ?.action((briefs: string[], flags: BuildFlags, command: Command) => {
      outcome = withConfig(command, flags).then((f) => runBuild(briefs, f))
    })
  cli.commands
    .find((c) => c.name() === 'new')
    ?.action((name: string, flags: { templates: string }) => {
      outcome = runNew(name, flags)
    })
  cli.commands
    .find((c) => c.name() === 'dev')
    ?.action((brief: string | undefined, flags: DevFlags, command: Command) => {
      outcome = withConfig(command, flags).then((f) => runDev(brief, f))
    })
  cli.commands
    .find((c) => c.name() === 'check')
    ?.action((briefs: string[], flags: CheckFlags, command: Command) => {
      outcome = withConfig(command, flags).then((f) => runCheck(briefs, f))
    })
  try {
    await cli.parseAsync([...argv], { from: 'user' })
    if (argv.length === 0) {
      cli.outputHelp()
      return ExitCode.usage
    }
    return await outcome
  } catch (err) {
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
}
