import { describe, expect, it } from 'vitest'

import { whenEnd, whenStart } from '../deck/brief/dates.ts'
import { eventsBetween } from '../deck/brief/queries.ts'
import { escapeMarkdown, escapeNote, formatFigure, formatNumber, formatWhen, shortenAtWord, unquoted } from '../deck/render/text.ts'

describe('escapeMarkdown', () => {
  it.each([
    ['# not a heading', '\\# not a heading'],
    ['- not a list', '\\- not a list'],
    ['1. not a list', '1\\. not a list'],
    ['*not emphasis* and _not_ either', '\\*not emphasis\\* and \\_not\\_ either'],
    ['`code`', '\\`code\\`'],
    ['$5 and $10', '\\$5 and \\$10'],
    ['a | b', 'a \\| b'],
    ['[x](javascript:alert(1))', '\\[x\\](javascript:alert(1))'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['<!-- _class: x -->', '&lt;\\!-- \\_class: x --&gt;'],
    ['Tom & Jerry &amp;', 'Tom &amp; Jerry &amp;amp;'],
    ['back\\slash', 'back\\\\slash'],
  ])('%s → %s', (input, output) => {
    expect(escapeMarkdown(input)).toBe(output)
  })

  it('turns line breaks into <br>, so a value never starts a new block or slide', () => {
    expect(escapeMarkdown('one\r\n\r\n---\ntwo')).toBe('one<br><br>\\---<br>two')
  })

  it('leaves ordinary prose readable', () => {
    expect(escapeMarkdown('Xi Jinping’s visit, May 2024 (28 agreements).')).toBe('Xi Jinping’s visit, May 2024 (28 agreements).')
  })
})

describe('escapeNote', () => {
  it('keeps a note from closing its comment early', () => {
    expect(escapeNote('a --> b')).toBe('a --\u200B> b')
  })

  it('keeps a line that looks like a directive from being read as one', () => {
    expect(escapeNote('theme: gaia\nplain line')).toBe('\u200Btheme: gaia\nplain line')
  })
})

describe('numbers and dates', () => {
  it('formats numbers for the brief’s language', () => {
    expect(formatNumber(14500, 'en')).toBe('14,500')
    expect(formatNumber(14500, 'sr-Latn')).toBe('14.500')
  })

  it('marks approximate values and keeps prefix, suffix and decimals', () => {
    expect(formatFigure({ value: 110000, approx: true }, 'en')).toBe('≈110,000')
    // The unit keeps to its number's line: the space before it does not break.
    expect(formatFigure({ value: 140, prefix: '€', suffix: ' million' }, 'en')).toBe('€140\u00A0million')
    expect(formatFigure({ value: 0.8, prefix: '€', decimals: 2 }, 'en')).toBe('€0.80')
  })

  it('says an approximate number in words with a word, not ≈ before a word', () => {
    expect(formatFigure({ value: 7, words: true, approx: true, suffix: ' years' }, 'en')).toBe('about seven\u00A0years')
    expect(formatFigure({ value: 7, words: true, approx: true }, 'sr-Latn')).toBe('oko sedam')
    expect(formatFigure({ value: 7, words: true }, 'en')).toBe('seven')
  })

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

  it('writes dates in words', () => {
    // A date never breaks across lines: its spaces do not break (“8. maj” alone at a line's end).
    expect(formatWhen('2024-05', 'en')).toBe('May\u00A02024')
    expect(formatWhen('2024-05-08', 'en')).toBe('8\u00A0May\u00A02024')
    expect(formatWhen('2024-05-08', 'sr-Latn')).toBe('8.\u00A0maj\u00A02024.')
    expect(formatWhen('1990s', 'en')).toBe('1990s')
    expect(formatWhen('2013', 'en')).toBe('2013')
    expect(formatWhen('2013', 'sr-Latn')).toBe('2013.') // a year alone ends with a full stop in Serbian, as dates do
    expect(formatWhen('the next seven-year budget', 'en')).toBe('the next seven-year budget')
  })

  it('orders a decade, a year and a month', () => {
    expect([whenStart('1990s'), whenEnd('1990s')]).toEqual([19900000, 19991231])
    expect(whenEnd('2019')).toBeLessThan(whenStart('2021'))
    expect(whenStart('2022-10')).toBeGreaterThan(whenStart('2022'))
  })

  it('picks the events of a range, ends included', () => {
    const events = ['1990s', '2013', '2019-06', '2021', '2024-05'].map((when) => ({ when }))
    expect(eventsBetween(events, undefined, '2019').map((e) => e.when)).toEqual(['1990s', '2013', '2019-06'])
    expect(eventsBetween(events, '2021').map((e) => e.when)).toEqual(['2021', '2024-05'])
  })
})

describe('quotations', () => {
  it('lose the pair of marks typed around the whole, in any language, and keep marks that do not pair', () => {
    expect(unquoted('“Water is not a luxury.”')).toBe('Water is not a luxury.')
    expect(unquoted('„Voda nije luksuz.“')).toBe('Voda nije luksuz.')
    expect(unquoted('“Water”{ref:2}')).toBe('Water{ref:2}')
    expect(unquoted('“Yes,” he said, “we will.”')).toBe('“Yes,” he said, “we will.”')
    expect(unquoted('a “general situation of violence”')).toBe('a “general situation of violence”')
  })
})
