// What the PowerPoint's slides are drawn with: the theme read as PowerPoint needs it
// (colours as RRGGBB, the first font of each stack, sizes in pixels of the slide), and
// text boxes whose type is sized, at build time, so that their text fits.
import type P from 'pptxgenjs'

import type { Language } from '../brief/schema.ts'
import { CATALOGUES } from '../languages/languages.ts'
import { resolveTokens, themeColour } from '../render/tokens.ts'
import type { SlideText } from '../render/view.ts'
import { DeckError, ExitCode } from '../shared/errors.ts'
import { balancedWidth, fitScale, type Paragraph } from './textfit.ts'

/** CSS pixels per inch: the slide is drawn in the theme's pixels, PowerPoint counts inches and points. */
const PX_PER_INCH = 96
export const inches = (px: number) => px / PX_PER_INCH
/** English Metric Units, PowerPoint's own: 914400 an inch. */
export const EMU_PER_PX = 914_400 / PX_PER_INCH
export const points = (px: number) => Math.round(px * 0.75 * 100) / 100

/** The language tags PowerPoint marks text with, for its spelling check and hyphenation. */

export interface Design {
  width: number
  height: number
  lang: string
  colour: (token: string) => string
  size: (token: string) => number
  font: { text: string; head: string }
  space: number
  /** The footer's width the brand's small logo takes (the theme's --logo-room), in pixels. */
  logoRoom: number
}

const RE_HEX6 = /^#[0-9a-f]{6}$/i
const RE_HEX3 = /^#[0-9a-f]{3}$/i

