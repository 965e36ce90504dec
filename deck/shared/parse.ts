import { Composer, type CST, type Document, isMap, isScalar, isSeq, LineCounter, type Node, Parser, visit, YAMLParseError } from 'yaml'

import { DeckError, type ExitCodeValue } from './errors.ts'

// The structured files a user gives (briefs, settings, Marp's settings) are parsed here, with
// their nesting bounded before anything recurses over it: a file of 100,000 brackets is a clear
// error at its line, never a stack overflow in the reader (or a native crash of V8 inside it).

/** A brief nests about six levels deep, a settings file three: this many is no such file. */
export const MAX_DEPTH = 64

// YAML's line breaks are LF, CRLF and a lone CR (an old Mac's); the reader knows the first two.
const RE_LONE_CR = /\r(?!\n)/g

export type YamlRead = { ok: true; doc: Document; lineCounter: LineCounter } | { ok: false; tooDeepAt: number; lineCounter: LineCounter }

/** Parses one YAML document (a second one is an error of the first, MULTIPLE_DOCS), its depth bounded. */
export function readYaml(text: string, schema: 'core' | 'json' = 'core'): YamlRead {
  const lineCounter = new LineCounter()
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text.replace(RE_LONE_CR, '\n'))]
  const { deepAt: deep, unclosedQuotes } = scanTokens(tokens)
  if (deep !== undefined) return { ok: false, tooDeepAt: deep, lineCounter }
  // compose() always yields a document, at the end if the text held none. Its own check of
  // unique keys compares each key with every other in its mapping: ours below uses a set.
  const [doc, second] = [...new Composer({ uniqueKeys: false, strict: true, schema }).compose(tokens, true, text.length)] as [Document, Document?]
  if (second) doc.errors.push(new YAMLParseError([second.range?.[0] ?? text.length, second.range?.[1] ?? text.length], 'MULTIPLE_DOCS', 'multiple documents'))
  doc.errors.push(...duplicateKeys(doc))
  // An unknown tag (!secret, !!js/function) is only a warning to the reader, which then keeps the text: an error here.
  doc.errors.push(...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED'))
  // A quote that is never closed is reported where the text ends: moved to where the quote opens.
  for (const error of doc.errors) {
    if (error.code !== 'MISSING_CHAR' || !error.message.startsWith('Missing closing')) continue
    const opened = unclosedQuotes.filter((offset) => offset <= error.pos[0]).pop()
    if (opened !== undefined) error.pos = [opened, opened + 1]
  }
  doc.errors.sort((a, b) => a.pos[0] - b.pos[0])
  return { ok: true, doc, lineCounter }
}

/** A key written twice in one mapping, at its second place (the reader would keep the last silently). */
function duplicateKeys(doc: Document): YAMLParseError[] {
  const errors: YAMLParseError[] = []
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>()
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue
        if (seen.has(pair.key.value)) errors.push(new YAMLParseError([pair.key.range?.[0] ?? 0, pair.key.range?.[1] ?? 0], 'DUPLICATE_KEY', 'duplicate key'))
        seen.add(pair.key.value)
      }
    },
  })
  return errors
}

/**
 * What the reader's tokens tell before the document is built: the offset of the first token
 * nested deeper than MAX_DEPTH, if any, and where the quoted values that are never closed
 * open. The tokens are walked with a list of their own, never by recursion, so any depth is
 * measured safely.
 */
function scanTokens(tokens: readonly CST.Token[]): { deepAt?: number; unclosedQuotes: number[] } {
  const unclosedQuotes: number[] = []
  const pending: { token: CST.Token | undefined; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }))
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { token, depth } = next
    if (!token) continue
    if (depth > MAX_DEPTH) return { deepAt: token.offset, unclosedQuotes }
    if (token.type === 'document') pending.push({ token: token.value, depth })
    else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      for (const item of token.items) {
        if ('key' in item) pending.push({ token: item.key ?? undefined, depth: depth + 1 })
        pending.push({ token: item.value, depth: depth + 1 })
      }
    } else if (token.type === 'double-quoted-scalar' || token.type === 'single-quoted-scalar') {
      const quote = token.source[0]
      if (token.source.length < 2 || !token.source.endsWith(quote ?? '')) unclosedQuotes.push(token.offset)
    }
  }
  return { unclosedQuotes: unclosedQuotes.sort((a, b) => a - b) }
}

