// Escaping, for each place the brief's plain text can land in Marp Markdown: an inline
// position (a heading, a list item, the footer), an HTML attribute, a speaker note.

const RE_NEWLINES = /\r\n?|\n/g
/** Characters that mean something anywhere in a Markdown line (CommonMark, GFM tables and strikethrough, Marp math). */
const RE_INLINE_SPECIAL = /[\\`*_[\]{}#!|~$^]/g
/** At the start of a line these begin a list, a heading underline or a quote. */
const RE_LINE_START = /^([-+=]|\d+[.)])/
const RE_HTML_SPECIAL = /[&<>"']/g
const RE_MARKDOWN_HTML_SPECIAL = /[&<>]/g
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
/** Marpit ends a comment at the first `--` followed by `>`. */
const RE_COMMENT_END = /--+>/g
/**
 * Marpit reads a comment that parses as YAML with directive keys (`theme:`, `_class:`) as
 * directives, and skips lint magic comments. YAML can put a key after an anchor, a tag or
 * a bracket (`&a theme: x`), so every line with a colon is guarded, not only `key:` lines.
 */
const RE_DIRECTIVE_LIKE = /:|^\s*(prettier-ignore|markdownlint-|lint )/
const ZERO_WIDTH_SPACE = '\u200B'

/**
 * Escapes text for an inline position in Marp Markdown (a heading, a list item, a
 * paragraph, a table cell, the footer). The result renders as exactly the text
 * given: no markup, no HTML, no directive, no slide break. Line breaks become `<br>`.
 */
export function escapeMarkdown(text: string): string {
  return textLines(text).map(escapeMarkdownLine).join(MARKDOWN_LINE_BREAK)
}

/** In slide text, a line break in the brief becomes `<br>`: the value stays inside its block. */
export const MARKDOWN_LINE_BREAK = '<br>'

/** The lines of a text as a slide shows them: the text and each line trimmed. */
export function textLines(text: string): string[] {
  return text
    .trim()
    .split(RE_NEWLINES)
    .map((line) => line.trim())
}

/** Escapes one line, or a piece of one: spaces at its ends are kept. */
export function escapeMarkdownLine(line: string): string {
  return line
    .replace(RE_MARKDOWN_HTML_SPECIAL, (c) => HTML_ENTITIES[c] ?? c)
    .replace(RE_INLINE_SPECIAL, '\\$&')
    .replace(RE_LINE_START, (m) => `${m.slice(0, -1)}\\${m.slice(-1)}`)
}

export function escapeHtml(text: string): string {
  return text.replace(RE_HTML_SPECIAL, (c) => HTML_ENTITIES[c] ?? c)
}

/**
 * Escapes speaker notes for a Marp comment. Notes are shown as plain text in the
 * presenter view, so nothing visible is added: a zero-width space breaks the
 * sequences Marpit would read as the end of the comment or as a directive.
 * Spaces at line ends and repeated blank lines are dropped.
 */
export function escapeNote(text: string): string {
  return text
    .trim()
    .split(RE_NEWLINES)
    .map((line) => line.trimEnd())
    .filter((line, i, lines) => line !== '' || lines[i - 1] !== '') // one blank line between paragraphs
    .map((line) => line.replace(RE_COMMENT_END, (m) => `${m.slice(0, -1)}${ZERO_WIDTH_SPACE}>`))
    .map((line) => (RE_DIRECTIVE_LIKE.test(line) ? ZERO_WIDTH_SPACE + line : line))
    .join('\n')
}
