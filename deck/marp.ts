import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Marp, MarpOptions } from '@marp-team/marp-core'
import { DeckError, ExitCode } from './errors.ts'
import { log } from './log.ts'
import type { Theme } from './theme.ts'

// The two edges where Marp turns Markdown into slides: Marp CLI for the bespoke
// HTML deck (presenter view, keyboard navigation), and Marp Core for the slides
// that go to the browser for PDF, images and PowerPoint. Both read the same
// settings from templates/marp.config.json. Both are imported on first use:
// a plain `check` or `--help` never loads them.

export const MARP_CONFIG = fileURLToPath(new URL('../templates/marp.config.json', import.meta.url))

interface MarpConfig {
  html: MarpOptions['html']
  options: MarpOptions
}

let config: MarpConfig | undefined
function marpConfig(): MarpConfig {
  config ??= JSON.parse(readFileSync(MARP_CONFIG, 'utf8')) as MarpConfig
  return config
}

/** A Marp Core engine set up as the build sets up Marp CLI. */
export async function marpEngine(theme?: Theme, overrides: MarpOptions = {}): Promise<Marp> {
  const { Marp } = await import('@marp-team/marp-core')
  const { html, options } = marpConfig()
  const marp = new Marp({ ...options, html, ...overrides })
  if (theme) marp.themeSet.add(theme.css)
  return marp
}

export interface RenderedSlides {
  /** One `<svg data-marpit-svg>` per slide. */
  slides: string[]
  css: string
}

export async function renderSlides(markdown: string, theme: Theme): Promise<RenderedSlides> {
  // Marp's browser script resizes slides for screens; printed pages must keep the size we give them.
  const { html, css } = (await marpEngine(theme, { script: false })).render(markdown, { htmlAsArray: true })
  return { slides: html, css }
}

export interface MarpJob {
  markdown: string
  themeFile: string
  output: string
}

/** Runs Marp CLI in this process. Its log lines go to `DEBUG=deck:marp`, or into the error when it fails. */
export async function marpHtml(job: MarpJob): Promise<void> {
  const { marpCli } = await import('@marp-team/marp-cli')
  const captured: string[] = []
  const warn = console.warn
  // Marp CLI has no quiet switch for its API; its messages would mix with ours.
  console.warn = (...args: unknown[]) => {
    const line = args.map(String).join(' ')
    captured.push(line)
    log.debug('marp', line)
  }
  let status: number
  try {
    status = await marpCli([job.markdown, '--no-stdin', '--config-file', MARP_CONFIG, '--theme-set', job.themeFile, '-o', job.output], {})
  } catch (cause) {
    throw new DeckError(`Marp could not convert ${job.markdown}: ${cause instanceof Error ? cause.message : String(cause)}\n${captured.join('\n')}`, {
      exitCode: ExitCode.internal,
      cause,
    })
  } finally {
    console.warn = warn
  }
  if (status !== 0) {
    throw new DeckError(`Marp exited with status ${status} on ${job.markdown}:\n${captured.join('\n')}`, { exitCode: ExitCode.internal })
  }
}
