import { resolve } from 'node:path'

import { Command, Option } from 'commander'

import type { LoadedBrief } from '../../brief/brief.ts'
import { buildBrief, type BuildOptions } from '../../build.ts'
import { formatReport } from '../../check/report.ts'
import { briefVariants, deckName, prepare, type Toolkit } from '../../deck.ts'
import { type BrowserSession, browserSession } from '../../export/browser.ts'
import { MarpWorker } from '../../export/marp.ts'
import { deckOutputs, DEFAULT_FORMATS, type Format, FORMATS, needsBrowser, needsMarp, outputFiles } from '../../export/outputs.ts'
import { unusedNote } from '../../render/brand.ts'
import { DEFAULT_HANDOUT } from '../../render/print.ts'
import { sayInterrupted, wasInterrupted } from '../../shared/cleanup.ts'
import { DeckError, ExitCode, type ExitCodeValue, formatError, machineError } from '../../shared/errors.ts'
import { browserProfileDir, RollbackFailed } from '../../shared/fs.ts'
import { log, reached } from '../../shared/log.ts'
import {
  brandFileFor,
  brandOption,
  briefFiles,
  browserPathOption,
  DATA_DIR,
  noBrandOption,
  outOption,
  parseFormats,
  parseScale,
  type Run,
  runHint,
  sourceOption,
  templatesOption,
  themeOption,
  withConfig,
} from '../options.ts'

// `deck build [briefs…]`: validate each brief and write its outputs; a deck that fails
// writes nothing, and the others still build.

interface BuildFlags {
  out: string
  templates?: string
  theme?: string
  brand?: string | boolean
  format: Format[]
  browserPath?: string
  handout: '2' | '3'
  imageScale: number
  source?: string
  force?: boolean
  variant?: string
}

export function buildCommand(run: Run): Command {
  return new Command('build')
    .description(`Validate each brief and write its outputs to the output folder. With no file, builds every *.yaml in ${DATA_DIR}/.`)
    .argument('[briefs...]', 'YAML briefs to build')
    .addOption(outOption())
    .addOption(templatesOption())
    .addOption(themeOption())
    .addOption(brandOption())
    .addOption(noBrandOption())
    .addOption(
      new Option('-f, --format <list>', `outputs to write, comma-separated: ${FORMATS.join(', ')}`)
        .argParser(parseFormats)
        .default([...DEFAULT_FORMATS], 'all but pptx-images'),
    )
    .addOption(
      new Option(
        '--handout <n>',
        'slides per handout page: 2 (each full width, its audience text below; slide text prints at 8 pt or more) or 3 (text beside, slide text smaller)',
      )
        .choices(['2', '3'])
        .default(String(DEFAULT_HANDOUT)),
    )
    .addOption(
      new Option('--image-scale <n>', 'pixels per CSS pixel in the PNGs (slides are 1280×720 CSS pixels; the picture PowerPoint is at least 2)')
        .argParser(parseScale)
        .default(1),
    )
    .addOption(browserPathOption('to use for PDFs and images'))
    .addOption(sourceOption())
    .addOption(new Option('--force', 'write the outputs even when a check finds an error'))
    .addOption(
      new Option(
        '--variant <name>',
        'build only this variant of each brief (one of its `variants`, or `full` for the whole brief); by default the whole brief and every variant are built, the variants to <brief>.<variant>.* files',
      ),
    )
    .addHelpText('after', BUILD_HELP)
    .action((briefs: string[], flags: BuildFlags, command: Command) => run(withConfig(command, flags).then((f) => runBuild(briefs, f))))
}

const BUILD_HELP = `
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
${ExitCode.usage} bad command line or settings file; ${ExitCode.environment} missing browser, a browser step that hung, or disk problem;
${ExitCode.interrupted} interrupted (Ctrl-C); ${ExitCode.internal} a bug in this tool. A deck that fails writes nothing:
its earlier outputs stay exactly as they were (should putting them back fail, exit 3 says what is left where).

Examples:
  ${runHint('build').replace(/ --$/, '')}
  ${runHint('build')} data/serbia-china-extradition.yaml --out public
  ${runHint('build')} --format html,pdf,handout --handout 3`

