import { dirname, join, resolve } from 'node:path'

import { DeckError, ExitCode, fieldPath, type Problem } from '../shared/errors.ts'
import { readInput } from '../shared/fs.ts'
import { firstExisting, toolFile } from '../shared/home.ts'
import { deepestNode, keyOf, readSmallYaml } from '../shared/parse.ts'
import { resolveFont } from './brand-fonts.ts'
import { type BrandData, brandSchema, NAMED_COLOURS, RE_COLOUR, type Role, ROLE_TOKENS, THEME_COLOURS, UNUSED_ROLES } from './brand-schema.ts'
import { type Logo, readLogo } from './logo.ts'

// The organisation's look, from one brand file in the format of Posit's brand.yml
// (https://posit-dev.github.io/brand-yml/): its colours become the theme's colours, its
// typefaces the theme's fonts, its logos go on the title slide and in every footer, and on
// the PowerPoint's layouts. This tool's own look is such a file (templates/_brand.yml); a
// project's brand is laid over it, so what a brand leaves out keeps the default look.
// Fonts come from files or installed @fontsource packages, never from the network.

/** The name a brand file has beside a brief (as Quarto looks for it in a project). */
export const BRAND_FILE_NAME = '_brand.yml'
/** A brand file is a page of YAML. */
const MAX_BRAND_BYTES = 256 * 1024

/** One face of a font, as a file on this machine. */
export interface FontFile {
  file: string
  weight: number
  style: 'normal' | 'italic'
  /** Its size and time of change, which the font caches are kept by. */
  stamp: string
}

/** A typeface and where its files come from. */
export type BrandFont =
  | { family: string; source: 'file'; files: FontFile[] }
  | { family: string; source: 'fontsource'; pkg: string; dir: string; faces: { weight: number; style: 'normal' | 'italic' }[] }

export interface Brand {
  /** The files read, the project's last: what a finding about the brand names. */
  files: string[]
  /** Theme colours and font stacks it sets, by the theme's names (`navy`, `font-text`). */
  tokens: Record<string, string>
  /** Where each token came from, for messages: the brand file and its key (`color.primary`). */
  origins: Record<string, { file: string; key: string }>
  fonts: BrandFont[]
  /** The families of the text and the headings. */
  families: { text: string; head: string }
  /** Both or neither: one size given stands in for the other. */
  logos: { large?: LogoPair; small?: LogoPair }
  /** What was read and is not used, in words (success colours, a base size): said once as a note. */
  unused: string[]
  /** Every file it was made from, absolute: brand files, logos, font files (the dev server watches them). */
  inputs: string[]
}

export interface LogoPair {
  light?: Logo
  dark?: Logo
}

/**
 * The brand for a build: the default look, with the project's brand file laid over it when
 * there is one: `explicit` (--brand, or `brand` in the settings), else _brand.yml beside
 * the first brief, else in the working folder.
 */
export async function findBrandFile(explicit: string | undefined, briefFile: string | undefined): Promise<string | undefined> {
  if (explicit !== undefined) return explicit
  return firstExisting([...(briefFile ? [join(dirname(briefFile), BRAND_FILE_NAME)] : []), BRAND_FILE_NAME])
}

/** The brand: `file` laid over the default look, `defaultFile` (the tool's own unless a project's templates have one). */
export async function readBrand(file: string | undefined, defaultFile: string = toolFile('templates', BRAND_FILE_NAME)): Promise<Brand> {
  const base = await readBrandFile(defaultFile)
  const own = file === undefined || resolve(file) === resolve(defaultFile) ? undefined : await readBrandFile(file)
  return resolveBrand(own ? [base, own] : [base])
}

/** The note a build prints once for what the brand has and no output uses; none when all is used. */
export function unusedNote(brand: Brand): string | undefined {
  return brand.unused.length > 0 ? `the brand file's ${brand.unused.join('; ')} are read but no output uses them` : undefined
}

export interface ReadBrand {
  file: string
  data: BrandData
  /** Where a field is written (or the nearest of its mappings that is). */
  at: (path: readonly (string | number)[]) => Pick<Problem, 'line' | 'col'>
}

