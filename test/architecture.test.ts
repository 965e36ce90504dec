import { readdirSync, readFileSync } from 'node:fs'
import { join, posix, relative } from 'node:path'

import { describe, expect, it } from 'vitest'

import { ROOT } from './helpers.ts'

// The folders of deck/ are the stages of the pipeline, in the order the data flows through
// them. A module imports from its own stage or from an earlier one, never from a later one,
// and never from another stage of the same rank: check/ (findings) and export/ (printed
// outputs) both read measurements and documents, and neither reads the other.

/** Each stage's rank: data flows from low to high. The composing modules at deck/'s root come last. */
const STAGES: Record<string, number> = {
  shared: 0,
  languages: 1,
  brief: 2,
  render: 3,
  measure: 4,
  pptx: 4,
  check: 5,
  export: 5,
  '.': 6,
  dev: 7,
  cli: 8,
  /** deck/index.ts, the package's API: it names what a program may use of every stage. */
  index: 9,
}

const DECK = join(ROOT, 'deck')
const RE_IMPORT = /^(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|^import\s+['"](\.{1,2}\/[^'"]+)['"]/gm

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** The stage a file of deck/ belongs to: its first folder, or `.` for the composing modules at the root. */
function stageOf(file: string): string {
  const parts = relative(DECK, file).split(/[\\/]/)
  if (parts.length === 1 && parts[0] === 'index.ts') return 'index'
  return parts.length > 1 ? (parts[0] ?? '.') : '.'
}

interface Import {
  from: string
  to: string
}

function imports(): Import[] {
  return sources(DECK).flatMap((file) => {
    const text = readFileSync(file, 'utf8')
    return [...text.matchAll(RE_IMPORT)].map((m) => {
      const spec = m[1] ?? m[2] ?? ''
      const to = posix.join(posix.dirname(relative(DECK, file).split('\\').join('/')), spec)
      return { from: relative(DECK, file).split('\\').join('/'), to }
    })
  })
}

/** What is wrong with an import, if anything. */
function wrong({ from, to }: Import): string | undefined {
  const source = stageOf(join(DECK, from))
  const target = stageOf(join(DECK, to))
  if (to.startsWith('..')) return `${from} imports ${to}, outside deck/`
  const [a, b] = [STAGES[source], STAGES[target]]
  if (a === undefined) return `${from} is in a folder that is not a stage: add it to STAGES`
  if (b === undefined) return `${from} imports ${to}, in a folder that is not a stage`
  if (source === target) return undefined
  if (b > a) return `${from} (${source}) imports ${to} from a later stage (${target})`
  if (b === a) return `${from} (${source}) imports ${to} from ${target}, a stage beside its own`
  return undefined
}

describe('the stages of deck/', () => {
  const all = imports()

  it('reads every module’s imports', () => {
    expect(all.length).toBeGreaterThan(100)
    expect(all.some((i) => i.from === 'build.ts' && i.to.startsWith('render/'))).toBe(true)
  })

  it('import only from their own stage or an earlier one, never across check/ and export/', () => {
    expect(all.map(wrong).filter(Boolean)).toEqual([])
  })

  it('the rule itself: a later stage, a stage beside, and a stage that is not one are each refused', () => {
    expect(wrong({ from: 'render/view.ts', to: 'export/pdf.ts' })).toMatch(/from a later stage \(export\)/)
    expect(wrong({ from: 'check/check.ts', to: 'export/print.ts' })).toMatch(/a stage beside its own/)
    expect(wrong({ from: 'export/export.ts', to: 'check/report.ts' })).toMatch(/a stage beside its own/)
    expect(wrong({ from: 'export/export.ts', to: 'render/view.ts' })).toBeUndefined()
    expect(wrong({ from: 'build.ts', to: 'check/check.ts' })).toBeUndefined()
    expect(wrong({ from: 'elsewhere/x.ts', to: 'brief/brief.ts' })).toMatch(/not a stage/)
  })
})
