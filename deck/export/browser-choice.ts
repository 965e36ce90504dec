import { DeckError, ExitCode } from '../shared/errors.ts'

// Which kind of browser a build may use: every kind unless BRIEF_DECK_BROWSER narrows it
// (CI builds with each kind in turn; a user whose system browser misbehaves picks the other).

/** Where a browser comes from: --browser-path, CHROME_PATH, the system, the npm package. */
export type BrowserSource = 'option' | 'CHROME_PATH' | 'system' | 'npm'

/** `BRIEF_DECK_BROWSER=system` (a system Chrome or Chromium only) or `bundled` (the npm package's); unset, any. */
export function chosenInEnvironment(): BrowserSource | undefined {
  const value = process.env.BRIEF_DECK_BROWSER?.trim()
  const choice = value ? ({ system: 'system', bundled: 'npm' } as const)[value as 'system' | 'bundled'] : undefined
  if (value && !choice) throw new DeckError(`BRIEF_DECK_BROWSER=${value} is not a choice: use system or bundled, or unset it`, { exitCode: ExitCode.usage })
  return choice
}
