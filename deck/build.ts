import { basename, extname, isAbsolute, relative } from 'node:path'
import { readBrief } from './brief.ts'
import { stage } from './fs.ts'
import { marpHtml } from './marp.ts'
import { buildView, renderDeck, type RenderDeck } from './render.ts'
import { compileTemplates, readTemplates, TEMPLATE_DIR } from './templates.ts'
import { readTheme, THEME_FILE, type Theme } from './theme.ts'

// Markdown → outputs. The brief is read and checked, rendered through the
// templates, and Marp builds the HTML; files land in the output folder only
// when every step has succeeded.

export interface BuildOptions {
  outDir: string
  templatesDir?: string
  themeFile?: string
}

export interface BuildResult {
  brief: string
  name: string
  slides: number
  outputs: string[]
}

/** What every brief of a build shares: compiled templates and the theme with its fonts. */
export interface Toolkit {
  render: RenderDeck
  theme: Theme
}

export async function prepare(options: Pick<BuildOptions, 'templatesDir' | 'themeFile'> = {}): Promise<Toolkit> {
  const [sources, theme] = await Promise.all([readTemplates(options.templatesDir ?? TEMPLATE_DIR), readTheme(options.themeFile ?? THEME_FILE)])
  return { render: compileTemplates(sources), theme }
}

/** Paths inside the working folder are shown relative to it, others in full. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel
}

export function deckName(briefFile: string): string {
  return basename(briefFile, extname(briefFile))
}

export async function buildBrief(briefFile: string, toolkit: Toolkit, options: BuildOptions): Promise<BuildResult> {
  const brief = await readBrief(briefFile)
  const markdown = renderDeck(brief, toolkit.render)
  const name = deckName(briefFile)
  const files = { md: `${name}.md`, html: `${name}.html`, theme: `${toolkit.theme.name}.css` }

  const staging = await stage(options.outDir)
  try {
    const mdPath = await staging.write(files.md, markdown)
    const themePath = await staging.write(files.theme, toolkit.theme.css)
    await marpHtml({ markdown: mdPath, themeFile: themePath, output: staging.path(files.html) })
    const outputs = await staging.commit([files.md, files.html])
    return {
      brief: briefFile,
      name,
      slides: buildView(brief).slides.length,
      outputs: outputs.map(displayPath),
    }
  } finally {
    await staging.dispose()
  }
}
