import { type Document, isMap, isPair, isScalar, isSeq, type Node, visit } from 'yaml'
import type { core as zcore } from 'zod'

import { DeckError, fieldPath, type Problem } from '../shared/errors.ts'
import { readInput } from '../shared/fs.ts'
import { deepestNode, keyOf, MAX_DEPTH, readYaml } from '../shared/parse.ts'
import { localize } from './localize.ts'
import { type Brief, briefSchema, LAYOUTS } from './schema.ts'

// Load and validate a brief. `loadBrief` is pure (text in; the data, and where each
// value is written, out), so tests and the dev server can feed it text; `parseBrief`
// keeps the data alone. `openBrief` and `readBrief` add the file system.

/** Larger briefs are refused before parsing: a real brief is a few dozen kilobytes. */
export const MAX_BRIEF_BYTES = 1024 * 1024
/** Aliases are legal YAML but a brief never needs many; this stops alias bombs. */
const MAX_ALIAS_COUNT = 100
/** The reader's words when the aliases of a document run past the count it was given. */
const RE_ALIAS_COUNT = /alias count/i

/** A brief with the way back to its source: where in the file each value was written. */
export interface LoadedBrief {
  brief: Brief
  file: string
  /** The line and column of the value at `path` (e.g. `['figures', 'cameras', 'evidence']`), or of the nearest value above it. */
  locate(path: readonly (string | number)[]): { line: number; col: number }
}

export async function readBrief(file: string): Promise<Brief> {
  return (await openBrief(file)).brief
}

export interface LoadOptions {
  /** Read the brief as this variant presents it: texts in the variant's `language`. */
  variant?: string | undefined
}

export async function openBrief(file: string, options: LoadOptions = {}): Promise<LoadedBrief> {
  const bytes = await readInput(file, 'a brief', MAX_BRIEF_BYTES, { action: 'read' })
  return loadBrief(decodeUtf8(bytes, file), file, options)
}

