import { readdirSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { briefJsonSchema, LAYOUTS, SCHEMA_FILE } from '../deck/brief/schema.ts'
import { readRepoFile } from './helpers.ts'

describe('the JSON Schema for editors', () => {
  it('is the one generated from the schema (run `npm run schema` when this fails)', async () => {
    await expect(`${JSON.stringify(briefJsonSchema(), null, 2)}\n`).toMatchFileSnapshot(`../${SCHEMA_FILE}`)
  })

  it('is named on the first line of every brief, for editor completion', () => {
    const briefs = readdirSync(new URL('../data', import.meta.url)).filter((f) => f.endsWith('.yaml'))
    expect(briefs.length).toBeGreaterThan(0)
    for (const file of briefs) {
      expect(readRepoFile(`data/${file}`).split('\n')[0], file).toBe('# yaml-language-server: $schema=./brief.schema.json')
    }
  })

  it('describes the layouts and refuses unknown fields', () => {
    const schema = briefJsonSchema() as { properties: { slides: { items: { oneOf?: unknown[]; anyOf?: unknown[] } } }; additionalProperties: boolean }
    const variants = schema.properties.slides.items.oneOf ?? schema.properties.slides.items.anyOf ?? []
    expect(variants).toHaveLength(LAYOUTS.length)
    expect(schema.additionalProperties).toBe(false)
  })
})
