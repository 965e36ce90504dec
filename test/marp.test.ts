import { describe, expect, it } from 'vitest'
import { MarpWorker, readMarpSettings } from '../deck/marp.ts'
import { readTheme } from '../deck/theme.ts'
import { ROOT } from './helpers.ts'

describe("Marp's worker", () => {
  it('renders one <svg> per slide for the printed pages', async () => {
    const worker = new MarpWorker()
    try {
      const settings = await readMarpSettings(`${ROOT}/templates`)
      const theme = await readTheme(`${ROOT}/templates/theme.css`)
      const { slides, css } = await worker.slides('---\ntheme: brief\n---\n\n# One\n\n---\n\n# Two\n', theme, settings)
      expect(slides).toHaveLength(2)
      expect(slides[1]).toContain('Two')
      expect(css).toContain('section')
    } finally {
      await worker.close()
    }
  })

  it('once stopped, refuses new work at once instead of waiting forever', async () => {
    const worker = new MarpWorker()
    await worker.close()
    const settings = await readMarpSettings(`${ROOT}/templates`)
    const theme = await readTheme(`${ROOT}/templates/theme.css`)
    await expect(worker.slides('# x', theme, settings)).rejects.toThrow(/Marp Core could not render the slides: Marp's worker stopped/)
  })
})