/** Decodes strictly: a byte that is not UTF-8 is an error with its offset, never a silent U+FFFD. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  if (bytes.byteLength > MAX_BRIEF_BYTES) {
    throw new DeckError(`${file} is ${bytes.byteLength} bytes; a brief may be at most ${MAX_BRIEF_BYTES} bytes`)
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch (cause) {
    const offset = firstInvalidUtf8(bytes)
    throw new DeckError(`${file}: byte ${offset} is not valid UTF-8; save the file as UTF-8`, { cause })
  }
}

/** Offset of the first byte that starts an invalid sequence: decode leniently and find the first U+FFFD the file did not contain. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes)
  const encoder = new TextEncoder()
  let offset = 0
  for (const char of lenient) {
    const encoded = encoder.encode(char)
    if (char === '\uFFFD' && !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return offset
    offset += encoded.byteLength
  }
  return offset
}

export function parseBrief(text: string, file: string): Brief {
  return loadBrief(text, file).brief
}

export function loadBrief(text: string, file: string, options: LoadOptions = {}): LoadedBrief {
  const read = readYaml(text)
  const at = (offset: number): { line: number; col: number } => read.lineCounter.linePos(offset)
  if (!read.ok) {
    const message = `the YAML nests more than ${MAX_DEPTH} levels deep (brackets or indentation); a brief needs about six`
    throw RE_BRIEF_FIELD.test(text) ? new DeckError(`${file} is not valid YAML`, { problems: [{ file, ...at(read.tooDeepAt), message }] }) : notABrief(file)
  }
  const { doc, lineCounter } = read

  // A file that is not a brief at all (a link to .env, ~/.aws/credentials, /etc/passwd or
  // /proc/self/environ) is said to be so, and nothing of its content is shown: no excerpt,
  // no key, no value. A brief has at least one of its top-level fields at the start of a line.
  if (doc.errors.length > 0 && !RE_BRIEF_FIELD.test(text)) throw notABrief(file)

  if (doc.errors.length > 0) {
    const problems = syntaxProblems(doc, at).map(({ offset, message }) => ({ file, ...at(offset), message }))
    throw new DeckError(`${file} is not valid YAML`, { problems })
  }

  // A list or mapping used as a key would be turned into text behind the author's back.
  const keyProblems: Problem[] = []
  /** Keys that JavaScript would not keep as data: reported with the schema's problems. */
  const nameProblems: Problem[] = []
  visit(doc, {
    Pair(_, pair, ancestors) {
      if (pair.key !== null && !isScalar(pair.key)) {
        const offset = (pair.key as Node).range?.[0] ?? 0
        keyProblems.push({ file, ...at(offset), message: 'a key must be plain text, not a list or a mapping' })
      } else if (isScalar(pair.key) && pair.key.value === '__proto__') {
        // Read into JavaScript it would set the object's prototype, and the entry would vanish.
        const path = fieldPath([...keyPath(ancestors), '__proto__'])
        nameProblems.push({ file, ...at(pair.key.range?.[0] ?? 0), path, message: 'this name cannot be a key: choose another' })
      }
    },
  })
  if (keyProblems.length > 0) throw hasBriefField(doc.contents) ? new DeckError(`${file} is not valid for a brief`, { problems: keyProblems }) : notABrief(file)

  let data: unknown
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (cause) {
    // A document that parsed fails to become data on its aliases: too many, or one with no anchor before it.
    const tooMany = cause instanceof Error && RE_ALIAS_COUNT.test(cause.message)
    throw new DeckError(
      tooMany
        ? `${file} uses more than ${MAX_ALIAS_COUNT} aliases (*name); write the values out instead`
        : `${file} has an alias (*name) with no anchor (&name) before it; write the value out instead`,
      { cause },
    )
  }

  if (!hasBriefField(doc.contents)) throw notABrief(file)

  // Texts written in several languages side by side ({ en: …, sr: … }) become the one the deck is in.
  const missing = localize(data, options.variant)
  if (missing.length > 0) {
    const problems = missing.map(({ path, message }) => {
      const { node } = deepestNode(doc, path)
      return { file, ...(node?.range ? at(node.range[0]) : {}), path: fieldPath(path), message }
    })
    throw new DeckError(`${file} lacks texts in the deck's language`, { problems })
  }

  const result = briefSchema.safeParse(data)
  if (result.success && nameProblems.length > 0) throw new DeckError(`${file} does not match the brief format`, { problems: nameProblems })
  if (result.success) {
    const locate = (path: readonly (string | number)[]) => {
      const { node, key } = deepestNode(doc, [...path])
      const { line, col } = lineCounter.linePos((node ?? key)?.range?.[0] ?? 0)
      return { line, col }
    }
    return { brief: result.data, file, locate }
  }
  // A value of the wrong type also fails every rule about its contents: report the type only.
  const wrongType = new Set(result.error.issues.filter((i) => i.code === 'invalid_type').map((i) => i.path.join('.')))
  const issues = result.error.issues.filter((i) => i.code === 'invalid_type' || !wrongType.has(i.path.join('.')))
  const problems = issues.flatMap((issue) => issueProblems(issue, doc, file, at))
  problems.push(...nameProblems.filter((n) => !problems.some((p) => p.path === n.path)))
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0))
  throw new DeckError(`${file} does not match the brief format`, { problems })
}

/** The top-level fields of a brief (the schema's keys), one of which every brief has. */
const BRIEF_FIELDS = Object.keys(briefSchema.shape)
const RE_BRIEF_FIELD = new RegExp(`^(?:${BRIEF_FIELDS.join('|')})[ \t]*:`, 'm')

function hasBriefField(root: unknown): boolean {
  return isMap(root) && root.items.some((pair) => isScalar(pair.key) && BRIEF_FIELDS.includes(String(pair.key.value)))
}

function notABrief(file: string): DeckError {
  const message = `a brief is a YAML mapping of fields (${BRIEF_FIELDS.slice(0, 3).join(':, ')}: …); this file has none of them`
  return new DeckError(`${file} is not a brief`, { problems: [{ file, line: 1, col: 1, message }] })
}

