import { describe, expect, it } from 'vitest'

import { missingDatePart } from '../deck/check/event-dates.ts'

describe('a phrase that states an event’s date', () => {
  it.each([
    ['signed on 8 May 2024 in Belgrade', '2024-05-08'],
    ['potpisan 8. maja 2024. godine', '2024-05-08'],
    ['потписан 8. маја 2024. године', '2024-05-08'],
    ['održanog u Limi 16. svibnja 2008.', '2008-05-16'],
    ['potpisan 13. prosinca 2000. u Zagrebu', '2000-12-13'],
    ['sačinjen u Ankari 4. aprila 2018. godine', '2018-04-04'],
    ['u.a. 27. 12. 2022. u Bruxellesu', '2022-12-27'],
    ['od 01.04.2024. godine', '2024-04-01'],
    ['më 15 dhjetor 2017 në Pogradec', '2017-12-15'],
    ['Më 5 nëntor 2023 kryeministri', '2023-11-05'],
    ['στις 16 Μαΐου 2008 στη Λίμα', '2008-05-16'],
    ['потпишан на 8 мај 2024 година', '2024-05-08'],
    ['on May 8, 2024, the treaty', '2024-05-08'],
    ['on the 8th of May 2024', '2024-05-08'],
    ['published 2024-05-08', '2024-05-08'],
    ['In May 2024, during the visit', '2024-05'],
    ['u maju 2024.', '2024-05'],
    ['in lipnju 1999.', '1999-06'],
    ['from 5 May to 8 June 2024', '2024-05-05'],
    ['ratified in 2013 by parliament', '2013'],
    ['entrepreneurs came in the 1990s', '1990s'],
    ['between 2014 and 2016', '2014–2016'],
    ['od 1. do 8. maja 2024.', '2024-05-01'],
    ['od 1. do 8. maja 2024.', '2024-05-08'],
    ['from 1–8 May 2024', '2024-05-01'],
    ['the next seven-year budget', 'the next budget'],
  ])('“%s” states %s', (text, when) => {
    expect(missingDatePart(text, when)).toBeUndefined()
  })

  it.each([
    ['ratified in 2013 by parliament', '2012', 'year'],
    ['signed on 8 May 2024', '2023-05-08', 'year'],
    ['In May 2024, during the visit', '2024-06', 'month'],
    ['signed on 8 May 2024', '2024-05-09', 'day'],
    ['potpisan 8. maja 2024.', '2024-04-08', 'month'],
    ['In 2024 the treaty', '2024-05', 'month'],
    ['may 2024 be the year', '2024-05-08', 'day'],
    ['12.024 people', '2024', 'year'],
    ['between 2014 and 2017', '2014–2016', 'year'],
    // Another date's day and month before its own year are not this year's.
    ['on 8 May 2023 and 9 June 2024', '2024-05-08', 'month'],
    ['od 1. do 8. maja 2024.', '2024-05-09', 'day'],
  ])('“%s” does not state %s: its %s', (text, when, part) => {
    expect(missingDatePart(text, when)).toBe(part)
  })
})
