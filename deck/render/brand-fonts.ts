import { existsSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, extname, join, resolve } from 'node:path'

import type * as Fontkit from 'fontkit'

import { fieldPath, type Problem } from '../shared/errors.ts'
import type { BrandFont, FontFile, ReadBrand } from './brand.ts'
import type { BrandData } from './brand-schema.ts'
import { fontsourceFile } from './fonts.ts'

// Where a brand's typefaces come from: font files beside the brand file, or an installed
// @fontsource package (looked for from the brand's folder, then from this tool's). Fonts
// that a build would have to download (Google, Bunny) or that only this machine has are
// refused, each with what to do instead.

const require = createRequire(import.meta.url)

type FontEntry = NonNullable<NonNullable<BrandData['typography']>['fonts']>[number]

/** Font file types a browser and fontkit both read. */
const FONT_EXTENSIONS = new Set(['.woff2', '.woff', '.ttf', '.otf'])

export async function resolveFont(
  entry: FontEntry,
  dir: string,
  file: string,
  path: (string | number)[],
  at: ReadBrand['at'],
  problems: Problem[],
): Promise<BrandFont | undefined> {
  const where = (p: (string | number)[]) => ({ file, ...at(p), path: fieldPath(p) })
  if (entry.source !== 'file' && entry.source !== 'fontsource') {
    problems.push({
      ...where([...path, 'source']),
      message:
        entry.source === 'system'
          ? 'a font from the system would be missing wherever the deck is opened: give its files (source: file) so that every output carries it'
          : `fonts from ${entry.source} are downloaded at build time, which brief-deck never does: download the files once and use source: file, or npm install @fontsource/… and use source: fontsource`,
    })
    return undefined
  }
  if (entry.source === 'file') {
    const files: FontFile[] = []
    for (const [i, f] of entry.files.entries()) {
      const spec = typeof f === 'string' ? { path: f } : f
      const full = resolve(dir, spec.path)
      if (!FONT_EXTENSIONS.has(extname(full).toLowerCase())) {
        problems.push({ ...where([...path, 'files', i]), message: `a font file must be ${[...FONT_EXTENSIONS].join(', ')}` })
        continue
      }
      const unreadable = await fontFileProblem(full)
      if (unreadable) {
        problems.push({ ...where([...path, 'files', i]), message: unreadable.message })
        continue
      }
      files.push({
        file: full,
        weight: weightOf(typeof f === 'string' ? undefined : f.weight),
        style: (typeof f === 'string' ? undefined : f.style) ?? 'normal',
        stamp: await stampOf(full),
      })
    }
    return files.length === entry.files.length ? { family: entry.family, source: 'file', files } : undefined
  }
  const pkg = entry.package ?? fontsourcePackage(entry.family)
  const found = installedPackage(pkg, dir)
  if (!found) {
    problems.push({ ...where([...path, entry.package ? 'package' : 'family']), message: `the package ${pkg} is not installed here: npm install ${pkg}` })
    return undefined
  }
  const faces = entry.files
    ? entry.files.map((f) => ({ weight: weightOf(f.weight), style: f.style ?? 'normal' }))
    : (entry.weight ?? [400]).flatMap((w) => (entry.style ?? ['normal']).map((style) => ({ weight: weightOf(w), style })))
  const lacking = faces.filter((face) => !existsSync(join(found, fontsourceFile(face))))
  if (lacking.length > 0) {
    const names = lacking.map((face) => `${face.weight} ${face.style}`).join(', ')
    problems.push({ ...where(path), message: `${pkg} has no ${names} face: choose weights and styles it has (its files: ${found})` })
    return undefined
  }
  return { family: entry.family, source: 'fontsource', pkg, dir: found, faces }
}

/** What is wrong with a font file, as a problem to report; undefined when it is a font fontkit reads. */
async function fontFileProblem(file: string): Promise<{ message: string } | undefined> {
  const info = await stat(file).catch(() => undefined)
  if (!info) return { message: `no font file at ${file}` }
  if (!info.isFile()) return { message: `${file} is not a file` }
  if (info.size > MAX_FONT_BYTES) return { message: `${file} is larger than ${MAX_FONT_BYTES / 1024 / 1024} MB, more than a font file for slides needs` }
  try {
    ;(require('fontkit') as typeof Fontkit).create(await readFile(file))
    return undefined
  } catch {
    return { message: `${file} is not a font file (WOFF2, WOFF, TTF or OTF) that can be read` }
  }
}

/** A font file's size and time of change: the caches of its faces and widths are kept by it, so a file replaced is read anew. */
async function stampOf(file: string): Promise<string> {
  const info = await stat(file)
  return `${info.size}:${Math.round(info.mtimeMs)}`
}

/** A font file of a brand is a few hundred kilobytes; a CJK font a few megabytes. */
const MAX_FONT_BYTES = 32 * 1024 * 1024

/** The @fontsource package of a family, by its naming: `IBM Plex Sans` → `@fontsource/ibm-plex-sans`. */
export const fontsourcePackage = (family: string): string => `@fontsource/${family.toLowerCase().replace(/\s+/g, '-')}`

/** An installed package's folder, looked for from the brand's folder first, then from this tool's. */
export function installedPackage(pkg: string, from?: string): string | undefined {
  for (const base of [...(from === undefined ? [] : [join(resolve(from), 'noop.js')]), import.meta.url]) {
    try {
      return dirname(createRequire(base).resolve(`${pkg}/package.json`))
    } catch {
      // not there: the next place
    }
  }
  return undefined
}

const WEIGHT_NAMES: Record<string, number> = { normal: 400, bold: 700 }
const weightOf = (w: number | 'normal' | 'bold' | undefined, fallback = 400) => (typeof w === 'number' ? w : w ? (WEIGHT_NAMES[w] ?? fallback) : fallback)
