import type { Browser } from 'puppeteer-core'

import { interruption } from '../shared/cleanup.ts'
import { DeckError, ExitCode } from '../shared/errors.ts'
import { describeBrowser } from './browser.ts'
import { BROWSER_FORMATS, type Format } from './outputs.ts'

// The browser's work as bounded steps: each step has a time bound that grows with the
// deck, and a step that runs past it fails with a message naming the step, the browser
// and the ways out, instead of hanging the build.

/**
 * How long one browser step may take: a few seconds, plus an allowance for each slide it
 * works on (a 500-slide deck still builds). A step that takes longer has hung: it fails
 * its deck with a message that names the step and the browser, instead of waiting on.
 */
export interface StepBounds {
  baseMs: number
  perSlideMs: number
}

export const STEP_BOUNDS: StepBounds = { baseMs: 20_000, perSlideMs: 200 }

/**
 * The most slides a deck may have for the browser's outputs (PDFs, images) and the layout
 * check: 2,000 print in well under a minute; 10,000 took 217 s and 719 MB, then failed.
 */
export const MAX_BROWSER_SLIDES = 2000

/** One step of the browser's work: what it is called in messages, its share of work per slide, and the outputs that need it. */
export interface Step {
  name: string
  /** Allowances per slide (a slide image at scale 2 is four times the pixels). */
  weight?: number
  /** The formats that cannot be made without this step; none means every browser output needs it. */
  outputs?: readonly Format[]
}

/** A browser step ran past its bound. */
export class StepTimeout extends DeckError {}

/** Runs browser steps within their bounds, and names the step and the browser when one is exceeded. */
export interface Stepper {
  run<T>(step: Step, work: Promise<T>): Promise<T>
}

/**
 * `abandon`: the build gave up on the deck (another of its outputs, or another printed page,
 * failed); the step under way and every later one then fail at once with its reason, so the
 * build reports without waiting on the browser.
 */
export function stepper(browser: Browser, slides: number, formats: ReadonlySet<Format>, bounds: StepBounds = STEP_BOUNDS, abandon?: AbortSignal): Stepper {
  const boundOf = (step: Step) => bounds.baseMs + bounds.perSlideMs * slides * (step.weight ?? 1)
  const abandoned = new Promise<never>((_, reject: (reason: unknown) => void) => {
    if (abandon?.aborted) reject(abandon.reason)
    else abandon?.addEventListener('abort', () => reject(abandon.reason), { once: true })
  })
  abandoned.catch(() => undefined) // raced by every step; never awaited alone
  return {
    async run(step, work) {
      const ms = boundOf(step)
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StepTimeout(timeoutMessage(browser, step, ms, slides, formats), { exitCode: ExitCode.environment })), ms)
      })
      work.catch(() => undefined) // still pending when its bound ran out: its failure later is no news
      try {
        // Ctrl-C closes the browser: a step waiting on it fails at once, and the build reports.
        return await Promise.race([work, timeout, interruption(), abandoned])
      } finally {
        clearTimeout(timer)
      }
    },
  }
}

function timeoutMessage(browser: Browser, step: Step, ms: number, slides: number, formats: ReadonlySet<Format>): string {
  const seconds = `${Math.round(ms / 1000)} s`
  const others = step.outputs ? BROWSER_FORMATS.filter((f) => formats.has(f) && !step.outputs?.includes(f)) : []
  const without = [...formats].filter((f) => !step.outputs?.includes(f))
  const ways = [`use another browser: --browser-path /path/to/chrome (or CHROME_PATH)`]
  if (step.outputs && without.length > 0) ways.push(`build without ${step.outputs.filter((f) => formats.has(f)).join(' and ')}: --format ${without.join(',')}`)
  return [
    `${describeBrowser(browser)} did not finish ${step.name} within ${seconds} (the time allowed for ${slides} slides), so this deck was not built.`,
    others.length > 0 ? `The other browser outputs (${others.join(', ')}) were not affected by this step.` : '',
    `Ways out: ${ways.join('; or ')}.`,
  ]
    .filter(Boolean)
    .join('\n')
}
