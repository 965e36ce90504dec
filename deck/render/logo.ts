import { createRequire } from 'node:module'
import { extname } from 'node:path'

import type * as Resvg from '@resvg/resvg-js'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { imageSize } from 'image-size'

import { DeckError } from '../shared/errors.ts'
import { readInput } from '../shared/fs.ts'
import { unescapeCss } from './css.ts'

// A brand's logo: an SVG, PNG or JPEG file, read once, checked, and carried as bytes into
// every output. An SVG is refused, with what is wrong, when it could run script or reach
// outside itself (a script, an event handler, a link or style to another file or address,
// an embedded document, an entity); it is never quietly altered.

/** A logo is a few kilobytes; this is room for a detailed one. */
export const MAX_LOGO_BYTES = 512 * 1024
/** Pixels a side: a PNG larger than this is a photograph, not a logo. */
const MAX_LOGO_PIXELS = 4096

export interface Logo {
  file: string
  mime: 'image/svg+xml' | 'image/png' | 'image/jpeg'
  bytes: Uint8Array
  /** Its own size, in pixels (an SVG's view box). */
  width: number
  height: number
  /** What it shows, for screen readers and the PowerPoint's alt text; a logo without it is a finding. */
  alt: string | undefined
}

const MIME_BY_EXTENSION: Record<string, Logo['mime']> = { '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' }