/** The dotted path of the mapping or list a visited pair sits in, from the visitor's ancestors. */
function keyPath(ancestors: readonly unknown[]): (string | number)[] {
  const path: (string | number)[] = []
  ancestors.forEach((node, i) => {
    const child = ancestors[i + 1]
    if (isPair(node) && isScalar(node.key)) path.push(String(node.key.value))
    else if (isSeq(node) && child !== undefined) path.push(node.items.indexOf(child as never))
  })
  return path
}

/** The reader's codes for a line out of place. */
const INDENTATION_CODES = new Set(['MULTILINE_IMPLICIT_KEY', 'BLOCK_AS_IMPLICIT_KEY', 'BAD_INDENT', 'MISSING_CHAR'])

/** At most this many syntax errors are listed: after the first few, the rest are usually echoes. */
const MAX_SYNTAX_PROBLEMS = 10

/**
 * The YAML reader's findings in this tool's words. Its own messages are never passed on:
 * they can quote the file (a tag's name, an escape, a character), and the file may be a
 * link to a secret.
 */
function syntaxProblems(doc: Document, at: (offset: number) => { line: number }): { offset: number; message: string }[] {
  const seen = new Set<number>()
  const out: { offset: number; message: string }[] = []
  for (const e of doc.errors) {
    // The parser often reports one mistake several times on the same line: the first says what it is.
    const { line } = at(e.pos[0])
    if (seen.has(line)) continue
    seen.add(line)
    out.push({ offset: e.pos[0], message: yamlWords(e.code, e.message) })
    // A line out of place (a key run over lines, a block one space off) throws the lines after it out of place too:
    // the rest are echoes of this one, and each would point at a line that is right.
    if (INDENTATION_CODES.has(e.code)) break
  }
  if (out.length > MAX_SYNTAX_PROBLEMS) {
    const rest = out.length - MAX_SYNTAX_PROBLEMS
    return [...out.slice(0, MAX_SYNTAX_PROBLEMS), { offset: out[MAX_SYNTAX_PROBLEMS]?.offset ?? 0, message: `…and ${rest} more` }]
  }
  return out
}

/**
 * What a YAML mistake is and how to fix it, by the reader's error code (and, where one code
 * covers several mistakes, by the fixed words of its message; never by what it quotes).
 */
function yamlWords(code: string, message: string): string {
  switch (code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
      if (message.startsWith('A block sequence')) return 'this list item is not lined up with the items above it; start its "- " in the same column as theirs'
      return 'a colon and a space inside a value start a new key; put the whole value in quotes, e.g. title: "Brexit: what next"'
    case 'MULTILINE_IMPLICIT_KEY':
      return 'this line does not line up with the lines around it; check its indentation (a pasted block is often one space off), or put a long value in quotes'
    case 'TAB_AS_INDENT':
      return 'a tab is used to indent: indent with spaces; YAML does not allow tabs'
    case 'BAD_INDENT':
      return 'the indentation is off: the keys of one block must start in the same column; check the indentation of this line'
    case 'DUPLICATE_KEY':
      return 'this key is written twice in one mapping: each key may appear only once'
    case 'BAD_DQ_ESCAPE':
      return 'a backslash in double quotes starts an escape YAML does not know; write \\\\ for a backslash, or use single quotes'
    case 'BAD_SCALAR_START':
      return 'a value cannot start with this character (@, `, % or |>); put the value in quotes'
    case 'ALIAS_PROPS':
    case 'BAD_ALIAS':
    case 'MULTIPLE_ANCHORS':
    case 'BAD_PROP_ORDER':
    case 'MULTIPLE_TAGS':
      return 'an anchor (&name), alias (*name) or tag (!name) is written wrong; a brief needs none'
    case 'TAG_RESOLVE_FAILED':
    case 'BAD_COLLECTION_TYPE':
      return 'a tag (!name) this tool does not read; remove it'
    case 'BAD_DIRECTIVE':
      return 'a YAML directive (a line starting with %) this tool does not read; remove it'
    case 'BLOCK_IN_FLOW':
      return 'a list or mapping in brackets cannot hold an indented block'
    case 'NON_STRING_KEY':
      return 'a key must be plain text, not a list or a mapping'
    case 'MULTIPLE_DOCS':
      return 'a second document begins here (a line "---" or "..."); a brief is one document'
    case 'RESOURCE_EXHAUSTION':
      return `the YAML uses more than ${MAX_ALIAS_COUNT} aliases (*name); write the values out instead`
    case 'MISSING_CHAR':
      if (message.startsWith('Missing closing')) return 'a quote opened here is not closed'
      if (message.includes('without - indicator'))
        return 'this line is indented like a list item but does not start with "- "; check the indentation of a pasted block'
      if (message.includes('followed by map values'))
        return 'this line is neither "key: value" nor a list item "- …"; a value that runs onto a second line needs quotes, or ">-" and its lines indented below the key'
      if (message.startsWith('Comments')) return 'a # starts a comment only after a space; put a value with # in quotes'
      return 'a comma, a colon, a space or a closing bracket is missing here'
    default:
      return 'the YAML cannot be read here: check the brackets, quotes and indentation around this place'
  }
}

