import { readdir } from 'node:fs/promises'
import { basename, dirname, join, relative } from 'node:path'

import Handlebars from 'handlebars'

import { LAYOUTS } from '../brief/schema.ts'
import { DeckError, errorCode, ExitCode, fileError, type Problem } from '../shared/errors.ts'
import { readInput } from '../shared/fs.ts'
import { firstExisting, toolFile, uniqueDirs } from '../shared/home.ts'
import { HELPERS, type RenderDeck } from './render.ts'
import { type DeckView } from './view.ts'

// Handlebars templates: `templates/deck.hbs` orders the slides, and one partial per
// layout in `templates/layouts/` draws a slide; `templates/print/` holds the HTML
// pages the browser prints (slides, handout, notes). Compiled strictly: a field the
// data lacks, an unknown helper or a missing partial is an error naming the template.

/** A project's templates folder, in the folder the command runs in. */
export const TEMPLATE_DIR = 'templates'

/**
 * Where templates (and the theme, the default brand, Marp's settings) are looked for, in
 * order: the project's folder (`templates/`, or the one named), then this tool's own. A
 * project overrides one layout by writing that file alone.
 */
export function templateDirs(dir: string = TEMPLATE_DIR): string[] {
  return uniqueDirs([dir, toolFile('templates')])
}

/** The first of the template folders that has the file `name` (`theme.css`, `new/brief.yaml.hbs`), else the tool's own. */
export async function templateFile(dirs: readonly string[], name: string): Promise<string> {
  return (await firstExisting(dirs.map((dir) => join(dir, name)))) ?? join(dirs[dirs.length - 1] ?? toolFile('templates'), name)
}
const DECK_TEMPLATE = 'deck.hbs'
const LAYOUT_DIR = 'layouts'
const PRINT_DIR = 'print'
export const PRINT_TEMPLATES = ['slides', 'handout', 'notes'] as const
export type PrintName = (typeof PRINT_TEMPLATES)[number]
export type PrintTemplates = Record<PrintName, (context: object) => string>
const RE_PARSE_LINE = /on line (\d+)/
const RE_LOCATION_SUFFIX = / - \d+:\d+$/
const RE_MISSING_FIELD = /^"(.+)" not defined in .*$/
const RE_UNKNOWN_HELPER = /^You specified knownHelpersOnly, but used the unknown helper (\S+)$/
const RE_PARSE_GOT = /got '([^']+)'/
/** A name of the grammar's tokens, as Handlebars' parse errors give them. */
const RE_TOKEN_NAME = /^[A-Z_]{2,30}$/

export interface TemplateSource {
  file: string
  source: string
}

export interface TemplateSources {
  deck: TemplateSource
  /** Partials by name: each layout's name, plus any shared partial. */
  partials: Record<string, TemplateSource>
  /** HTML pages for the browser, by name. */
  print: Record<string, TemplateSource>
}

/** A template is a page at most; anything larger is not one (a link to a device, say). */
const MAX_TEMPLATE_BYTES = 1024 * 1024

/** The templates of these folders, each file from the first that has it (one folder given: that folder's alone). */
export async function readTemplates(folders: string | readonly string[] = templateDirs()): Promise<TemplateSources> {
  const dirs = typeof folders === 'string' ? [folders] : folders
  const read = async (file: string): Promise<TemplateSource> => {
    const source = (await readInput(file, 'the template', MAX_TEMPLATE_BYTES, { missing: ExitCode.input })).toString('utf8')
    return { file: relative(process.cwd(), file) || file, source }
  }
  // A partial (or page) by name, from the first folder that has it.
  const readDir = async (sub: string) => {
    const found: Record<string, string> = {}
    for (const dir of dirs) {
      const names = await readdir(join(dir, sub)).catch((cause: unknown) => {
        if (errorCode(cause) === 'ENOENT') return [] as string[] // none here; those missing everywhere are reported below
        throw fileError('read the templates in', join(dir, sub), cause, ExitCode.input)
      })
      for (const name of names.filter((f) => f.endsWith('.hbs'))) found[basename(name, '.hbs')] ??= join(dir, sub, name)
    }
    const sources: Record<string, TemplateSource> = {}
    for (const name of Object.keys(found).sort()) sources[name] = await read(found[name] as string)
    return sources
  }
  return { deck: await read(await templateFile(dirs, DECK_TEMPLATE)), partials: await readDir(LAYOUT_DIR), print: await readDir(PRINT_DIR) }
}

