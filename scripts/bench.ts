// `npm run bench`: times our build (HTML + PDF + handout) against `marp --pdf`
// on the same Markdown, in the same run, rounds interleaved, and prints medians,
// the ratio, peak memory and CPU time (our process and the browser's, summed over the
// process tree). Decks: the default brief, and a generated 500-slide brief.
// Then the dev server: from a save of the brief to the new HTML served, and to the PDF.
// Then ten briefs in one batch against ten `marp --pdf` runs, and the PowerPoint
// (`--format pptx`, drawn natively, no browser) against `marp --pptx`.
//   npm run bench [-- --rounds 5 --large-rounds 3 --saves 20 --only build|batch|dev|pptx]
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { availableParallelism, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'

import { stringify } from 'yaml'

import { readBrief } from '../deck/brief/brief.ts'
import type { Brief, Slide } from '../deck/brief/schema.ts'
import { drawBriefCharts, prepare } from '../deck/build.ts'
import { type DevState, startDev } from '../deck/dev/dev.ts'
import { findBrowser } from '../deck/export/browser.ts'
import { buildView, renderDeck } from '../deck/render/render.ts'
import { THEME_FILE } from '../deck/render/theme.ts'

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    'large-rounds': { type: 'string', default: '3' },
    saves: { type: 'string', default: '20' },
    only: { type: 'string' },
  },
})
const DEFAULT_BRIEF = 'data/serbia-china-extradition.yaml'
const TARGETS = { default: 0.75, large: 1.0 }
const DEV_TARGETS = { html: 100, pdf: 600 }
const BATCH_SIZE = 10
const SAMPLE_MS = 50
const CORES = availableParallelism()
const PAGE_KIB = 4
const require = createRequire(import.meta.url)
const MARP = join(dirname(require.resolve('@marp-team/marp-cli/package.json')), 'marp-cli.js')

interface Run {
  seconds: number
  peakMiB: number
  /** CPU time of the whole process tree: Node (with its threads) and the rest (Chromium). */
  cpu: { node: number; browser: number }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100

interface Sample {
  /** Resident memory of the tree, in KiB. */
  rssKiB: number
  /** CPU seconds used so far by each process of the tree, and whether it is Node. */
  cpu: Map<number, { node: boolean; seconds: number }>
}

/** Memory and CPU time of a process and all its descendants, read from /proc (Linux). */
async function sampleTree(root: number): Promise<Sample> {
  const procs = new Map<number, { parent: number; rss: number; cpu: number }>()
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry)
    if (!pid) continue
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      // Fields 14 and 15 of stat(5) are utime and stime, 24 is rss; `fields` starts at field 3.
      procs.set(pid, { parent: Number(fields[1]), rss: Number(fields[21]) * PAGE_KIB, cpu: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND })
    } catch {
      // the process ended while we looked
    }
  }
  const inTree = (pid: number): boolean => pid === root || (procs.has(pid) && pid !== 1 && inTree(procs.get(pid)?.parent as number))
  const sample: Sample = { rssKiB: 0, cpu: new Map() }
  for (const [pid, proc] of procs) {
    if (!inTree(pid)) continue
    sample.rssKiB += proc.rss
    // Node is told by its binary, not by a name a process may change.
    const exe = await readlink(`/proc/${pid}/exe`).catch(() => '')
    sample.cpu.set(pid, { node: exe === process.execPath, seconds: proc.cpu })
  }
  return sample
}

