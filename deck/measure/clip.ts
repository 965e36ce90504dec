// How much of a text a printed page shows, as laid out in Chromium: shared by the script
// that fits the pages' headers and footers (print.client.ts) and the print check that
// holds them to it (deck/check/measure.client.ts). Runs in the browser.

export type Box = { left: number; top: number; right: number; bottom: number }

/** CSS px: anti-aliasing and rounding, not text that is lost. */
const TOLERANCE = 0.5

/** Every line box of a text node, as laid out. */
export function lineBoxes(node: Node): DOMRect[] {
  const range = document.createRange()
  range.selectNodeContents(node)
  return [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0)
}

/** Every text node under `root` with something to read. */
export function* textNodes(root: Node): Generator<Text> {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node.textContent?.trim()) yield node as Text
}

/**
 * How far, in CSS px, the text of `el` runs out of the room it is shown in: its own box,
 * clipped by every ancestor that clips, up to `top`. Across, each line of its text is
 * held to that room (a line too long for it is cut, by `text-overflow` or a clip, or runs
 * over what is beside it); down, its box (a line's glyphs may reach past a tight line
 * height, which no reader notices). 0 when all of it shows.
 */
export function textCut(el: Element, top: Element): number {
  const own = el.getBoundingClientRect()
  const room: Box = { left: own.left, top: own.top, right: own.right, bottom: own.bottom }
  for (let a = el.parentElement; a && a !== top.parentElement; a = a.parentElement) {
    if (getComputedStyle(a).overflow === 'visible') continue
    const r = a.getBoundingClientRect()
    room.left = Math.max(room.left, r.left)
    room.top = Math.max(room.top, r.top)
    room.right = Math.min(room.right, r.right)
    room.bottom = Math.min(room.bottom, r.bottom)
  }
  let cut = Math.max(0, room.top - own.top, own.bottom - room.bottom)
  for (const node of textNodes(el)) for (const line of lineBoxes(node)) cut = Math.max(cut, room.left - line.left, line.right - room.right)
  return cut > TOLERANCE ? cut : 0
}
