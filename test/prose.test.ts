import { describe, expect, it } from 'vitest'

import { unquoted } from '../deck/render/prose.ts'

describe('quotations', () => {
  it('lose the pair of marks typed around the whole, in any language, and keep marks that do not pair', () => {
    expect(unquoted('“Water is not a luxury.”')).toBe('Water is not a luxury.')
    expect(unquoted('„Voda nije luksuz.“')).toBe('Voda nije luksuz.')
    expect(unquoted('“Water”{ref:2}')).toBe('Water{ref:2}')
    expect(unquoted('“Yes,” he said, “we will.”')).toBe('“Yes,” he said, “we will.”')
    expect(unquoted('a “general situation of violence”')).toBe('a “general situation of violence”')
  })
})
