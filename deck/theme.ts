import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import postcss, { CssSyntaxError } from 'postcss'
import { DeckError } from './errors.ts'

// The Marp theme with its fonts embedded as data URLs, so the HTML and PDF never
// fetch a font and look the same on every machine. Fonts come from @fontsource.

export const THEME_FILE = 'templates/theme.css'
const RE_THEME_NAME = /@theme\s+([\w-]+)/
const RE_FONT_FACE = /@font-face\s*{[^}]*}/g
const RE_WOFF2_URL = /url\(\.\/files\/([\w.-]+\.woff2)\)\s*format\('woff2'\)(,\s*url\([^)]*\)\s*format\('woff'\))?/
/** Scripts a brief in English or Serbian (Latin or Cyrillic) needs; others are left out to keep the HTML small. */
const SUBSETS = ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext']
const RE_SUBSET = /\/\*\s*[\w-]+?-(latin-ext|latin|cyrillic-ext|cyrillic|greek-ext|greek|vietnamese|math|symbols)-\d+-(normal|italic)\s*\*\//

/** Font files to embed: package, and the @fontsource CSS entry files (weight and style). */
export const FONTS = [
  { pkg: '@fontsource/source-sans-3', files: ['400.css', '400-italic.css', '600.css', '700.css'] },
  { pkg: '@fontsource/source-serif-4', files: ['600.css'] },
] as const

const require = createRequire(import.meta.url)

export interface Theme {
  name: string
  css: string
}

export async function readTheme(file: string = THEME_FILE): Promise<Theme> {
  let css: string
  try {
    css = await readFile(file, 'utf8')
  } catch (cause) {
    throw new DeckError(`Cannot read the theme ${file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause })
  }
  checkCss(css, file)
  const name = RE_THEME_NAME.exec(css)?.[1]
  if (!name) throw new DeckError(`${file}: the theme has no "/* @theme name */" comment, so Marp cannot use it`)
  return { name, css: `${await fontFaces()}\n${css}` }
}

/** Marp drops a theme it cannot parse and quietly falls back to its default; we stop instead. */
function checkCss(css: string, file: string): void {
  try {
    postcss.parse(css, { from: file })
  } catch (cause) {
    if (!(cause instanceof CssSyntaxError)) throw cause
    const excerpt = css.split(/\r?\n/)[(cause.line ?? 1) - 1]
    throw new DeckError(`The theme ${file} is not valid CSS`, {
      problems: [{ file, line: cause.line, col: cause.column, message: cause.reason, excerpt }],
      cause,
    })
  }
}

let fontCache: Promise<string> | undefined

/** @font-face rules with the woff2 files inlined; read once per process. */
export function fontFaces(): Promise<string> {
  fontCache ??= (async () => {
    const rules: string[] = []
    for (const font of FONTS) {
      const dir = dirname(require.resolve(`${font.pkg}/package.json`))
      for (const entry of font.files) {
        const css = await readFile(join(dir, entry), 'utf8')
        const blocks = css.split(/(?=\/\*)/)
        for (const block of blocks) {
          const subset = RE_SUBSET.exec(block)?.[1]
          const face = block.match(RE_FONT_FACE)?.[0]
          const file = face ? RE_WOFF2_URL.exec(face)?.[1] : undefined
          if (!subset || !SUBSETS.includes(subset) || !face || !file) continue
          const data = (await readFile(join(dir, 'files', file))).toString('base64')
          rules.push(face.replace(RE_WOFF2_URL, `url(data:font/woff2;base64,${data}) format('woff2')`).replace(/font-display:\s*swap/, 'font-display: block'))
        }
      }
    }
    if (rules.length === 0) throw new DeckError('No fonts found in the @fontsource packages: run npm ci', { exitCode: 3 })
    return rules.join('\n')
  })()
  return fontCache
}