/** One deck to build: a brief, or one of its variants. */
interface Deck {
  file: string
  variant: string | undefined
  read: LoadedBrief | undefined
}

/** What the whole run has said so far, so that nothing is said twice. */
interface Said {
  /** Error messages shown (a browser that cannot start fails every deck the same way). */
  errors: Set<string>
  /** Notes for the end of the run. */
  notes: Set<string>
}

async function runBuild(briefs: string[], flags: BuildFlags): Promise<ExitCodeValue> {
  // The same brief named twice is built once.
  const files = [...new Map((await briefFiles(briefs)).map((f) => [resolve(f), f])).values()]
  const formats = new Set(flags.format)
  // Start the browser and Marp now: they load while the briefs are read and checked.
  let session: BrowserSession | undefined
  if (needsBrowser(formats)) {
    session = browserSession({ browserPath: flags.browserPath, profileDir: browserProfileDir(flags.out), slotsOf: flags.out })
    // A browser that does not start fails the first deck that needs it, which says why.
    void session.get().catch(() => undefined)
  }
  const marp = needsMarp(formats) ? new MarpWorker({ html: formats.has('html') || formats.has('audience') }) : undefined
  try {
    const toolkit = await prepare({ templatesDir: flags.templates, themeFile: flags.theme, brandFile: await brandFileFor(flags.brand, files) })
    reached('templates and theme read')
    const brandNote = unusedNote(toolkit.theme.brand)
    if (session) marp?.prepareSlides(toolkit.theme, toolkit.marp)
    const decks: Deck[] = []
    for (const file of files) {
      const { variants, read } = await briefVariants(file, flags.variant)
      for (const variant of variants) decks.push({ file, variant, read })
    }
    refuseSameNames(decks, flags.out, toolkit.theme.name)
    const options = {
      outDir: flags.out,
      formats,
      handoutPerPage: Number(flags.handout) as 2 | 3,
      imageScale: flags.imageScale,
      checks: { sourceFile: flags.source, force: flags.force },
      ...(marp ? { marp } : {}),
      ...(session ? { browser: session } : {}),
    }
    const said: Said = { errors: new Set(), notes: new Set() }
    let worst: ExitCodeValue = ExitCode.ok
    const rows: string[][] = []
    for (const deck of decks) {
      if (wasInterrupted()) return stopped(flags.out, rows.length)
      const outcome = await buildOne(deck, toolkit, options, said)
      if (outcome === 'interrupted') return ExitCode.interrupted
      rows.push(outcome.row)
      worst = Math.max(worst, outcome.exitCode) as ExitCodeValue
    }
    if (decks.length > 1) {
      log.info(`\n${table(['deck', 'slides', 'outputs', 'time', 'problems'], rows)}`)
      const built = rows.filter((row) => row[1] !== FAILED_SLIDES).length
      log.info(`${built} of ${decks.length} ${files.length === decks.length ? 'briefs' : 'decks'} built.`)
    }
    for (const note of [...said.notes, ...(brandNote ? [brandNote] : [])]) log.info(`note: ${note}`)
    return worst
  } catch (err) {
    // Ctrl-C while the templates or briefs were read: the work under way failed because of it.
    if (wasInterrupted()) return stopped(flags.out, 0)
    throw err
  } finally {
    await Promise.all([session?.close(), marp?.close()])
  }
}

/** Ctrl-C came between decks, or before the first: said, since no deck's own message says it. */
function stopped(out: string, built: number): ExitCodeValue {
  const done = built > 0 ? `${built} ${built === 1 ? 'deck was' : 'decks were'} built; nothing more was written` : 'nothing was written'
  sayInterrupted(`Interrupted: ${done}, and the other outputs in ${out}/ are unchanged.`)
  return ExitCode.interrupted
}

/** The slides column of a deck that failed. */
const FAILED_SLIDES = '–'

