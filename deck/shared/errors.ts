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

/** Failures of the machine, not of this tool: a full disk, a path that is a file, no permission. */
const MACHINE_CODES = new Set([
  'ENOSPC',
  'EDQUOT',
  'EEXIST',
  'ENOTDIR',
  'EISDIR',
  'EACCES',
  'EPERM',
  'EROFS',
  'EIO',
  'EMFILE',
  'ENFILE',
  'ENAMETOOLONG',
  'ELOOP',
  'EBUSY',
])

/**
 * An error the operating system raised, as a message with exit 3, for one that escaped
 * every place that names its own action: a disk that filled up while Marp wrote, say.
 */
export function machineError(err: unknown): DeckError | undefined {
  const code = errorCode(err)
  if (code === undefined || !MACHINE_CODES.has(code)) return undefined
  const { syscall, path } = err as NodeJS.ErrnoException
  const what = path ? `${syscall ?? 'use'} ${path}` : (syscall ?? 'work')
  return new DeckError(`The machine refused to ${what}: ${explainCode(code)}`, { exitCode: ExitCode.environment, cause: err })
}

/** The first machine-fault code in a text (another tool's message or log), explained; none if it names none. */
export function machineFaultIn(text: string): string | undefined {
  const code = [...text.matchAll(RE_ERROR_CODE)].map((m) => m[0]).find((c) => MACHINE_CODES.has(c) && c !== 'EEXIST')
  return code === undefined ? undefined : explainCode(code)
}
const RE_ERROR_CODE = /\bE[A-Z]{2,}\b/g

function explainCode(code: string): string {
  return code === 'ENOSPC' || code === 'EDQUOT' ? `${code}: the disk is full` : code
}

/** A failed file operation as a user error: what could not be done, to which path, and why. */
export function fileError(action: string, path: string, cause: unknown, exitCode: ExitCodeValue = ExitCode.environment): DeckError {
  return new DeckError(`Cannot ${action} ${path}: ${errorCode(cause) ?? errorMessage(cause)}`, { exitCode, cause })
}

// Control characters (C0 and C1, DEL), visible as \x escapes: a brief, a key or a file that
// is not a brief can never move the terminal's cursor, retitle its window or clear it.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RE_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RE_CONTROL_OR_LINE = /[\u0000-\u001f\u007f-\u009f]/g

/** Escapes the control characters of text read from input; `lines` keeps line breaks and tabs (for whole messages). */
export function escapeControls(text: string, { lines = false } = {}): string {
  return text.replace(lines ? RE_CONTROL : RE_CONTROL_OR_LINE, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/** A value from the input quoted in a message: escaped, and cut short (it may be a secret in a file that is no brief). */
export function quoted(value: string, max = QUOTE_CHARS): string {
  const escaped = escapeControls(value)
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped
}
const QUOTE_CHARS = 40
const PATH_CHARS = 80

const EXCERPT_WIDTH = 80

export function formatProblem(p: Problem): string {
  const where = [p.file, p.line, p.col].filter((x) => x !== undefined).join(':')
  // A path is made of the input's keys: cut short, as any quoted value.
  const head = [where, p.path === undefined ? undefined : quoted(p.path, PATH_CHARS), p.message]
    .filter(Boolean)
    .map((part) => escapeControls(String(part)))
    .join('  ')
  if (p.excerpt === undefined || p.line === undefined) return head
  // Long lines (minified YAML, 5,000 brackets) are cut to a window around the column; a
  // control character shows as its escape, and the caret still points at the column.
  let excerpt = p.excerpt
  let col = p.col
  if (excerpt.length > EXCERPT_WIDTH) {
    const start = Math.max(0, Math.min((col ?? 1) - 1 - EXCERPT_WIDTH / 2, excerpt.length - EXCERPT_WIDTH))
    excerpt = `${start > 0 ? '…' : ''}${excerpt.slice(start, start + EXCERPT_WIDTH)}${start + EXCERPT_WIDTH < p.excerpt.length ? '…' : ''}`
    if (col !== undefined) col = col - start + (start > 0 ? 1 : 0)
  }
  const gutter = `${p.line} | `
  if (col !== undefined) col = escapeControls(excerpt.slice(0, col - 1)).length + 1
  const caret = col === undefined ? '' : `\n    ${' '.repeat(gutter.length + col - 1)}^`
  return `${head}\n    ${gutter}${escapeControls(excerpt)}${caret}`
}

export function formatError(err: DeckError): string {
  const message = escapeControls(err.message, { lines: true }) // it may quote the input (the YAML reader's own words do)
  if (err.problems.length === 0) return message
  const count = err.problems.length === 1 ? '1 problem' : `${err.problems.length} problems`
  return `${message} (${count}):\n\n${err.problems.map(formatProblem).join('\n\n')}`
}

/** What went wrong, in words: an Error's message, or the thing thrown. */
export function errorMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause)
}