/** Elements that run script, load a document, or change other attributes (an animation can set an href). */
const FORBIDDEN_ELEMENTS = new Set([
  'script',
  'foreignobject',
  'iframe',
  'object',
  'embed',
  'audio',
  'video',
  'handler',
  'listener',
  'set',
  'animate',
  'animatemotion',
  'animatetransform',
])
/** A link, by its local name whatever its prefix (`xlink:href`, `x:href`), or a base for links. */
const RE_LINK_ATTRIBUTE = /^(?:[\w.-]+:)?(?:href|src)$|^xml:base$/i
const RE_SAFE_LINK = /^\s*(?:#|data:image\/(?:png|jpeg|gif|webp);base64,)/i
/** In CSS (escapes undone): a url() to anything but a fragment of the file itself, an image-set(), an @import. */
const RE_OUTSIDE_IN_STYLE = /url\((?!\s*['"]?\s*#)|image-set\(|@import/i
const RE_DECLARATION = /<!(?:DOCTYPE|ENTITY)/i

export async function readLogo(file: string, alt: string | undefined): Promise<Logo> {
  const mime = MIME_BY_EXTENSION[extname(file).toLowerCase()]
  if (!mime) throw new DeckError(`a logo must be an .svg, .png or .jpg file`)
  const bytes = await readInput(file, 'a logo', MAX_LOGO_BYTES)
  const trimmed = alt?.trim()
  if (mime === 'image/svg+xml') {
    const text = bytes.toString('utf8')
    const unsafe = unsafeSvg(text)
    if (unsafe) throw new DeckError(`the logo ${file} is refused: ${unsafe}`)
    const { width, height } = svgSize(text, file)
    return { file, mime, bytes, width, height, alt: trimmed || undefined }
  }
  let size: { width?: number | undefined; height?: number | undefined; type?: string | undefined }
  try {
    size = imageSize(bytes)
  } catch {
    size = {}
  }
  const type = size.type === 'jpg' ? 'image/jpeg' : size.type === 'png' ? 'image/png' : undefined
  if (type !== mime || !size.width || !size.height) throw new DeckError(`the logo ${file} is not the ${mime.slice(6).toUpperCase()} image its name says`)
  if (size.width > MAX_LOGO_PIXELS || size.height > MAX_LOGO_PIXELS)
    throw new DeckError(`the logo ${file} is ${size.width}×${size.height} pixels; a logo needs at most ${MAX_LOGO_PIXELS} a side`)
  return { file, mime, bytes, width: size.width, height: size.height, alt: trimmed || undefined }
}

/** What in an SVG could run or reach outside it, in words; undefined when nothing. */
export function unsafeSvg(text: string): string | undefined {
  if (RE_DECLARATION.test(text)) return 'it declares a DOCTYPE or an entity, which can pull in other files'
  if (XMLValidator.validate(text) !== true) return 'it is not well-formed XML'
  // Entities decoded (&#40; is a bracket), as the renderer reads them.
  const tree = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', processEntities: true, htmlEntities: true }).parse(
    text,
  ) as unknown
  const found: string[] = []
  const css = (value: string) => RE_OUTSIDE_IN_STYLE.test(unescapeCss(value))
  const walk = (nodes: unknown, inStyle: boolean): void => {
    if (!Array.isArray(nodes)) return
    for (const node of nodes as Record<string, unknown>[]) {
      for (const [name, children] of Object.entries(node)) {
        if (name === ':@') continue
        if (name === '#text' && inStyle && css(String(children))) found.push('a style sheet that loads another file')
        const element = name.toLowerCase().replace(/^.*:/, '')
        if (FORBIDDEN_ELEMENTS.has(element)) found.push(`a <${name}> element`)
        walk(children, element === 'style')
      }
      for (const [attribute, value] of Object.entries((node[':@'] ?? {}) as Record<string, unknown>)) {
        const written = String(value)
        if (/^on/i.test(attribute)) found.push(`an event handler (${attribute})`)
        else if (RE_LINK_ATTRIBUTE.test(attribute) && (attribute.toLowerCase() === 'xml:base' || !RE_SAFE_LINK.test(written)))
          found.push(`a link to another file or address (${attribute})`)
        else if (css(written)) found.push(`a style that loads another file (${attribute})`)
      }
    }
  }
  walk(tree, false)
  const root = Array.isArray(tree) ? (tree as Record<string, unknown>[]).find((n) => Object.keys(n).some((k) => k.toLowerCase() === 'svg')) : undefined
  if (!root) return 'it has no <svg> element'
  return found.length > 0 ? [...new Set(found)].join(', ') : undefined
}

const require = createRequire(import.meta.url)
let resvgModule: typeof Resvg | undefined
/** resvg, loaded when an SVG is first measured or drawn: a native module, only needed with a logo. */
export const resvg = () => (resvgModule ??= require('@resvg/resvg-js') as typeof Resvg)

function svgSize(text: string, file: string): { width: number; height: number } {
  try {
    const drawn = new (resvg().Resvg)(text)
    if (drawn.width > 0 && drawn.height > 0) return { width: drawn.width, height: drawn.height }
  } catch {
    // said below
  }
  throw new DeckError(`the logo ${file} cannot be drawn: give it a viewBox (or a width and a height)`)
}

/** The logo as a PNG `height` pixels high (an SVG drawn by resvg; a PNG or JPEG as it is). */
export function logoPng(logo: Logo, height: number): { bytes: Uint8Array; mime: 'image/png' | 'image/jpeg' } {
  if (logo.mime !== 'image/svg+xml') return { bytes: logo.bytes, mime: logo.mime }
  const drawn = new (resvg().Resvg)(Buffer.from(logo.bytes).toString('utf8'), { fitTo: { mode: 'height', value: Math.round(height) } })
  return { bytes: drawn.render().asPng(), mime: 'image/png' }
}

/**
 * Where the theme sets a logo, in CSS pixels: the box it is scaled into (its proportions
 * kept) and its distance from the slide's right and bottom edges. `large` on the title
 * slide, clear of the byline; `small` in the footer of every other slide, left of the page
 * number. The HTML (theme.ts logoTokens) and the PowerPoint (pptx.ts layoutLogos) both
 * place them from here.
 */
export const LOGO_BOXES = {
  large: { width: 320, height: 96, right: 80, bottom: 64 },
  small: { width: 120, height: 24, right: 136, bottom: 28 },
} as const

/** The logo's size within a box, its proportions kept. */
export function fitLogo(logo: Pick<Logo, 'width' | 'height'>, box: { width: number; height: number }): { width: number; height: number } {
  const scale = Math.min(box.width / logo.width, box.height / logo.height)
  return { width: Math.round(logo.width * scale * 10) / 10, height: Math.round(logo.height * scale * 10) / 10 }
}

/** A data: URL of the logo as it is, for the HTML and the printed pages. */
export function logoDataUrl(logo: Logo): string {
  return `data:${logo.mime};base64,${Buffer.from(logo.bytes).toString('base64')}`
}