/** Builds one deck and says how it went; the row is its line of the batch's summary. */
async function buildOne(
  deck: Deck,
  toolkit: Toolkit,
  options: Omit<BuildOptions, 'variant' | 'read'>,
  said: Said,
): Promise<{ row: string[]; exitCode: ExitCodeValue } | 'interrupted'> {
  const started = performance.now()
  const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`
  const label = deck.variant === undefined ? deck.file : `${deck.file} (${deck.variant})`
  log.info(`Building ${label} …`)
  try {
    const onProgress = (message: string) => log.info(`  ${seconds()}  ${message}`)
    const result = await buildBrief(deck.file, toolkit, { ...options, onProgress, variant: deck.variant, read: deck.read })
    const took = seconds()
    const { errors, warnings } = result.report
    const problems = [errors > 0 ? `${errors} errors (--force)` : '', warnings > 0 ? `${warnings} warnings` : ''].filter(Boolean).join(', ')
    log.success(`${label}: ${result.slides} slides → ${result.outputs.join(', ')} (${took})`)
    if (result.removed.length > 0) log.info(`  removed ${result.removed.join(', ')}: made from an earlier version of the brief, and not built this time`)
    for (const warning of result.warnings) log.warn(`${label}: ${warning}`)
    if (result.report.findings.length > 0) log.warn(`the checks found:\n${formatReport({ ...result.report, skipped: [] })}`)
    for (const note of result.report.skipped) said.notes.add(note)
    return { row: [label, String(result.slides), String(result.outputs.length), took, problems || 'none'], exitCode: ExitCode.ok }
  } catch (err) {
    // A commit that could not be undone says itself what the folder holds: it is not unchanged.
    const mixed = err instanceof RollbackFailed
    if (wasInterrupted() && !mixed) {
      sayInterrupted(`Interrupted: nothing was written for ${label}; its earlier outputs in ${options.outDir}/ are unchanged.`)
      return 'interrupted'
    }
    // A full disk or a path that is a file fails this deck with exit 3, not the run as a bug.
    const failure = machineError(err) ?? err
    if (!(failure instanceof DeckError)) throw err
    const message = formatError(failure)
    if (!said.errors.has(message)) log.error(message)
    said.errors.add(message)
    if (!mixed) log.info(`Nothing was written for ${label}: its earlier outputs in ${options.outDir}/ are unchanged.`)
    return { row: [label, FAILED_SLIDES, '0', seconds(), `FAILED: ${failure.message.split('\n')[0] ?? ''}`], exitCode: failure.exitCode }
  }
}

/**
 * Two decks that would write one output path (a/x.yaml and b/x.yaml; x.yaml's audience copy
 * and a brief named x-audience.yaml): refused before anything is built, naming both. Every
 * output a deck can have counts, not only those of this run's formats, since a deck's commit
 * removes its own outputs of an earlier version.
 */
function refuseSameNames(decks: readonly Deck[], out: string, themeName: string): void {
  const owners = new Map<string, string[]>()
  for (const { file, variant } of decks) {
    const name = variant === undefined ? deckName(file) : `${deckName(file)}.${variant}`
    const label = variant === undefined ? file : `${file} (${variant})`
    const files = outputFiles(name, themeName)
    for (const output of [...deckOutputs(files), files.record]) {
      // Names that differ only in case are one file on macOS and Windows.
      const key = output.toLowerCase()
      owners.set(key, [...(owners.get(key) ?? []), `${label} → ${output}`])
    }
  }
  const clashes = [...owners.values()].filter((group) => group.length > 1)
  if (clashes.length === 0) return
  const lines = clashes.slice(0, MAX_CLASHES_SHOWN).map((group) => `  ${group.join(' and ')}`)
  if (clashes.length > MAX_CLASHES_SHOWN) lines.push(`  …and ${clashes.length - MAX_CLASHES_SHOWN} more`)
  throw new DeckError(
    `Two decks would write the same file in ${out}/:\n${lines.join('\n')}\nBuild them one at a time into different folders (--out), or rename one.`,
    { exitCode: ExitCode.usage },
  )
}
const MAX_CLASHES_SHOWN = 6

/** Rows under a header, each column as wide as its widest cell. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}
