import { readFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

import { DeckError, ExitCode } from '../shared/errors.ts'
import { remember } from '../shared/remember.ts'
import type { BrandFont } from './brand.ts'

// The theme's fonts: the brand's typefaces (brand.ts). A family from an @fontsource package
// comes in subsets by script, kept out of the CSS that Marp processes (hundreds of kilobytes
// it would parse on every render): the HTML deck gets them as data URLs, so it never fetches
// a font; the pages Chromium prints load the font files straight from node_modules. What the
// subsets lack is cut from the full fonts for each deck (deck-fonts.ts). A family given as
// files comes whole, one file a face.

/** Scripts a brief in English, Serbian (Latin or Cyrillic) or Greek needs; others (greek-ext is polytonic) are left out to keep the HTML small. */
export const TEXT_SUBSETS: readonly string[] = ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext', 'greek']

/**
 * Full fonts of @fontsource families, by package: the faces a deck's rare characters
 * (≈, ≠, →) are cut from. Source Serif 4 has none here: its full package is 42 MB, too
 * much for one sign in a title, which the text's family draws instead.
 */
export const FULL_FONTS: Readonly<Record<string, { pkg: string; files: Readonly<Record<string, string>> }>> = {
  '@fontsource/source-sans-3': {
    pkg: 'source-sans',
    files: {
      '400 normal': 'TTF/SourceSans3-Regular.ttf',
      '400 italic': 'TTF/SourceSans3-It.ttf',
      '600 normal': 'TTF/SourceSans3-Semibold.ttf',
      '700 normal': 'TTF/SourceSans3-Bold.ttf',
    },
  },
}

/** The @fontsource CSS file of a face: `600.css`, `400-italic.css`. */
export const fontsourceFile = (face: { weight: number; style: string }) => `${face.weight}${face.style === 'italic' ? '-italic' : ''}.css`

/** The @font-face rules the theme needs: `inline` for the HTML deck, `files` for pages printed here. */
export interface ThemeFonts {
  inline: string
  files: string
  /** The families they declare ('Source Sans 3'): any other font in a printed PDF is a fallback. */
  families: string[]
  /** Each rule of `inline` and the code points it is for (its unicode-range): a deck embeds those its text needs (inlineFacesFor). */
  faces: { inline: string; ranges: readonly CodeRange[] }[]
  /** The brand's fonts these come from. */
  sources: readonly BrandFont[]
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

/** One @font-face rule of a font's file (a subset's, or a whole face's), and which face of which family it is. */
export interface SubsetFace {
  family: string
  /** Weight and style, "400 italic". */
  face: string
  rule: string
  file: string
}

const subsetCache = new Map<string, Promise<SubsetFace[]>>()

/** The faces of the brand's fonts: each @fontsource subset, each file; read once per process. */
export function subsetFaces(sources: readonly BrandFont[]): Promise<SubsetFace[]> {
  return remember(subsetCache, JSON.stringify(sources), () => readFaces(sources))
}

async function readFaces(sources: readonly BrandFont[]): Promise<SubsetFace[]> {
  const faces: SubsetFace[] = []
  for (const source of sources) {
    if (source.source === 'file') {
      for (const { file, weight, style } of source.files)
        faces.push({ family: source.family, face: `${weight} ${style}`, rule: fileRule(source.family, weight, style, file), file })
      continue
    }
    for (const entry of source.faces) {
      const css = await readFile(join(source.dir, fontsourceFile(entry)), 'utf8').catch((cause: unknown) => {
        throw new DeckError(`${source.pkg} has no ${entry.weight} ${entry.style} face (${fontsourceFile(entry)}): choose a weight it has`, {
          exitCode: ExitCode.input,
          cause,
        })
      })
      for (const block of css.split(/(?=\/\*)/)) {
        const subset = RE_SUBSET.exec(block)?.[1]
        const rule = block.match(RE_FONT_FACE)?.[0]
        const file = rule ? RE_WOFF2_URL.exec(rule)?.[1] : undefined
        if (!subset || !TEXT_SUBSETS.includes(subset) || !rule || !file) continue
        const face = `${RE_WEIGHT.exec(rule)?.[1] ?? '400'} ${RE_STYLE.exec(rule)?.[1] ?? 'normal'}`
        faces.push({ family: source.family, face, rule: rule.replace(/font-display:\s*swap/, 'font-display: block'), file: join(source.dir, 'files', file) })
      }
    }
  }
  if (faces.length === 0) throw new DeckError('No fonts found for the brand: run npm ci', { exitCode: ExitCode.environment })
  return faces
}

const FORMATS: Record<string, string> = { '.woff2': 'woff2', '.woff': 'woff', '.ttf': 'truetype', '.otf': 'opentype' }
const MIME: Record<string, string> = { '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.otf': 'font/otf' }

/** The @font-face rule of a whole font file, its src a placeholder that fontFaces fills (the file's name may hold any sign). */
function fileRule(family: string, weight: number, style: string, file: string): string {
  return `@font-face {\n  font-family: '${family}';\n  font-style: ${style};\n  font-display: block;\n  font-weight: ${weight};\n  src: url(./files/face) format('${FORMATS[extname(file).toLowerCase()] ?? 'woff2'}');\n}`
}

const RE_SRC = /url\(\.\/files\/([^)]+)\)\s*format\('([\w]+)'\)(,\s*url\([^)]*\)\s*format\('woff'\))?/

const fontCache = new Map<string, Promise<ThemeFonts>>()

/** The @font-face rules of the brand's fonts, with data URLs and with file URLs; read once per process. */
export function fontFaces(sources: readonly BrandFont[]): Promise<ThemeFonts> {
  return remember(fontCache, JSON.stringify(sources), async () => {
    const faces = await subsetFaces(sources)
    const inline = await Promise.all(
      faces.map(async ({ rule, file }) => {
        const data = `data:${MIME[extname(file).toLowerCase()] ?? 'font/woff2'};base64,${(await readFile(file)).toString('base64')}`
        return rule.replace(RE_SRC, (_, _name: string, format: string) => `url(${data}) format('${format}')`)
      }),
    )
    return {
      inline: inline.join('\n'),
      files: faces
        // Quoted: a file URL keeps ( and ) as they are, which would end an unquoted url().
        .map(({ rule, file }) =>
          rule.replace(RE_SRC, (_, _name: string, format: string) => `url(${JSON.stringify(pathToFileURL(file).href)}) format('${format}')`),
        )
        .join('\n'),
      families: [...new Set(faces.map((f) => f.family))],
      faces: faces.map(({ rule }, i) => ({ inline: inline[i] ?? '', ranges: unicodeRanges(rule) })),
      sources,
    }
  })
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
