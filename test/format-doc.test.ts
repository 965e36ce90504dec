import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { briefJsonSchema } from '../deck/brief/schema.ts'
import { FORMAT_DOC, formatReference } from '../scripts/format-doc.ts'
import { ROOT } from './helpers.ts'

// docs/format.md is written from the schema the briefs are checked with: the two never drift.

describe('the format reference (docs/format.md)', () => {
  const written = formatReference(briefJsonSchema())

  it('is the one written from the schema (run `npm run docs` when this fails)', () => {
    expect(readFileSync(join(ROOT, FORMAT_DOC), 'utf8')).toBe(written)
  })

  it('names every top-level field, every layout and every field of a figure, with the schema’s own words', () => {
    const schema = briefJsonSchema() as { properties: Record<string, { additionalProperties?: { properties?: Record<string, { description?: string }> } }> }
    for (const field of Object.keys(schema.properties)) expect(written).toContain(`## ${field}`)
    for (const layout of ['title', 'agenda', 'section', 'points', 'figure', 'comparison', 'chart', 'timeline', 'quote', 'sources', 'closing'])
      expect(written).toContain(`### layout: ${layout}`)
    for (const [name, field] of Object.entries(schema.properties.figures?.additionalProperties?.properties ?? {})) {
      expect(written).toContain(`| \`${name}\` |`)
      if (field.description) expect(written).toContain(field.description.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|'))
    }
  })
})
