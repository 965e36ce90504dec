import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { constants } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { DEV_FOLDER_PREFIX } from '../deck/dev/dev.ts'
import { fixture, noProcessNaming, ROOT, runDeck, snapshot, tempDir } from './helpers.ts'

// `npm run dev` as a terminal, a process manager or an IDE stops it: each signal, sent to npm
// alone or to the dev process itself, stops the server with the code shells report for it,
// and leaves no process and no folder behind. And what dev writes never mixes with a build's.

const TEMPLATES = ['--templates', join(ROOT, 'templates'), '--theme', join(ROOT, 'templates/theme.css')]
/** Exit codes as shells report a process stopped by each signal (128 + its number). */
const STATUS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const
type StopSignal = keyof typeof STATUS

function workspace() {
  const root = tempDir('deck-dev-process-')
  const tmp = join(root, 'tmp')
  mkdirSync(tmp)
  const brief = join(root, 'brief.yaml')
  writeFileSync(brief, fixture('all-layouts.yaml'))
  return { root, tmp, brief }
}

/** A running command whose standard error is kept, with its exit as shells report it. */
function started(child: ChildProcess) {
  let stderr = ''
  let ended = false
  /** Looked at again on every line of standard error, and when the command ends. */
  const lookers = new Set<() => void>()
  const lookAll = () => lookers.forEach((look) => look())
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk
    lookAll()
  })
  child.on('close', () => {
    ended = true
    lookAll()
  })
  const exit = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? 128 + constants.signals[signal ?? 'SIGKILL'])))
  /** Resolves when standard error has said `text` (as many times as `times`), fails if the command ends first. */
  const says = (text: string, times = 1) =>
    new Promise<void>((resolve, reject) => {
      const look = () => {
        if (stderr.split(text).length > times) resolve()
        else if (ended) reject(new Error(`ended before saying "${text}":\n${stderr}`))
        else return
        lookers.delete(look)
      }
      lookers.add(look)
      look()
    })
  return { child, exit, says }
}

const devFolders = (tmp: string) => readdirSync(tmp).filter((name) => name.startsWith(DEV_FOLDER_PREFIX))

describe('npm run dev stops', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    'on %s sent to npm alone: the status shells report for it, no process and no folder left',
    async (signal: StopSignal) => {
      const { tmp, brief } = workspace()
      const npm = started(spawn('npm', ['run', 'dev', '--', brief, '--port', '0'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp } }))
      await npm.says('Serving')
      expect(devFolders(tmp)).toHaveLength(1)
      npm.child.kill(signal)
      // npm passes SIGINT and SIGTERM on and exits with dev's code; it dies of SIGHUP itself, and dev, left alone, stops.
      expect(await npm.exit).toBe(STATUS[signal])
      await noProcessNaming(brief)
      expect(devFolders(tmp)).toEqual([])
    },
  )

  // A terminal that closes sends SIGHUP to every process of its foreground group, dev's too.
  it('on SIGHUP sent to the dev process itself, with exit code 129', async () => {
    const signal = 'SIGHUP'
    const { tmp, brief } = workspace()
    const args = [join(ROOT, 'scripts/run.mjs'), 'deck', 'dev', brief, '--port', '0', ...TEMPLATES]
    const dev = started(spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp } }))
    await dev.says('Serving')
    dev.child.kill(signal)
    expect(await dev.exit).toBe(STATUS[signal])
    expect(devFolders(tmp)).toEqual([])
  })
})

describe('npm run dev and the build’s output folder', () => {
  it('a dev session never touches dist/: the last build stays whole, whatever is saved', async () => {
    const { root, tmp, brief } = workspace()
    const out = join(root, 'dist')
    expect((await runDeck(['build', brief, '--out', out, '--format', 'md,html,audience,pptx', ...TEMPLATES], { env: { TMPDIR: tmp } })).code).toBe(0)
    const before = snapshot(out)
    // A settings file that names dist as the output folder: dev still writes only to its own.
    writeFileSync(join(root, 'deck.config.json'), JSON.stringify({ out: 'dist' }))
    const args = [join(ROOT, 'scripts/run.mjs'), 'deck', 'dev', 'brief.yaml', '--port', '0', ...TEMPLATES]
    const dev = started(spawn(process.execPath, args, { cwd: root, env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp } }))
    await dev.says('Serving')
    writeFileSync(brief, readFileSync(brief, 'utf8').replace('title: Key points', 'title: Key points, saved while dev runs'))
    await dev.says('rebuilt', 2)
    expect(snapshot(out)).toEqual(before)
    dev.child.kill('SIGINT')
    expect(await dev.exit).toBe(130)
    expect(snapshot(out)).toEqual(before)
    expect(devFolders(tmp)).toEqual([])
  })
})
