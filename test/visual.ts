import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

// Two renderings of a slide compared as a person compares them: where the ink is. Each page
// is drawn in grey at 320 × 180 (a pixel is 4 CSS pixels of a 1280-pixel slide); a pixel is
// ink where it differs from the page's commonest grey (its background) by more than a sixth
// of the range. The difference of two pages is the larger of the two shares of one page's ink
// that lie farther than `reach` pixels from any ink of the other: the same text in another
// font, or wrapped a word earlier, stays near; a block moved, cut off, missing or added does not.

export const PAGE = { width: 320, height: 180 }
/** 5 pixels: 20 CSS pixels of the slide, half a line of its body text. */
export const REACH = 5
const INK_CONTRAST = 42

/** Every page of a PDF as grey pixels at PAGE's size (poppler's pdftoppm), in page order. */
export function greyPages(pdf: string, dir: string, prefix: string): Uint8Array[] {
  execFileSync('pdftoppm', ['-gray', '-scale-to-x', String(PAGE.width), '-scale-to-y', String(PAGE.height), pdf, join(dir, prefix)])
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.pgm'))
    .sort((a, b) => Number(/(\d+)\.pgm$/.exec(a)?.[1]) - Number(/(\d+)\.pgm$/.exec(b)?.[1]))
    .map((f) => pgmPixels(readFileSync(join(dir, f))))
}

/** The pixels of a binary PGM (P5, 8 bits) of PAGE's size. */
function pgmPixels(bytes: Buffer): Uint8Array {
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(0, 32).toString('latin1'))
  if (!header || Number(header[1]) !== PAGE.width || Number(header[2]) !== PAGE.height) throw new Error('not a 320 × 180 grey PGM')
  return new Uint8Array(bytes.subarray(header[0].length, header[0].length + PAGE.width * PAGE.height))
}

/** Where a page has ink, and where it has ink within `reach` pixels. */
function ink(pixels: Uint8Array, reach: number): { at: Uint8Array; near: Uint8Array } {
  const counts = new Array<number>(256).fill(0)
  for (const v of pixels) counts[v] = (counts[v] ?? 0) + 1
  const background = counts.indexOf(Math.max(...counts))
  const { width, height } = PAGE
  const at = pixels.map((v) => (Math.abs(v - background) > INK_CONTRAST ? 1 : 0))
  const near = new Uint8Array(width * height)
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1) {
      if (!at[y * width + x]) continue
      for (let dy = Math.max(-reach, -y); dy <= Math.min(reach, height - 1 - y); dy += 1)
        near.fill(1, (y + dy) * width + Math.max(0, x - reach), (y + dy) * width + Math.min(width, x + reach + 1))
    }
  return { at, near }
}

/** The share (0 to 1) of either page's ink farther than `reach` from the other's: the larger one. */
export function inkDifference(a: Uint8Array, b: Uint8Array, reach = REACH): number {
  const [ia, ib] = [ink(a, reach), ink(b, reach)]
  const away = (from: typeof ia, to: typeof ib) => {
    let inked = 0
    let far = 0
    for (let i = 0; i < from.at.length; i += 1) {
      if (!from.at[i]) continue
      inked += 1
      if (!to.near[i]) far += 1
    }
    return inked === 0 ? 0 : far / inked
  }
  return Math.max(away(ia, ib), away(ib, ia))
}

// Where LibreOffice put each word: poppler's pdftotext reads every word's box from its PDF.

export interface Word {
  text: string
  x0: number
  y0: number
  x1: number
  y1: number
}

export interface Page {
  width: number
  height: number
  words: Word[]
}

export function pagesOf(pdf: string): Page[] {
  const xml = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8' })
  return xml
    .split('<page ')
    .slice(1)
    .map((page) => ({
      width: Number(/width="([\d.]+)"/.exec(page)?.[1]),
      height: Number(/height="([\d.]+)"/.exec(page)?.[1]),
      words: [...page.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g)].map((m) => ({
        x0: Number(m[1]),
        y0: Number(m[2]),
        x1: Number(m[3]),
        y1: Number(m[4]),
        text:
          m[5]
            ?.replace(/&amp;/g, '&')
            .replace(/&lt;/g, '<')
            .replace(/&gt;/g, '>')
            .replace(/&quot;/g, '"')
            .replace(/&apos;/g, "'") ?? '',
      })),
    }))
}

/** How much of the smaller of two boxes the other covers. */
export function overlap(a: Word, b: Word): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0)
  if (w <= 0 || h <= 0) return 0
  return (w * h) / Math.min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0))
}
