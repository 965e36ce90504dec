import { execFileSync } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { delimiter, join } from 'node:path'

import { Resvg } from '@resvg/resvg-js'
import JSZip from 'jszip'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

// Outputs read back with real readers: pdf.js for PDFs, a zip reader for PowerPoint.

export interface PdfContent {
  pages: number
  /** Page size in PDF points. */
  size: { width: number; height: number }
  text: string[]
  outline: string[]
  info: Record<string, unknown>
}

/** A PDF opened with pdf.js as a reader would, without system fonts or eval. */
export async function openPdf(file: string, options: { fontExtraProperties?: boolean } = {}) {
  return getDocument({ data: new Uint8Array(await readFile(file)), useSystemFonts: false, isEvalSupported: false, ...options }).promise
}

export async function readPdf(file: string): Promise<PdfContent> {
  const doc = await openPdf(file)
  try {
    const text: string[] = []
    let size = { width: 0, height: 0 }
    for (let i = 1; i <= doc.numPages; i += 1) {
      const page = await doc.getPage(i)
      if (i === 1) {
        const [, , width = 0, height = 0] = page.view
        size = { width, height }
      }
      const content = await page.getTextContent()
      text.push(
        content.items
          .map((item) => ('str' in item ? item.str + (item.hasEOL ? ' ' : '') : ''))
          .join('')
          .replace(/\s+/g, ' '),
      )
    }
    const outline = ((await doc.getOutline()) ?? []).map((item) => item.title)
    const { info } = await doc.getMetadata()
    return { pages: doc.numPages, size, text, outline, info: info as Record<string, unknown> }
  } finally {
    await doc.destroy()
  }
}

/**
 * The fonts a PDF draws `needle` with, by their names in the file (subset prefix dropped):
 * every text run on every page that holds one of its characters.
 */
export async function fontsDrawing(file: string, needle: string): Promise<Set<string>> {
  const doc = await openPdf(file, { fontExtraProperties: true })
  const fonts = new Set<string>()
  try {
    for (let i = 1; i <= doc.numPages; i += 1) {
      const page = await doc.getPage(i)
      const items = (await page.getTextContent()).items.filter((item) => 'str' in item && [...needle].some((c) => item.str.includes(c)))
      if (items.length === 0) continue
      await page.getOperatorList() // loads the page's fonts, by name, into commonObjs
      for (const item of items) {
        const font = 'fontName' in item ? (page.commonObjs.get(item.fontName) as { name?: string } | undefined) : undefined
        fonts.add((font?.name ?? '?').replace(/^[A-Z]{6}\+/, ''))
      }
    }
  } finally {
    await doc.destroy()
  }
  return fonts
}

/** Every font a PDF draws text with, by its name in the file (subset prefix dropped), with the pages it is used on. */
export async function pdfFonts(file: string): Promise<Map<string, number[]>> {
  const doc = await openPdf(file, { fontExtraProperties: true })
  const fonts = new Map<string, number[]>()
  try {
    for (let i = 1; i <= doc.numPages; i += 1) {
      const page = await doc.getPage(i)
      const items = (await page.getTextContent()).items.filter((item) => 'str' in item && item.str.trim() !== '')
      await page.getOperatorList() // loads the page's fonts, by name, into commonObjs
      for (const item of items) {
        const font = 'fontName' in item ? (page.commonObjs.get(item.fontName) as { name?: string } | undefined) : undefined
        const name = (font?.name ?? '?').replace(/^[A-Z]{6}\+/, '')
        const pages = fonts.get(name) ?? []
        if (!pages.includes(i)) pages.push(i)
        fonts.set(name, pages)
      }
    }
  } finally {
    await doc.destroy()
  }
  return fonts
}

/** XML text with its five entities decoded, as a reader of the PowerPoint sees it. */
export function decodeXml(xml: string): string {
  return xml
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
}

export interface PptxContent {
  slides: number
  /** Notes text by slide number (1-based), for the slides that have notes. */
  notes: Map<number, string>
}

