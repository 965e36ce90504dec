import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, join } from 'node:path'

import type * as Fontkit from 'fontkit'

import type { BrandFont } from '../render/brand.ts'
import { fontsourcePackage, installedPackage } from '../render/brand-fonts.ts'
import { TEXT_SUBSETS } from '../render/fonts.ts'

// Text measured without a browser, for the PowerPoint: PowerPoint lays text out when the
// file is opened, and its shrink-on-overflow acts only after an edit, so every text box is
// sized here, at build time. Widths come from the fonts' own advance widths (fontkit): of
// the font the theme names, when its files are at hand (the brand's), and always of Arimo,
// which has Arial's metrics. A colleague without the theme's fonts sees Arial, or another
// font no wider, and the text fits in either.

/** The font a text is set in (a family name, as the theme names it), and whether bold. */
export interface FontStyle {
  family: string
  weight: 400 | 700
}

/** A piece of a paragraph: its text, its size in CSS pixels, its style; markers are superscripts. */
export interface Piece {
  text: string
  size: number
  style: FontStyle
  /** Extra space between letters, in ems (the kicker's tracking). */
  tracking?: number
  superscript?: boolean
}

export interface Paragraph {
  pieces: Piece[]
  /** Line height as a multiple of the paragraph's largest size. */
  lineHeight: number
  /** Space after the paragraph, in pixels. */
  after?: number
  /** Room taken on the left of every line (a bullet's indent), in pixels. */
  indent?: number
}

/** PowerPoint draws a superscript smaller than its run's size. */
export const SUPERSCRIPT_SHARE = 0.67

const require = createRequire(import.meta.url)
/** fontkit, loaded when text is first measured: only the PowerPoint needs it, and loading it takes a tenth of a second. */
let fontkitModule: typeof Fontkit | undefined
const fontkit = () => (fontkitModule ??= require('fontkit') as typeof Fontkit)

/** The brand's fonts, by family: set by the PowerPoint's build before it measures (measureWith). */
const families = new Map<string, BrandFont>()

/** Measure text in these fonts from now on (the brand's). */
export function measureWith(fonts: readonly BrandFont[]): void {
  for (const font of fonts) families.set(font.family, font)
  found.clear()
}

/** Arial's metrics, the font PowerPoint puts in place of one it does not have (@fontsource/arimo). */
const FALLBACK_FAMILY = 'Arimo'
/** The width of a character no measured font has (≈ in some subsets): wide enough for any. */
const UNKNOWN_EM = 0.7

type Advances = (codePoint: number) => number | undefined
const loaded = new Map<string, Advances>()

/** Each family and weight's widths as found (text is measured thousands of times a deck): none, when no font of it is at hand. */
const found = new Map<string, Advances | undefined>()

/** The advance width (in ems) of each character in one weight of a family: from its files, its @fontsource package's subsets, or none known. */
function advancesOf(family: string, weight: number): Advances | undefined {
  const key = `${family}\0${weight}`
  if (!found.has(key)) found.set(key, findAdvances(family, weight))
  return found.get(key)
}

function findAdvances(family: string, weight: number): Advances | undefined {
  const font = families.get(family)
  if (font?.source === 'file') {
    const upright = font.files.filter((f) => f.style === 'normal')
    const closest = [...(upright.length > 0 ? upright : font.files)].sort((a, b) => Math.abs(a.weight - weight) - Math.abs(b.weight - weight))[0]
    return closest ? fileAdvances(closest.file, closest.stamp) : undefined
  }
  const pkg = font?.source === 'fontsource' ? font.pkg : fontsourcePackage(family)
  const dir = font?.source === 'fontsource' ? font.dir : installedPackage(pkg)
  return dir === undefined ? undefined : advances(dir, basename(pkg), weight)
}

/** A font file's widths, kept by its path and stamp: a file replaced while the dev server runs is read anew. */
function fileAdvances(file: string, stamp: string): Advances {
  const key = `${file}\0${stamp}`
  const known = loaded.get(key)
  if (known) return known
  const font = fontkit().create(readFileSync(file)) as Fontkit.Font
  const cache = new Map<number, number | undefined>()
  const lookup: Advances = (cp) => {
    if (!cache.has(cp)) cache.set(cp, font.hasGlyphForCodePoint(cp) ? font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm : undefined)
    return cache.get(cp)
  }
  loaded.set(key, lookup)
  return lookup
}

/** The advance width (in ems) of each character in one weight of an @fontsource package (its folder and name), from its subset files. */
function advances(packageFolder: string, name: string, weight: number): Advances {
  const key = `${packageFolder} ${weight}`
  const known = loaded.get(key)
  if (known) return known
  const dir = join(packageFolder, 'files')
  const fonts: Fontkit.Font[] = []
  let next = 0
  const cache = new Map<number, number | undefined>()
  const lookup: Advances = (cp) => {
    if (cache.has(cp)) return cache.get(cp)
    // Subsets are read as characters need them: an English deck never reads the Cyrillic ones.
    for (let i = 0; i < fonts.length || next < TEXT_SUBSETS.length; i += 1) {
      while (i === fonts.length && next < TEXT_SUBSETS.length) {
        const file = join(dir, `${name}-${TEXT_SUBSETS[next]}-${weight}-normal.woff2`)
        next += 1
        if (existsSync(file)) fonts.push(fontkit().create(readFileSync(file)) as Fontkit.Font)
      }
      const font = fonts[i]
      if (font?.hasGlyphForCodePoint(cp)) {
        const width = font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm
        cache.set(cp, width)
        return width
      }
    }
    cache.set(cp, undefined)
    return undefined
  }
  loaded.set(key, lookup)
  return lookup
}

