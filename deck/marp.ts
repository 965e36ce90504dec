import { fileURLToPath } from 'node:url'
import { DeckError, ExitCode } from './errors.ts'
import { log } from './log.ts'

// The edge where Marp CLI turns Markdown into the bespoke HTML deck (presenter
// view, keyboard navigation). Marp CLI is imported lazily: `check` never pays for it.

export const MARP_CONFIG = fileURLToPath(new URL('../templates/marp.config.json', import.meta.url))

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
    status = await marpCli(
      [job.markdown, '--no-stdin', '--config-file', MARP_CONFIG, '--theme-set', job.themeFile, '-o', job.output],
      {},
    )
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
