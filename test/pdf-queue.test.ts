import { describe, expect, it } from 'vitest'

import { PdfQueue } from '../deck/dev/pdf-queue.ts'

// The dev server's PDF queue: a PDF is current only when one was printed from the newest deck.

describe("the dev server's PDF", () => {
  it('is current once printed from the newest deck, and stale once a newer deck is built', async () => {
    let version = 1
    const queue = new PdfQueue(
      async () => true,
      () => version,
    )
    expect(queue.current).toBe(false)
    await queue.add(0)
    expect(queue.current).toBe(true)
    version = 2
    expect(queue.current).toBe(false)
  })

  it('is not current when a deck was built while it printed', async () => {
    let version = 1
    const queue = new PdfQueue(
      async () => {
        version = 2 // a save built a new deck meanwhile
        return true
      },
      () => version,
    )
    await queue.add(0)
    expect(queue.current).toBe(false)
  })

  it('is not current when there was nothing to print from (templates being read again)', async () => {
    const queue = new PdfQueue(
      async () => false,
      () => 1,
    )
    await queue.add(0)
    expect(queue.current).toBe(false)
  })

  it('prints one at a time, in the order asked, and a failed print neither stops the next nor counts', async () => {
    const order: string[] = []
    let n = 0
    const queue = new PdfQueue(
      async () => {
        const mine = (n += 1)
        order.push(`start ${mine}`)
        await new Promise((resolve) => setTimeout(resolve, 5))
        order.push(`end ${mine}`)
        if (mine === 1) throw new Error('the browser went away')
        return true
      },
      () => 1,
    )
    const first = queue.add(0)
    const second = queue.add(0)
    await expect(first).rejects.toThrow('the browser went away')
    await second
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2'])
    expect(queue.current).toBe(true)
  })
})