type Locate = (offset: number) => Pick<Problem, 'line' | 'col'>

function issueProblems(issue: zcore.$ZodIssue, doc: Document, file: string, at: Locate): Problem[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
  const { node, key, depth } = deepestNode(doc, path)
  const found = depth === path.length
  const where = (n: Node | null | undefined) => (n?.range ? at(n.range[0]) : {})
  const dotted = fieldPath(path)

  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      return { file, ...where(keyOf(node, key) ?? node), path: fieldPath([...path, key]), message: 'a field the brief format does not have here (a typo?)' }
    })
  }
  if (issue.code === 'invalid_key') {
    // The path ends with the key itself: point at it in the mapping that holds it.
    const parent = deepestNode(doc, path.slice(0, -1)).node
    const key = path[path.length - 1]
    return [
      {
        file,
        ...where(keyOf(parent, key) ?? parent),
        path: dotted,
        message: `this key is not allowed: ${issue.issues[0]?.message ?? issue.message}`,
      },
    ]
  }
  if (!found) {
    const field = path[path.length - 1]
    const message = path.length === depth + 1 ? `required field "${String(field)}" is missing` : `required field "${fieldPath(path.slice(depth))}" is missing`
    // Point at the key that owns the incomplete mapping ("meta:"), or the list item.
    return [{ file, ...where(key ?? node), path: dotted, message }]
  }
  return [{ file, ...where(node), path: dotted, message: describe(issue, node) }]
}

/** What is wrong with a value, in words: the value itself is never quoted (the file may not be a brief at all). */
function describe(issue: zcore.$ZodIssue, node: Node | null): string {
  switch (issue.code) {
    case 'invalid_type': {
      const got = isMap(node) ? 'a mapping' : isSeq(node) ? 'a list' : isScalar(node) ? scalarKind(node.value) : 'nothing'
      if (issue.expected === 'string' && isScalar(node) && typeof node.value === 'number') {
        return 'expected text, got a number; put it in quotes to keep it as written'
      }
      if (isScalar(node) && node.value === null) return `expected ${article(issue.expected)}, got an empty value`
      return `expected ${article(issue.expected)}, got ${got}`
    }
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator === 'layout') return `not a layout of this tool; use one of: ${LAYOUTS.join(', ')}`
      return issue.message
    case 'invalid_value':
      return `this value is not allowed; use one of: ${issue.values.map(String).join(', ')}`
    case 'invalid_format':
      return issue.format === 'url' ? 'not a valid http(s) URL' : issue.message
    default:
      return issue.message
  }
}

function scalarKind(value: unknown): string {
  if (value === null) return 'an empty value'
  if (typeof value === 'number') return Number.isFinite(value) ? 'a number' : 'a number too large or not a number (.inf, .nan)'
  if (value instanceof Uint8Array) return 'binary data'
  if (typeof value === 'boolean') return 'true/false'
  return 'text'
}

function article(expected: string): string {
  const names: Record<string, string> = { string: 'text', number: 'a number', boolean: 'true or false', array: 'a list', object: 'a mapping' }
  return names[expected] ?? expected
}
