import { cosmiconfig } from 'cosmiconfig'
import { z } from 'zod'

import { FORMATS } from '../export/outputs.ts'
import { DeckError, errorMessage, ExitCode } from '../shared/errors.ts'

// Settings a project keeps instead of typing them on every command, the way Marp CLI
// finds its own: a `deck` key in package.json, or deck.config.{json,yaml,mjs,js} (and
// .deckrc files) in the working folder. An option on the command line wins over the
// file, and the file over the built-in default.

export const configSchema = z
  .strictObject({
    out: z.string().min(1).optional().meta({ description: 'Output folder (default dist).' }),
    formats: z.array(z.enum(FORMATS)).min(1).optional().meta({ description: 'Outputs to write (default: all but pptx-images).' }),
    theme: z.string().min(1).optional().meta({ description: 'Marp theme CSS.' }),
    templates: z.string().min(1).optional().meta({ description: 'Templates folder.' }),
    browserPath: z.string().min(1).optional().meta({ description: 'Chrome or Chromium to use.' }),
    handout: z
      .union([z.literal(2), z.literal(3)])
      .optional()
      .meta({ description: 'Slides per handout page.' }),
  })
  .meta({ description: 'brief-deck settings (deck.config.json or the "deck" key of package.json).' })

export type DeckConfig = z.infer<typeof configSchema>

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
]

/** The settings file of the folder `cwd`, if it has one (only that folder is searched). */
export async function loadConfig(cwd: string = process.cwd()): Promise<{ config: DeckConfig; file?: string }> {
  let found: { config: unknown; filepath: string; isEmpty?: boolean } | null
  try {
    // 'none': the working folder only, never a home or global config folder.
    found = await cosmiconfig('deck', { searchPlaces: SEARCH_PLACES, searchStrategy: 'none' }).search(cwd)
  } catch (cause) {
    throw new DeckError(`Cannot read the settings file: ${errorMessage(cause)}`, { exitCode: ExitCode.input, cause })
  }
  if (!found || found.isEmpty) return { config: {} }
  const result = configSchema.safeParse(found.config)
  if (!result.success) {
    const problems = result.error.issues.map((i) => ({ file: found.filepath, path: i.path.join('.'), message: i.message }))
    throw new DeckError(`${found.filepath}: the settings do not match the format`, { exitCode: ExitCode.input, problems })
  }
  return { config: result.data, file: found.filepath }
}
