import { access } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, extname, join, resolve } from 'node:path'

import { fieldPath, type Problem } from '../shared/errors.ts'
import type { BrandData, BrandFont, FontFile, ReadBrand } from './brand.ts'

// Where a brand's typefaces come from: font files beside the brand file, or an installed
// @fontsource package (looked for from the brand's folder, then from this tool's). Fonts
// that a build would have to download (Google, Bunny) or that only this machine has are
// refused, each with what to do instead.

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
      if (
        !(await access(full).then(
          () => true,
          () => false,
        ))
      ) {
        problems.push({ ...where([...path, 'files', i]), message: `no font file at ${full}` })
        continue
      }
      files.push({
        file: full,
        weight: weightOf(typeof f === 'string' ? undefined : f.weight),
        style: (typeof f === 'string' ? undefined : f.style) ?? 'normal',
      })
    }
    return files.length === entry.files.length ? { family: entry.family, source: 'file', files } : undefined
  }
  const pkg = entry.package ?? `@fontsource/${entry.family.toLowerCase().replace(/\s+/g, '-')}`
  const found = packageDir(pkg, dir)
  if (!found) {
    problems.push({ ...where([...path, entry.package ? 'package' : 'family']), message: `the package ${pkg} is not installed here: npm install ${pkg}` })
    return undefined
  }
  const faces = entry.files
    ? entry.files.map((f) => ({ weight: weightOf(f.weight), style: f.style ?? 'normal' }))
    : (entry.weight ?? [400]).flatMap((w) => (entry.style ?? ['normal']).map((style) => ({ weight: weightOf(w), style })))
  return { family: entry.family, source: 'fontsource', pkg, dir: found, faces }
}

/** An installed package's folder, looked for from the brand's folder first, then from this tool's. */
function packageDir(pkg: string, from: string): string | undefined {
  for (const base of [join(resolve(from), 'noop.js'), import.meta.url]) {
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
