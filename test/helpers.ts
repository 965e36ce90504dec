import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'
import { parseBrief } from '../deck/brief.ts'
import { drawBriefCharts } from '../deck/build.ts'
import { DeckError, type Problem } from '../deck/errors.ts'
import type { Brief } from '../deck/schema.ts'
import { readTheme } from '../deck/theme.ts'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const DEFAULT_BRIEF = 'data/serbia-china-extradition.yaml'

export function fixture(name: string): string {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')
}

export function readRepoFile(path: string): string {
  return readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')
}

/** The charts of a brief's chart slides, drawn with the repository's theme (no cache: each run draws them). */
export async function chartsOf(brief: Brief): Promise<Map<string, string>> {
  return drawBriefCharts(brief, await readTheme(join(ROOT, 'templates/theme.css')), {})
}

/** The problems a brief's text is rejected with (fails the test if it is accepted). */
export function problemsOf(text: string, file = 'brief.yaml'): Problem[] {
  try {
    parseBrief(text, file)
  } catch (err) {
    if (err instanceof DeckError) return [...err.problems]
    throw err
  }
  throw new Error('expected the brief to be rejected, but it was accepted')
}

/** The error a function throws, which must be a DeckError. */
export function deckErrorOf(fn: () => unknown): DeckError {
  try {
    fn()
  } catch (err) {
    if (err instanceof DeckError) return err
    throw err
  }
  throw new Error('expected a DeckError, but nothing was thrown')
}

const made: string[] = []
// Registered when a test file imports this module: its temp folders go when the file is done.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A fresh folder in the temp folder, removed after the test file has run. */
export function tempDir(prefix = 'deck-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}
