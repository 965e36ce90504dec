// Developer aid: `npm run screenshots [-- deck.html [outDir]]` saves one PNG per
// slide of a built HTML deck, to look at every slide before calling a change done.
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

import { closeBrowser, startBrowser } from '../deck/export/browser.ts'

const html = resolve(process.argv[2] ?? 'dist/serbia-china-extradition.html')
const outDir = resolve(process.argv[3] ?? 'dist/screenshots')
await mkdir(outDir, { recursive: true })
const browser = await startBrowser()
try {
  const page = await browser.newPage()
  await page.setViewport({ width: 1280, height: 720 })
  // The deck's Content-Security-Policy refuses any style but its own: this page, which hides the controls, is let past it.
  await page.setBypassCSP(true)
  await page.goto(pathToFileURL(html).href, { waitUntil: 'load' })
  await page.evaluate(() => document.fonts.ready)
  const count = await page.$$eval('svg[data-marpit-svg]', (s) => s.length)
  for (let i = 1; i <= count; i += 1) {
    await page.goto(`${pathToFileURL(html).href}#${i}`, { waitUntil: 'load' })
    await page.evaluate(() => document.fonts.ready)
    await page.addStyleTag({ content: '.bespoke-marp-osc, .bespoke-progress-parent { display: none !important }' })
    await new Promise((r) => setTimeout(r, 150))
    const file = `${outDir}/${String(i).padStart(3, '0')}.png`
    await page.screenshot({ path: file as `${string}.png` })
  }
  process.stderr.write(`${count} slides → ${outDir}\n`)
} finally {
  await closeBrowser(browser)
}
