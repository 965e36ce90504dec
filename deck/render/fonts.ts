import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

import { DeckError, ExitCode } from '../shared/errors.ts'

// The theme's fonts. Each family comes from @fontsource in subsets by script, kept out of
// the CSS that Marp processes (hundreds of kilobytes it would parse on every render): the
// HTML deck gets them as data URLs, so it never fetches a font; the pages Chromium prints
// load the font files straight from node_modules.
// What the subsets lack is cut from the full fonts for each deck (deck-fonts.ts).

/** Scripts a brief in English, Serbian (Latin or Cyrillic) or Greek needs; others (greek-ext is polytonic) are left out to keep the HTML small. */
export const TEXT_SUBSETS: readonly string[] = ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext', 'greek']

interface FontSource {
  family: string
  pkg: string
  /** @fontsource CSS entry files (weight and style). */
  files: readonly string[]
  subsets: readonly string[]
  /** The full font, by the weight and style of each face above ("400 italic"): its files in package `pkg`. */
  full?: { pkg: string; files: Readonly<Record<string, string>> }
}

/**
 * Font files to embed. Headings' signs come from Source Sans 3, second in the theme's
 * --font-head: the full Source Serif 4 is a 42 MB package, too much for one sign in a title.
 */
export const FONTS: readonly FontSource[] = [
  {
    family: 'Source Sans 3',
    pkg: '@fontsource/source-sans-3',
    files: ['400.css', '400-italic.css', '600.css', '700.css'],
    subsets: TEXT_SUBSETS,
    full: {
      pkg: 'source-sans',
      files: {
        '400 normal': 'TTF/SourceSans3-Regular.ttf',
        '400 italic': 'TTF/SourceSans3-It.ttf',
        '600 normal': 'TTF/SourceSans3-Semibold.ttf',
        '700 normal': 'TTF/SourceSans3-Bold.ttf',
      },
    },
  },
  { family: 'Source Serif 4', pkg: '@fontsource/source-serif-4', files: ['600.css'], subsets: TEXT_SUBSETS },
]

/** The @font-face rules the theme needs: `inline` for the HTML deck, `files` for pages printed here. */
export interface ThemeFonts {
  inline: string
  files: string
  /** The families they declare ('Source Sans 3'): any other font in a printed PDF is a fallback. */
  families: string[]
  /** Each rule of `inline` and the code points it is for (its unicode-range): a deck embeds those its text needs (inlineFacesFor). */
  faces: { inline: string; ranges: readonly CodeRange[] }[]
}

/** First and last code point. */
type CodeRange = readonly [number, number]

const RE_FONT_FACE = /@font-face\s*{[^}]*}/g
const RE_WOFF2_URL = /url\(\.\/files\/([\w.-]+\.woff2)\)\s*format\('woff2'\)(,\s*url\([^)]*\)\s*format\('woff'\))?/
const RE_SUBSET = /\/\*\s*[\w-]+?-(latin-ext|latin|cyrillic-ext|cyrillic|greek-ext|greek|vietnamese|math|symbols)-\d+-(normal|italic)\s*\*\//
const RE_WEIGHT = /font-weight:\s*(\d+)/
const RE_STYLE = /font-style:\s*(\w+)/
const RE_UNICODE_RANGE = /unicode-range:\s*([^;}]+)/
const RE_RANGE_PART = /^U\+([0-9A-F]{1,6})(?:-([0-9A-F]{1,6}))?$/i

/** One @font-face rule of a subset file, and which face of which family it is part of. */
export interface SubsetFace {
  source: FontSource
  /** Weight and style, "400 italic". */
  face: string
  rule: string
  file: string
}

const require = createRequire(import.meta.url)

let subsetCache: Promise<SubsetFace[]> | undefined

/** The subset faces of every font, from the @fontsource CSS; read once per process. */
export function subsetFaces(): Promise<SubsetFace[]> {
  subsetCache ??= (async () => {
    const faces: SubsetFace[] = []
    for (const source of FONTS) {
      const dir = dirname(require.resolve(`${source.pkg}/package.json`))
      for (const entry of source.files) {
        const css = await readFile(join(dir, entry), 'utf8')
        for (const block of css.split(/(?=\/\*)/)) {
          const subset = RE_SUBSET.exec(block)?.[1]
          const rule = block.match(RE_FONT_FACE)?.[0]
          const file = rule ? RE_WOFF2_URL.exec(rule)?.[1] : undefined
          if (!subset || !source.subsets.includes(subset) || !rule || !file) continue
          const face = `${RE_WEIGHT.exec(rule)?.[1] ?? '400'} ${RE_STYLE.exec(rule)?.[1] ?? 'normal'}`
          faces.push({ source, face, rule: rule.replace(/font-display:\s*swap/, 'font-display: block'), file: join(dir, 'files', file) })
        }
      }
    }
    if (faces.length === 0) throw new DeckError('No fonts found in the @fontsource packages: run npm ci', { exitCode: ExitCode.environment })
    return faces
  })()
  return subsetCache
}

let fontCache: Promise<ThemeFonts> | undefined

/** The @font-face rules of the embedded subsets, with data URLs and with file URLs; read once per process. */
export function fontFaces(): Promise<ThemeFonts> {
  fontCache ??= (async () => {
    const faces = await subsetFaces()
    const inline = await Promise.all(
      faces.map(async ({ rule, file }) =>
        rule.replace(RE_WOFF2_URL, `url(data:font/woff2;base64,${(await readFile(file)).toString('base64')}) format('woff2')`),
      ),
    )
    const files = faces.map(({ rule, file }) => rule.replace(RE_WOFF2_URL, `url(${pathToFileURL(file).href}) format('woff2')`))
    return {
      inline: inline.join('\n'),
      files: files.join('\n'),
      families: [...new Set(faces.map((f) => f.source.family))],
      faces: faces.map(({ rule }, i) => ({ inline: inline[i] ?? '', ranges: unicodeRanges(rule) })),
    }
  })()
  return fontCache
}

/** `unicode-range: U+0000-00FF,U+0131` → its ranges; a rule without one is for every character. */
export function unicodeRanges(rule: string): CodeRange[] {
  const value = RE_UNICODE_RANGE.exec(rule)?.[1]
  if (value === undefined) return [[0, 0x10ffff]]
  return value.split(',').map((part): CodeRange => {
    const m = RE_RANGE_PART.exec(part.trim())
    // A form we do not read (U+4??) keeps its rule: a face too many costs bytes, one too few a fallback font.
    if (!m) return [0, 0x10ffff]
    const first = Number.parseInt(m[1] as string, 16)
    return [first, m[2] === undefined ? first : Number.parseInt(m[2], 16)]
  })
}

/**
 * The inline rules a deck's text needs: those for one of its code points. The scripts a
 * deck does not use stay out of its HTML (an English deck carries no Cyrillic or Greek).
 */
export function inlineFacesFor(fonts: ThemeFonts, shown: ReadonlySet<number>): string {
  const needed = (ranges: readonly CodeRange[]) => [...shown].some((cp) => ranges.some(([first, last]) => cp >= first && cp <= last))
  return fonts.faces
    .filter((face) => needed(face.ranges))
    .map((face) => face.inline)
    .join('\n')
}
