import { makeReport, type Report, withoutSilenced } from './check/report.ts'
import { dataFindings, type Deck, displayPath, htmlDeck, type Measured, measuredFindings, minFontPx, printPages, readDeck, type Toolkit } from './deck.ts'
import type { BrowserSession } from './export/browser.ts'
import { auditHtml, exportWithBrowser } from './export/export.ts'
import type { MarpWorker } from './export/marp.ts'
import { outputFiles } from './export/outputs.ts'
import { MAX_BROWSER_SLIDES, type StepBounds } from './export/steps.ts'
import { DEFAULT_HANDOUT } from './render/print.ts'
import { stage } from './shared/fs.ts'
import { timed } from './shared/log.ts'

// `check`: a brief → its findings, and nothing written. The stages `build` composes, without
// its outputs: the data's findings, then one load of each page the browser measures (the
// slides, the handout's and the notes' pages laid out as they print, the HTML deck for
// axe-core), the PDFs printed in memory only to read the fonts they draw with.

export interface CheckBriefOptions {
  /** A folder of the check's own for the pages the browser loads; what it writes there is removed. */
  workDir: string
  browser: BrowserSession
  /** Marp's worker, shared by the briefs of a check. */
  marp: MarpWorker
  /** The brief's text, to find each figure's evidence in (else `meta.source.document`). */
  sourceFile?: string | undefined
  stepBounds?: StepBounds | undefined
}

export async function checkBrief(briefFile: string, toolkit: Toolkit, options: CheckBriefOptions): Promise<Report> {
  const deck = await readDeck(briefFile, toolkit, { sourceFile: options.sourceFile })
  const { findings, skipped } = await dataFindings(deck, toolkit)
  const slides = deck.view.slides.length
  if (slides > MAX_BROWSER_SLIDES) skipped.push(`layout not measured: the deck has ${slides} slides, more than the ${MAX_BROWSER_SLIDES} a browser lays out`)
  else {
    const measured = measuredFindings(deck, toolkit, await measureDeck(deck, toolkit, options), DEFAULT_HANDOUT)
    findings.push(...measured.findings)
    skipped.push(...measured.skipped)
  }
  return makeReport(displayPath(briefFile), withoutSilenced(findings, deck.loaded.brief, deck.view), deck.source?.file, skipped)
}

/** Every page of the deck loaded once in the browser and measured: the printed pages and the HTML deck at the same time. */
async function measureDeck(deck: Deck, toolkit: Toolkit, options: CheckBriefOptions): Promise<Measured> {
  const staging = await stage(options.workDir)
  try {
    const files = outputFiles(deck.name, toolkit.theme.name)
    const browser = options.browser.get()
    const { marp, stepBounds } = options
    const mdPath = await staging.write(files.md, deck.markdown)
    const themePath = await staging.write(files.theme, toolkit.theme.css)
    // The printed pages ask Marp's worker first: they are the longer way.
    const pages = (async () => {
      const docs = await printPages(deck, toolkit, marp, DEFAULT_HANDOUT)
      const { loaded, view } = deck
      return exportWithBrowser({
        ...{ brief: loaded.brief, view, docs, staging, files, formats: new Set(), browser, imageScale: 1, stepBounds },
        ...{ measure: { minFontPx: minFontPx(toolkit.theme) }, audit: true, measurePrint: true, readFonts: true },
      })
    })()
    // The HTML deck is audited as soon as Marp has made it, while Chromium still works on the printed pages.
    const html = (async () => {
      const file = await staging.write(files.html, await timed('html', htmlDeck(marp, toolkit, deck, mdPath, themePath)))
      return auditHtml(await browser, file, deck.view.slides.length, stepBounds)
    })()
    // Both end before the folder is removed, so no page is loaded from a file already gone.
    const [made, audit] = await Promise.allSettled([pages, html])
    if (made.status === 'rejected') throw made.reason
    if (audit.status === 'rejected') throw audit.reason
    const { measures, print, handoutScale, fonts, violations } = made.value
    return { measures, print, handoutScale, fonts, violations: [...(violations ?? []), ...audit.value], htmlFile: files.html }
  } finally {
    await staging.dispose()
  }
}
