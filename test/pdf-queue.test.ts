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
    let firstStarted: () => void = () => undefined
    const started = new Promise<void>((resolve) => (firstStarted = resolve))
    const queue = new PdfQueue(
      async () => {
        const mine = (n += 1)
        order.push(`start ${mine}`)
        firstStarted()
        await new Promise((resolve) => setTimeout(resolve, 5))
        order.push(`end ${mine}`)
        if (mine === 1) throw new Error('the browser went away')
        return true
      },
      () => 1,
    )
    const first = queue.add(0)
    await started // asked for while the first prints: queued behind it
    const second = queue.add(0)
    await expect(first).rejects.toThrow('the browser went away')
    await second
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2'])
    expect(queue.current).toBe(true)
  })

  it('thirty requests at once print once, and a request for a PDF that is current prints nothing', async () => {
    let prints = 0
    let version = 1
    const queue = new PdfQueue(
      async () => {
        prints += 1
        await new Promise((resolve) => setTimeout(resolve, 5))
        return true
      },
      () => version,
    )
    await Promise.all(Array.from({ length: 30 }, () => queue.add(0)))
    expect(prints).toBe(1)
    expect(queue.current).toBe(true)
    // After a save, the requests for the new deck share one print.
    version = 2
    const during = queue.add(0)
    const after = Array.from({ length: 10 }, () => queue.add(0))
    await Promise.all([during, ...after])
    expect(prints).toBe(2)
  })
})
