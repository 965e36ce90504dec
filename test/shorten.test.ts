import { describe, expect, it } from 'vitest'

import { shortenAtWord } from '../deck/shared/shorten.ts'

describe('shortening at a word', () => {
  it('shortens a text at a word, never inside one nor after a little word, or not at all when little would show', () => {
    const name = 'Example Institute for the Comparative Study of Water Prices'
    expect(shortenAtWord(name, 100)).toBe(name)
    expect(shortenAtWord(name, 40)).toBe('Example Institute for the Comparative…')
    expect(shortenAtWord(name, 30)).toBe('Example Institute…') // not "…for the…", not "Compar…"
    expect(shortenAtWord(name, 8)).toBeUndefined()
    for (let max = 12; max < name.length; max += 1) {
      const short = shortenAtWord(name, max)
      if (short === undefined) continue
      expect(short.length).toBeLessThanOrEqual(max)
      expect(name.startsWith(short.slice(0, -1))).toBe(true)
      expect(name[short.length - 1]).toBe(' ') // the cut falls between words
    }
  })
})
