import { readFile, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

import type * as Fontkit from 'fontkit'

import { cacheDir, cacheKey, keepInCache } from '../shared/packages.ts'
import { remember } from '../shared/remember.ts'
import type { BrandFont } from './brand.ts'
import { FULL_FONTS, inlineFacesFor, subsetFaces, type ThemeFonts } from './fonts.ts'

// The fonts of one deck: the theme's subsets its text needs, and, for the characters it
// shows that no subset has (≈, ≠, →; ‰, which the Latin subset's range names but its file
// lacks), faces cut from the full font for that deck alone, a kilobyte each. They are faces
// of the theme's own family, so the browser never draws those characters with a system font.

/** One face of a family with a full font: the full font's file, and the characters of that face's subsets and of the full font. */
interface GapSource {
  family: string
  /** Weight and style, "400 italic". */
  face: string
  file: string
  covered: ReadonlySet<number>
  full: ReadonlySet<number>
}

const require = createRequire(import.meta.url)

/** The theme's rules and those cut for a deck's own characters, last: of faces for the same character, the last is looked at first. */
const withFaces = (fonts: string, gaps: string) => (gaps === '' ? fonts : `${fonts}\n${gaps}`)

/** The @font-face rules of an HTML deck whose text (and theme) is `text`: the subsets it needs, then the faces cut for it. */
export async function inlineFonts(fonts: ThemeFonts, text: string): Promise<string> {
  const shown = shownCodePoints(text)
  return withFaces(inlineFacesFor(fonts, shown), await gapFaces(shown, fonts.sources))
}

/** The @font-face rules of printed pages whose text is `text`: every subset from its file (the browser loads those it needs), then the faces cut for it. */
export async function printedFonts(fonts: ThemeFonts, text: string): Promise<string> {
  return withFaces(fonts.files, await gapFaces(shownCodePoints(text), fonts.sources))
}

/** A text's code points, and those of its capitals: the theme sets some labels in capitals (text-transform). */
export function shownCodePoints(text: string): Set<number> {
  const points = new Set<number>()
  // By index, not by iterator: the printed pages are megabytes of text, read on every build.
  for (let i = 0; i < text.length; i += 1) {
    const cp = text.codePointAt(i) as number
    points.add(cp)
    if (cp > 0xffff) i += 1
  }
  for (const cp of [...points]) for (const c of String.fromCodePoint(cp).toUpperCase()) points.add(c.codePointAt(0) as number)
  return points
}

/** The code points a face must add to its subsets for the text shown: those the full font has and the subsets lack, ascending. */
export function missingCodePoints(shown: ReadonlySet<number>, covered: ReadonlySet<number>, full: ReadonlySet<number>): number[] {
  return [...shown].filter((cp) => !covered.has(cp) && full.has(cp)).sort((a, b) => a - b)
}

/** `[0x2248, 0x2260, 0x2261]` → `U+2248,U+2260-2261`: a CSS unicode-range. */
export function unicodeRange(codePoints: readonly number[]): string {
  const hex = (cp: number) => cp.toString(16).toUpperCase().padStart(4, '0')
  const runs: string[] = []
  for (let i = 0; i < codePoints.length;) {
    let j = i
    while (j + 1 < codePoints.length && codePoints[j + 1] === (codePoints[j] as number) + 1) j += 1
    runs.push(j > i ? `U+${hex(codePoints[i] as number)}-${hex(codePoints[j] as number)}` : `U+${hex(codePoints[i] as number)}`)
    i = j + 1
  }
  return runs.join(',')
}

/** The @font-face rule of a face cut from a full font (a TrueType file), as a data URL for its characters alone. */
export function gapRule(family: string, face: string, ttf: Uint8Array, codePoints: readonly number[]): string {
  const [weight = '400', style = 'normal'] = face.split(' ')
  const src = `url(data:font/ttf;base64,${Buffer.from(ttf).toString('base64')}) format('truetype')`
  return `@font-face {\n  font-family: '${family}';\n  font-style: ${style};\n  font-display: block;\n  font-weight: ${weight};\n  src: ${src};\n  unicode-range: ${unicodeRange(codePoints)};\n}`
}

/**
 * @font-face rules (data URLs) for the characters shown (shownCodePoints) that the
 * subsets lack and a full font has, one per face of the family: empty when there are none.
 */
export async function gapFaces(shown: ReadonlySet<number>, fonts: readonly BrandFont[]): Promise<string> {
  const rules = await Promise.all(
    (await gapSources(fonts)).map((source) => {
      const missing = missingCodePoints(shown, source.covered, source.full)
      return missing.length > 0 ? cutFace(source, missing) : ''
    }),
  )
  return rules.filter((rule) => rule !== '').join('\n')
}

type SubsetFont = (font: Buffer, text: string, options: { targetFormat: 'truetype'; noHinting: boolean }) => Promise<Buffer>
/** subset-font (HarfBuzz's hb-subset in WebAssembly), loaded when a deck first needs a face cut. */
let subsetModule: SubsetFont | undefined
const subsetFont = () => (subsetModule ??= require('subset-font') as SubsetFont)

/** Faces already cut, by file and characters: the dev server rebuilds the same deck on every save. */
const cut = new Map<string, Promise<string>>()
const MAX_CUT = 64

/**
 * One face cut to the code points, as a @font-face rule. Unhinted, as the @fontsource files
 * are; TrueType, not WOFF2: for a few glyphs its compression saves less than a kilobyte and
 * takes ten times as long as the cut.
 */
function cutFace(source: GapSource, codePoints: readonly number[]): Promise<string> {
  const key = `${source.file}\0${codePoints.join(',')}`
  if (cut.size >= MAX_CUT && !cut.has(key)) cut.clear()
  return remember(cut, key, async () => {
    const text = String.fromCodePoint(...codePoints)
    const ttf = await subsetFont()(await readFile(source.file), text, { targetFormat: 'truetype', noHinting: true })
    return gapRule(source.family, source.face, ttf, codePoints)
  })
}

/** A face with a full font: its files, before their characters are read. */
interface GapPlan {
  family: string
  face: string
  file: string
  subsets: string[]
}

async function gapPlans(fonts: readonly BrandFont[]): Promise<GapPlan[]> {
  const faces = await subsetFaces(fonts)
  return fonts.flatMap((font) => {
    const full = font.source === 'fontsource' ? FULL_FONTS[font.pkg] : undefined
    if (!full) return []
    const dir = dirname(require.resolve(`${full.pkg}/package.json`))
    return Object.entries(full.files).map(([face, name]) => ({
      family: font.family,
      face,
      file: join(dir, name),
      subsets: faces.filter((f) => f.family === font.family && f.face === face).map((f) => f.file),
    }))
  })
}

const sourceCache = new Map<string, Promise<GapSource[]>>()

/**
 * Every face that has a full font, with the characters of its subsets and of the full font.
 * Reading them takes a third of a second (fontkit decodes each WOFF2 file whole), so they
 * are kept on disk by the fonts' files and versions, and in memory for the process.
 */
function gapSources(fonts: readonly BrandFont[]): Promise<GapSource[]> {
  return remember(sourceCache, JSON.stringify(fonts), async () => {
    const plans = await gapPlans(fonts)
    if (plans.length === 0) return []
    // (The font packages have no entry point for packageVersion to find them by.)
    const version = (manifest: string) => (require(manifest) as { version?: string }).version
    const versions = fonts.flatMap((f) => {
      if (f.source !== 'fontsource') return []
      const full = FULL_FONTS[f.pkg]?.pkg
      return [`${f.pkg}@${version(join(f.dir, 'package.json'))}`, ...(full ? [`${full}@${version(`${full}/package.json`)}`] : [])]
    })
    const file = join(cacheDir('fonts'), `${cacheKey([plans, versions])}.json`)
    const isSets = (value: unknown): value is CharacterSets[] =>
      Array.isArray(value) && value.length === plans.length && value.every((s: Partial<CharacterSets>) => isNumbers(s.covered) && isNumbers(s.full))
    let sets = await kept(file, isSets)
    if (sets === undefined) {
      sets = await Promise.all(plans.map(readSets))
      await keepInCache(file, JSON.stringify(sets))
    }
    return plans.map(({ family, face, file }, i) => ({ family, face, file, covered: new Set(sets[i]?.covered), full: new Set(sets[i]?.full) }))
  })
}

const familyCache = new Map<string, Promise<Set<number>>>()

/**
 * The characters a family of the brand draws in its regular face (400 upright, else its
 * first): its subsets' together, or its file's. Every build checks the brand's fonts against
 * the deck's language with them, and decoding the fonts takes a sixth of a second (fontkit
 * loaded, each WOFF2 unpacked): kept on disk by the files' paths, sizes and times of change,
 * and in memory for the process.
 */
export function familyCharacters(fonts: readonly BrandFont[], family: string): Promise<Set<number>> {
  return remember(familyCache, `${JSON.stringify(fonts)}\0${family}`, async () => {
    const faces = (await subsetFaces(fonts)).filter((f) => f.family === family)
    const regular = faces.some((f) => f.face === '400 normal') ? '400 normal' : faces[0]?.face
    const files = faces.filter((f) => f.face === regular).map((f) => f.file)
    const stamps = await Promise.all(
      files.map(async (file) => {
        const info = await stat(file)
        return [file, info.size, Math.round(info.mtimeMs)]
      }),
    )
    const file = join(cacheDir('fonts'), `${cacheKey(['characters', stamps])}.json`)
    const known = await kept(file, isNumbers)
    if (known) return new Set(known)
    const characters = new Set<number>()
    for (const face of files) for (const cp of await characterSet(face)) characters.add(cp)
    await keepInCache(file, JSON.stringify([...characters]))
    return characters
  })
}

interface CharacterSets {
  covered: number[]
  full: number[]
}

/** fontkit, loaded when the fonts' characters are first read. */
let fontkitModule: typeof Fontkit | undefined
const fontkit = () => (fontkitModule ??= require('fontkit') as typeof Fontkit)

async function characterSet(file: string): Promise<number[]> {
  return (fontkit().create(await readFile(file)) as Fontkit.Font).characterSet
}

async function readSets(plan: GapPlan): Promise<CharacterSets> {
  const covered = new Set<number>()
  for (const subset of plan.subsets) for (const cp of await characterSet(subset)) covered.add(cp)
  return { covered: [...covered], full: await characterSet(plan.file) }
}

const isNumbers = (value: unknown): value is number[] => Array.isArray(value) && value.every((n) => Number.isInteger(n))

/** What is kept in the cache file `file`, when it is what `valid` expects; else (not kept yet, unreadable, cut short) nothing. */
async function kept<T>(file: string, valid: (value: unknown) => value is T): Promise<T | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined)
  if (text === undefined) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return valid(value) ? value : undefined
  } catch {
    return undefined
  }
}