/**
 * JSON, read by the YAML reader with YAML's JSON schema first: that bounds its nesting (JSON.parse
 * recurses too) and finds where a mistake is, which Node 20's messages mostly do not say (and
 * what they do say quotes the text). JSON.parse then reads what YAML accepts and JSON does not
 * (a trailing comma), without a place.
 */
export function readJson(text: string): { ok: true; value: unknown } | { ok: false; line?: number; col?: number; tooDeep: boolean } {
  const yaml = readYaml(text, 'json')
  if (!yaml.ok) return { ok: false, ...yaml.lineCounter.linePos(yaml.tooDeepAt), tooDeep: true }
  const error = yaml.doc.errors[0]
  if (error) return { ok: false, ...yaml.lineCounter.linePos(error.pos[0]), tooDeep: false }
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false, tooDeep: false } // what YAML reads and JSON does not (a trailing comma): no place to give
  }
}

/** A mapping read from a file (not a list, not null). */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A text file's characters: UTF-8 (a byte-order mark dropped), or UTF-16 when it starts with
 * its byte-order mark (as Word and Notepad save "Unicode text"). Anything else that is not
 * UTF-8, or UTF-16 without its mark (every other byte zero), is an error saying so, never
 * text full of U+FFFD or NULs in which no phrase would be found.
 */
export function decodeText(bytes: Uint8Array, file: string, what: string, exitCode: ExitCodeValue): string {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8'
  const sniffed = bytes.subarray(0, SNIFF_CHARS)
  if (encoding === 'utf-8' && sniffed.filter((b) => b === 0).length > sniffed.length / 4)
    throw new DeckError(`${file} looks like UTF-16 text without its byte-order mark: save ${what} as UTF-8`, { exitCode })
  let text: string
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes)
  } catch (cause) {
    throw new DeckError(`${file} is not UTF-8 or UTF-16 text: save ${what} as UTF-8`, { exitCode, cause })
  }
  return text
}
const SNIFF_CHARS = 4096

/** Follows `path` into the YAML document as far as it exists. */
export function deepestNode(doc: Document, path: (string | number)[]): { node: Node | null; key: Node | null; depth: number } {
  let node: Node | null = doc.contents
  let key: Node | null = null
  let depth = 0
  for (const step of path) {
    let next: unknown
    let nextKey: unknown = null
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === step)
      next = pair?.value
      nextKey = pair?.key
    } else if (isSeq(node) && typeof step === 'number') next = node.items[step]
    if (next === undefined || next === null || !(isMap(next) || isSeq(next) || isScalar(next))) break
    node = next
    key = isScalar(nextKey) ? nextKey : null
    depth += 1
  }
  return { node, key, depth }
}

/** The node a key of a mapping is written at, for a message about that key; undefined when the mapping has no such key. */
export function keyOf(mapping: Node | null, key: string | number | undefined): Node | undefined {
  const pair = isMap(mapping) ? mapping.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined
  return pair && isScalar(pair.key) ? pair.key : undefined
}

/** A small YAML file (settings, a brand) read as data; the most aliases such a file needs. */
const MAX_SMALL_ALIASES = 10

/**
 * The data of a small YAML file, or its first mistake given to `fail` in our words: where the
 * nesting goes too deep, where the YAML stops being YAML, or (at no place) too many aliases.
 */
export function readSmallYaml(
  text: string,
  fail: (at: { line: number; col: number } | undefined, message: string) => Error,
): { data: unknown; doc: Document; lineCounter: LineCounter } {
  const read = readYaml(text)
  if (!read.ok) throw fail(read.lineCounter.linePos(read.tooDeepAt), `the YAML nests more than ${MAX_DEPTH} levels deep`)
  const error = read.doc.errors[0]
  if (error) throw fail(read.lineCounter.linePos(error.pos[0]), 'this is not valid YAML: check the quotes, brackets and indentation here')
  try {
    return { data: read.doc.toJS({ maxAliasCount: MAX_SMALL_ALIASES }) as unknown, doc: read.doc, lineCounter: read.lineCounter }
  } catch {
    throw fail(undefined, `it uses more than ${MAX_SMALL_ALIASES} aliases (*name): write the values out instead`)
  }
}
