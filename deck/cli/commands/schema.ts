import { rename, rm, writeFile } from 'node:fs/promises'

import { Command } from 'commander'

import { briefJsonSchema } from '../../brief/schema.ts'
import { ExitCode, type ExitCodeValue, fileError } from '../../shared/errors.ts'
import { log } from '../../shared/log.ts'
import type { Run } from '../options.ts'

// `brief-deck schema`: the brief's JSON Schema, made from the schema the briefs are
// validated with, for editors to complete and check a brief (`# yaml-language-server: $schema=…`).

export function schemaCommand(run: Run): Command {
  return new Command('schema')
    .description("Print the brief's JSON Schema (what editors complete and check a brief with), or write it to a file.")
    .option('-o, --out <file>', 'write it to this file instead')
    .action((flags: { out?: string }) => run(runSchema(flags)))
}

async function runSchema(flags: { out?: string }): Promise<ExitCodeValue> {
  const text = `${JSON.stringify(briefJsonSchema(), null, 2)}\n`
  if (flags.out === undefined) {
    process.stdout.write(text)
    return ExitCode.ok
  }
  // Written whole or not at all: a partial file renamed into place.
  const partial = `${flags.out}.${process.pid}.partial`
  try {
    await writeFile(partial, text)
    await rename(partial, flags.out)
  } catch (cause) {
    await rm(partial, { force: true })
    throw fileError('write', flags.out, cause)
  }
  log.success(`Wrote ${flags.out}`)
  return ExitCode.ok
}
