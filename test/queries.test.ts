import { describe, expect, it } from 'vitest'

import { eventsBetween } from '../deck/brief/queries.ts'

describe('events', () => {
  it('picks the events of a range, ends included', () => {
    const events = ['1990s', '2013', '2019-06', '2021', '2024-05'].map((when) => ({ when }))
    expect(eventsBetween(events, undefined, '2019').map((e) => e.when)).toEqual(['1990s', '2013', '2019-06'])
    expect(eventsBetween(events, '2021').map((e) => e.when)).toEqual(['2021', '2024-05'])
  })
})