async function readBrandFile(file: string): Promise<ReadBrand> {
  const text = (await readInput(file, 'a brand file', MAX_BRAND_BYTES, { missing: ExitCode.usage })).toString('utf8')
  const { data, doc, lineCounter } = readSmallYaml(text, (where, message) => brandError(file, [{ file, ...where, message }]))
  const at = (path: readonly (string | number)[]) => {
    const { node, key } = deepestNode(doc, [...path])
    return lineCounter.linePos((node ?? key)?.range?.[0] ?? 0)
  }
  const result = brandSchema.safeParse(data ?? {})
  if (!result.success) {
    const problems = result.error.issues.flatMap((issue): Problem[] => {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
      if (issue.code === 'unrecognized_keys')
        return issue.keys.map((key) => {
          const written = keyOf(deepestNode(doc, path).node, key)?.range?.[0]
          return {
            file,
            ...(written === undefined ? at(path) : lineCounter.linePos(written)),
            path: fieldPath([...path, key]),
            message: unknownKeyMessage(path),
          }
        })
      const source = path[0] === 'typography' && path[path.length - 1] === 'source'
      const logo = path[0] === 'logo' && issue.code === 'invalid_union'
      const message = source
        ? 'a font source must be file or fontsource'
        : logo
          ? "a logo is an image's path (or the name of one in logo.images), or { path: …, alt: … }; small, medium and large may also be { light: …, dark: … }"
          : issue.message
      return [{ file, ...at(path), path: fieldPath(path), message }]
    })
    throw brandError(file, problems)
  }
  return { file, data: result.data, at }
}

function unknownKeyMessage(path: readonly (string | number)[]): string {
  const known: Record<string, string> = {
    '': 'meta, logo, color, typography, defaults',
    logo: 'images, small, medium, large',
    color: `palette, ${[...Object.keys(ROLE_TOKENS), ...UNUSED_ROLES].join(', ')}`,
    typography: 'fonts, base, headings, monospace, monospace-inline, monospace-block, link',
    'defaults.brief-deck': 'color',
  }
  const list = known[path.join('.')]
  return `brand.yml has no such key here, or brief-deck does not read it${list ? ` (it reads: ${list})` : ''}`
}

function brandError(file: string, problems: Problem[]): DeckError {
  return new DeckError(`${file}: the brand file does not match the brand.yml format that brief-deck reads`, { problems })
}

/** The colours one brand file sets: each role, and each colour under defaults.brief-deck, by the theme's name for it. */
function resolveColours(layer: ReadBrand, tokens: Record<string, string>, origins: Brand['origins'], problems: Problem[]): void {
  const { data, file } = layer
  const palette = data.color?.palette ?? {}
  const set = (token: string, value: string, path: (string | number)[]) => {
    const named = palette[value] ?? value
    if (!RE_COLOUR.test(named)) {
      problems.push({ file, ...layer.at(path), path: fieldPath(path), message: 'not a colour written #rrggbb or #rgb, nor the name of one in color.palette' })
      return
    }
    tokens[token] = named.toLowerCase()
    origins[token] = { file, key: fieldPath(path) }
  }
  const roles = (data.color ?? {}) as Partial<Record<Role, string>>
  for (const role of Object.keys(ROLE_TOKENS) as Role[]) {
    const value = roles[role]
    if (value !== undefined) set(ROLE_TOKENS[role], value, ['color', role])
  }
  for (const [name, value] of Object.entries(data.defaults?.['brief-deck']?.color ?? {})) {
    const path = ['defaults', 'brief-deck', 'color', name]
    if (THEME_COLOURS.includes(name)) set(name, value, path)
    else
      problems.push({
        file,
        ...layer.at(path),
        path: fieldPath(path),
        message: `not a colour of the theme; its colours: ${NAMED_COLOURS.join(', ')}, and each with print- before it`,
      })
  }
}

