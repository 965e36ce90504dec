import { basename, dirname, extname, isAbsolute, join, relative } from 'node:path'

import { type LoadedBrief, openBrief } from './brief/brief.ts'
import { DEFAULT_SIZE } from './brief/fields.ts'
import { selectVariant } from './brief/queries.ts'
import { type Brief, type Slide } from './brief/schema.ts'
import { brandFindings } from './check/brand.ts'
import { consistencyFindings, glyphFindings, provenanceFindings, type SourceDocument } from './check/brief-checks.ts'
import { axeFindings, measureFindings, printedSizeNote, printedTypeNote, printFindings } from './check/check.ts'
import { fontFindings, type PrintedFonts } from './check/fonts.ts'
import { type Finding, formatReport, type Report } from './check/report.ts'
import { MARP_CONFIG_FILE, type MarpSettings, type MarpWorker, readMarpSettings } from './export/marp.ts'
import { type AxeViolation, type PrintMeasure, type SlideMeasure, uniqueViolations } from './measure/measure.ts'
import { BRAND_FILE_NAME, findBrandFile, readBrand } from './render/brand.ts'
import { drawCharts, type DrawOptions } from './render/chart.ts'
import { inlineFonts, printedFonts } from './render/deck-fonts.ts'
import { DEFAULT_HANDOUT, type HandoutPerPage, type PrintDocuments, printDocuments, printedPt } from './render/print.ts'
import { buildView, type RenderDeck, renderView } from './render/render.ts'
import {
  compilePrintTemplates,
  compileTemplates,
  type PrintTemplates,
  readTemplates,
  templateDirs,
  templateFile,
  type TemplateSources,
} from './render/templates.ts'
import { readTheme, type Theme, THEME_FILE_NAME } from './render/theme.ts'
import { sizePx } from './render/tokens.ts'
import type { DeckView } from './render/view.ts'
import { DeckError, ExitCode } from './shared/errors.ts'
import { isInside, readInput } from './shared/fs.ts'
import { firstExisting } from './shared/home.ts'
import { log, reached, timed } from './shared/log.ts'
import { cacheDir } from './shared/packages.ts'
import { decodeText } from './shared/parse.ts'

// The stages every command composes: the toolkit (templates and theme), a brief read as a
// deck (a variant of it, its source document, its view and Markdown), the findings in its
// data, the printed pages' documents, and the findings of what the browser measured.
// `build` (build.ts) makes outputs from them; `check` (check-brief.ts) only findings.

/** What every brief of a build shares: compiled templates and the theme with its fonts. */
export interface Toolkit {
  sources: TemplateSources
  render: RenderDeck
  print: PrintTemplates
  theme: Theme
  themeFile: string
  marp: MarpSettings
}

/**
 * `templatesDir`: the project's templates (--templates; else `templates/` here, if there is
 * one), each file of which takes the place of the tool's own; `themeFile` likewise.
 * `brandFile`: the project's brand (--brand, the `brand` setting); else _brand.yml beside
 * `briefFile` or in the working folder; else (or `false`, --no-brand) the default look alone.
 */
export async function prepare(options: { templatesDir?: string; themeFile?: string; brandFile?: string | false; briefFile?: string } = {}): Promise<Toolkit> {
  if (options.templatesDir !== undefined && !(await firstExisting([options.templatesDir])))
    throw new DeckError(`There is no templates folder ${options.templatesDir}`, { exitCode: ExitCode.usage })
  const dirs = templateDirs(options.templatesDir)
  const themeFile = options.themeFile ?? (await templateFile(dirs, THEME_FILE_NAME))
  const own = options.brandFile === false ? undefined : await findBrandFile(options.brandFile, options.briefFile)
  const brand = await readBrand(own, await templateFile(dirs, BRAND_FILE_NAME))
  const marpDir = dirname(await templateFile(dirs, MARP_CONFIG_FILE))
  const [sources, theme, marp] = await Promise.all([readTemplates(dirs), readTheme(themeFile, brand), readMarpSettings(marpDir)])
  return { sources, render: compileTemplates(sources), print: compilePrintTemplates(sources), theme, themeFile, marp }
}

