import { constants } from 'node:fs'
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'

import { Command } from 'commander'

import { parseBrief } from '../../brief/brief.ts'
import { SCHEMA_FILE } from '../../brief/schema.ts'
import { TEMPLATE_DIR } from '../../render/templates.ts'
import { makeDir } from '../../shared/dirs.ts'
import { errorCode, ExitCode, type ExitCodeValue, fileError } from '../../shared/errors.ts'
import { toolFile, toolRoot } from '../../shared/home.ts'
import { log } from '../../shared/log.ts'
import { DATA_DIR, type Run, runHint, SCHEMA_COPY } from '../options.ts'
import { starterBrief } from './new.ts'

// `brief-deck init`: a project in the folder it runs in: a starter brief in data/, the
// settings file, a .gitignore for the output folder, and the brief's JSON Schema for
// editors. `--templates` copies the tool's templates out, for those who want to own them
// all (one file copied is enough to override that file alone). Nothing is written over.

/** The brief `init` starts a project with. */
const FIRST_BRIEF = 'first-brief'
const OUT_DIR = 'dist'
const SETTINGS_FILE = 'deck.config.json'

export function initCommand(run: Run): Command {
  return new Command('init')
    .description(
      `Start a project in this folder: ${DATA_DIR}/${FIRST_BRIEF}.yaml, ${SETTINGS_FILE}, a .gitignore for ${OUT_DIR}/, and the brief's JSON Schema for editors. Writes over nothing.`,
    )
    .option('--templates', `also copy the templates, theme and brand into ${TEMPLATE_DIR}/, to change them (a single file there is enough to change that one)`)
    .action((flags: { templates?: boolean }) => run(runInit(flags)))
}

type Outcome = 'wrote' | 'kept'

async function runInit(flags: { templates?: boolean }): Promise<ExitCodeValue> {
  const said: [Outcome, string][] = []
  const schema = await schemaForEditors(said)
  const brief = join(DATA_DIR, `${FIRST_BRIEF}.yaml`)
  const text = await starterBrief(FIRST_BRIEF, undefined, relative(DATA_DIR, schema))
  parseBrief(text, brief) // the starter must be a brief that builds
  await makeDir(DATA_DIR)
  said.push([await writeNew(brief, text), brief])
  said.push([await writeNew(SETTINGS_FILE, `${JSON.stringify({ out: OUT_DIR }, null, 2)}\n`), SETTINGS_FILE])
  said.push([await ignoreOutput(), '.gitignore'])
  if (flags.templates) said.push(...(await copyTemplates()))
  for (const [outcome, file] of said) log.info(`  ${outcome === 'wrote' ? 'wrote' : 'kept '}  ${file}${outcome === 'kept' ? ' (there already)' : ''}`)
  log.success('Your project is ready. Next:')
  log.info(`  1. ${runHint('build')}: builds ${brief} into ${OUT_DIR}/; open the .html`)
  log.info(`  2. Replace the brief's values with your own (your editor completes the keys), then`)
  log.info(`     ${runHint('check')} ${brief} --source <the brief's text>: finds numbers the source does not say`)
  log.info(`  3. ${runHint('dev')} ${brief}: rebuilds the deck on every save`)
  log.info(`  Your organisation's look: a _brand.yml beside the brief (the README, "Your organisation's look").`)
  return ExitCode.ok
}

/** Writes a file unless one is there. */
async function writeNew(file: string, text: string): Promise<Outcome> {
  try {
    await writeFile(file, text, { flag: 'wx' })
    return 'wrote'
  } catch (cause) {
    if (errorCode(cause) === 'EEXIST') return 'kept'
    throw fileError('write', file, cause)
  }
}

/**
 * The schema a brief's first line names for editors: the installed package's, when
 * brief-deck is installed in this folder (it stays current as the package is updated);
 * else a copy in the project (npx ran brief-deck from its own cache, which may be cleared).
 */
async function schemaForEditors(said: [Outcome, string][]): Promise<string> {
  const tool = toolFile(SCHEMA_FILE)
  if (!relative(resolve('.'), toolRoot()).startsWith('..')) return tool
  said.push([await writeNew(SCHEMA_COPY, await readFile(tool, 'utf8')), SCHEMA_COPY])
  return SCHEMA_COPY
}

/** The output folder in .gitignore: added to one that lacks it, or the file written. */
async function ignoreOutput(): Promise<Outcome> {
  const line = `${OUT_DIR}/`
  const text = await readFile('.gitignore', 'utf8').catch((cause: unknown) => {
    if (errorCode(cause) === 'ENOENT') return undefined
    throw fileError('read', '.gitignore', cause)
  })
  if (text === undefined) return writeNew('.gitignore', `# brief-deck's output\n${line}\n`)
  if (text.split(/\r?\n/).some((l) => l.trim() === line || l.trim() === OUT_DIR)) return 'kept'
  await writeFile('.gitignore', `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${line}\n`)
  return 'wrote'
}

/** Every file of the tool's templates, into templates/ here; a file there already is kept. */
async function copyTemplates(): Promise<[Outcome, string][]> {
  const from = toolFile('templates')
  if (resolve(from) === resolve(TEMPLATE_DIR)) return [['kept', `${TEMPLATE_DIR}/ (the tool's own)`]]
  const said: [Outcome, string][] = []
  const names = (await readdir(from, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())
  for (const entry of names) {
    const source = join(entry.parentPath, entry.name)
    const target = join(TEMPLATE_DIR, relative(from, source))
    await makeDir(dirname(target))
    try {
      await copyFile(source, target, constants.COPYFILE_EXCL)
      said.push(['wrote', target])
    } catch (cause) {
      if (errorCode(cause) !== 'EEXIST') throw fileError('write', target, cause)
      said.push(['kept', target])
    }
  }
  return said.sort((a, b) => a[1].localeCompare(b[1]))
}