const COMPILE_OPTIONS: CompileOptions = {
  strict: true,
  knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((h) => [h, true])),
  knownHelpersOnly: true,
  preventIndent: true,
}

/** HTML pages escape for HTML (Handlebars' default) and use no helpers of ours. */
const PRINT_COMPILE_OPTIONS: CompileOptions = { strict: true, knownHelpersOnly: true, preventIndent: true }

type Compiled = (context: unknown, options?: RuntimeOptions) => string

/**
 * Compiles one template now (so a broken one fails before any output is written),
 * collecting its problems; at render time its errors name its file.
 */
function compileOne(
  hb: typeof Handlebars,
  t: TemplateSource,
  options: CompileOptions,
  partials: Record<string, TemplateSource>,
  problems: Problem[],
): Compiled {
  let template: Compiled
  try {
    // Parsed once, checked, and compiled now (so a broken template fails before any output is written).
    const ast = Handlebars.parse(t.source)
    problems.push(...unknownPartials(t.file, ast, partials))
    const spec = new Function(`return ${hb.precompile(ast, options)}`)() as TemplateSpecification
    template = hb.template(spec)
  } catch (cause) {
    problems.push(templateProblem(t, cause))
    template = () => {
      throw cause
    }
  }
  return (context, runtime) => {
    try {
      return template(context, runtime)
    } catch (cause) {
      throw cause instanceof DeckError ? cause : new DeckError('Template error', { problems: [templateProblem(t, cause)], cause })
    }
  }
}

/** The deck template with its layout partials: view in, Marp Markdown out. */
export function compileTemplates(sources: TemplateSources): RenderDeck {
  const hb = Handlebars.create()
  for (const [name, helper] of Object.entries(HELPERS)) hb.registerHelper(name, helper)

  const missing = LAYOUTS.filter((layout) => !(layout in sources.partials))
  if (missing.length > 0) {
    const dir = join(dirname(sources.deck.file), LAYOUT_DIR)
    throw new DeckError(`Missing layout templates: ${missing.map((l) => join(dir, `${l}.hbs`)).join(', ')}`)
  }
  const problems: Problem[] = []
  for (const [name, t] of Object.entries(sources.partials)) hb.registerPartial(name, compileOne(hb, t, COMPILE_OPTIONS, sources.partials, problems))
  const deck = compileOne(hb, sources.deck, COMPILE_OPTIONS, sources.partials, problems)
  if (problems.length === 0) problems.push(...partialCycles(sources.partials))
  if (problems.length > 0) throw new DeckError('The templates have errors', { problems })
  return (view: DeckView) => deck(view)
}

/** The HTML pages the browser prints; files named `_x.hbs` in the same folder are partials they share. */
export function compilePrintTemplates(sources: TemplateSources): PrintTemplates {
  const missing = PRINT_TEMPLATES.filter((name) => !(name in sources.print))
  if (missing.length > 0) {
    const dir = join(dirname(sources.deck.file), PRINT_DIR)
    throw new DeckError(`Missing print templates: ${missing.map((n) => join(dir, `${n}.hbs`)).join(', ')}`)
  }
  const hb = Handlebars.create()
  const problems: Problem[] = []
  const partials = Object.fromEntries(Object.entries(sources.print).filter(([name]) => name.startsWith('_')))
  for (const [name, t] of Object.entries(partials)) hb.registerPartial(name, compileOne(hb, t, PRINT_COMPILE_OPTIONS, partials, problems))
  if (problems.length === 0) problems.push(...partialCycles(partials))
  const compiled = Object.fromEntries(
    PRINT_TEMPLATES.map((name) => [name, compileOne(hb, sources.print[name] as TemplateSource, PRINT_COMPILE_OPTIONS, partials, problems)]),
  ) as PrintTemplates
  if (problems.length > 0) throw new DeckError('The templates have errors', { problems })
  return compiled
}

function unknownPartials(file: string, ast: hbs.AST.Program, partials: Record<string, TemplateSource>): Problem[] {
  const problems: Problem[] = []
  class PartialNames extends Handlebars.Visitor {
    override PartialStatement(partial: hbs.AST.PartialStatement): void {
      const name = partial.name.type === 'PathExpression' ? (partial.name as hbs.AST.PathExpression).original : undefined
      if (name !== undefined && !(name in partials)) {
        problems.push({
          file,
          line: partial.loc.start.line,
          col: partial.loc.start.column + 1,
          message: `this {{> …}} names no partial (partials: ${Object.keys(partials).join(', ')})`,
        })
      }
    }
  }
  new PartialNames().accept(ast)
  return problems
}