function measure(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    let peak = 0
    // The last CPU time seen of each process; what a process uses after the last look (under 50 ms) is missed.
    const cpu = new Map<number, { node: boolean; seconds: number }>()
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setInterval(() => {
      if (!child.pid) return
      void sampleTree(child.pid).then((sample) => {
        peak = Math.max(peak, sample.rssKiB)
        for (const [pid, seen] of sample.cpu) if (seen.seconds >= (cpu.get(pid)?.seconds ?? 0)) cpu.set(pid, seen)
      })
    }, SAMPLE_MS)
    child.on('error', reject)
    child.on('close', (code) => {
      clearInterval(timer)
      const sum = (node: boolean) => [...cpu.values()].filter((p) => p.node === node).reduce((total, p) => total + p.seconds, 0)
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${stderr}`))
      else resolve({ seconds: (performance.now() - started) / 1000, peakMiB: peak / 1024, cpu: { node: sum(true), browser: sum(false) } })
    })
  })
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** A brief of `count` slides that cycles through the content layouts, built from the default brief's data. */
function largeBrief(base: Brief, count: number): Brief {
  const figureIds = Object.keys(base.figures)
  const make = (i: number): Slide => {
    const id = `s${i}`
    const fig = figureIds[i % figureIds.length] as string
    switch (i % 6) {
      case 0:
        return { id, layout: 'section', title: `Part ${i / 6 + 1}`, subtitle: 'A generated section' }
      case 1:
        return {
          id,
          layout: 'points',
          title: `Points ${i}`,
          points: ['A first point with {fig:' + fig + '} in it.', 'A second, longer point that wraps onto a second line on most slides.', 'A third point.'],
          notes: `Notes for slide ${i}.`,
        }
      case 2:
        return { id, layout: 'figure', figure: fig, notes: `The figure ${fig}.` }
      case 3:
        return { id, layout: 'comparison', title: `Comparison ${i}`, figures: [fig, figureIds[(i + 1) % figureIds.length] as string], caption: 'A caption.' }
      case 4:
        return { id, layout: 'quote', quote: 'A short quotation for the generated deck.', attribution: 'Someone', refs: [1] }
      default:
        return { id, layout: 'timeline', title: `Timeline ${i}`, to: '2019' }
    }
  }
  return {
    ...base,
    variants: undefined,
    slides: [{ id: 'title', layout: 'title' }, ...Array.from({ length: count - 2 }, (_, i) => make(i + 1)), { id: 'end', layout: 'closing', title: 'End' }],
  }
}

/**
 * `npm run dev`: the median time from a save of the brief to the new HTML being served
 * (the tabs told, the page fetched), and to the PDF printed again by the warm browser.
 */
async function devLatency(work: string, saves: number): Promise<string[]> {
  const dir = await mkdtemp(join(work, 'dev-'))
  const brief = join(dir, 'brief.yaml')
  const original = await readFile(DEFAULT_BRIEF, 'utf8')
  const edit = (i: number) => writeFile(brief, original.replace('The brief at a glance', `The brief at a glance (take ${i})`))
  await edit(0)
  const server = await startDev({
    brief,
    outDir: join(dir, 'dist'),
    port: 0,
    host: '127.0.0.1',
    pdf: true,
    templatesDir: 'templates',
    themeFile: THEME_FILE,
    log: () => undefined,
  })
  const html: number[] = []
  const pdf: number[] = []
  try {
    // startDev returns once the first deck and PDF are built: the browser is warm from here on.
    for (let i = 1; i <= saves; i += 1) {
      const saved = performance.now()
      const built = new Promise<DevState>((resolve) => server.events.once('state', resolve))
      const printed = new Promise((resolve) => server.events.once('pdf', resolve))
      await edit(i)
      const state = await built
      if (!state.ok) throw new Error(`the dev build failed: ${state.message}`)
      const page = await (await fetch(`${server.url}brief.html`)).text()
      if (!page.includes(`take ${i})`)) throw new Error(`save ${i} is not in the served deck`)
      html.push(performance.now() - saved)
      await printed
      pdf.push(performance.now() - saved)
      process.stderr.write(`dev save ${i}/${saves}: HTML ${html.at(-1)?.toFixed(0)} ms, PDF ${pdf.at(-1)?.toFixed(0)} ms\n`)
    }
  } finally {
    await server.close()
  }
  const row = (label: string, ms: number[], target: number) =>
    [label.padEnd(22), `${median(ms).toFixed(0)} ms`.padStart(8), `≤ ${target} ms`.padStart(10), (median(ms) <= target ? 'met' : 'missed').padStart(7)].join(
      ' ',
    )
  return [
    `npm run dev, ${saves} saves of the default brief: median time from the save to …`,
    ['', 'median'.padStart(8), 'target'.padStart(10), 'result'.padStart(7)].join(' ').padStart(22),
    row('the new HTML served', html, DEV_TARGETS.html),
    row('the PDF printed again', pdf, DEV_TARGETS.pdf),
  ]
}

/** Ten briefs in one batch (one browser, one Marp worker) against ten separate `marp --pdf` runs on the same Markdown. */
async function batch(work: string, env: NodeJS.ProcessEnv, marpArgs: (md: string, pdf: string) => string[], markdown: string): Promise<string[]> {
  const dir = await mkdtemp(join(work, 'batch-'))
  const briefs: string[] = []
  const mds: string[] = []
  for (let i = 1; i <= BATCH_SIZE; i += 1) {
    briefs.push(join(dir, `brief-${i}.yaml`))
    await writeFile(briefs.at(-1) as string, await readFile(DEFAULT_BRIEF, 'utf8'))
    mds.push(join(dir, `deck-${i}.md`))
    await writeFile(mds.at(-1) as string, markdown)
  }
  const ours = () =>
    measure(process.execPath, ['scripts/run.mjs', 'deck', 'build', ...briefs, '--variant', 'full', '--format', 'html,pdf', '--out', join(dir, 'ours')], env)
  const marp = async () => {
    const started = performance.now()
    for (const md of mds) await measure(process.execPath, marpArgs(md, md.replace(/\.md$/, '.pdf')), env)
    return (performance.now() - started) / 1000
  }
  process.stderr.write('batch: warming up…\n')
  await ours()
  const runs = { ours: [] as number[], marp: [] as number[] }
  for (let round = 1; round <= 3; round += 1) {
    runs.ours.push((await ours()).seconds)
    runs.marp.push(await marp())
    process.stderr.write(`batch round ${round}/3: ours ${runs.ours.at(-1)?.toFixed(2)} s, marp ×${BATCH_SIZE} ${runs.marp.at(-1)?.toFixed(2)} s\n`)
  }
  const ratio = median(runs.ours) / median(runs.marp)
  return [
    `${BATCH_SIZE} copies of the default brief, HTML + PDF, in one batch (ours) against ${BATCH_SIZE} separate \`marp --pdf\` runs; medians of 3:`,
    `  ours ${median(runs.ours).toFixed(2)} s, marp ${median(runs.marp).toFixed(2)} s, ratio ${ratio.toFixed(2)} (target ≤ 0.33: ${ratio <= 1 / 3 ? 'met' : 'missed'})`,
  ]
}

