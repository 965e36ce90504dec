import { DeckError, ExitCode } from '../shared/errors.ts'

// The theme's tokens: the custom properties on its `:root` (colours, fonts, sizes), as the
// slides, the printed pages, the PowerPoint and the contrast check all read them.

const RE_VAR = /^var\(\s*--([\w-]+)\s*\)$/

/** Tokens with `var(--navy)` replaced by what --navy holds (a chain of them too; a cycle stays as it is). */
export function resolveTokens(tokens: Record<string, string>): Record<string, string> {
  const resolved: Record<string, string> = {}
  for (const name of Object.keys(tokens)) {
    let value = tokens[name] ?? ''
    for (let depth = 0; depth < 10; depth += 1) {
      const ref = RE_VAR.exec(value)?.[1]
      const next = ref === undefined ? undefined : tokens[ref]
      if (next === undefined) break
      value = next
    }
    resolved[name] = value
  }
  return resolved
}

/**
 * A colour of the theme, `--<name>` on its `:root`, for what is drawn outside its CSS (`user`: the
 * charts, the PowerPoint). A theme without it is an error that names it: never a colour of this
 * tool's own, which the theme does not have and its contrast check never saw.
 */
export function themeColour(tokens: Record<string, string>, name: string, user: string): string {
  const value = tokens[name]?.trim()
  if (!value)
    throw new DeckError(`The theme has no --${name} colour on its :root, which ${user} is drawn with: add it to the theme`, { exitCode: ExitCode.input })
  return value
}

/** The prefix of the theme's print palette: --print-<name> replaces --<name> on the printed handout. */
export const PRINT_PREFIX = 'print-'

/**
 * The names the print palette replaces, and the value that replaces each: the --print-<name>
 * variable resolved in the screen palette, so `--print-accent: var(--accent)` means the
 * accent as it is on screen, never a loop.
 */
export function printOverrides(tokens: Record<string, string>): [name: string, value: string][] {
  const screen = resolveTokens(tokens)
  return Object.keys(tokens)
    .filter((name) => name.startsWith(PRINT_PREFIX) && name.length > PRINT_PREFIX.length)
    .map((name) => [name.slice(PRINT_PREFIX.length), screen[name] ?? ''])
}

/** The colours as the handout prints them: each --print-<name> in place of --<name>. */
export function printPalette(tokens: Record<string, string>): Record<string, string> {
  return { ...tokens, ...Object.fromEntries(printOverrides(tokens)) }
}

/**
 * The sizes, in CSS pixels, that the layouts and the print checks assume when a theme does not
 * set them: the theme's own text (`--size-text`) and its smallest (`--size-caption`).
 */
export const SIZE_DEFAULTS = { 'size-text': 28, 'size-caption': 16 } as const

/** A size token of the theme in CSS pixels (`--size-caption: 16px`), or its default. */
export function sizePx(tokens: Record<string, string>, name: keyof typeof SIZE_DEFAULTS): number {
  return Number.parseFloat(tokens[name] ?? '') || SIZE_DEFAULTS[name]
}