/** The first family of a CSS font stack: `'Source Sans 3', Arial` → `Source Sans 3`. */
function firstFamily(stack: string | undefined, fallback: string): string {
  const first = stack
    ?.split(',')[0]
    ?.trim()
    .replace(/^['"]|['"]$/g, '')
  return first || fallback
}

export function design(tokens: Record<string, string>, size: { width: number; height: number }, language: Language): Design {
  const resolved = resolveTokens(tokens)
  // The theme's colours as PowerPoint takes them; one the theme lacks, or writes otherwise (rgb(), a name), is an error that names it.
  const colour = (token: string) => {
    const value = themeColour(resolved, token, 'the PowerPoint')
    const hex = RE_HEX6.test(value) ? value.slice(1) : RE_HEX3.test(value) ? [...value.slice(1)].map((c) => c + c).join('') : undefined
    if (hex === undefined)
      throw new DeckError(`The theme's --${token} is not a colour written #rrggbb or #rgb, as the PowerPoint needs it: write it so`, {
        exitCode: ExitCode.input,
      })
    return hex.toUpperCase()
  }
  const sizeOf = (token: string) => Number.parseFloat(resolved[`size-${token}`] ?? '') || 20
  return {
    ...size,
    lang: CATALOGUES[language].locale,
    colour,
    size: sizeOf,
    font: { text: firstFamily(resolved['font-text'], 'Source Sans 3'), head: firstFamily(resolved['font-head'], 'Source Serif 4') },
    space: Number.parseFloat(resolved.space ?? '') || 8,
    logoRoom: Number.parseFloat(resolved['logo-room'] ?? '') || 0,
  }
}

/** `a` laid over `b` at `share` opacity, as RRGGBB (a chart's lighter bars). */
export function blend(a: string, b: string, share: number): string {
  const channel = (hex: string, i: number) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return [0, 1, 2]
    .map((i) => Math.round(channel(a, i) * share + channel(b, i) * (1 - share)))
    .map((n) => n.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase()
}

/** A run of text as drawn: what it says and how. */
export interface Run {
  text: string
  size: number
  /** The theme's text font, or its heading font. */
  role: 'text' | 'head'
  bold?: boolean
  italic?: boolean
  colour: string
  superscript?: boolean
  /** Letter spacing in ems. */
  tracking?: number
  link?: string | undefined
}

export interface Para {
  runs: Run[]
  lineHeight: number
  after?: number
  bullet?: boolean
  align?: 'left' | 'right'
}

/** A bullet's indent, in ems of its paragraph's text. */
export const BULLET_INDENT_EM = 1.1

/** Runs of a slide text in one style, its footnote markers as superscripts in the accent colour. */
export function runsOf(text: SlideText | undefined, style: Omit<Run, 'text'>, accent: string): Run[] {
  if (text === undefined) return []
  return text.runs.map((r) => (r.marker ? { ...style, text: `\u00A0${r.text}`, superscript: true, bold: true, colour: accent } : { ...style, text: r.text }))
}

function measured(paras: readonly Para[], fonts: Design['font']): Paragraph[] {
  return paras.map((p) => ({
    lineHeight: p.lineHeight,
    after: p.after,
    indent: p.bullet ? BULLET_INDENT_EM * (p.runs[0]?.size ?? 0) : 0,
    pieces: p.runs.map((r) => ({
      text: r.text,
      size: r.size,
      style: { family: fonts[r.role], weight: r.bold ? 700 : 400 },
      tracking: r.tracking,
      superscript: r.superscript,
    })),
  }))
}

export interface Box {
  x: number
  y: number
  w: number
  h: number
}

/**
 * The scale at which paragraphs fit a box (1: as the theme sets them), never below `smallest`
 * unless nothing else fits, and the height they then take.
 */
export function fit(d: Design, paras: readonly Para[], box: Pick<Box, 'w' | 'h'>, smallest = 0.7): { scale: number; height: number; fits: boolean } {
  return fitScale(measured(paras, d.font), { width: box.w, height: box.h }, smallest)
}

/** The width at which paragraphs wrap into lines of even length (textfit.ts balancedWidth), `w` at most. */
export function balanced(d: Design, paras: readonly Para[], w: number): number {
  return balancedWidth(measured(paras, d.font), w)
}

export function scaleParas(paras: readonly Para[], scale: number): Para[] {
  return paras.map((p) => ({ ...p, after: (p.after ?? 0) * scale, runs: p.runs.map((r) => ({ ...r, size: r.size * scale })) }))
}

/** The paragraphs as pptxgenjs text runs: sizes in points, exact line spacing, the deck's language on every run. */
export function textProps(paras: readonly Para[], d: Design): P.default.TextProps[] {
  const out: P.default.TextProps[] = []
  for (const [pi, p] of paras.entries()) {
    const size = Math.max(...p.runs.filter((r) => !r.superscript).map((r) => r.size), 1)
    const runs = splitLines(p.runs)
    for (const [ri, r] of runs.entries()) {
      const options: P.default.TextPropsOptions = {
        fontFace: d.font[r.role],
        fontSize: points(r.size),
        color: r.colour,
        bold: r.bold ?? false,
        italic: r.italic ?? false,
        lang: d.lang,
        // Every run carries its paragraph's settings: pptxgenjs starts a new paragraph where the alignment
        // changes, and writes the settings for every run (finishPackage keeps the first).
        lineSpacing: points(size * p.lineHeight),
        paraSpaceAfter: points(p.after ?? 0),
        align: p.align ?? 'left',
        bullet: p.bullet ? { indent: points(BULLET_INDENT_EM * size) } : false,
      }
      if (r.superscript) options.superscript = true
      if (r.tracking) options.charSpacing = points(r.tracking * r.size)
      if (r.link) options.hyperlink = { url: r.link }
      // A line break typed in the brief stays inside its paragraph (one bullet), as in the HTML.
      if (r.breakBefore) options.softBreakBefore = true
      if (ri === runs.length - 1 && pi < paras.length - 1) options.breakLine = true
      out.push({ text: r.text, options })
    }
  }
  return out
}

/** Runs with the line breaks typed in their text as breaks before the run that follows. */
function splitLines(runs: readonly Run[]): (Run & { breakBefore?: boolean })[] {
  const out: (Run & { breakBefore?: boolean })[] = []
  for (const r of runs) {
    for (const [i, part] of r.text.split('\n').entries()) {
      if (part === '' && i === 0) continue
      out.push({ ...r, text: part, ...(i > 0 ? { breakBefore: true } : {}) })
    }
  }
  return out.length > 0 ? out : [{ ...(runs[0] as Run), text: '' }]
}

/** Position options in inches, text boxes with no inner margin (the theme's spacing is drawn by the boxes themselves). */
export function at(box: Box): { x: number; y: number; w: number; h: number } {
  return { x: inches(box.x), y: inches(box.y), w: inches(box.w), h: inches(box.h) }
}