/** The partials each partial includes, with where: `{{> name}}` statements, read from the syntax tree. */
function includes(t: TemplateSource): { name: string; line: number; col: number }[] {
  const found: { name: string; line: number; col: number }[] = []
  class Includes extends Handlebars.Visitor {
    override PartialStatement(partial: hbs.AST.PartialStatement): void {
      if (partial.name.type === 'PathExpression')
        found.push({ name: (partial.name as hbs.AST.PathExpression).original, line: partial.loc.start.line, col: partial.loc.start.column + 1 })
    }
  }
  new Includes().accept(Handlebars.parse(t.source))
  return found
}

/**
 * A partial that includes itself, directly or through others, would recurse until the stack
 * runs out while the slides are made: found here instead, at the `{{> …}}` that closes the circle.
 */
function partialCycles(partials: Record<string, TemplateSource>): Problem[] {
  const edges = new Map(Object.entries(partials).map(([name, t]) => [name, includes(t)]))
  const done = new Set<string>()
  for (const start of edges.keys()) {
    // Depth first with a list of our own: a path of partials, each with the includes still to follow.
    const path: { name: string; next: number }[] = [{ name: start, next: 0 }]
    while (path.length > 0) {
      const top = path[path.length - 1] as { name: string; next: number }
      const include = edges.get(top.name)?.[top.next]
      top.next += 1
      if (!include) {
        done.add(top.name)
        path.pop()
      } else if (path.some((p) => p.name === include.name)) {
        const circle = [...path.slice(path.findIndex((p) => p.name === include.name)).map((p) => p.name), include.name]
        const file = (partials[top.name] as TemplateSource).file
        return [{ file, line: include.line, col: include.col, message: `the partials include each other without end: ${circle.join(' → ')}` }]
      } else if (edges.has(include.name) && !done.has(include.name)) path.push({ name: include.name, next: 0 })
    }
  }
  return []
}

function templateProblem({ file, source }: TemplateSource, cause: unknown): Problem {
  if (!(cause instanceof Error)) return { file, message: String(cause) }
  if (cause instanceof RangeError) return { file, message: 'the templates include each other without end, or nest too deeply' }
  const located = cause as Error & { lineNumber?: number; column?: number }
  if (located.lineNumber !== undefined) {
    // `{{title.constructor.name}}`: Handlebars refuses names every object inherits, and then reports the next name as missing.
    const line = source.split(/\r?\n/)[located.lineNumber - 1] ?? ''
    const open = line.lastIndexOf('{{', (located.column ?? 0) + 1)
    const expression = open < 0 ? '' : (/^\{\{[~#]?\s*([^\s}]+)/.exec(line.slice(open))?.[1] ?? '')
    const inherited = expression.split('.').find((part) => part in Object.prototype)
    if (inherited)
      return {
        file,
        line: located.lineNumber,
        col: (located.column ?? 0) + 1,
        message: `"${inherited}" is not data a template can use (every object has it)`,
      }
    // Handlebars' own words name what the template wrote: only their kind is said, at the line and column.
    const text = cause.message.replace(RE_LOCATION_SUFFIX, '')
    const field = RE_MISSING_FIELD.exec(text)?.[1]
    const helper = RE_UNKNOWN_HELPER.exec(text)?.[1]
    const message =
      field !== undefined
        ? 'this expression names a field that is not in the data for this template'
        : helper !== undefined
          ? `this expression names no helper (helpers: ${Object.keys(HELPERS).join(', ')})`
          : 'Handlebars cannot run this expression'
    return { file, line: located.lineNumber, col: (located.column ?? 0) + 1, message }
  }
  // Parse errors carry the line in their text: "Parse error on line 3:\n…{{title}\n----^\nExpecting …, got 'X'".
  const line = RE_PARSE_LINE.exec(cause.message)?.[1]
  // The token names Handlebars' grammar gives ('CLOSE', 'EOF', …) are its words; the excerpt it prints is the file's.
  const got = RE_PARSE_GOT.exec(cause.message)?.[1]
  const message =
    got === 'EOF'
      ? 'the template ends inside a block: a {{#…}} has no matching {{/…}}'
      : `syntax error${got && RE_TOKEN_NAME.test(got) ? ` (unexpected ${got})` : ''}`
  return { file, ...(line ? { line: Number(line) } : {}), message: `Handlebars: ${message}` }
}
