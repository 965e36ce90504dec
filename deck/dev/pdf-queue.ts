// The dev server's PDF: printed one at a time, and current only when one was printed from
// the newest deck (a deck built while it printed makes it stale at once; a print that had
// nothing to print from changes nothing).

export class PdfQueue {
  readonly #print: (started: number) => Promise<boolean>
  readonly #version: () => number
  #tail: Promise<unknown> = Promise.resolve()
  /** The deck version the PDF on disk shows; -1 when it shows none or an older one. */
  #printed = -1

  /**
   * `print` writes the PDF of the newest deck (`started`: when the save it shows was made) and
   * says whether it did; `version` says which deck is newest.
   */
  constructor(print: (started: number) => Promise<boolean>, version: () => number) {
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
      if (!(await this.#print(started))) return
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
