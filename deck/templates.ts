import { readdir, readFile } from 'node:fs/promises'
import { basename, join, relative } from 'node:path'
import Handlebars from 'handlebars'
import { DeckError, type Problem } from './errors.ts'
import { HELPERS, type DeckView, type RenderDeck } from './render.ts'
import { LAYOUTS } from './schema.ts'

// Handlebars templates: `templates/deck.hbs` orders the slides, and one partial per
// layout in `templates/layouts/` draws a slide. Compiled strictly: a field the data
// lacks, an unknown helper or a missing partial is an error naming the template.

export const TEMPLATE_DIR = 'templates'
const DECK_TEMPLATE = 'deck.hbs'
const LAYOUT_DIR = 'layouts'
const RE_PARSE_LINE = /on line (\d+)/
const RE_LOCATION_SUFFIX = / - \d+:\d+$/

export interface TemplateSource {
  file: string
  source: string
}

export interface TemplateSources {
  deck: TemplateSource
  /** Partials by name: each layout's name, plus any shared partial. */
  partials: Record<string, TemplateSource>
}

export async function readTemplates(dir: string = TEMPLATE_DIR): Promise<TemplateSources> {
  const read = async (file: string): Promise<TemplateSource> => {
    try {
      return { file: relative(process.cwd(), file) || file, source: await readFile(file, 'utf8') }
    } catch (cause) {
      throw new DeckError(`Cannot read template ${file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause })
    }
  }
  const layoutDir = join(dir, LAYOUT_DIR)
  const names = (await readdir(layoutDir).catch(() => [] as string[])).filter((f) => f.endsWith('.hbs')).sort()
  const partials: Record<string, TemplateSource> = {}
  for (const name of names) partials[basename(name, '.hbs')] = await read(join(layoutDir, name))
  return { deck: await read(join(dir, DECK_TEMPLATE)), partials }
}

const COMPILE_OPTIONS: CompileOptions = {
  strict: true,
  knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((h) => [h, true])),
  knownHelpersOnly: true,
  preventIndent: true,
}

/** Compiles every template now, so a broken one fails before any output is written. */
export function compileTemplates(sources: TemplateSources): RenderDeck {
  const hb = Handlebars.create()
  for (const [name, helper] of Object.entries(HELPERS)) hb.registerHelper(name, helper)

  const missing = LAYOUTS.filter((layout) => !(layout in sources.partials))
  if (missing.length > 0) {
    throw new DeckError(`Missing layout templates: ${missing.map((l) => `${TEMPLATE_DIR}/${LAYOUT_DIR}/${l}.hbs`).join(', ')}`)
  }
  const problems: Problem[] = []
  const compile = (t: TemplateSource) => {
    try {
      hb.precompile(t.source, COMPILE_OPTIONS) // the full compiler, now rather than at first use
      problems.push(...unknownPartials(t, sources.partials))
    } catch (cause) {
      problems.push(templateProblem(t.file, cause))
    }
    const template = hb.compile<DeckView>(t.source, COMPILE_OPTIONS)
    return (context: unknown, options?: RuntimeOptions) => {
      try {
        return template(context as DeckView, options)
      } catch (cause) {
        throw cause instanceof DeckError ? cause : new DeckError('Template error', { problems: [templateProblem(t.file, cause)], cause })
      }
    }
  }
  for (const [name, t] of Object.entries(sources.partials)) hb.registerPartial(name, compile(t))
  const deck = compile(sources.deck)
  if (problems.length > 0) throw new DeckError('The templates have errors', { problems })
  return (view) => deck(view)
}

function unknownPartials(t: TemplateSource, partials: Record<string, TemplateSource>): Problem[] {
  const problems: Problem[] = []
  class PartialNames extends Handlebars.Visitor {
    override PartialStatement(partial: hbs.AST.PartialStatement): void {
      const name = partial.name.type === 'PathExpression' ? (partial.name as hbs.AST.PathExpression).original : undefined
      if (name !== undefined && !(name in partials)) {
        problems.push({ file: t.file, line: partial.loc.start.line, col: partial.loc.start.column + 1, message: `unknown partial "${name}"` })
      }
    }
  }
  new PartialNames().accept(Handlebars.parse(t.source))
  return problems
}

function templateProblem(file: string, cause: unknown): Problem {
  if (!(cause instanceof Error)) return { file, message: String(cause) }
  const located = cause as Error & { lineNumber?: number; column?: number }
  if (located.lineNumber !== undefined) {
    const message = cause.message
      .replace(RE_LOCATION_SUFFIX, '')
      .replace(/^"(.+)" not defined in .*$/, 'field "$1" is not in the data for this template')
      .replace(/^You specified knownHelpersOnly, but used the unknown helper (\S+)$/, `unknown helper "$1" (helpers: ${Object.keys(HELPERS).join(', ')})`)
    return { file, line: located.lineNumber, col: (located.column ?? 0) + 1, message }
  }
  // Parse errors carry the line in their text: "Parse error on line 3:\n…{{title}\n----^\nExpecting …, got 'X'".
  const line = RE_PARSE_LINE.exec(cause.message)?.[1]
  const lines = cause.message.split('\n')
  const got = /got '([^']+)'/.exec(cause.message)?.[1]
  const message =
    got === 'EOF'
      ? 'the template ends inside a block: a {{#…}} has no matching {{/…}}'
      : `syntax error near "${(lines[1] ?? '').trim()}"${got ? ` (unexpected ${got})` : ''}`
  return { file, ...(line ? { line: Number(line) } : {}), message: `Handlebars: ${message}` }
}
