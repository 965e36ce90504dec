import { describe, expect, it } from 'vitest'

import { escapeMarkdown, escapeNote } from '../deck/render/escape.ts'

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
