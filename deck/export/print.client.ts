import { textCut } from '../measure/clip.ts'
import { keepWords } from '../shared/shorten.ts'

// Fits the running header and footer of the printed pages (handout, notes) in Chromium,
// before they are measured and printed. A line marked `data-fit` that does not fit its
// room is set smaller, down to its least size (`data-fit-min`, in pt); then the longest
// of its brief's fields (`data-field`) loses words from its end, one at a time, and ends
// in "…". A field is never cut inside a word; one that was shortened keeps its whole
// text in `data-original`, for the print check (deck/check/measure.client.ts) to report.
// Bundled on its own (deck/shared/bundles.ts); it sets `deckPrint` on the page's window.

declare global {
  interface Window {
    deckPrint?: { fitLines: typeof fitLines }
  }
}

const PX_PER_PT = 96 / 72
const STEP_PT = 0.25

/** Fits every `data-fit` line of every printed page. */
function fitLines(): void {
  for (const sheet of document.querySelectorAll('.p-sheet')) {
    for (const line of sheet.querySelectorAll<HTMLElement>('[data-fit]')) {
      shrink(line, sheet)
      shorten(line, sheet)
    }
  }
}

/** Smaller type, a quarter point at a time, until the line fits or reaches its least size. */
function shrink(line: HTMLElement, sheet: Element): void {
  const least = Number(line.dataset.fitMin) * PX_PER_PT
  let size = Number.parseFloat(getComputedStyle(line).fontSize)
  while (textCut(line, sheet) > 0 && size > least + 0.01) {
    size = Math.max(least, size - STEP_PT * PX_PER_PT)
    line.style.fontSize = `${size}px`
  }
}

/** Words off the end of the longest field, one at a time, until the line fits or no field has a word to spare. */
function shorten(line: HTMLElement, sheet: Element): void {
  const fields = line.matches('[data-field]') ? [line] : [...line.querySelectorAll<HTMLElement>('[data-field]')]
  while (textCut(line, sheet) > 0) {
    const field = fields
      .filter((f) => wordsKept(f) > 1)
      .sort((a, b) => (b.textContent ?? '').length - (a.textContent ?? '').length)
      .at(0)
    if (!field) return
    const original = field.dataset.original ?? field.textContent ?? ''
    const words = original.trim().split(/\s+/)
    const { text, kept } = keepWords(words, wordsKept(field) - 1)
    field.dataset.original = original
    field.dataset.kept = String(kept)
    field.textContent = text
  }
}

function wordsKept(field: HTMLElement): number {
  return Number(field.dataset.kept ?? (field.textContent ?? '').trim().split(/\s+/).length)
}

window.deckPrint = { fitLines }
