import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { browserSession, type BrowserSession } from './browser.ts'
import { buildBrief, prepare, type BuildResult } from './build.ts'
import { FORMATS, needsBrowser, needsMarp, type Format } from './outputs.ts'
import { DeckError, ExitCode, formatError, type ExitCodeValue } from './errors.ts'
import { MarpWorker } from './marp.ts'
import { log } from './log.ts'
import { TEMPLATE_DIR } from './templates.ts'
import { THEME_FILE } from './theme.ts'

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

async function runBuild(briefs: string[], flags: BuildFlags): Promise<ExitCodeValue> {
  const files = briefs.length > 0 ? briefs : await defaultBriefs()
  if (files.length === 0) throw new DeckError(`No brief to build: give a YAML file, or put one in ${DATA_DIR}/`, { exitCode: ExitCode.usage })
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
    if (session) marp?.prepareSlides(toolkit.theme, toolkit.marp)
    let worst: ExitCodeValue = ExitCode.ok
    const results: BuildResult[] = []
    const reported = new Set<string>()
    for (const file of files) {
      const started = performance.now()
      log.info(`Building ${file} …`)
      try {
        const progress = (message: string) => log.info(`  ${((performance.now() - started) / 1000).toFixed(1)} s  ${message}`)
        const options = { outDir: flags.out, formats, handoutPerPage: Number(flags.handout) as 2 | 3, imageScale: flags.imageScale, onProgress: progress, ...(marp ? { marp } : {}) }
        const result = await buildBrief(file, toolkit, session ? { ...options, browser: session } : options)
        results.push(result)
        const seconds = ((performance.now() - started) / 1000).toFixed(1)
        log.success(`${file}: ${result.slides} slides → ${result.outputs.join(', ')} (${seconds} s)`)
        for (const warning of result.warnings) log.warn(`${file}: ${warning}`)
      } catch (err) {
        if (!(err instanceof DeckError)) throw err
        // A browser that cannot start fails every brief the same way: say it once.
        const message = formatError(err)
        if (!reported.has(message)) log.error(message)
        reported.add(message)
        if (err.exitCode === ExitCode.input) log.info(`Nothing was written for ${file}; earlier outputs in ${flags.out}/ are unchanged.`)
        worst = Math.max(worst, err.exitCode) as ExitCodeValue
      }
    }
    if (files.length > 1) log.info(`${results.length} of ${files.length} briefs built.`)
    return worst
  } finally {
    await Promise.all([session?.close(), marp?.close()])
  }
}

function program(): Command {
  const cli = new Command('deck')
    .description('Turn a policy brief written in YAML into a slide deck (Marp Markdown and a self-contained HTML file).')
    .version(process.env.npm_package_version ?? '0.1.0', '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
    .exitOverride()

  cli
    .command('build')
    .description(`Validate each brief and write its outputs to the output folder. With no file, builds every *.yaml in ${DATA_DIR}/.`)
    .argument('[briefs...]', 'YAML briefs to build')
    .addOption(new Option('-o, --out <dir>', 'output folder').default('dist'))
    .addOption(new Option('--templates <dir>', 'folder with deck.hbs, layouts/, print/ and marp.config.json').default(TEMPLATE_DIR))
    .addOption(new Option('--theme <file>', 'Marp theme CSS').default(THEME_FILE))
    .addOption(new Option('-f, --format <list>', `outputs to write, comma-separated: ${FORMATS.join(', ')}`).argParser(parseFormats).default([...FORMATS], 'all'))
    .addOption(new Option('--handout <n>', 'slides per handout page').choices(['2', '3']).default('3'))
    .addOption(new Option('--image-scale <n>', 'pixels per CSS pixel in PNGs and PowerPoint (slides are 1280×720 CSS pixels)').argParser(parseScale).default(1))
    .addOption(new Option('--browser-path <path>', 'Chrome or Chromium to use for PDF, PowerPoint and images (or set CHROME_PATH)'))
    .addHelpText(
      'after',
      `
Outputs, for a brief <name>.yaml:
  <name>.md             the Marp Markdown
  <name>.html           the deck to present (p: presenter view, f: full screen)
  <name>-audience.html  the same deck without speaker notes, to send out
  <name>.pdf            one page per slide, with bookmarks
  <name>-handout.pdf    A4, two or three slides a page beside their notes
  <name>-notes.pdf      each slide with its speaker notes, for the presenter
  <name>.pptx           PowerPoint, one picture per slide, notes in the notes pane
  <name>-slides/NNN.png and <name>-cover.png

PDF, PowerPoint and images need Chromium: --browser-path or CHROME_PATH, else a
system Chrome or Chromium, else the one that npm ci installed.

Exit codes: 0 built; ${ExitCode.input} a brief, template or theme has errors (nothing written for it);
${ExitCode.usage} bad command line; ${ExitCode.environment} missing browser or disk problem; ${ExitCode.internal} a bug in this tool.

Examples:
  npm run build
  npm run build -- data/serbia-china-extradition.yaml --out public
  npm run build -- --format html,pdf,handout --handout 2`,
    )
  return cli
}

export async function main(argv: readonly string[]): Promise<ExitCodeValue> {
  const cli = program()
  let outcome: Promise<ExitCodeValue> = Promise.resolve(ExitCode.ok)
  cli.commands
    .find((c) => c.name() === 'build')
    ?.action((briefs: string[], flags: BuildFlags) => {
      outcome = runBuild(briefs, flags)
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
    if (err instanceof DeckError) {
      log.error(formatError(err))
      return err.exitCode
    }
    log.error(`internal error: this is a bug in brief-deck, please report it with the text below.\n${err instanceof Error ? err.stack : String(err)}`)
    return ExitCode.internal
  }
}
