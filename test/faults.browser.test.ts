import { spawnSync } from 'node:child_process'
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

import { beforeAll, describe, expect, it } from 'vitest'

import { buildBrief } from '../deck/build.ts'
import { prepare } from '../deck/deck.ts'
import { type BrowserSession, browserSession } from '../deck/export/browser.ts'
import { MarpWorker } from '../deck/export/marp.ts'
import { StepTimeout } from '../deck/export/steps.ts'
import { DeckError, ExitCode } from '../deck/shared/errors.ts'
import { browserSuite, fixture, outputsIn, ROOT, runDeck, snapshot, tempDir, TEST_BROWSER, testBrowser } from './helpers.ts'
import { readPdf } from './readers.ts'

// A browser that hangs or dies half-way through a deck: the deck fails within its
// bound, says which step and which browser, and the output folder keeps the deck's
// earlier outputs exactly as they were, never a new HTML beside an old PDF.

const suite = browserSuite()

let built: Promise<string> | undefined
/**
 * The fixture brief built with every output, then changed (the next build is of another
 * version), in a fresh folder; returns the brief's file and the output folder. The build is
 * made once for the file and copied for each test.
 */
async function builtOnce(): Promise<{ brief: string; out: string }> {
  built ??= (async () => {
    const dir = tempDir('deck-faults-')
    const brief = join(dir, 'brief.yaml')
    writeFileSync(brief, fixture('all-layouts.yaml'))
    await buildBrief(brief, suite.toolkit, { outDir: join(dir, 'dist'), browser: suite.session })
    expect(outputsIn(join(dir, 'dist'))).toHaveLength(9)
    return dir
  })()
  const dir = tempDir('deck-faults-')
  cpSync(await built, dir, { recursive: true })
  const brief = join(dir, 'brief.yaml')
  writeFileSync(brief, fixture('all-layouts.yaml').replace('title: Water prices in the Danube basin', 'title: Water tariffs in the Danube basin'))
  return { brief, out: join(dir, 'dist') }
}

/** A browser of its own for one test: it can be stopped (as a hung browser is), and is resumed and closed when the test ends. */
async function stoppableBrowser(): Promise<{ own: BrowserSession; stop: () => void; end: () => Promise<void> }> {
  const own = browserSession({ only: TEST_BROWSER })
  const pid = (await own.get()).process()?.pid
  const signal = (name: NodeJS.Signals) => {
    if (pid !== undefined) process.kill(-pid, name)
  }
  return {
    own,
    stop: () => signal('SIGSTOP'),
    end: async () => {
      signal('SIGCONT')
      await own.close()
    },
  }
}

