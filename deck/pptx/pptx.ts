// PowerPoint, made natively from the deck's view: a slide master and one layout per
// layout of ours, in the theme's colours and fonts; every title in a title placeholder,
// points as bulleted paragraphs, figures as text, charts as PowerPoint charts with their
// data, notes in the notes pane. No browser: the text is measured here (textfit.ts).
import type P from 'pptxgenjs'

type Presentation = InstanceType<typeof P.default>
import { type Language, LAYOUTS } from '../brief/schema.ts'
import { CATALOGUES } from '../languages/languages.ts'
import type { Brand } from '../render/brand.ts'
import { fitLogo, type Logo, LOGO_BOXES, logoPng } from '../render/logo.ts'
import { noteParagraphs } from '../render/prose.ts'
import type { Theme } from '../render/theme.ts'
import type { DeckView, Layout, SlideView } from '../render/view.ts'
import { type Canvas, frame, type View } from './canvas.ts'
import { at, type Box, type Design, design, fit, inches, points } from './draw.ts'
import * as figures from './figures.ts'
import { bodyLevels, colourScheme, colourSchemeXml, emu, textStylesXml } from './master.ts'
import { finishPackage, type PlaceholderMove } from './package.ts'
import * as draw from './slides.ts'
import { measureWith } from './textfit.ts'

export interface PptxInfo {
  title: string
  /** Absent when the brief names no author: the file then names none. */
  author: string | undefined
  subject: string
  keywords: readonly string[]
  language: Language
  /** Slide size in CSS pixels (96 per inch). */
  size: { width: number; height: number }
  /** The date written into the file: the brief's date, or SOURCE_DATE_EPOCH (see `buildDate`). */
  date: Date
}

/** A box in EMU, as a shape's position and size are written. */
const emuBox = (box: Box) => ({ x: emu(box.x), y: emu(box.y), w: emu(box.w), h: emu(box.h) })

/** The name PowerPoint shows for the deck's theme and its colours. */
const THEME_NAME = 'Brief deck'

type PresentationClass = new () => Presentation

/**
 * pptxgenjs's types describe a CommonJS default export, but Node loads its ES
 * build, whose default export is the class itself; accept either shape.
 */
async function pptxConstructor(): Promise<PresentationClass> {
  const loaded = (await import('pptxgenjs')) as unknown as { default: PresentationClass | { default: PresentationClass } }
  const candidate = loaded.default
  return 'default' in candidate ? candidate.default : candidate
}

/** An empty presentation of the deck's size, with its properties. */
export async function presentation(info: PptxInfo): Promise<Presentation> {
  const pptx = new (await pptxConstructor())()
  pptx.defineLayout({ name: 'DECK', width: inches(info.size.width), height: inches(info.size.height) })
  pptx.layout = 'DECK'
  pptx.title = info.title
  // pptxgenjs names itself when told nothing; an empty name is removed from the package (package.ts).
  pptx.author = info.author ?? ''
  pptx.subject = info.subject
  return pptx
}

/** A layout's name in PowerPoint: ours, and the variant whose title sits above the slide (read by the outline and screen readers, not shown). */
function layoutName(view: SlideView): string {
  const hidden = (view.partial === 'figure' || view.partial === 'quote') && view.title === undefined
  return hidden ? `${view.partial} (title hidden)` : view.partial
}

/** Ours, and after each layout whose slides may have no title, its variant with the title hidden. */
const PPTX_LAYOUTS = LAYOUTS.flatMap((layout) => (layout === 'figure' || layout === 'quote' ? [layout, `${layout} (title hidden)`] : [layout]))

/** Speaker notes as the notes pane shows them: their paragraphs, a blank line between. */
export function notesPane(notes: string): string {
  return noteParagraphs(notes).join('\n\n')
}

