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

/**
 * One problem found in an input file: where (file, line, column, the field's name) and what,
 * in this tool's words. It never carries the file's text: no line of it, no value, no message
 * of the parser that read it, so a file that is not what it was named as (a link to .env, to
 * /proc/self/environ) is never shown, not even in part. The line and column are enough for an
 * editor to jump to.
 */
export interface Problem {
  file: string
  line?: number
  col?: number
  /** Dotted path of the field in the data, e.g. `figures.asylum-2020.value`. */
  path?: string
  message: string
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

// Control characters (C0 and C1, DEL), and the marks that reorder text or break lines
// without looking like it (bidi overrides, embeddings, isolates, the line and paragraph
// separators): visible as escapes, so a brief, a key or a file name can never move the
// terminal's cursor, retitle its window, clear it, turn "evil" into "live" or forge a line.
const INVISIBLE = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069'
const RE_INVISIBLE = new RegExp(`[${INVISIBLE}]`, 'g')
const RE_INVISIBLE_OR_LINE = new RegExp(`[${INVISIBLE}\\t\\n]`, 'g')

/** JSON (JSON.stringify escapes C0 itself) with the other invisible characters as \\u escapes too. */
export function escapeJson(json: string): string {
  return json.replace(RE_INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** Escapes the invisible characters of text read from input; `lines` keeps line breaks and tabs (for whole messages). */
export function escapeControls(text: string, { lines = false } = {}): string {
  return text.replace(lines ? RE_INVISIBLE : RE_INVISIBLE_OR_LINE, (c) => {
    const code = c.charCodeAt(0)
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
  })
}

/** A name from the input (a key, an id, a file name) shown in a message: escaped, and cut short. */
export function quoted(value: string, max = QUOTE_CHARS): string {
  const escaped = escapeControls(value)
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped
}
const QUOTE_CHARS = 40
const PATH_CHARS = 80

/**
 * A key of the input as a message may name it: a field's name (letters, digits, `_`, `-`,
 * 40 at most) as it is, anything else as `…`. So a path names where a problem is, and a
 * file that is no brief (a line "DB_PASSWORD=…: x" read as a key) shows nothing of itself.
 */
export function fieldName(key: string | number): string {
  return typeof key === 'number' || RE_FIELD_NAME.test(key) ? String(key) : '…'
}
const RE_FIELD_NAME = /^[\p{L}\p{N}_-]{1,40}$/u

/** A field's path for a Problem, each key as `fieldName` shows it (a key holding a dot is one segment, shown as `…`). */
export function fieldPath(segments: readonly (string | number)[]): string {
  return segments.map(fieldName).join('.')
}

/** `file:line:col  field.path  what is wrong`, on one line. */
export function formatProblem(p: Problem): string {
  const where = [p.file, p.line, p.col].filter((x) => x !== undefined).join(':')
  const path = p.path === undefined ? undefined : fieldPath(p.path.split('.'))
  return [where, path === undefined ? undefined : quoted(path, PATH_CHARS), p.message]
    .filter(Boolean)
    .map((part) => escapeControls(String(part)))
    .join('  ')
}

export function formatError(err: DeckError): string {
  const message = escapeControls(err.message, { lines: true })
  if (err.problems.length === 0) return message
  const count = err.problems.length === 1 ? '1 problem' : `${err.problems.length} problems`
  return `${message} (${count}):\n\n${err.problems.map(formatProblem).join('\n')}`
}

/** What went wrong, in words: an Error's message, or the thing thrown. */
export function errorMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause)
}