/** The editable PowerPoint (`--format pptx`, no browser) against `marp --pptx` (pictures of the slides) on the same Markdown. */
async function pptx(work: string, env: NodeJS.ProcessEnv, md: string, marpOptions: string[], rounds: number): Promise<string[]> {
  const dir = await mkdtemp(join(work, 'pptx-'))
  const ours = () => measure(process.execPath, ['scripts/run.mjs', 'deck', 'build', DEFAULT_BRIEF, '--variant', 'full', '--format', 'pptx', '--out', dir], env)
  // The Markdown first: --theme-set takes every path after it.
  const marp = () => measure(process.execPath, [MARP, md, '--pptx', '-o', join(dir, 'marp.pptx'), ...marpOptions], env)
  process.stderr.write('pptx: warming up…\n')
  await ours()
  await marp()
  const runs = { ours: [] as Run[], marp: [] as Run[] }
  for (let round = 1; round <= rounds; round += 1) {
    runs.ours.push(await ours())
    runs.marp.push(await marp())
    process.stderr.write(`pptx round ${round}/${rounds}: ours ${runs.ours.at(-1)?.seconds.toFixed(2)} s, marp ${runs.marp.at(-1)?.seconds.toFixed(2)} s\n`)
  }
  const seconds = (rs: Run[]) => median(rs.map((r) => r.seconds))
  const ratio = seconds(runs.ours) / seconds(runs.marp)
  const mem = (rs: Run[]) => `${median(rs.map((r) => r.peakMiB)).toFixed(0)} MiB`
  return [
    `The default deck as PowerPoint: --format pptx (ours: native, editable, no browser) against \`marp --pptx\` (a picture per slide) on the same Markdown; medians of ${rounds}:`,
    `  ours ${seconds(runs.ours).toFixed(2)} s (${mem(runs.ours)}), marp ${seconds(runs.marp).toFixed(2)} s (${mem(runs.marp)}), ratio ${ratio.toFixed(2)} (target < 1: ${ratio < 1 ? 'met' : 'missed'})`,
  ]
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'deck-bench-'))
  try {
    const chrome = (await findBrowser()).path
    const env = { ...process.env, CHROME_PATH: chrome, NO_COLOR: '1' }
    const toolkit = await prepare()
    const theme = join(work, `${toolkit.theme.name}.css`)
    await writeFile(theme, `${toolkit.theme.fonts.inline}\n${toolkit.theme.css}`)
    const base = await readBrief(DEFAULT_BRIEF)
    const largeFile = join(work, 'generated-500.yaml')
    await writeFile(largeFile, stringify(largeBrief(base, 500)))

    const decks = [
      { key: 'default' as const, label: 'default deck', brief: DEFAULT_BRIEF, data: base, rounds: Number(values.rounds) },
      { key: 'large' as const, label: '500 slides', brief: largeFile, data: await readBrief(largeFile), rounds: Number(values['large-rounds']) },
    ]
    const marpTmpBefore = (await readdir(tmpdir())).filter((f) => f.startsWith('marp-cli-')).length
    const rows: string[] = []
    const cpuRows: string[] = []
    for (const deck of values.only === undefined || values.only === 'build' ? decks : []) {
      const md = join(work, `${deck.key}.md`)
      const charts = await drawBriefCharts(deck.data, toolkit.theme)
      await writeFile(md, renderDeck(deck.data, toolkit.render, { charts }))
      const slides = buildView(deck.data, { charts }).slides.length
      // The whole brief only (its variants are other decks), as marp gets it.
      const ours = () =>
        measure(
          process.execPath,
          ['scripts/run.mjs', 'deck', 'build', deck.brief, '--variant', 'full', '--format', 'html,pdf,handout', '--out', join(work, 'ours')],
          env,
        )
      const marp = () =>
        measure(
          process.execPath,
          [MARP, md, '--pdf', '--no-stdin', '--config-file', toolkit.marp.file, '--theme-set', theme, '-o', join(work, `${deck.key}.pdf`)],
          env,
        )
      process.stderr.write(`${deck.label}: warming up…\n`)
      await ours()
      await marp()
      const runs = { ours: [] as Run[], marp: [] as Run[] }
      for (let round = 1; round <= deck.rounds; round += 1) {
        runs.ours.push(await ours())
        runs.marp.push(await marp())
        const last = (r: Run[]) => (r.at(-1) as Run).seconds.toFixed(2)
        process.stderr.write(`${deck.label} round ${round}/${deck.rounds}: ours ${last(runs.ours)} s, marp ${last(runs.marp)} s\n`)
      }
      const oursS = median(runs.ours.map((r) => r.seconds))
      const marpS = median(runs.marp.map((r) => r.seconds))
      const ratio = oursS / marpS
      const target = TARGETS[deck.key]
      rows.push(
        [
          deck.label.padEnd(13),
          String(slides).padStart(6),
          `${oursS.toFixed(2)} s`.padStart(9),
          `${marpS.toFixed(2)} s`.padStart(9),
          ratio.toFixed(2).padStart(6),
          `≤ ${target.toFixed(2)}`.padStart(7),
          (ratio <= target ? 'met' : 'missed').padStart(7),
          `${median(runs.ours.map((r) => r.peakMiB)).toFixed(0)} MiB`.padStart(10),
          `${median(runs.marp.map((r) => r.peakMiB)).toFixed(0)} MiB`.padStart(10),
        ].join(' '),
      )
      // Node and Chromium each by its median; the total is the median of each run's total.
      const cpuText = (rs: Run[]) => `${median(rs.map((r) => r.cpu.node)).toFixed(1)} + ${median(rs.map((r) => r.cpu.browser)).toFixed(1)}`
      const total = (rs: Run[]) => median(rs.map((r) => r.cpu.node + r.cpu.browser))
      cpuRows.push(
        [
          deck.label.padEnd(13),
          cpuText(runs.ours).padStart(10),
          `${total(runs.ours).toFixed(1)} s`.padStart(7),
          cpuText(runs.marp).padStart(10),
          `${total(runs.marp).toFixed(1)} s`.padStart(7),
          `${(total(runs.ours) / CORES).toFixed(2)} s`.padStart(10),
          `${(target * marpS).toFixed(2)} s`.padStart(12),
        ].join(' '),
      )
    }
    const marpArgs = (md: string, pdf: string) => [MARP, md, '--pdf', '--no-stdin', '--config-file', toolkit.marp.file, '--theme-set', theme, '-o', pdf]
    const charts = await drawBriefCharts(base, toolkit.theme)
    const batched = values.only === undefined || values.only === 'batch' ? await batch(work, env, marpArgs, renderDeck(base, toolkit.render, { charts })) : []
    const dev = values.only === undefined || values.only === 'dev' ? await devLatency(work, Number(values.saves)) : []
    const defaultMd = join(work, 'default-pptx.md')
    await writeFile(defaultMd, renderDeck(base, toolkit.render, { charts }))
    const pptxRows =
      values.only === undefined || values.only === 'pptx'
        ? await pptx(work, env, defaultMd, ['--no-stdin', '--config-file', toolkit.marp.file, '--theme-set', theme], Number(values.rounds))
        : []
    const marpTmpAfter = (await readdir(tmpdir())).filter((f) => f.startsWith('marp-cli-')).length
    const header = [
      'deck'.padEnd(13),
      'slides'.padStart(6),
      'ours'.padStart(9),
      'marp'.padStart(9),
      'ratio'.padStart(6),
      'target'.padStart(7),
      'result'.padStart(7),
      'ours mem'.padStart(10),
      'marp mem'.padStart(10),
    ].join(' ')
    process.stdout.write(
      [
        'Build of HTML + PDF + handout (ours) against `marp --pdf` on the same Markdown; medians; memory is peak RSS of the process tree (Node + Chromium).',
        header,
        ...rows,
        '',
        `CPU seconds of each process tree (Node with its threads + the rest, Chromium), medians. "floor": our total divided by the ${CORES} logical CPUs,`,
        `the least time that much work could take with every CPU busy all along (the CPU times are sampled every ${SAMPLE_MS} ms, so slightly under). "target": the target ratio × marp's median.`,
        [
          'deck'.padEnd(13),
          'ours CPU'.padStart(10),
          'total'.padStart(7),
          'marp CPU'.padStart(10),
          'total'.padStart(7),
          'ours floor'.padStart(10),
          'target'.padStart(12),
        ].join(' '),
        ...cpuRows,
        `Temporary folders marp left in ${tmpdir()}: ${marpTmpAfter - marpTmpBefore} (ours: none; our tests check this).`,
        '',
        ...batched,
        '',
        ...dev,
        '',
        ...pptxRows,
        '',
      ].join('\n'),
    )
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

await main()