/** The slide master's layouts: background, footer, page number, rules and placeholders, from the theme. */
function defineLayouts(pptx: Presentation, view: DeckView, d: Design, titleParts: draw.TitleSlideParts, logos: LayoutLogos): void {
  const f = frame(d)
  const caption = { fontFace: d.font.text, fontSize: points(d.size('caption')), margin: 0 }
  const placeholder = (name: 'title' | 'body' | 'chart', box: Box, style: Partial<P.default.PlaceholderProps>) => ({
    placeholder: { options: { name, type: name, ...at(box), margin: 0, ...style } as P.default.PlaceholderProps, text: '' },
  })
  const lead = { fontFace: d.font.text, fontSize: points(d.size('lead')), valign: 'top' as const }
  const heading = { fontFace: d.font.head, bold: true, color: d.colour('navy'), fontSize: points(d.size('h2')), valign: 'bottom' as const }
  const body = { fontFace: d.font.text, color: d.colour('ink'), fontSize: points(d.size('text')), valign: 'top' as const }
  for (const name of PPTX_LAYOUTS) {
    const divider = name === 'section'
    const muted = d.colour(divider ? 'divider-muted' : 'muted')
    const objects: P.default.SlideMasterProps['objects'] = []
    const logo = name === 'title' ? logos.large : divider ? logos.smallDark : logos.small
    if (logo) objects.push({ image: logo })
    if (name === 'title') {
      objects.push({ rect: { x: 0, y: 0, w: inches(d.space * 3), h: inches(d.height), fill: { color: d.colour('navy') }, line: { type: 'none' } } })
      objects.push(placeholder('title', titleParts.box.title, { ...heading, fontSize: points(d.size('display')), valign: 'top' }))
      // The subtitle's place, for a title slide a colleague adds.
      const sub = titleParts.box.subtitle
      objects.push(placeholder('body', { ...sub, h: Math.max(sub.h, d.size('lead') * 1.3 * 2) }, { ...lead, color: d.colour('muted') }))
    } else {
      objects.push({
        line: {
          x: inches(f.left),
          y: inches(f.footerRule),
          w: inches(f.width),
          h: 0,
          line: { color: d.colour(divider ? 'divider-rule' : 'rule'), width: 0.75 },
        },
      })
      // The footer keeps to one line: a long one is set smaller, as the HTML's would be cut short.
      const footer = fit(
        d,
        [{ runs: [{ text: view.footer.plain, size: d.size('caption'), role: 'text', colour: muted }], lineHeight: 1.4 }],
        { ...f.footer, h: d.size('caption') * 1.4 },
        0.5,
      )
      objects.push({
        text: {
          text: view.footer.plain,
          options: {
            ...at(f.footer),
            ...caption,
            fontSize: points(d.size('caption') * footer.scale),
            color: muted,
            valign: 'bottom',
            fit: 'none',
            lang: d.lang,
          },
        },
      })
      const hidden = name.endsWith('(title hidden)')
      const section = draw.sectionParts(d)
      const titleBox = hidden ? { ...f.title, y: -f.title.h - d.space * 4 } : divider ? section.title : f.title
      const style = divider
        ? { ...heading, color: d.colour('divider-ink'), fontSize: points(d.size('h1')), valign: 'top' as const }
        : name === 'figure'
          ? { ...heading, color: d.colour('muted'), fontSize: points(d.size('lead')) }
          : heading
      objects.push(placeholder('title', titleBox, style))
      if (!divider && name !== 'figure' && !hidden)
        objects.push({ line: { x: inches(f.left), y: inches(f.rule), w: inches(f.width), h: 0, line: { color: d.colour('rule'), width: 1.5 } } })
      // Every layout has a place for its content, so that a slide a colleague adds from it is not empty:
      // a section's subtitle below its title, a chart layout's chart, the others' text.
      const content = { x: f.left, y: f.top, w: f.width, h: f.bottom - f.top }
      if (divider) {
        const y = titleBox.y + titleBox.h + d.space * 3
        objects.push(placeholder('body', { ...titleBox, y, h: d.size('lead') * 1.4 * 2 }, { ...lead, color: d.colour('divider-soft') }))
      } else if (name === 'chart') objects.push(placeholder('chart', content, body))
      else objects.push(placeholder('body', content, body))
    }
    pptx.defineSlideMaster({
      title: name,
      background: { color: d.colour(divider ? 'divider-paper' : 'paper') },
      objects,
      ...(name === 'title' ? {} : { slideNumber: { ...at(f.number), ...caption, color: muted, align: 'right' as const, valign: 'bottom' as const } }),
    })
  }
}

type LogoImage = P.default.ImageProps
interface LayoutLogos {
  large?: LogoImage
  small?: LogoImage
  smallDark?: LogoImage
}

/**
 * The brand's logos as pictures on the layouts, where the theme draws them (theme.ts
 * logoTokens): the large one on the title layout, the small one in every other layout's
 * footer, its dark variant on the section layout (none there without one). An SVG is
 * drawn to a PNG four times its size on the slide: PowerPoint's own SVG support needs a
 * PNG beside it, and older viewers show only that.
 */