/** Width of `text` in ems: the wider of the named font (where this tool has it) and Arial's metrics. */
export function emWidth(text: string, style: FontStyle, tracking = 0): number {
  const fallback = advancesOf(FALLBACK_FAMILY, style.weight) as Advances
  const own = advancesOf(style.family, style.weight) ?? fallback
  let a = 0
  let b = 0
  for (const char of text) {
    const cp = char.codePointAt(0) as number
    const x = own(cp)
    const y = fallback(cp)
    a += (x ?? y ?? UNKNOWN_EM) + tracking
    b += (y ?? x ?? UNKNOWN_EM) + tracking
  }
  return Math.max(a, b)
}

function pieceWidth(piece: Piece, text = piece.text): number {
  return emWidth(text, piece.style, piece.tracking) * piece.size * (piece.superscript ? SUPERSCRIPT_SHARE : 1)
}

/** A paragraph broken into words (each with the space after it), the way PowerPoint breaks lines: at spaces and after hyphens. */
interface Word {
  width: number
  /** The width of the space after it (not counted at the end of a line). */
  space: number
  hard: boolean
}

function words(paragraph: Paragraph): Word[] {
  const out: Word[] = []
  let current: Word = { width: 0, space: 0, hard: false }
  for (const piece of paragraph.pieces) {
    // A marker is kept with the word before it (its space is a no-break space).
    for (const token of piece.text.split(/(\n|[ \t]+|(?<=[-–—/])(?=\S))/)) {
      if (token === undefined || token === '') continue
      if (token === '\n') {
        out.push(current)
        current = { width: 0, space: 0, hard: true }
      } else if (/^[ \t]+$/.test(token)) {
        current.space += pieceWidth(piece, token)
      } else if (/[-–—/]$/.test(token) && !piece.superscript) {
        if (current.space > 0) {
          out.push(current)
          current = { width: 0, space: 0, hard: false }
        }
        current.width += pieceWidth(piece, token)
        out.push(current)
        current = { width: 0, space: 0, hard: false }
      } else {
        if (current.space > 0) {
          out.push(current)
          current = { width: 0, space: 0, hard: false }
        }
        current.width += pieceWidth(piece, token)
      }
    }
  }
  out.push(current)
  return out
}

/** How many lines the paragraph takes in a box `width` pixels wide. */
export function lineCount(paragraph: Paragraph, width: number): number {
  const room = width - (paragraph.indent ?? 0)
  let lines = 1
  let line = 0
  let pendingSpace = 0
  for (const word of words(paragraph)) {
    if (word.hard) {
      lines += 1
      line = 0
      pendingSpace = 0
    }
    if (line > 0 && line + pendingSpace + word.width > room) {
      lines += 1
      line = 0
    } else if (line > 0) line += pendingSpace
    // A word wider than the box is broken across lines, as PowerPoint does: its last piece starts the next.
    if (word.width > room && room > 0) {
      const more = Math.ceil(word.width / room) - 1
      lines += more
      line = word.width - more * room
    } else line += word.width
    pendingSpace = word.space
  }
  return lines
}

/**
 * The narrowest width, `width` at most, at which no paragraph takes more lines than it does
 * at `width`: lines of even length, as a browser sets a heading with `text-wrap: balance`
 * (the theme's h1 and h2). Text on one line keeps the whole width.
 */
export function balancedWidth(paragraphs: readonly Paragraph[], width: number): number {
  const lines = paragraphs.map((p) => lineCount(p, width))
  if (lines.every((n) => n <= 1)) return width
  let [narrow, wide] = [0, width]
  for (let i = 0; i < 24; i += 1) {
    const middle = (narrow + wide) / 2
    if (paragraphs.every((p, k) => lineCount(p, middle) <= (lines[k] ?? 1))) wide = middle
    else narrow = middle
  }
  // 2 % to spare, for the rounding of positions and a renderer that sets the text a little wider.
  return Math.min(width, wide * 1.02 + 1)
}

/** A paragraph's line height in pixels. */
export function lineHeight(paragraph: Paragraph): number {
  return Math.max(...paragraph.pieces.filter((p) => !p.superscript).map((p) => p.size), 0) * paragraph.lineHeight
}

/** The height of paragraphs set in a box `width` pixels wide, in pixels. */
export function textHeight(paragraphs: readonly Paragraph[], width: number): number {
  return paragraphs.reduce((sum, p, i) => sum + lineCount(p, width) * lineHeight(p) + (i < paragraphs.length - 1 ? (p.after ?? 0) : 0), 0)
}

/** Paragraphs with every size (and space after) times `scale`. */
export function scaled(paragraphs: readonly Paragraph[], scale: number): Paragraph[] {
  return paragraphs.map((p) => ({ ...p, after: (p.after ?? 0) * scale, pieces: p.pieces.map((piece) => ({ ...piece, size: piece.size * scale })) }))
}

/**
 * The largest scale (1 at most, `smallest` at least, in steps of 2 %) at which the
 * paragraphs fit a box, with their height there. Text that does not fit even at
 * `smallest` is scaled further, so nothing ever overflows; `fits` says whether it had to be.
 */
export function fitScale(
  paragraphs: readonly Paragraph[],
  box: { width: number; height: number },
  smallest: number,
): { scale: number; height: number; fits: boolean } {
  for (let scale = 1; scale > 0.2; scale -= 0.02) {
    const height = textHeight(scaled(paragraphs, scale), box.width)
    if (height <= box.height) return { scale, height, fits: scale >= smallest - 1e-9 }
  }
  return { scale: 0.2, height: textHeight(scaled(paragraphs, 0.2), box.width), fits: false }
}
