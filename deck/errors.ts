// One error type for everything a user can get wrong, with an exit code per kind.
// Anything else that escapes is a bug in this tool and is reported as one.

export const ExitCode = Object.freeze({
  ok: 0,
  /** The brief, a template or the theme has a problem the user can fix. */
  input: 1,
  /** The command line itself is wrong (unknown option, missing file). */
  usage: 2,
  /** Something on this machine is missing or failed (browser, disk). */
  environment: 3,
  /** A bug in this tool. */
  internal: 70,
  /** Stopped by Ctrl-C (128 + SIGINT), as shells report it. */
  interrupted: 130,
})
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

/** One problem found in an input file, located as precisely as the parser allows. */
export interface Problem {
  file: string
  line?: number
  col?: number
  /** Dotted path of the field in the data, e.g. `figures.asylum-2020.value`. */
  path?: string
  message: string
  /** The source line the problem is on, shown under the message. */
  excerpt?: string
}

export class DeckError extends Error {
  readonly exitCode: ExitCodeValue
  readonly problems: readonly Problem[]

  constructor(message: string, options: { exitCode?: ExitCodeValue; problems?: Problem[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'DeckError'
    this.exitCode = options.exitCode ?? ExitCode.input
    this.problems = options.problems ?? []
  }
}

/** The system error code (`ENOENT`, `EACCES`, …) of a failed file operation, if it has one. */
export function errorCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined
}

/** A failed file operation as a user error: what could not be done, to which path, and why. */
export function fileError(action: string, path: string, cause: unknown, exitCode: ExitCodeValue = ExitCode.environment): DeckError {
  return new DeckError(`Cannot ${action} ${path}: ${errorCode(cause) ?? (cause instanceof Error ? cause.message : String(cause))}`, { exitCode, cause })
}

const EXCERPT_WIDTH = 100

export function formatProblem(p: Problem): string {
  const where = [p.file, p.line, p.col].filter((x) => x !== undefined).join(':')
  const head = [where, p.path, p.message].filter(Boolean).join('  ')
  if (p.excerpt === undefined || p.line === undefined) return head
  // Very long lines (minified YAML, 5,000 brackets) are cut to a window around the column.
  let excerpt = p.excerpt
  let col = p.col
  if (excerpt.length > EXCERPT_WIDTH) {
    const start = Math.max(0, Math.min((col ?? 1) - 1 - EXCERPT_WIDTH / 2, excerpt.length - EXCERPT_WIDTH))
    excerpt = `${start > 0 ? '…' : ''}${excerpt.slice(start, start + EXCERPT_WIDTH)}${start + EXCERPT_WIDTH < p.excerpt.length ? '…' : ''}`
    if (col !== undefined) col = col - start + (start > 0 ? 1 : 0)
  }
  const gutter = `${p.line} | `
  const caret = col === undefined ? '' : `\n    ${' '.repeat(gutter.length + col - 1)}^`
  return `${head}\n    ${gutter}${excerpt}${caret}`
}

export function formatError(err: DeckError): string {
  if (err.problems.length === 0) return err.message
  const count = err.problems.length === 1 ? '1 problem' : `${err.problems.length} problems`
  return `${err.message} (${count}):\n\n${err.problems.map(formatProblem).join('\n\n')}`
}