function layoutLogos(brand: Brand, d: Design): LayoutLogos {
  const image = (logo: Logo | undefined, box: (typeof LOGO_BOXES)[keyof typeof LOGO_BOXES]): LogoImage | undefined => {
    if (!logo) return undefined
    const size = fitLogo(logo, box)
    const png = logoPng(logo, size.height * 4)
    return {
      data: `${png.mime};base64,${Buffer.from(png.bytes).toString('base64')}`,
      x: inches(d.width - box.right - size.width),
      y: inches(d.height - box.bottom - size.height),
      w: inches(size.width),
      h: inches(size.height),
      altText: logo.alt ?? '',
    }
  }
  const { large, small } = brand.logos
  const out: LayoutLogos = {}
  const put = (key: keyof LayoutLogos, made: LogoImage | undefined) => {
    if (made) out[key] = made
  }
  put('large', image(large?.light ?? large?.dark, LOGO_BOXES.large))
  put('small', image(small?.light ?? small?.dark, LOGO_BOXES.small))
  put('smallDark', image(small?.dark, LOGO_BOXES.small))
  return out
}

type Drawer<L extends Layout> = (c: Canvas, view: View<L>, deck: DeckView, titleParts: draw.TitleSlideParts) => void

/** Each layout's drawing, by the layout's name. */
const DRAWERS: { [L in Layout]: Drawer<L> } = {
  title: (c, _view, _deck, titleParts) => draw.drawTitle(c, titleParts),
  agenda: draw.drawAgenda,
  section: draw.drawSection,
  points: draw.drawPoints,
  figure: figures.drawFigure,
  comparison: figures.drawComparison,
  chart: figures.drawChart,
  timeline: figures.drawTimeline,
  quote: draw.drawQuote,
  sources: draw.drawSources,
  closing: (c, view, deck) => draw.drawClosing(c, view, deck.meta),
}

function drawSlide<L extends Layout>(c: Canvas, view: View<L>, deck: DeckView, titleParts: draw.TitleSlideParts): void {
  // TypeScript cannot tie the drawer to the view's own layout: the table's type does.
  ;(DRAWERS[view.partial as L] as Drawer<L>)(c, view, deck, titleParts)
}

/**
 * The deck as an editable PowerPoint file. `between` runs after each slide is drawn: the
 * build lets other work (the browser's, a Ctrl-C) in there, and stops when told to.
 */
export async function buildPptx(
  view: DeckView,
  theme: Pick<Theme, 'tokens' | 'brand'>,
  info: PptxInfo,
  between: () => Promise<void> = async () => undefined,
): Promise<{ pptx: Uint8Array; warnings: string[] }> {
  const pptx = await presentation(info)
  measureWith(theme.brand.fonts)
  const d = design(theme.tokens, info.size, info.language)
  pptx.company = view.meta.affiliation?.plain ?? ''
  pptx.theme = { headFontFace: d.font.head, bodyFontFace: d.font.text }
  // The title slide is laid out once: its layout's title placeholder is placed where its slide draws the title.
  const titleParts = draw.titleSlideParts(view, d)
  defineLayouts(pptx, view, d, titleParts, layoutLogos(theme.brand, d))
  const chartLabels: string[][] = []
  const chartCategories: (string | undefined)[] = []
  const warnings: string[] = []
  const moves: PlaceholderMove[] = []
  for (const [i, slideView] of view.slides.entries()) {
    const slide = pptx.addSlide({ masterName: layoutName(slideView) })
    const tooLong = (text: string, scale: number) => {
      const start = text.length > 40 ? `${text.slice(0, 40)}…` : text
      warnings.push(`slide ${i + 1} (${slideView.id}): “${start}” fits its box in the PowerPoint only at ${Math.round(scale * 100)} % of its size; shorten it`)
    }
    drawSlide(
      {
        d,
        slide,
        shapes: pptx.ShapeType,
        charts: pptx.ChartType,
        chartLabels: (formats, category) => {
          chartLabels.push(formats)
          chartCategories.push(category)
        },
        tooLong,
        moved: (placeholder, box) => moves.push({ slide: i + 1, placeholder, box: emuBox(box) }),
      },
      slideView,
      view,
      titleParts,
    )
    if (slideView.notesText) slide.addNotes(notesPane(slideView.notesText))
    await between()
  }
  const out = (await pptx.write({ outputType: 'uint8array' })) as Uint8Array
  const finished = await finishPackage(out, {
    date: info.date,
    titles: view.slides.map((s) => s.outline),
    keywords: info.keywords,
    language: CATALOGUES[info.language].locale,
    chartLabels,
    chartCategories,
    fonts: [...new Set([d.font.head, d.font.text])],
    bulletColour: d.colour('accent'),
    serif: d.font.head,
    bulletIndent: emu(bodyLevels(d)[0]?.hang ?? 0),
    colourScheme: colourSchemeXml(colourScheme(d), THEME_NAME),
    textStyles: textStylesXml(d),
    moves,
  })
  return { pptx: finished, warnings }
}