describe('a browser step that hangs', () => {
  it('fails the deck within its bound, names the step, the browser and the way out, and leaves the earlier outputs byte for byte', async () => {
    const { brief, out } = await builtOnce()
    const before = snapshot(out)
    const { own, stop, end } = await stoppableBrowser()
    try {
      // The first PDF is printed, then Chromium stops answering (stopped, as a hung browser is): every later step waits.
      const onProgress = (message: string) => {
        if (message.endsWith('printed')) stop()
      }
      // Short enough for a test, long enough for every step before the hang on a busy machine.
      const bounds = { baseMs: 8000, perSlideMs: 0 }
      const err = await buildBrief(brief, suite.toolkit, { outDir: out, browser: own, onProgress, stepBounds: bounds }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(StepTimeout)
      const { message, exitCode } = err as StepTimeout
      expect(exitCode).toBe(ExitCode.environment)
      expect(message).toMatch(
        /did not finish (printing the (handout|notes|slide PDF)|taking the slide images|fitting the notes of the (handout|notes)) within 8 s/,
      )
      expect(message).toMatch(/Chromium \d+\.\d+.* at \/.+ \((found on the system|from the @sparticuz\/chromium package)\)/)
      expect(message).toContain('use another browser: --browser-path')
      expect(message).toMatch(/build without [a-z ]+: --format [a-z,]+/)
      expect(snapshot(out)).toEqual(before)
      expect(readdirSync(out).filter((name) => name.startsWith('.staging-'))).toEqual([])
    } finally {
      await end()
    }
    // A build that waited out a whole deck's bound (300 s of old) fails here, by this test's own time.
  }, 150_000)
})

describe('an output that fails while the browser hangs', () => {
  it('fails the deck at once with that output’s error, not when the browser’s step runs out of time, and leaves the earlier outputs', async () => {
    const { brief, out } = await builtOnce()
    const before = snapshot(out)
    const { own, stop, end } = await stoppableBrowser()
    const worker = new MarpWorker()
    // Marp renders the slides for the printed pages; the HTML deck fails (a full disk, say).
    const marp = {
      slides: worker.slides.bind(worker),
      html: () => Promise.reject(new DeckError('Marp CLI could not convert brief.md: ENOSPC: the disk is full', { exitCode: ExitCode.environment })),
    } as unknown as MarpWorker
    try {
      // Chromium stops answering before the deck starts: every browser step would wait out its ten minutes.
      stop()
      const bounds = { baseMs: 600_000, perSlideMs: 0 }
      const err = await buildBrief(brief, suite.toolkit, { outDir: out, browser: own, marp, stepBounds: bounds }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(DeckError)
      expect((err as DeckError).message).toContain('ENOSPC: the disk is full')
      expect((err as DeckError).exitCode).toBe(ExitCode.environment)
      expect(snapshot(out)).toEqual(before)
      expect(readdirSync(out).filter((name) => name.startsWith('.staging-'))).toEqual([])
    } finally {
      await Promise.all([end(), worker.close()])
    }
    // A build that waited for the stopped browser's steps fails here, by this test's own time, far below their bound.
  }, 180_000)
})

describe('a browser that dies half-way', () => {
  it('fails the deck and leaves every earlier output as it was: no new Markdown or HTML beside the old PDFs', async () => {
    const { brief, out } = await builtOnce()
    const before = snapshot(out)
    const own = browserSession({ only: TEST_BROWSER })
    try {
      const chromium = await own.get()
      // The first PDF is printed, the others are not yet: Chromium goes.
      const onProgress = (message: string) => {
        if (message.endsWith('printed')) chromium.process()?.kill('SIGKILL')
      }
      const err = await buildBrief(brief, suite.toolkit, { outDir: out, browser: own, onProgress }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(DeckError)
      expect((err as DeckError).exitCode).toBe(ExitCode.environment)
      expect(snapshot(out)).toEqual(before)
    } finally {
      await own.close()
    }
    // The next build replaces the set whole.
    const result = await buildBrief(brief, suite.toolkit, { outDir: out, browser: suite.session })
    expect(result.outputs).toHaveLength(9)
    expect((await readPdf(join(out, 'brief.pdf'))).text[0]).toContain('Water tariffs in the Danube basin')
  })
})

describe('a deck built again with fewer formats', () => {
  it('of the same brief keeps its other outputs; of a changed brief removes them, and says which', async () => {
    const dir = tempDir('deck-set-')
    const brief = join(dir, 'brief.yaml')
    writeFileSync(brief, fixture('all-layouts.yaml'))
    const out = join(dir, 'dist')
    await buildBrief(brief, suite.toolkit, { outDir: out, browser: suite.session, formats: new Set(['md', 'html', 'pdf']) })
    const same = await buildBrief(brief, suite.toolkit, { outDir: out, formats: new Set(['html']) })
    expect(same.removed).toEqual([])
    expect(outputsIn(out)).toEqual(['brief.html', 'brief.md', 'brief.pdf'])
    writeFileSync(brief, fixture('all-layouts.yaml').replace('Water prices in the Danube basin', 'Water tariffs in the Danube basin'))
    const changed = await buildBrief(brief, suite.toolkit, { outDir: out, formats: new Set(['html']) })
    expect(changed.removed.map((f) => f.slice(out.length + 1)).sort()).toEqual(['brief.md', 'brief.pdf'])
    expect(outputsIn(out)).toEqual(['brief.html'])
  })
})

describe('every output at once', () => {
  it('a brief with long notes and a 3-up handout: all nine outputs, whole', async () => {
    const dir = tempDir('deck-all-')
    const long = Array.from({ length: 12 }, (_, i) => `Point ${i + 1} of the talk, said in a sentence or two.`).join(' ')
    const text = fixture('all-layouts.yaml')
      .replace(/ {4}notes: .*\n/g, '')
      .replace(/( {2}- id: .*\n)/g, `$1    notes: ${long}\n`)
    expect(text.split(long).length - 1).toBe(11) // every slide carries the long notes
    writeFileSync(join(dir, 'long-notes.yaml'), text)
    const out = join(dir, 'dist')
    const result = await buildBrief(join(dir, 'long-notes.yaml'), suite.toolkit, { outDir: out, browser: suite.session, handoutPerPage: 3 })
    expect(result.outputs).toHaveLength(9)
    expect((await readPdf(join(out, 'long-notes.pdf'))).pages).toBe(result.slides)
    expect((await readPdf(join(out, 'long-notes-handout.pdf'))).pages).toBe(Math.ceil(result.slides / 3))
    const notes = await readPdf(join(out, 'long-notes-notes.pdf'))
    expect(notes.pages).toBe(result.slides)
    expect(notes.text.join(' ').replace(/\s+/g, ' ')).toContain('Point 12 of the talk')
    expect(readdirSync(join(out, 'long-notes-slides'))).toHaveLength(result.slides)
  })
})

describe('the printed pages', () => {
  it('fetch nothing from the network, whatever a template names', async () => {
    const requests: string[] = []
    const server = createServer((req, res) => {
      requests.push(req.url ?? '')
      res.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const templates = join(tempDir('deck-net-'), 'templates')
      cpSync(join(ROOT, 'templates'), templates, { recursive: true })
      for (const page of ['slides', 'handout', 'notes']) {
        const file = join(templates, 'print', `${page}.hbs`)
        const remote = `<style>@import url("http://127.0.0.1:${port}/${page}.css"); body { background-image: url("http://127.0.0.1:${port}/${page}.png"); }</style><img src="http://127.0.0.1:${port}/${page}-img.png" alt="">`
        writeFileSync(file, readFileSync(file, 'utf8').replace('<body>', `<body>${remote}`))
      }
      const kit = await prepare({ templatesDir: templates, themeFile: join(ROOT, 'templates/theme.css') })
      const dir = tempDir('deck-net-out-')
      writeFileSync(join(dir, 'brief.yaml'), fixture('all-layouts.yaml'))
      const result = await buildBrief(join(dir, 'brief.yaml'), kit, {
        outDir: join(dir, 'dist'),
        browser: suite.session,
        formats: new Set(['pdf', 'handout', 'notes', 'png']),
      })
      expect(result.outputs.length).toBeGreaterThan(0)
      expect(requests).toEqual([])
    } finally {
      server.close()
    }
  })
})

/** Whether this machine lets the tests mount a small disk (root on Linux, as here and in CI). */
function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
  const dir = tempDir('deck-mount-')
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]).status === 0
  if (ok) spawnSync('umount', [dir])
  return ok
}

describe('a disk that fills up', () => {
  let chrome: string
  beforeAll(async () => {
    chrome = (await testBrowser()).path
  })

  it.runIf(canMount())(
    'at any point of a build, on this browser: exit 3 with one message, never 70, and nothing left in the output folder',
    async () => {
      // Sizes that run out at different steps: the staging folder, Marp's HTML, Chromium's profile, the PDFs, the images.
      const cases = [
        ['20k', 'md,html,audience'],
        ['300k', 'md,html,audience'],
        ['900k', 'md,html,audience'],
        ['1900k', 'md,html,audience,pdf,handout,notes,pptx,png'],
        ['2200k', 'md,html,audience,pdf,handout,notes,pptx,png,pptx-images'],
        ['4000k', 'md,html,audience,pdf,handout,notes,pptx,png,pptx-images'],
      ] as const
      for (const [size, formats] of cases) {
        const disk = tempDir('deck-disk-')
        expect(spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', disk]).status).toBe(0)
        try {
          const run = await runDeck(['build', '--variant', 'briefing', '--format', formats, '--out', join(disk, 'dist')], { env: { CHROME_PATH: chrome } })
          expect([0, 3], `${size}: ${run.stderr}`).toContain(run.code)
          expect(run.stderr, size).not.toContain('internal error')
          // Said as the disk being full, or (when Chromium meets it first) as the browser failing, named.
          if (run.code === 3) expect(run.stderr, size).toMatch(/ENOSPC|Chromium [\d.]+ at .* failed while printing/)
          expect(
            readdirSync(join(disk, 'dist')).filter((f) => f.startsWith('.staging-')),
            size,
          ).toEqual([])
        } finally {
          spawnSync('umount', ['-l', disk])
        }
      }
    },
    180_000,
  )
})
