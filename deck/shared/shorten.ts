// Shortening a text at a word, the one way every output does it: the slides' footer (render)
// and the printed pages' header and footer (print.client, in the browser). No imports: the
// browser bundle takes it as it is.

/** What a shortened text does not end with before its "…": spaces, separators, an opening bracket. */
const RE_TRAILING = /[\s,;:·–—([-]+$/u
/** A short lower-case word ("of", "and", "za", "i") is not left last: "Foundation for…" reads as a mistake. */
const RE_LITTLE_WORD = /^\p{Ll}{1,3}$/u
const ELLIPSIS = '…'

/**
 * The first `kept` words, ending in "…": fewer when a little word would stand last, and no
 * separator before the ellipsis. `kept` says how many words it shows.
 */
export function keepWords(words: readonly string[], kept: number): { text: string; kept: number } {
  let n = kept
  while (n > 1 && RE_LITTLE_WORD.test(words[n - 1] ?? '')) n -= 1
  return { text: words.slice(0, n).join(' ').replace(RE_TRAILING, '') + ELLIPSIS, kept: n }
}

/** Shorter than this, a shortened text says too little to be worth showing. */
const SHORTEST_SHORTENED = 12

/**
 * A text cut to at most `max` characters at a word boundary, ending in "…" (the ellipsis
 * counted); a comma or a little word is not left before it. Undefined when too little of it
 * would show to be worth it.
 */
export function shortenAtWord(text: string, max: number): string | undefined {
  if (text.length <= max) return text
  if (max < SHORTEST_SHORTENED) return undefined
  const words = text.slice(0, max).split(/\s+/)
  words.pop() // the last word may be cut: it goes, whole
  const short = keepWords(words, words.length).text
  return short.length >= SHORTEST_SHORTENED ? short : undefined
}