/** A check found errors: nothing was written. The report says what and where. */
export class CheckFailed extends DeckError {
  readonly report: Report
  constructor(report: Report) {
    super(
      `${formatReport(report)}
Nothing was written; fix the errors above, or build anyway with --force.`,
      { exitCode: ExitCode.input },
    )
    this.report = report
  }
}

/** The source document for the provenance check: the one given, else the one the brief names (relative to the brief). */
export async function sourceDocument(loaded: LoadedBrief, given: string | undefined): Promise<SourceDocument | undefined> {
  const file = given ?? sourceDocumentPath(loaded.brief, loaded.file)
  if (file === undefined) return undefined
  // A document the brief names must be in the brief's folder or below it: a brief from
  // someone else must not make the checks read, and tell about, /etc/shadow through ../.
  if (given === undefined && !(await isInside(dirname(loaded.file), file))) {
    const { line, col } = loaded.locate(['meta', 'source', 'document'])
    const message = "the source document must be in the brief's folder or below it; give one elsewhere with --source"
    throw new DeckError(`${loaded.file} names a source document outside its folder`, {
      problems: [{ file: loaded.file, line, col, path: 'meta.source.document', message }],
    })
  }
  const named = given === undefined ? ExitCode.input : ExitCode.usage
  const bytes = await readInput(file, 'the source document', MAX_SOURCE_BYTES, { exitCode: named, missing: named })
  return { file: displayPath(file), text: decodeText(bytes, file, 'the source document', named) }
}

/** A brief's source text is a few hundred kilobytes at most; more is not a brief's source. */
const MAX_SOURCE_BYTES = 16 * 1024 * 1024

/** The path of the source document the brief names (`meta.source.document`, relative to the brief), if it names one. */
export function sourceDocumentPath(brief: Brief, briefFile: string): string | undefined {
  const named = brief.meta.source.document
  return named === undefined ? undefined : join(dirname(briefFile), named)
}

/** The charts of a brief's chart slides, at the width of the brief's slide size. */
export async function drawBriefCharts(brief: Brief, theme: Theme, options: DrawOptions = { cacheDir: cacheDir('charts') }): Promise<Map<string, string>> {
  return drawCharts(brief, theme.tokens, slideSize(brief, theme).width, options)
}

/** The size of the brief's slides in CSS pixels, as the theme defines it (`@size 16:9 1280px 720px`). */
export function slideSize(brief: Brief, theme: Theme): { width: number; height: number } {
  const size = brief.meta.size ?? DEFAULT_SIZE
  const box = theme.sizes[size]
  if (!box)
    throw new DeckError(
      `The brief asks for ${size} slides, but the theme "${theme.name}" has no "@size ${size}" (it has: ${Object.keys(theme.sizes).join(', ') || 'none'})`,
    )
  return box
}

/**
 * The brief as one of its variants presents it. Lines still point into the whole file:
 * slide N of the variant is located where that slide is written.
 */
export function variantOf(loaded: LoadedBrief, name: string): LoadedBrief {
  const variants = Object.keys(loaded.brief.variants ?? {})
  if (!variants.includes(name)) {
    const known = variants.length > 0 ? `its variants: ${variants.join(', ')}` : 'it defines no `variants`'
    throw new DeckError(`${loaded.file} has no variant "${name}" (${known})`, { exitCode: ExitCode.usage })
  }
  const brief = selectVariant(loaded.brief, name)
  const locate = (path: readonly (string | number)[]) => {
    if (path[0] !== 'slides' || typeof path[1] !== 'number') return loaded.locate(path)
    return loaded.locate(['slides', loaded.brief.slides.indexOf(brief.slides[path[1]] as Slide), ...path.slice(2)])
  }
  return { ...loaded, brief, locate }
}

