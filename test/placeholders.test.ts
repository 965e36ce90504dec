import { describe, expect, it } from 'vitest'

import { fixture, lineOf, problemsOf, shownFor } from './helpers.ts'

// A placeholder written wrong must never reach a slide as raw text ("May 2024: {fig:Agreements}
// agreements"): every {…} in a text is a valid placeholder or an error at its line, with the
// nearest figure's id suggested when there is one.

const TOKEN = '{fig:households}'
const withToken = (token: string) => {
  const text = fixture('all-layouts.yaml')
  expect(text).toContain(TOKEN)
  return text.replace(TOKEN, token)
}

describe('a placeholder written wrong', () => {
  it.each(['{fig:Households}', '{fig:house_holds}', '{fig:households }', '{fig:HOUSE HOLDS}', '{Fig:households}'])(
    '%s is an error at its line that suggests {fig:households}',
    (token) => {
      const text = withToken(token)
      expect(problemsOf(text)).toEqual([
        expect.objectContaining({
          line: lineOf(text, token),
          message: expect.stringContaining('is no placeholder: write {fig:<figure id>} or {ref:<reference numbers>}') as unknown,
        }),
      ])
      expect(shownFor(text)).toContain('did you mean {fig:households}?')
      expect(shownFor(text)).not.toContain(token)
    },
  )

  it('an id near an existing one (a typo) suggests it; one that is near none only lists the figures', () => {
    expect(shownFor(withToken('{fig:housholds}'))).toContain('names a figure that does not exist; did you mean {fig:households}? (figures: households,')
    const far = shownFor(withToken('{fig:constructor}'))
    expect(far).toContain('names a figure that does not exist (figures: households,')
    expect(far).not.toContain('did you mean')
  })

  it('any other {…} in a text is an error too, never printed on a slide', () => {
    for (const token of ['{x}', '{fig:toString}', '{ref:one}', '{}']) {
      const text = withToken(token)
      expect(problemsOf(text), token).toEqual([
        expect.objectContaining({ line: lineOf(text, token), message: expect.stringContaining('is no placeholder') as unknown }),
      ])
    }
  })

  it.each(['{fig:households.', '{{fig:households}}', 'fig:households}', '{fgi:households}'])(
    'a brace that opens or closes nothing, or a key that is not fig, %s: an error that suggests {fig:households}',
    (token) => {
      const text = withToken(token)
      expect(problemsOf(text)).toEqual([expect.objectContaining({ line: lineOf(text, token) })])
      expect(shownFor(text)).toContain('did you mean {fig:households}?')
    },
  )

  it('valid placeholders and YAML’s own braces are not touched', () => {
    expect(() => problemsOf(fixture('all-layouts.yaml'))).toThrow('expected the brief to be rejected')
  })
})
