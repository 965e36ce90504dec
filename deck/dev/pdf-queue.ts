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

  /** A print asked for that has not begun: later requests wait for it rather than queue their own. */
  #waiting: Promise<void> | undefined

  /**
   * Prints the PDF after the prints already asked for; fails as its print does. Requests that
   * come while a print waits share it, and a print whose turn comes when the PDF already shows
   * the newest deck prints nothing: thirty tabs asking at once print once.
   */
  add(started: number): Promise<void> {
    if (this.#waiting) return this.#waiting
    const next = this.#tail.then(async () => {
      this.#waiting = undefined
      if (this.current) return
      const version = this.#version()
      if (!(await this.#print(started))) return
      this.#printed = this.#version() === version ? version : -1
    })
    this.#waiting = next
    this.#tail = next.catch(() => undefined) // the next print waits for this one, not on its outcome, which its asker gets
    return next
  }

  /** Waits for every print asked for. */
  async idle(): Promise<void> {
    await this.#tail
  }
}
