// The dev server's PDF: printed one at a time, and current only when it was printed
// from the newest deck (a deck built while it printed makes it stale at once).

export class PdfQueue {
  readonly #print: (started: number) => Promise<void>
  readonly #version: () => number
  #tail: Promise<unknown> = Promise.resolve()
  /** The deck version the PDF on disk shows; -1 when it shows none or an older one. */
  #printed = -1

  /** `print` writes the PDF of the newest deck (`started`: when the save it shows was made); `version` says which deck is newest. */
  constructor(print: (started: number) => Promise<void>, version: () => number) {
    this.#print = print
    this.#version = version
  }

  /** Whether the PDF shows the newest deck. */
  get current(): boolean {
    return this.#printed === this.#version()
  }

  /** Prints the PDF after the prints already asked for; fails as its print does. */
  add(started: number): Promise<void> {
    const next = this.#tail.then(async () => {
      const version = this.#version()
      await this.#print(started)
      this.#printed = this.#version() === version ? version : -1
    })
    this.#tail = next.catch(() => undefined)
    return next
  }

  /** Waits for every print asked for. */
  async idle(): Promise<void> {
    await this.#tail
  }
}