/** The files laid over each other, each resolved against its own folder. */
async function resolveBrand(layers: readonly ReadBrand[]): Promise<Brand> {
  const tokens: Record<string, string> = {}
  const origins: Brand['origins'] = {}
  const fonts = new Map<string, BrandFont>()
  const families = { text: '', head: '' }
  const logos: Brand['logos'] = {}
  const unused: string[] = []
  const problems: Problem[] = []
  const refused = new Set<string>()
  for (const layer of layers) {
    const { data, file } = layer
    const dir = dirname(file)
    resolveColours(layer, tokens, origins, problems)
    for (const role of UNUSED_ROLES)
      if ((data.color as Record<string, unknown> | undefined)?.[role] !== undefined && layer !== layers[0])
        unused.push(`color.${role} (no part of a deck is drawn in it)`)
    for (const [i, entry] of (data.typography?.fonts ?? []).entries()) {
      const font = await resolveFont(entry, dir, file, ['typography', 'fonts', i], layer.at, problems)
      if (font) fonts.set(font.family, font)
      else refused.add(entry.family) // said at the entry: not said again where base or headings names it
    }
    const text = familyOf(data.typography?.base)
    const head = familyOf(data.typography?.headings)
    if (text) families.text = text
    if (head) families.head = head
    for (const role of ['base', 'headings'] as const) {
      const value = data.typography?.[role]
      if (typeof value === 'object')
        for (const key of Object.keys(value).filter((k) => k !== 'family'))
          unused.push(`typography.${role}.${key} (the theme's type scale sets sizes and weights)`)
    }
    for (const key of ['monospace', 'monospace-inline', 'monospace-block', 'link'] as const)
      if (data.typography?.[key] !== undefined) unused.push(`typography.${key} (a deck shows no code, and its links are drawn in the primary colour)`)
    for (const size of ['large', 'small'] as const) {
      const pair = await resolveLogo(layer, size, problems)
      if (pair) logos[size] = pair
    }
    if (data.logo?.medium !== undefined && data.logo.large === undefined) {
      const pair = await resolveLogo(layer, 'medium', problems)
      if (pair) logos.large = pair
    }
  }
  for (const [role, name] of [
    ['base', families.text],
    ['headings', families.head],
  ] as const) {
    if (!fonts.has(name) && !refused.has(name)) {
      const last = layers[layers.length - 1] as ReadBrand
      problems.push({
        file: last.file,
        ...last.at(['typography', role]),
        path: `typography.${role}`,
        message: `the family "${name}" is not one of typography.fonts: add it there with its files (source: file) or its @fontsource package (source: fontsource)`,
      })
    }
  }
  // One size given, it stands in for the other: a brand with one logo has it on the title slide and in the footers.
  if (logos.large && !logos.small) logos.small = logos.large
  if (logos.small && !logos.large) logos.large = logos.small
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
  if (problems.length > 0) throw new DeckError(`The brand ${layers[layers.length - 1]?.file ?? ''} cannot be used`, { problems })
  const headFont = fonts.get(families.head)
  const textFont = fonts.get(families.text)
  // The heading's family first, then the text's for a sign the heading font lacks.
  tokens['font-text'] = `'${families.text}', Arial, sans-serif`
  tokens['font-head'] = families.head === families.text ? tokens['font-text'] : `'${families.head}', '${families.text}', Georgia, serif`
  const used = [textFont, headFont].filter((f): f is BrandFont => f !== undefined)
  const logoFiles = Object.values(logos).flatMap((pair) => [pair.light?.file, pair.dark?.file])
  const fontFiles = [...fonts.values()].flatMap((f) => (f.source === 'file' ? f.files.map((ff) => ff.file) : []))
  const inputs = [...layers.map((l) => resolve(l.file)), ...logoFiles, ...fontFiles].filter((f): f is string => f !== undefined)
  return { files: layers.map((l) => l.file), tokens, origins, fonts: [...new Set(used)], families, logos, unused, inputs: [...new Set(inputs)] }
}

function familyOf(value: string | { family?: string | undefined } | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.family
}

async function resolveLogo(layer: ReadBrand, size: 'large' | 'medium' | 'small', problems: Problem[]): Promise<LogoPair | undefined> {
  const value = layer.data.logo?.[size]
  if (value === undefined) return undefined
  const images = layer.data.logo?.images ?? {}
  const pair = typeof value === 'object' && !('path' in value) ? value : { light: value }
  const out: LogoPair = {}
  for (const variant of ['light', 'dark'] as const) {
    const ref = pair[variant]
    if (ref === undefined) continue
    const named = typeof ref === 'string' ? (images[ref] ?? ref) : ref
    const spec = typeof named === 'string' ? { path: named } : named
    const path = ['logo', size, ...(pair === value ? [variant] : [])]
    try {
      out[variant] = await readLogo(resolve(dirname(layer.file), spec.path), spec.alt)
    } catch (cause) {
      if (!(cause instanceof DeckError)) throw cause
      problems.push({ file: layer.file, ...layer.at(path), path: fieldPath(path), message: cause.message })
    }
  }
  return out
}
