import { writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'

import { Command } from 'commander'
import Handlebars from 'handlebars'

import { parseBrief } from '../../brief/brief.ts'
import { RE_ID } from '../../brief/fields.ts'
import { SCHEMA_FILE } from '../../brief/schema.ts'
import { templateDirs, templateFile } from '../../render/templates.ts'
import { makeDir } from '../../shared/dirs.ts'
import { DeckError, errorCode, ExitCode, type ExitCodeValue, fileError } from '../../shared/errors.ts'
import { readInput } from '../../shared/fs.ts'
import { firstExisting, toolFile } from '../../shared/home.ts'
import { log } from '../../shared/log.ts'
import { DATA_DIR, type Run, runHint, SCHEMA_COPY, templatesOption } from '../options.ts'

// `deck new <name>`: a starter brief that validates, never written over an existing file.

/** The starter brief `new` writes, a Handlebars template. */
const STARTER_TEMPLATE = 'new/brief.yaml.hbs'

export function newCommand(run: Run): Command {
  return new Command('new')
    .description(`Write a starter brief, ${DATA_DIR}/<name>.yaml, that builds as it is: replace its values with your own.`)
    .argument('<name>', 'file name of the new brief: lower-case letters, digits and hyphens')
    .addOption(templatesOption('folder with new/brief.yaml.hbs'))
    .addHelpText('after', `\nExample:\n  ${runHint('new')} water-prices`)
    .action((name: string, flags: { templates?: string }) => run(runNew(name, flags)))
}

async function runNew(name: string, flags: { templates?: string }): Promise<ExitCodeValue> {
  if (!RE_ID.test(name))
    throw new DeckError(`"${name}" cannot name a brief: use lower-case letters, digits and hyphens, e.g. water-prices`, { exitCode: ExitCode.usage })
  const file = join(DATA_DIR, `${name}.yaml`)
  const text = await starterBrief(name, flags.templates)
  parseBrief(text, file) // the starter must be a brief that builds
  await makeDir(DATA_DIR)
  try {
    await writeFile(file, text, { flag: 'wx' })
  } catch (cause) {
    if (errorCode(cause) === 'EEXIST') throw new DeckError(`${file} exists already; pick another name, or edit that file`, { exitCode: ExitCode.usage })
    throw fileError('write', file, cause)
  }
  log.success(`Wrote ${file}. Next:`)
  log.info(`  1. Open it in your editor and replace the values with your brief's (the editor completes the keys).`)
  log.info(`  2. ${runHint('check')} ${file} --source <the brief's text>   finds numbers that do not match their source`)
  log.info(`  3. ${runHint('dev')} ${file}                               shows the deck and rebuilds it on every save`)
  log.info(`  4. ${runHint('build')} ${file}                             writes the HTML, PDFs, handout and PowerPoint to dist/`)
  return ExitCode.ok
}

/** A starter brief is a page of YAML. */
const MAX_STARTER_BYTES = 256 * 1024

/**
 * The starter's text for a brief named `name`, dated this month; its first line names the
 * JSON Schema `schema` for editors (by default the tool's own, or a project's copy beside data/).
 */
export async function starterBrief(name: string, templatesDir: string | undefined, schema?: string): Promise<string> {
  const starter = await templateFile(templateDirs(templatesDir), STARTER_TEMPLATE)
  // Read as every input is (a regular file, bounded): a pipe here would hang the command.
  const source = (await readInput(starter, 'the starter brief', MAX_STARTER_BYTES, { missing: ExitCode.input })).toString('utf8')
  const today = new Date()
  // The name is a file name, not a title ("eu-enlargement" is not "Eu enlargement"): the titles are placeholders to replace.
  try {
    return Handlebars.compile(source, { strict: true })({
      name,
      schema: schema ?? relative(DATA_DIR, (await firstExisting([SCHEMA_COPY])) ?? toolFile(SCHEMA_FILE)),
      date: today.toISOString().slice(0, 7),
      year: String(today.getUTCFullYear() - 1),
    })
  } catch (cause) {
    // Handlebars' words quote the template, which may be any file: said in ours.
    throw new DeckError(`${starter} is not a starter brief this tool can fill in (a Handlebars template with {{name}}, {{date}}, {{year}} and {{schema}})`, {
      cause,
    })
  }
}
