import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { buildBrief } from '../deck/build.ts'
import { browserSuite, outputsIn, ROOT, tempDir } from './helpers.ts'
import { readPdf } from './readers.ts'

// The second brief, on another subject, built with every output and checked against its
// own source document (named in its meta.source.document).

const suite = browserSuite()

describe('the second brief', () => {
  it('builds every output with no finding, its provenance checked against its source', async () => {
    const out = tempDir('deck-next-')
    const result = await buildBrief(join(ROOT, 'test/fixtures/eu-enlargement.yaml'), suite.toolkit, { outDir: out, browser: suite.session })
    expect(result.report.source).toMatch(/eu-enlargement\.txt$/)
    expect(result.report.findings).toEqual([])
    expect(outputsIn(out)).toHaveLength(9)
    const text = (await readPdf(join(out, 'eu-enlargement.pdf'))).text
    expect(text[1]).toContain('Nine countries could join, making a Union of 36.')
    expect(text[3]).toMatch(/€1\.47\s+trillion/)
    expect(text.at(-1)).toContain('no link available')
  })
})