export async function readPptx(file: string): Promise<PptxContent> {
  const zip = await JSZip.loadAsync(await readFile(file))
  const names = Object.keys(zip.files)
  const slides = names.filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n)).length
  const notes = new Map<number, string>()
  for (const name of names.filter((n) => /^ppt\/notesSlides\/notesSlide\d+\.xml$/.test(n))) {
    const xml = (await zip.file(name)?.async('string')) ?? ''
    // The notes are the text of the body placeholder; the others hold the slide image and number.
    const body = xml.split('<p:sp>').find((shape) => shape.includes('type="body"')) ?? ''
    const text = [...body.matchAll(/<a:t>([^<]*)<\/a:t>/g)]
      .map((m) => m[1])
      .join(' ')
      .trim()
    const rels = (await zip.file(name.replace('notesSlides/', 'notesSlides/_rels/').concat('.rels'))?.async('string')) ?? ''
    const slide = Number(/slides\/slide(\d+)\.xml/.exec(rels)?.[1])
    if (text) notes.set(slide, text)
  }
  return { slides, notes }
}

/** Width and height from a PNG's header. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return { width: view.getUint32(16), height: view.getUint32(20) }
}

/**
 * Whether poppler's tools (pdftotext, pdftoppm) are on this machine (.ci/run installs them): looked
 * up on the PATH rather than run, as unit tests import this module and start no process.
 */
export const hasPoppler = (process.env.PATH ?? '').split(delimiter).some((dir) => {
  const path = join(dir, 'pdftoppm')
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
})

/**
 * The share of a PDF page, rendered by poppler in grey at 20 dpi, that prints dark
 * (below 40 % grey): what a printer spends its toner on.
 */
export function darkShare(file: string, page: number): number {
  const pgm = execFileSync('pdftoppm', ['-r', '20', '-gray', '-f', String(page), '-l', String(page), file])
  // P5 header: "P5\n<width> <height>\n<max>\n", then one byte per pixel.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'))
  if (!header) throw new Error(`pdftoppm did not write a PGM for ${file}, page ${page}`)
  const pixels = pgm.subarray(header[0].length)
  let dark = 0
  for (const value of pixels) if (value < 0.4 * Number(header[3])) dark += 1
  return dark / pixels.length
}

/** RGB pixels, row by row. */
export interface Pixels {
  width: number
  height: number
  rgb: Uint8Array
}

/** A PDF page drawn by poppler at `dpi`, as RGB pixels. */
export function pdfPagePixels(file: string, page: number, dpi = 30): Pixels {
  const ppm = execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), file], { maxBuffer: 256 * 1024 * 1024 })
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))
  if (!header) throw new Error(`pdftoppm did not write a PPM for ${file}, page ${page}`)
  return { width: Number(header[1]), height: Number(header[2]), rgb: new Uint8Array(ppm.subarray(header[0].length)) }
}

/** A PNG's pixels, decoded by resvg (an SVG showing the PNG at its own size). */
export function pngPixels(bytes: Uint8Array): Pixels {
  const { width, height } = pngSize(bytes)
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image width="${width}" height="${height}" href="data:image/png;base64,${Buffer.from(bytes).toString('base64')}"/></svg>`
  const rgba = new Resvg(svg).render().pixels
  const rgb = new Uint8Array(width * height * 3)
  for (let i = 0; i < width * height; i += 1) rgb.set(rgba.subarray(i * 4, i * 4 + 3), i * 3)
  return { width, height, rgb }
}

/** The share of the pixels in a box (fractions of the width and height) within `tolerance` of a colour (#rrggbb). */
export function colourShare(pixels: Pixels, hex: string, box = { x: 0, y: 0, w: 1, h: 1 }, tolerance = 24): number {
  const want = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16))
  const [x0, y0] = [Math.floor(box.x * pixels.width), Math.floor(box.y * pixels.height)]
  const [x1, y1] = [Math.ceil((box.x + box.w) * pixels.width), Math.ceil((box.y + box.h) * pixels.height)]
  let near = 0
  for (let y = y0; y < y1; y += 1)
    for (let x = x0; x < x1; x += 1) {
      const at = (y * pixels.width + x) * 3
      if (want.every((v, c) => Math.abs((pixels.rgb[at + c] ?? 0) - (v ?? 0)) <= tolerance)) near += 1
    }
  return near / Math.max(1, (x1 - x0) * (y1 - y0))
}
