// The PowerPoint's theme and slide master in the deck's look, for what a colleague adds:
// the colour scheme a new shape, chart or link takes its colours from, and the master's
// text styles a new title, bullet or text box starts from. pptxgenjs writes Office's
// (accent1 4472C4, a centred 44 pt black title, a second-level "–" bullet at 28 pt, larger
// than its parent) and has no option for either; package.ts puts these in their place.
import { escapeHtml } from '../render/escape.ts'
import { blend, BULLET_INDENT_EM, type Design, EMU_PER_PX, points } from './draw.ts'

/** The theme's colour scheme, by the slot PowerPoint names it in its colour picker and charts. */
export interface ColourScheme {
  dk1: string
  lt1: string
  dk2: string
  lt2: string
  accent1: string
  accent2: string
  accent3: string
  accent4: string
  accent5: string
  accent6: string
  hlink: string
  folHlink: string
}

/**
 * The deck's colours in PowerPoint's slots: text on paper (dk1, lt1), navy on the tint (dk2,
 * lt2); a new chart's first series navy, its second the accent, then the muted grey, the
 * lighter navy of approximate values, the dividers' soft red and the rule; links navy as on the slides.
 */
export function colourScheme(d: Design): ColourScheme {
  const navy = d.colour('navy')
  return {
    dk1: d.colour('ink'),
    lt1: d.colour('paper'),
    dk2: navy,
    lt2: d.colour('tint'),
    accent1: navy,
    accent2: d.colour('accent'),
    accent3: d.colour('muted'),
    accent4: blend(navy, d.colour('paper'), 0.45),
    accent5: d.colour('divider-accent'),
    accent6: d.colour('rule'),
    hlink: navy,
    folHlink: d.colour('muted'),
  }
}

/** The colour scheme as the theme part writes it, named after the deck's theme. */
export function colourSchemeXml(scheme: ColourScheme, name: string): string {
  const slots = Object.entries(scheme)
    .map(([slot, hex]) => `<a:${slot}><a:srgbClr val="${hex}"/></a:${slot}>`)
    .join('')
  return `<a:clrScheme name="${escapeHtml(name)}">${slots}</a:clrScheme>`
}

/** A level's settings: size in pixels, the bullet, and where its text starts. */
interface Level {
  size: number
  bullet: string
  left: number
  hang: number
}

/** The body's nine levels: the points' text size, then the byline's, then the small size, each indented by its bullet's hang. */
export function bodyLevels(d: Design): Level[] {
  const levels: Level[] = []
  for (let n = 1; n <= 9; n += 1) {
    const size = d.size(n === 1 ? 'text' : n === 2 ? 'byline' : 'small')
    const hang = BULLET_INDENT_EM * size
    levels.push({ size, bullet: n % 2 === 1 ? '•' : '–', left: (levels.at(-1)?.left ?? 0) + hang, hang })
  }
  return levels
}

/** A length in EMU (English Metric Units, 9525 a CSS pixel). */
export const emu = (px: number) => Math.round(px * EMU_PER_PX)
/** A size in PowerPoint's hundredths of a point. */
const hundredths = (px: number) => Math.round(points(px) * 100)

/** A multiple of the font's size as PowerPoint's percentage of single spacing (1.2 times the size). */
const spacing = (lineHeight: number) => Math.round((lineHeight / 1.2) * 100_000)

/**
 * The master's text styles: titles in the heading font, bold, navy, on the left at the
 * slides' title size; body text in the text font and ink, each level's bullet in the accent
 * and no larger than its parent's (the text size, then the byline's, then the small size),
 * with the slides' line spacing and space after a point; other text (a new text box) in
 * the text font and ink at the text size.
 */
export function textStylesXml(d: Design): string {
  const s = d.space
  const levels = bodyLevels(d)
  const run = (size: number, font: '+mj-lt' | '+mn-lt', colour: string, bold = false) =>
    `<a:defRPr sz="${hundredths(size)}"${bold ? ' b="1"' : ''} kern="0"><a:solidFill><a:schemeClr val="${colour}"/></a:solidFill><a:latin typeface="${font}"/><a:ea typeface="${font.replace('lt', 'ea')}"/><a:cs typeface="${font.replace('lt', 'cs')}"/></a:defRPr>`
  const common = 'algn="l" defTabSz="914400" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1"'
  const title = `<p:titleStyle><a:lvl1pPr ${common}><a:lnSpc><a:spcPct val="${spacing(1.15)}"/></a:lnSpc><a:spcBef><a:spcPts val="0"/></a:spcBef><a:buNone/>${run(d.size('h2'), '+mj-lt', 'tx2', true)}</a:lvl1pPr></p:titleStyle>`
  const body = levels
    .map(
      (l, i) =>
        `<a:lvl${i + 1}pPr marL="${emu(l.left)}" indent="-${emu(l.hang)}" ${common}><a:lnSpc><a:spcPct val="${spacing(1.4)}"/></a:lnSpc><a:spcBef><a:spcPts val="0"/></a:spcBef><a:spcAft><a:spcPts val="${hundredths(s * 1.5)}"/></a:spcAft><a:buClr><a:schemeClr val="accent2"/></a:buClr><a:buSzPct val="100000"/><a:buFont typeface="Arial" pitchFamily="34" charset="0"/><a:buChar char="${l.bullet}"/>${run(l.size, '+mn-lt', 'tx1')}</a:lvl${i + 1}pPr>`,
    )
    .join('')
  const other = levels
    .map((l, i) => `<a:lvl${i + 1}pPr marL="${emu(l.left - l.hang)}" ${common}>${run(d.size('text'), '+mn-lt', 'tx1')}</a:lvl${i + 1}pPr>`)
    .join('')
  return `<p:txStyles>${title}<p:bodyStyle>${body}</p:bodyStyle><p:otherStyle><a:defPPr><a:defRPr lang="${escapeHtml(d.lang)}"/></a:defPPr>${other}</p:otherStyle></p:txStyles>`
}
