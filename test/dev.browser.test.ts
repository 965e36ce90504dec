import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { get } from 'node:http'
import { join } from 'node:path'

import type { Browser, Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type DevServer, type DevState, startDev } from '../deck/dev/dev.ts'
import { launchBrowser } from '../deck/export/browser.ts'
import { fixture, ROOT, tempDir, testBrowser } from './helpers.ts'

// `npm run dev` for real: a server on an ephemeral port, files edited on disk the way
// editors save them, and Chromium (through puppeteer-core) as the client that reloads.

const YAML = fixture('all-layouts.yaml')
/**
 * How long a file must stay unchanged to count as saved. Longer than the server's default, so
 * that a save written in two steps 8 ms apart stays one save even when this busy machine
 * wakes the test's timer late.
 */
const STABLE_MS = 150
/** How long the server waits for an emptied brief to be written again (its EMPTY_GRACE_MS). */
const EMPTY_GRACE_MS = 300
let dir: string
let briefFile: string
let templates: string
let server: DevServer
let browser: Browser
let page: Page
/** Open handles by type (sockets, servers, watchers, timers), counted. */
const handles = () => {
  const counts: Record<string, number> = {}
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1
  return counts
}
const handlesBefore = handles()

/** Resolves with the first state after now that satisfies `test`. */
function nextState(test: (s: DevState) => boolean = () => true): Promise<DevState> {
  return new Promise((resolve) => {
    const listener = (s: DevState) => {
      if (!test(s)) return
      server.events.off('state', listener)
      resolve(s)
    }
    server.events.on('state', listener)
  })
}

/**
 * Writes `first` (or removes the brief, for `null`), then `second` `pauseMs` later, and returns
 * every state the server reported until it was idle. What such a test proves needs the two
 * steps closer than `withinMs`; a machine too busy to make them so (a timer woken late) has
 * proved nothing either way, and the save is made again; ten times too late, the test is
 * skipped as proving nothing here.
 */
async function saveInTwoSteps(
  skip: (note: string) => void,
  first: string | null,
  second: (attempt: number) => string,
  pauseMs: number,
  withinMs: number,
): Promise<DevState[]> {
  for (let attempt = 1; attempt <= 10; attempt += 1) {
    const states: DevState[] = []
    const record = (s: DevState) => states.push(s)
    server.events.on('state', record)
    const done = nextState((s) => s.ok)
    const started = performance.now()
    if (first === null) rmSync(briefFile)
    else writeFileSync(briefFile, first)
    await new Promise((r) => setTimeout(r, pauseMs))
    writeFileSync(briefFile, second(attempt))
    const gap = performance.now() - started
    await done
    await server.idle()
    server.events.off('state', record)
    if (gap < withinMs) return states
  }
  skip(`this machine is too busy to make two writes within ${withinMs} ms`)
  return []
}

/** A page's text, fetched without keeping the connection open (so the stop test sees only the server's handles). */
function page$(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve(body))
    }).on('error', reject)
  })
}

const titleOf = (p: Page) => p.$eval('section.points h2', (h) => h.textContent)
/** Waits until the page shows `title` on its points slide (across a reload by the dev client, which may come at any time). */
const shows = (p: Page, title: string) => p.waitForFunction((t) => document.querySelector('section.points h2')?.textContent === t, {}, title)

beforeAll(async () => {
  dir = tempDir('deck-dev-')
  briefFile = join(dir, 'brief.yaml')
  writeFileSync(briefFile, YAML)
  templates = join(dir, 'templates')
  cpSync(join(ROOT, 'templates'), templates, { recursive: true })
  browser = await launchBrowser(await testBrowser())
  page = await browser.newPage()
  await page.setViewport({ width: 1280, height: 720 })
  server = await startDev({
    brief: briefFile,
    outDir: join(dir, 'dist'),
    port: 0,
    host: '127.0.0.1',
    pdf: false,
    templatesDir: templates,
    themeFile: join(templates, 'theme.css'),
    stableMs: STABLE_MS,
    log: (m) => process.env.DEV_LOG && console.warn(m.slice(0, 120)),
  })
})

afterAll(async () => {
  await browser?.close()
})

