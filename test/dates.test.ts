import { describe, expect, it } from 'vitest'

import { whenEnd, whenStart } from '../deck/brief/dates.ts'

describe('dates', () => {
  it('orders a decade, a year and a month', () => {
    expect([whenStart('1990s'), whenEnd('1990s')]).toEqual([19900000, 19991231])
    expect(whenEnd('2019')).toBeLessThan(whenStart('2021'))
    expect(whenStart('2022-10')).toBeGreaterThan(whenStart('2022'))
  })
})
