import postcss, { CssSyntaxError, type Root } from 'postcss'

import { DeckError, ExitCode, type Problem } from '../shared/errors.ts'
import { readInput } from '../shared/fs.ts'
import { toolFile } from '../shared/home.ts'
import { type Brand, readBrand } from './brand.ts'
import { unescapeCss } from './css.ts'
import { fontFaces, type ThemeFonts } from './fonts.ts'
import { fitLogo, type Logo, LOGO_BOXES, logoDataUrl } from './logo.ts'

// The Marp theme: its CSS, custom properties and slide sizes; its fonts come from fonts.ts.

/** The theme's file in a templates folder. */
export const THEME_FILE_NAME = 'theme.css'
const RE_THEME_NAME = /@theme\s+([\w-]+)/
const RE_SIZE = /@size\s+(\S+)\s+(\d+)px\s+(\d+)px/g

export interface Theme {
  name: string
  /** The theme as Marp reads it. */
  css: string
  /** Its custom properties on `:root` (colours, fonts, sizes), for what is drawn outside CSS: the charts. */
  tokens: Record<string, string>
  /** Its slide sizes (`@size 4:3 960px 720px`), in CSS pixels. */
  sizes: Record<string, { width: number; height: number }>
  /** The @font-face rules of its fonts' subsets; a deck adds the faces for its own characters (gapFaces). */
  fonts: ThemeFonts
  /** The brand whose colours, fonts and logos it carries. */
  brand: Brand
}

/** A theme is a few kilobytes; the fonts come separately. */
const MAX_THEME_BYTES = 4 * 1024 * 1024

/** The theme with the brand's colours and font stacks laid over its own, on its :root (the default look unless a brand is given). */
export async function readTheme(file: string = toolFile('templates', THEME_FILE_NAME), given?: Brand): Promise<Theme> {
  const brand = given ?? (await readBrand(undefined))
  const own = (await readInput(file, 'the theme', MAX_THEME_BYTES, { missing: ExitCode.input })).toString('utf8')
  const root = parseCss(own, file)
  refuseRemote(root, file)
  const branded = { ...brand.tokens, ...logoTokens(brand) }
  const css = `${own}\n${brandRoot(branded)}`
  const name = RE_THEME_NAME.exec(css)?.[1]
  if (!name) throw new DeckError(`${file}: the theme has no "/* @theme name */" comment, so Marp cannot use it`)
  const sizes = Object.fromEntries([...css.matchAll(RE_SIZE)].map((m) => [m[1], { width: Number(m[2]), height: Number(m[3]) }]))
  // The brand's values come after the theme's on :root, and win there as here.
  return { name, css, tokens: { ...rootTokens(root), ...branded }, sizes, fonts: await fontFaces(brand.fonts), brand }
}

/** The brand's tokens as a `:root` rule, after the theme's own: of two, the later wins. */
function brandRoot(tokens: Record<string, string>): string {
  const lines = Object.entries(tokens).map(([name, value]) => `  --${name}: ${value};`)
  return `/* The brand's colours and fonts (brand.ts) */\n:root {\n${lines.join('\n')}\n}\n`
}

/**
 * The brand's logos as the theme draws them (background images, so every output has them
 * and none is a second copy in the HTML): `--logo-large` and its size on the title slide,
 * `--logo-small` in the footers, `--logo-small-dark` on the dark section dividers (none
 * there without a dark variant: a logo for light backgrounds may vanish on dark), and
 * `--logo-room`, the footer's width it takes.
 */
function logoTokens(brand: Brand): Record<string, string> {
  const { large, small } = brand.logos
  const tokens: Record<string, string> = {}
  const put = (name: string, logo: Logo | undefined, box: (typeof LOGO_BOXES)[keyof typeof LOGO_BOXES]) => {
    if (!logo) return undefined
    const size = fitLogo(logo, box)
    tokens[name] = `url("${logoDataUrl(logo)}")`
    tokens[`${name}-size`] = `${size.width}px ${size.height}px`
    tokens[`${name}-position`] = `right ${box.right}px bottom ${box.bottom}px`
    return size
  }
  put('logo-large', large?.light ?? large?.dark, LOGO_BOXES.large)
  const room = put('logo-small', small?.light ?? small?.dark, LOGO_BOXES.small)
  put('logo-small-dark', small?.dark, LOGO_BOXES.small)
  if (room) tokens['logo-room'] = `${room.width}px`
  return tokens
}

/** `--ink: #1d2733` on `:root` → `{ ink: '#1d2733' }`. */
function rootTokens(root: Root): Record<string, string> {
  const tokens: Record<string, string> = {}
  root.walkRules(':root', (rule) => {
    rule.walkDecls(/^--/, (decl) => {
      tokens[decl.prop.slice(2)] = decl.value.trim()
    })
  })
  return tokens
}

/** `url(…)` or `image-set("…")` naming anything but a data: URL; `@import` of any kind. */
const RE_REMOTE = /url\((?!\s*['"]?\s*(?:data:|#))|image-set\((?!\s*['"]?\s*(?:data:|url\())/i

/**
 * A theme takes nothing from outside itself: an `@import`, or a `url()` that is not a data:
 * URL (a web font, a background image), is an error at its line. The decks' policies would
 * block the request anyway; this says so before it is made, and where.
 */
function refuseRemote(root: Root, file: string): void {
  const problems: Problem[] = []
  const at = (node: { source?: { start?: { line: number; column: number } } }, message: string) => {
    problems.push({ file, line: node.source?.start?.line, col: node.source?.start?.column, message })
  }
  root.walkAtRules(/^import$/i, (rule) => at(rule, '@import takes a style sheet from outside the theme: copy what it needs into the theme instead'))
  root.walkDecls((decl) => {
    if (RE_REMOTE.test(unescapeCss(decl.value)))
      at(decl, 'this declaration names a file or address outside the theme; only data: URLs are allowed (the fonts come with the tool)')
  })
  if (problems.length > 0) throw new DeckError(`The theme ${file} takes resources from outside itself`, { problems })
}

/**
 * Marp drops a theme it cannot parse and quietly falls back to its default; we stop instead,
 * at the line and column, in our words: PostCSS's own quote the file ("Unknown word
 * DB_PASSWORD=…"), which may be a link to a file of secrets.
 */
function parseCss(css: string, file: string): Root {
  try {
    return postcss.parse(css, { from: file })
  } catch (cause) {
    if (!(cause instanceof CssSyntaxError)) throw cause
    throw new DeckError(`The theme ${file} is not valid CSS`, {
      problems: [{ file, line: cause.line, col: cause.column, message: cssWords(cause.reason) }],
      cause,
    })
  }
}

/** What a CSS syntax error is, by the fixed start of PostCSS's reason; what it quotes is dropped. */
function cssWords(reason: string): string {
  const known: [string, string][] = [
    ['Unclosed comment', 'a comment /* is not closed'],
    ['Unclosed string', 'a quote is not closed'],
    ['Unclosed bracket', 'a bracket is not closed'],
    ['Unclosed block', 'a { is not closed by }'],
    ['Unexpected }', 'a } closes nothing'],
    ['Missed semicolon', 'a ; is missing between two declarations'],
    ['Double colon', 'a declaration has two colons'],
    ['At-rule without name', 'an @ is not followed by a rule name'],
    ['Unknown word', 'this is not CSS: a word where a rule, a selector or a property belongs (is this file a style sheet?)'],
  ]
  return known.find(([start]) => reason.startsWith(start))?.[1] ?? 'this is not valid CSS'
}