/** The whole brief as a deck: `--variant full`, unless the brief defines a variant of that name. */
export const FULL_DECK = 'full'

/**
 * The decks a brief makes: the whole brief (the `full` deck, under the brief's own name),
 * then each of its variants. Unreadable briefs build (and fail) as one.
 */
export async function briefVariants(briefFile: string, only?: string): Promise<{ variants: (string | undefined)[]; read: LoadedBrief | undefined }> {
  const read = await openBrief(briefFile).catch(() => undefined)
  const names = Object.keys(read?.brief.variants ?? {})
  const variants = only === undefined ? [undefined, ...names] : only === FULL_DECK && !names.includes(FULL_DECK) ? [undefined] : [only]
  return { variants, read }
}

export function deckName(briefFile: string): string {
  return basename(briefFile, extname(briefFile))
}

/** Paths inside the working folder are shown relative to it, others in full. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel
}

/** The smallest text a slide may show: the theme's `--size-caption`. */
export function minFontPx(theme: Theme): number {
  return sizePx(theme.tokens, 'size-caption')
}

/** A brief read as one deck: the whole brief, the variant shown, its source document, its view and Markdown. */
export interface Deck {
  /** The whole brief: the data's findings see all of it, whichever slides a variant shows. */
  whole: LoadedBrief
  loaded: LoadedBrief
  source: SourceDocument | undefined
  view: DeckView
  markdown: string
  /** The name its outputs take: the brief's, with the variant's after a dot. */
  name: string
}

export interface DeckOptions {
  variant?: string | undefined
  /** The whole brief, already read: the full deck's build does not read it again; a variant's does. */
  read?: LoadedBrief | undefined
  /** The brief's text, to find each figure's evidence in (else `meta.source.document`). */
  sourceFile?: string | undefined
}

/** Stages 1 and 2: a brief file → the deck it makes (brief → view → Markdown). */
export async function readDeck(briefFile: string, toolkit: Toolkit, options: DeckOptions = {}): Promise<Deck> {
  const whole = options.variant === undefined && options.read ? options.read : await openBrief(briefFile, { variant: options.variant })
  reached('brief read')
  const loaded = options.variant === undefined ? whole : variantOf(whole, options.variant)
  const source = await sourceDocument(loaded, options.sourceFile)
  const view = buildView(loaded.brief, { charts: await drawBriefCharts(loaded.brief, toolkit.theme) })
  const markdown = renderView(view, toolkit.render)
  reached('markdown made')
  const name = options.variant === undefined ? deckName(briefFile) : `${deckName(briefFile)}.${options.variant}`
  return { whole, loaded, source, view, markdown, name }
}

/** What the data alone shows, before anything is drawn: provenance, consistency, glyphs, the brand; and what could not be checked. */
export async function dataFindings(deck: Deck, toolkit: Toolkit): Promise<{ findings: Finding[]; skipped: string[] }> {
  const findings = [
    ...provenanceFindings(deck.whole, deck.source),
    ...consistencyFindings(deck.whole, toolkit.sources),
    ...glyphFindings(deck.loaded),
    ...(await brandFindings(toolkit.theme, toolkit.themeFile, deck.loaded.brief.meta.language)),
  ]
  const skipped = deck.source ? [] : ['provenance not verified: no source document to find the evidence in (give --source FILE, or meta.source.document)']
  return { findings, skipped }
}

/**
 * The printed pages' documents: the slides rendered by Marp Core (in its worker), with faces
 * cut for the characters they show that the theme's subsets lack, the handout's text as well as the slides'.
 */
export async function printPages(deck: Deck, toolkit: Toolkit, marp: MarpWorker, handoutPerPage: HandoutPerPage): Promise<PrintDocuments> {
  const rendered = await timed('marp core', marp.slides(deck.markdown, toolkit.theme, toolkit.marp))
  const make = (fonts: string) => printDocuments(deck.loaded.brief, deck.view, rendered, toolkit.print, { handoutPerPage, fonts, tokens: toolkit.theme.tokens })
  const first = make(toolkit.theme.fonts.files)
  const fonts = await printedFonts(toolkit.theme.fonts, first.slides + first.handout + first.notes)
  return fonts === toolkit.theme.fonts.files ? first : make(fonts)
}

