// `npm run soak`: the default brief checked 50 times and built 20 times in a row, as
// separate processes, on each browser a build can pick here (the Chromium inside
// @sparticuz/chromium, and a system Chrome or Chromium when one is installed). Every
// run must succeed (never exit 70, never "internal error") and leave nothing behind:
// no brief-deck-* folder in its temp folder, no .staging-* folder in the output folder,
// no Chromium still running. CI runs it after the tests.
//   npm run soak [-- --checks 50 --builds 20]
import { spawn } from 'node:child_process'
import { access, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

import { type BrowserChoice, findBrowser } from '../deck/export/browser.ts'

const { values } = parseArgs({ options: { checks: { type: 'string', default: '50' }, builds: { type: 'string', default: '20' } } })
const DEFAULT_BRIEF = 'data/serbia-china-extradition.yaml'
const RE_PID = /^\d+$/
const SEED = join('..', 'shared', 'seeds', '000_1f5c8429eabb91f4.txt')

interface Outcome {
  code: number | null
  stderr: string
  seconds: number
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/run.mjs', 'deck', ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('exit', (code) => resolve({ code, stderr, seconds: (performance.now() - started) / 1000 }))
  })
}

/** Whether any process still runs with `needle` in its command line (our Chromium names its profile folder there). */
async function running(needle: string): Promise<boolean> {
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!RE_PID.test(pid) || Number(pid) === process.pid) continue
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
    if (cmdline.includes(needle)) return true
  }
  return false
}

const failures: string[] = []

async function loop(label: string, times: number, args: (out: string) => string[], browser: BrowserChoice): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'deck-soak-'))
  const tmp = join(root, 'tmp')
  const out = join(root, 'dist')
  await mkdir(tmp)
  const seconds: number[] = []
  for (let i = 1; i <= times; i += 1) {
    const result = await run(args(out), { TMPDIR: tmp, CHROME_PATH: browser.path })
    seconds.push(result.seconds)
    const where = `${label} run ${i} on ${browser.source}`
    if (result.code !== 0) failures.push(`${where}: exit ${result.code}\n${result.stderr.trim().split('\n').slice(-6).join('\n')}`)
    if (result.stderr.includes('internal error')) failures.push(`${where}: internal error\n${result.stderr}`)
    const leftTmp = await readdir(tmp)
    if (leftTmp.length > 0) failures.push(`${where}: left ${leftTmp.join(', ')} in its temp folder`)
    const leftOut = (await readdir(out).catch(() => [] as string[])).filter((name) => name.startsWith('.staging-'))
    if (leftOut.length > 0) failures.push(`${where}: left ${leftOut.join(', ')} in the output folder`)
    if (await running(root)) failures.push(`${where}: a Chromium of that run is still running`)
    process.stderr.write(`\r${label} on ${browser.source}: ${i}/${times}, ${failures.length} failures`)
  }
  seconds.sort((a, b) => a - b)
  process.stderr.write(`, median ${seconds[Math.floor(seconds.length / 2)]?.toFixed(1)} s\n`)
  await rm(root, { recursive: true, force: true })
}

const browsers: BrowserChoice[] = [await findBrowser({ only: 'npm' })]
const system = await findBrowser({ only: 'system' }).catch(() => undefined)
if (system) browsers.push(system)
const source = await access(SEED).then(
  () => ['--source', SEED],
  () => [] as string[],
)

for (const browser of browsers) {
  await loop('check', Number(values.checks), () => ['check', DEFAULT_BRIEF, ...source], browser)
  // The whole deck: its variants (the briefing in eight languages) are built the same way, and
  // would make each build three times as long.
  await loop('build', Number(values.builds), (out) => ['build', '--variant', 'full', '--out', out], browser)
}

if (failures.length > 0) {
  process.stderr.write(`\n${failures.length} failures:\n${failures.join('\n\n')}\n`)
  process.exitCode = 1
} else {
  process.stderr.write('soak: every run succeeded and left nothing behind\n')
}
