import { existsSync, readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { parseBrief } from '../deck/brief/brief.ts'
import { normaliseText } from '../deck/check/provenance.ts'
import { formatNumber } from '../deck/render/format.ts'
import { DEFAULT_BRIEF, readRepoFile, ROOT } from './helpers.ts'

// The default brief against the source document it summarises, which every
// developer and CI have beside the repository (it is not copied into it).

const SOURCE = `${ROOT}../shared/seeds/000_1f5c8429eabb91f4.txt`
const brief = parseBrief(readRepoFile(DEFAULT_BRIEF), DEFAULT_BRIEF)
const WORDS: Record<number, string> = { 7: 'seven' }

describe.skipIf(!existsSync(SOURCE))('the default brief against its source document', () => {
  // Read when the tests run: the body of a skipped suite still runs while tests are collected.
  let text: string | undefined
  // Quotes and spaces as `check` compares them, so that ’ and ' and line breaks do not matter.
  const source = () => (text ??= normaliseText(readFileSync(SOURCE, 'utf8')))

  it('every figure’s evidence is an exact phrase of the source', () => {
    for (const [id, figure] of Object.entries(brief.figures)) expect(source(), id).toContain(normaliseText(figure.evidence))
  })

  it('every figure’s value is in its evidence, written as the source writes it', () => {
    for (const [id, figure] of Object.entries(brief.figures)) {
      const written = [formatNumber(figure.value, 'en'), WORDS[figure.value]].filter(Boolean)
      expect(
        written.some((w) => figure.evidence.includes(`${figure.prefix ?? ''}${w}`)),
        `${id}: ${written.join(' or ')} in “${figure.evidence}”`,
      ).toBe(true)
    }
  })

  it('every footnote a figure cites is one the source has', () => {
    for (const figure of Object.values(brief.figures)) for (const n of figure.refs) expect(source()).toContain(`[${n}]`)
  })
})