describe('npm run dev', () => {
  it('serves the deck on loopback, on a port of its own', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(server.state()).toMatchObject({ ok: true, version: 1 })
    await page.goto(`${server.url}#4`, { waitUntil: 'load' })
    expect(page.url()).toMatch(/\/brief\.html#4$/)
    expect(await titleOf(page)).toBe('Key points')
  })

  it('reloads the open tab on a save, on the same slide', async () => {
    await page.goto(`${server.url}brief.html#4`, { waitUntil: 'load' })
    const reloaded = page.waitForNavigation({ waitUntil: 'load' })
    writeFileSync(briefFile, YAML.replace('title: Key points', 'title: Key points, revised'))
    await reloaded
    expect(await titleOf(page)).toBe('Key points, revised')
    expect(page.url()).toMatch(/#4$/)
  })

  it('shows a broken save as an overlay with its line, over the last good deck; the next good save clears it', async () => {
    const broken = YAML.replace('title: Key points', 'title: [Key points')
    const failed = nextState((s) => !s.ok)
    writeFileSync(briefFile, broken)
    const state = await failed
    const line = broken.split('\n').findIndex((l) => l.includes('title: [Key points')) + 1
    expect(state.message).toMatch(new RegExp(`brief\\.yaml:${line + 1}:\\d+|brief\\.yaml:${line}:\\d+`))
    const overlay = await page.waitForSelector('#deck-dev-overlay')
    expect(await overlay?.evaluate((o) => o.textContent)).toContain('brief.yaml:')
    expect(await titleOf(page)).toBe('Key points, revised') // the last good deck, underneath
    const reloaded = page.waitForNavigation({ waitUntil: 'load' })
    writeFileSync(briefFile, YAML)
    await reloaded
    expect(await page.$('#deck-dev-overlay')).toBeNull()
    expect(await titleOf(page)).toBe('Key points')
  })

  it('a template error names the template file and line, and a fix recovers', async () => {
    const layout = join(templates, 'layouts', 'points.hbs')
    const original = readFileSync(layout, 'utf8')
    const failed = nextState((s) => !s.ok)
    writeFileSync(layout, original.replace('## {{title}}', '## {{shout title}}'))
    expect((await failed).message).toMatch(/layouts\/points\.hbs:3/)
    const fixed = nextState((s) => s.ok)
    writeFileSync(layout, original)
    expect((await fixed).ok).toBe(true)
  })

  it('takes a save by rename, and a save that empties the file before writing it, as one whole file', async ({ skip }) => {
    await page.goto('about:blank') // no tab reloading by itself while this test navigates
    const viaRename = nextState((s) => s.ok)
    const temp = join(dir, '.brief.yaml.swp')
    writeFileSync(temp, YAML.replace('title: Key points', 'title: Renamed into place'))
    renameSync(temp, briefFile)
    await viaRename
    await server.idle()
    await page.goto(`${server.url}brief.html#4`, { waitUntil: 'load' })
    await shows(page, 'Renamed into place')

    // The emptied file must be written again within the server's grace period (300 ms).
    const states = await saveInTwoSteps(skip, '', (attempt) => YAML.replace('title: Key points', `title: Written in two steps ${attempt}`), 40, EMPTY_GRACE_MS)
    expect(states.every((s) => s.ok)).toBe(true) // the empty moment never showed as an error
  })

  it('never shows the first part of a save written in two steps, not even as an error', async ({ skip }) => {
    const whole = YAML.replace('title: Key points', 'title: Written in two parts')
    const cut = whole.indexOf('title: Written in two parts') + 'title: Writ'.length
    // not YAML: an error if it were built alone
    const states = await saveInTwoSteps(skip, `${whole.slice(0, cut)}\n  - [unclosed`, () => whole, 8, STABLE_MS)
    // The first part never showed, not even as an error. (A busy machine may deliver the file
    // system's events for the save late and twice: the whole file is then built twice, alike.)
    expect(states.length).toBeGreaterThan(0)
    expect(states.map((s) => s.ok)).toEqual(states.map(() => true))
    expect(await page$(`${server.url}brief.html`)).toContain('Written in two parts')
  })

  it('an emptied brief is built once, after a grace period, not again and again', async () => {
    const states: DevState[] = []
    const record = (st: DevState) => states.push(st)
    server.events.on('state', record)
    const first = nextState()
    writeFileSync(briefFile, '')
    await first
    // Nothing more runs or waits to run after it (were it built again and again, this would never come).
    await server.idle()
    server.events.off('state', record)
    expect(states).toHaveLength(1)
    expect(states[0]?.ok).toBe(false)
    const fixed = nextState((st) => st.ok)
    writeFileSync(briefFile, YAML)
    await fixed
  })

  it('ends a burst of 20 saves in 100 ms with one consistent deck, built far fewer than 20 times', async () => {
    const before = server.state().version
    /** Pauses between saves long enough for a save to settle: each may show a deck of its own. */
    let settled = 0
    let last = performance.now()
    for (let i = 1; i <= 20; i += 1) {
      writeFileSync(briefFile, YAML.replace('title: Key points', `title: Save ${i}`))
      if (performance.now() - last >= STABLE_MS) settled += 1
      last = performance.now()
      await new Promise((r) => setTimeout(r, 5))
    }
    // Wait until the newest deck is the last save and nothing more is coming.
    let state = server.state()
    while (!(state.ok && (await page$(`${server.url}brief.html`)).includes('Save 20'))) state = await nextState()
    await server.idle()
    expect(server.state()).toMatchObject({ ok: true })
    // On a quiet machine a handful of decks; one more for each pause a busy machine's timers made.
    expect(server.state().version - before).toBeLessThan(6 + settled)
    await page.goto('about:blank') // a page already at brief.html#4 would only move to its #4
    await page.goto(`${server.url}brief.html#4`, { waitUntil: 'load' })
    await shows(page, 'Save 20')
  })

  it('serves only the build output: paths out of it get 404', async () => {
    const { port } = new URL(server.url)
    const { request } = await import('node:http')
    const get = (path: string) =>
      new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path }, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
          .on('error', reject)
          .end()
      })
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/..%2fpackage.json',
      '/%2e%2e%2fpackage.json',
      '/%252e%252e/package.json',
      '//etc/passwd',
      '/..\\package.json',
      '/.deck.lock',
      `/${'../'.repeat(8)}etc/passwd`,
    ]) {
      expect(await get(path), path).toBe(404)
    }
    expect(await get('/brief.html')).toBe(200)
    // Only this machine's pages may use it: another Host (DNS rebinding) is refused.
    const rebound = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/brief.html', headers: { Host: 'evil.example' } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
        .on('error', reject)
        .end()
    })
    expect(rebound).toBe(403)
    expect(await get('/brief.md')).toBe(404) // only what the dev build writes: the HTML deck
  })

  it('comes back by itself when the brief is renamed away and back, or removed and written anew (git checkout, git stash)', async ({ skip }) => {
    const away = join(dir, 'brief.yaml.stashed')
    const before = nextState((s) => s.ok)
    writeFileSync(briefFile, YAML.replace('title: Key points', 'title: Before the stash'))
    await before
    await server.idle()
    const gone = nextState((s) => !s.ok)
    renameSync(briefFile, away)
    expect((await gone).message).toContain('brief.yaml')
    const back = nextState((s) => s.ok)
    renameSync(away, briefFile)
    await back
    expect(await page$(`${server.url}brief.html`)).toContain('Before the stash')
    // Later saves are heard as before.
    const saved = nextState((s) => s.ok)
    writeFileSync(briefFile, YAML.replace('title: Key points', 'title: Saved after the stash'))
    await saved
    expect(await page$(`${server.url}brief.html`)).toContain('Saved after the stash')
    // Removed, then written anew 40 ms later, as a checkout does: the watcher sees it missing, and
    // waits for it as for an emptied brief: one whole deck, never an error.
    await server.idle()
    const states = await saveInTwoSteps(skip, null, () => YAML, 40, EMPTY_GRACE_MS)
    expect(states.map((s) => s.ok)).toEqual(states.map(() => true))
    expect(await page$(`${server.url}brief.html`)).not.toContain('Saved after the stash')
  })

  it('a template removed (a git checkout of templates/) is a change: the deck takes the tool’s own layout, and the project’s again when it is back', async () => {
    const layout = join(templates, 'layouts', 'quote.hbs')
    const original = readFileSync(layout, 'utf8')
    const ours = nextState((s) => s.ok)
    writeFileSync(layout, original.replace('<!-- _class: quote -->', '<!-- _class: quote -->\n\nOurs alone.'))
    await ours
    expect(await page$(`${server.url}brief.html`)).toContain('Ours alone.')
    const tools = nextState((s) => s.ok)
    rmSync(layout)
    await tools
    expect(await page$(`${server.url}brief.html`)).not.toContain('Ours alone.')
    const back = nextState((s) => s.ok)
    writeFileSync(layout, original)
    await back
  })

  it('a brand file made beside the brief is read at once, and so is each save of the logo it names', async () => {
    const brand = join(dir, '_brand.yml')
    /** The served deck, once a build after this save shows what `shows` looks for (a save may take two events to settle). */
    const served = async (shows: (html: string) => boolean): Promise<string> => {
      for (;;) {
        const next = nextState() // listening before looking: a build that ends meanwhile is not missed
        const html = await page$(`${server.url}brief.html`)
        if (server.state().ok && shows(html)) return html
        await next
      }
    }
    writeFileSync(brand, 'color:\n  primary: "#0b5563"\n')
    await served((html) => html.includes('--navy: #0b5563;'))
    const svg = (fill: string) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10"><rect width="40" height="10" fill="${fill}"/></svg>`
    writeFileSync(join(dir, 'logo.svg'), svg('#0b5563'))
    writeFileSync(brand, 'color:\n  primary: "#0b5563"\nlogo:\n  large: { path: logo.svg, alt: Ours }\n')
    const logo = (html: string) => Buffer.from(/--logo-large: url\("data:image\/svg\+xml;base64,([^"]+)"\)/.exec(html)?.[1] ?? '', 'base64').toString()
    await served((html) => logo(html).includes('#0b5563'))
    writeFileSync(join(dir, 'logo.svg'), svg('#a8461a'))
    await served((html) => logo(html).includes('#a8461a'))
    rmSync(brand)
    await served((html) => !html.includes('--logo-large: url(') && !html.includes('--navy: #0b5563;'))
  })

  it('answers only reads: another method is refused at once, not held open like a tab’s events', async () => {
    const { port } = new URL(server.url)
    const { request } = await import('node:http')
    const ask = (method: string, path: string) =>
      new Promise<{ status: number; allow?: string }>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
          res.resume()
          resolve({ status: res.statusCode ?? 0, allow: res.headers.allow })
        })
          .on('error', reject)
          .end()
      })
    for (const method of ['OPTIONS', 'POST', 'PUT', 'DELETE', 'HEAD'])
      expect(await ask(method, '/__deck/events'), method).toEqual({ status: 405, allow: 'GET' })
    for (const method of ['OPTIONS', 'POST', 'DELETE']) expect(await ask(method, '/brief.html'), method).toEqual({ status: 405, allow: 'GET, HEAD' })
    expect((await ask('HEAD', '/brief.html')).status).toBe(200)
  })

  it('lets no other site put the deck in a frame, and its own presenter view still frames it', async () => {
    const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve, reject) => {
      get(`${server.url}brief.html`, { agent: false }, (res) => {
        res.resume()
        resolve(res.headers)
      }).on('error', reject)
    })
    expect(headers['content-security-policy']).toBe("frame-ancestors 'self'")
    expect(headers['x-frame-options']).toBe('SAMEORIGIN')
    // A page of another origin (a data: URL here) that frames the deck gets an empty frame.
    const other = await browser.newPage()
    await other.goto(`data:text/html,<iframe id="f" src="${server.url}brief.html"></iframe>`, { waitUntil: 'load' })
    const framed = other.frames().find((f) => f.url().startsWith(server.url))
    expect(await framed?.$('section')).toBeFalsy()
    await other.close()
  })

  it('the deck works as a presenter needs: keys move, the presenter view shows notes and the next slide', async () => {
    await page.goto(`${server.url}brief.html#1`, { waitUntil: 'load' })
    await page.keyboard.press('ArrowRight')
    await page.waitForFunction(() => location.hash === '#2')
    await page.keyboard.press('Space')
    await page.waitForFunction(() => location.hash === '#3')
    await page.keyboard.press('ArrowLeft')
    await page.waitForFunction(() => location.hash === '#2')

    await page.goto(`${server.url}brief.html?view=presenter#1`, { waitUntil: 'load' })
    await page.waitForSelector('.bespoke-marp-presenter-note-container')
    expect(await page.$eval('.bespoke-marp-presenter-note-container', (n) => n.textContent)).toContain('Welcome.')
    expect(await page.$('.bespoke-marp-presenter-next')).not.toBeNull()
    // The next slide is the deck in a frame of its own page: the server lets its own pages frame it.
    const next = page.frames().find((f) => f.url().includes('view=next'))
    expect(next).toBeDefined()
    expect(await next?.waitForSelector('section')).toBeTruthy()

    await page.goto(`${server.url}brief.html#1`, { waitUntil: 'load' })
    await page.keyboard.press('f')
    await page.waitForFunction(() => document.fullscreenElement !== null)
  })

  it('stops cleanly: no server, socket, watcher or timer left open', async () => {
    await browser.close() // the test's own client goes first, so what is left is the server's
    await server.close()
    // Handles close on the next turns of the event loop, later on a busy machine: look until they
    // have (a handle left open keeps this test waiting until its time runs out).
    const more = () =>
      Object.entries(handles()).filter(([type, n]) => /TCP|FSEvent|StatWatcher|Pipe|Timeout|Immediate/.test(type) && n > (handlesBefore[type] ?? 0))
    while (more().length > 0) await new Promise((r) => setTimeout(r, 50))
    expect(more()).toEqual([])
  })
})
