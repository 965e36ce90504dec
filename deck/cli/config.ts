import { stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { pathToFileURL } from 'node:url'

import { z } from 'zod'

import { FORMATS } from '../export/outputs.ts'
import { DeckError, errorCode, ExitCode, fieldPath, fileError, type Problem } from '../shared/errors.ts'
import { readInput } from '../shared/fs.ts'
import { isRecord, MAX_DEPTH, readJson, readSmallYaml } from '../shared/parse.ts'

// Settings a project keeps instead of typing them on every command: a `deck` key in
// package.json, or deck.config.{json,yaml,yml,mjs,js,cjs} (and .deckrc files) in the working
// folder, found as Marp CLI finds its own. An option on the command line wins over the file,
// and the file over the built-in default. Each file is read as every input is (a regular
// file, size-bounded, never a pipe or a device), and its mistakes are told in this tool's
// words at their line: a settings file is part of the command line, so they exit 2.

export const configSchema = z
  .strictObject({
    out: z.string().min(1).optional().meta({ description: 'Output folder (default dist).' }),
    formats: z.array(z.enum(FORMATS)).min(1).optional().meta({ description: 'Outputs to write (default: all but pptx-images).' }),
    theme: z.string().min(1).optional().meta({ description: 'Marp theme CSS.' }),
    brand: z.string().min(1).optional().meta({ description: 'Brand file (brand.yml format).' }),
    templates: z.string().min(1).optional().meta({ description: 'Templates folder.' }),
    browserPath: z.string().min(1).optional().meta({ description: 'Chrome or Chromium to use.' }),
    handout: z
      .union([z.literal(2), z.literal(3)])
      .optional()
      .meta({ description: 'Slides per handout page.' }),
  })
  .meta({ description: 'brief-deck settings (deck.config.json or the "deck" key of package.json).' })

export type DeckConfig = z.infer<typeof configSchema>
const SETTINGS = Object.keys(configSchema.shape)

/** Where settings are looked for, in this order; the first file found is the one read. */
const SEARCH_PLACES = [
  'package.json',
  'deck.config.json',
  'deck.config.yaml',
  'deck.config.yml',
  'deck.config.mjs',
  'deck.config.js',
  'deck.config.cjs',
  '.deckrc',
  '.deckrc.json',
  '.deckrc.yaml',
  '.deckrc.yml',
] as const

/** A settings file is a few lines; package.json may be long. */
const MAX_SETTINGS_BYTES = 1024 * 1024

/** The settings file of the folder `cwd`, if it has one (only that folder is searched). */
export async function loadConfig(cwd: string = process.cwd()): Promise<{ config: DeckConfig; file?: string }> {
  for (const place of SEARCH_PLACES) {
    const file = join(cwd, place)
    // None there: the next place. One there that cannot be looked at is said to be so, not passed over.
    const info = await stat(file).catch((cause: unknown) => {
      if (errorCode(cause) === 'ENOENT' || errorCode(cause) === 'ENOTDIR') return undefined
      throw fileError('read the settings file', file, cause, ExitCode.usage)
    })
    // A folder of that name is no settings file (cosmiconfig passed over it too).
    if (!info || info.isDirectory()) continue
    const found = await readSettings(file)
    // package.json without a "deck" key, or an empty file: the search goes on, as Marp CLI's does.
    if (found === undefined || found === null) continue
    const result = configSchema.safeParse(found)
    if (!result.success) {
      // Zod's words for an unknown key quote it: each is said at its own path instead.
      const problems = result.error.issues.flatMap((i) =>
        i.code === 'unrecognized_keys'
          ? i.keys.map((key) => ({
              file,
              path: fieldPath([...i.path.filter((p) => typeof p !== 'symbol'), key]),
              message: `a setting this tool does not have (settings: ${SETTINGS.join(', ')})`,
            }))
          : [{ file, path: fieldPath(i.path.filter((p) => typeof p !== 'symbol')), message: i.message }],
      )
      throw new DeckError(`${file}: the settings do not match the format`, { exitCode: ExitCode.usage, problems })
    }
    return { config: result.data, file }
  }
  return { config: {} }
}

async function readSettings(file: string): Promise<unknown> {
  const name = basename(file)
  const bytes = await readInput(file, 'a settings file', MAX_SETTINGS_BYTES, { exitCode: ExitCode.usage })
  if (/\.(mjs|js|cjs)$/.test(name)) {
    // Code the project wrote for itself; checked above to be a regular file of sensible size.
    const loaded = (await import(pathToFileURL(file).href).catch((cause: unknown) => {
      throw new DeckError(`${file}: the settings file could not be loaded (run it with node to see why)`, { exitCode: ExitCode.usage, cause })
    })) as { default?: unknown }
    return loaded.default
  }
  const text = bytes.toString('utf8')
  if (text.trim() === '') return undefined
  if (name.endsWith('.json')) {
    const read = readJson(text)
    if (!read.ok) throw settingsError(file, read, read.tooDeep ? `the JSON nests more than ${MAX_DEPTH} levels deep` : 'this is not valid JSON')
    return name === 'package.json' ? (isRecord(read.value) ? read.value.deck : undefined) : read.value
  }
  // YAML, which reads JSON too (.deckrc may be either).
  return readSmallYaml(text, (at, message) => settingsError(file, at ?? {}, message)).data
}

function settingsError(file: string, at: Pick<Problem, 'line' | 'col'>, message: string): DeckError {
  return new DeckError(`Cannot read the settings file ${file}`, { exitCode: ExitCode.usage, problems: [{ file, line: at.line, col: at.col, message }] })
}