/** What the browser measured of a deck's pages. */
export interface Measured {
  measures?: SlideMeasure[] | undefined
  print: { handout?: PrintMeasure | undefined; notes?: PrintMeasure | undefined }
  handoutScale?: number | undefined
  fonts?: PrintedFonts | undefined
  /** axe-core's findings on the slides' page and the HTML deck. */
  violations: AxeViolation[]
  /** The HTML deck's file, as findings name it, when it was audited. */
  htmlFile?: string | undefined
}

/** The findings of what was measured: the slides' layout, the fonts the PDFs draw with, the printed pages, axe-core's audit. */
export function measuredFindings(deck: Deck, toolkit: Toolkit, made: Measured, handoutPerPage: HandoutPerPage): { findings: Finding[]; skipped: string[] } {
  const { loaded, view } = deck
  log.debug('check', 'measures: %j', made.measures)
  log.debug('check', 'printed pages: %j', made.print)
  const findings = made.measures ? measureFindings(loaded, view, made.measures, minFontPx(toolkit.theme)) : []
  if (made.fonts) findings.push(...fontFindings(loaded, view, made.fonts, toolkit.theme.fonts.families))
  // Small slide text is a choice with --handout 3 (said once, below); the notes page prints slides as large as the default handout.
  const { handoutScale } = made
  const bodyPx = Number.parseFloat(toolkit.theme.tokens['size-text'] ?? '')
  const onPaper = (['handout', 'notes'] as const).flatMap((kind) => {
    const measured = made.print[kind]
    if (!measured) return []
    const counts = kind === 'notes' || handoutPerPage === DEFAULT_HANDOUT
    return printFindings(loaded, view, kind, measured, {
      smallTextCounts: counts,
      bodyPt: kind === 'handout' && bodyPx && handoutScale ? printedPt(bodyPx, handoutScale) : undefined,
    })
  })
  // The same small text on a slide is said once, for the handout, not again for the notes PDF.
  const smallIn = new Set(onPaper.filter((f) => f.code === 'small-text' && f.output === 'handout').map((f) => f.slide?.number))
  findings.push(...onPaper.filter((f) => !(f.code === 'small-text' && f.output === 'notes' && smallIn.has(f.slide?.number))))
  const skipped = [
    ...(made.print.handout && handoutPerPage !== DEFAULT_HANDOUT
      ? [printedSizeNote(handoutPerPage, toolkit.theme.tokens, slideSize(loaded.brief, toolkit.theme))]
      : []),
    ...(['handout', 'notes'] as const).flatMap((kind) => {
      const measured = made.print[kind]
      const said = measured ? printedTypeNote(kind, measured) : undefined
      return said ? [said] : []
    }),
  ]
  if (made.htmlFile !== undefined || made.violations.length > 0)
    findings.push(...axeFindings(loaded, view, uniqueViolations(made.violations), made.htmlFile ?? ''))
  return { findings, skipped }
}

/** The HTML deck, made by Marp CLI in Marp's worker from the staged Markdown and theme, with the fonts its text needs inlined. */
export async function htmlDeck(marp: MarpWorker, toolkit: Toolkit, deck: Deck, mdPath: string, themePath: string): Promise<string> {
  const keywords = deck.loaded.brief.meta.keywords ?? []
  // The theme's CSS too: a `content: '…'` of its own is drawn in its fonts.
  const headCss = await inlineFonts(toolkit.theme.fonts, deck.markdown + toolkit.theme.css)
  const [made] = await marp.html({ settings: toolkit.marp, inputs: [mdPath], themeFile: themePath, headCss, keywords })
  return made?.text ?? ''
}
