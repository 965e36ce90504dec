import { readFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'

import { type Command, InvalidArgumentError, Option } from 'commander'

import { type Format, FORMATS } from '../export/outputs.ts'
import { BRAND_FILE_NAME, findBrandFile } from '../render/brand.ts'
import { TEMPLATE_DIR } from '../render/templates.ts'
import { THEME_FILE_NAME } from '../render/theme.ts'
import { DeckError, errorCode, escapeControls, ExitCode, type ExitCodeValue, fileError } from '../shared/errors.ts'
import { TOOL_NAME } from '../shared/home.ts'
import { log } from '../shared/log.ts'
import { type DeckConfig, loadConfig } from './config.ts'

// What the commands share: their options (each declared once here), the parsers of
// option values, the settings file, and where briefs are found when none is named.

/** Where briefs are found when a command names none, and where `new` writes one. */
export const DATA_DIR = 'data'
const RE_BRIEF_FILE = /\.ya?ml$/

/** The brief's JSON Schema copied into a project whose brief-deck is not installed in it (`init` run by npx from elsewhere). */
export const SCHEMA_COPY = 'brief.schema.json'

/**
 * How a user runs a subcommand here, for the next steps a command suggests: the npm script
 * in this repository (`npm run check --`), the installed command anywhere else.
 */
export function runHint(command: 'build' | 'check' | 'dev' | 'new'): string {
  const own = (() => {
    try {
      return (JSON.parse(readFileSync('package.json', 'utf8')) as { name?: string }).name === TOOL_NAME
    } catch {
      return false
    }
  })()
  return own ? `npm run ${command} --` : `npx ${TOOL_NAME} ${command}`
}

/** A command's work: its action hands the promise of its exit code to `main`. */
export type Run = (work: Promise<ExitCodeValue>) => void

export const outOption = (what = 'output folder') => new Option('-o, --out <dir>', what).default('dist')
export const templatesOption = (what = 'folder of templates (deck.hbs, layouts/, print/, theme.css, _brand.yml, marp.config.json)') =>
  new Option('--templates <dir>', `${what}; each file there takes the place of the tool's own (default: ./${TEMPLATE_DIR} if there is one)`)
export const themeOption = () => new Option('--theme <file>', `Marp theme CSS (default: ${THEME_FILE_NAME} of the templates)`)
export const brandOption = () =>
  new Option('--brand <file>', `brand file in the brand.yml format (default: ${BRAND_FILE_NAME} beside the brief or in this folder, over the default look)`)
export const noBrandOption = () => new Option('--no-brand', `the default look, whatever ${BRAND_FILE_NAME} files there are`)

/**
 * The brand of a run's briefs: the one named (--brand, the `brand` setting), none
 * (--no-brand), or the _brand.yml found beside them (or here), which must be one for all:
 * briefs of folders with brands of their own are built one folder at a time.
 */
export async function brandFileFor(flag: string | boolean | undefined, briefs: readonly string[]): Promise<string | false | undefined> {
  if (typeof flag === 'string' || flag === false) return flag
  const found = await Promise.all(briefs.map((brief) => findBrandFile(undefined, brief)))
  const distinct = [...new Set(found.map((f) => (f === undefined ? 'none' : resolve(f))))]
  if (distinct.length > 1)
    throw new DeckError(
      `These briefs have different brands (${distinct.join(', ')}): build the briefs of each folder on their own, or name one brand for all with --brand`,
      { exitCode: ExitCode.usage },
    )
  return found[0]
}
export const sourceOption = () => new Option('--source <file>', "the brief's text, to find every figure's evidence in (else meta.source.document)")
/** `--browser-path`; `purpose` says what the browser does for this command. */
export const browserPathOption = (purpose: string) => new Option('--browser-path <path>', `Chrome or Chromium ${purpose} (or set CHROME_PATH)`)

export function parsePort(value: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('give a port number from 0 to 65535')
  return port
}

export function parseFormats(value: string): Format[] {
  const asked = value
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
  const unknown = asked.filter((f) => !(FORMATS as readonly string[]).includes(f))
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown format ${unknown.join(', ')}; use some of: ${FORMATS.join(', ')}`)
  return asked as Format[]
}

export function parseScale(value: string): number {
  const scale = Number(value)
  if (!Number.isFinite(scale) || scale < 0.5 || scale > 4) throw new InvalidArgumentError('give a number from 0.5 to 4')
  return scale
}

/** The briefs named, else every YAML file in data/; none at all is a usage error. */
export async function briefFiles(briefs: readonly string[]): Promise<string[]> {
  const files = briefs.length > 0 ? [...briefs] : await defaultBriefs()
  if (files.length === 0) throw new DeckError(`No brief given: name a YAML file, or put one in ${DATA_DIR}/`, { exitCode: ExitCode.usage })
  for (const file of files) refuseLineBreaks(file, 'a brief')
  return files
}

/**
 * A path with a line break in its name is refused: every message that names it would print
 * a line of the name's choosing ("✔ all good: 0 errors"). Other invisible characters are shown
 * as escapes wherever a path is printed.
 */
export function refuseLineBreaks(path: string, what: string): void {
  if (RE_LINE_BREAK.test(path)) throw new DeckError(`${escapeControls(path)}: the name of ${what} holds a line break; rename it`, { exitCode: ExitCode.usage })
}
const RE_LINE_BREAK = /[\n\r\u2028\u2029\u0085]/

async function defaultBriefs(): Promise<string[]> {
  const files = await readdir(DATA_DIR).catch((cause: unknown) => {
    if (errorCode(cause) === 'ENOENT') return [] as string[] // no data/ folder: no default briefs, which the caller says
    throw fileError('read the briefs in', DATA_DIR, cause)
  })
  return files
    .filter((f) => RE_BRIEF_FILE.test(f))
    .sort()
    .map((f) => join(DATA_DIR, f))
}

/** The options that name a file or folder, and what it is. */
const PATH_OPTIONS = [
  ['out', 'the output folder'],
  ['theme', 'the theme'],
  ['brand', 'the brand file'],
  ['templates', 'the templates folder'],
  ['source', 'the source document'],
  ['browserPath', 'the browser'],
] as const

/** Which option each setting of the settings file stands for. */
const CONFIG_OPTIONS: Record<keyof DeckConfig, string> = {
  out: 'out',
  formats: 'format',
  theme: 'theme',
  brand: 'brand',
  templates: 'templates',
  browserPath: 'browserPath',
  handout: 'handout',
}

/** The options with the settings file's values filled in where the command line gave none. */
export async function withConfig<T extends object>(command: Command, flags: T): Promise<T> {
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
  for (const [option, what] of PATH_OPTIONS) {
    const value = merged[option]
    if (typeof value === 'string') refuseLineBreaks(value, what)
  }
  return merged as T
}
