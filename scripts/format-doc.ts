// docs/format.md, the brief's fields for its authors, written from the brief's JSON Schema
// (deck/brief/schema.ts): every field, its type and whether it is needed, in the schema's own
// descriptions. `npm run docs` writes it; test/format-doc.test.ts fails while it is stale.

/** Where it is written, from the repository's root. */
export const FORMAT_DOC = 'docs/format.md'

type Schema = {
  type?: string | string[]
  description?: string
  properties?: Record<string, Schema>
  required?: string[]
  additionalProperties?: Schema | boolean
  propertyNames?: Schema
  items?: Schema
  anyOf?: Schema[]
  oneOf?: Schema[]
  enum?: unknown[]
  const?: unknown
  pattern?: string
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  minItems?: number
  maxItems?: number
  $ref?: string
  format?: string
}

const HEADER = `# The brief's format

Every field of a brief, as the tool checks it. Written from the schema the briefs are
validated with (\`deck/brief/schema.ts\`, also \`data/brief.schema.json\` for editors):
run \`npm run docs\` after changing it. How to write a brief, field by field with
examples, is in [writing.md](writing.md).

A field marked *needed* must be there; every other may be left out, and what the source
does not say is left out, never filled with a placeholder. A *text* may be one text, or
texts by language (\`{ en: …, sr: … }\`) for a deck in several languages.
`

/** A text field written as one text or as texts by language: shown as "text". */
function isText(s: Schema): boolean {
  return s.anyOf?.length === 2 && s.anyOf[0]?.type === 'string' && s.anyOf[1]?.propertyNames?.$ref !== undefined
}

/** A schema's type, in words. */
function typeOf(s: Schema, defs: Record<string, Schema>): string {
  if (s.$ref) return typeOf(defs[s.$ref.replace('#/$defs/', '')] ?? {}, defs)
  if (isText(s)) return 'text'
  if (s.const !== undefined) return `\`${String(s.const)}\``
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(', ')
  if (s.anyOf ?? s.oneOf) return [...new Set((s.anyOf ?? s.oneOf ?? []).map((x) => typeOf(x, defs)))].join(' or ')
  const bounds = (low: number | undefined, high: number | undefined, unit: string) =>
    low !== undefined && high !== undefined ? ` (${low}–${high}${unit})` : high !== undefined ? ` (at most ${high}${unit})` : ''
  switch (Array.isArray(s.type) ? s.type[0] : s.type) {
    case 'string':
      return s.format === 'uri' ? 'URL' : `text${bounds(undefined, s.maxLength, ' characters')}`
    case 'number':
      return 'number'
    case 'integer':
      return `whole number${bounds(s.minimum, s.maximum, '')}`
    case 'boolean':
      return '`true` or `false`'
    case 'array':
      return `list of ${s.items ? typeOf(s.items, defs).replace(/^mapping/, 'mappings') : 'values'}${s.minItems ? `, at least ${s.minItems}` : ''}`
    case 'object':
      if (s.properties) return 'mapping (below)'
      if (typeof s.additionalProperties === 'object') return `mapping of ids to ${typeOf(s.additionalProperties, defs)}`
      return 'mapping'
    default:
      return 'value'
  }
}

/** One line of a table cell: no line breaks, no bars. */
const cell = (text: string) => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|')

/** A table of a mapping's fields, then a section for each field that is a mapping of its own. */
function section(title: string, s: Schema, defs: Record<string, Schema>, depth: number): string[] {
  const out = [`${'#'.repeat(Math.min(depth, 4))} ${title}`, '']
  if (s.description) out.push(s.description, '')
  const body = typeof s.additionalProperties === 'object' && !s.properties ? s.additionalProperties : s
  if (body !== s) out.push(`Keyed by an id (lower-case letters, digits and hyphens); each is:`, '')
  const nested: [string, Schema][] = []
  if (body.properties) {
    out.push('| field | type | | what it is |', '| --- | --- | --- | --- |')
    for (const [name, field] of Object.entries(body.properties)) {
      const needed = body.required?.includes(name) ? '*needed*' : ''
      out.push(`| \`${name}\` | ${cell(typeOf(field, defs))} | ${needed} | ${cell(field.description ?? '')} |`)
      const inner = field.type === 'array' ? field.items : field
      if (inner && (inner.properties || (typeof inner.additionalProperties === 'object' && inner.additionalProperties.properties))) nested.push([name, inner])
    }
    out.push('')
  }
  for (const [name, inner] of nested) out.push(...section(`${title}.${name}`, inner, defs, depth + 1))
  return out
}

/** The slides' layouts: one table each, after the fields every slide has. */
function slides(s: Schema, defs: Record<string, Schema>): string[] {
  const variants = s.items?.oneOf ?? []
  const out = ['## slides', '', s.description ?? 'The deck, in order: each slide names its layout and what the layout shows.', '']
  const common = Object.keys(variants[0]?.properties ?? {}).filter((name) => variants.every((v) => v.properties?.[name] !== undefined && name !== 'layout'))
  out.push('Every slide has:', '', '| field | type | | what it is |', '| --- | --- | --- | --- |')
  for (const name of common) {
    const field = variants[0]?.properties?.[name] ?? {}
    out.push(`| \`${name}\` | ${cell(typeOf(field, defs))} | ${variants[0]?.required?.includes(name) ? '*needed*' : ''} | ${cell(field.description ?? '')} |`)
  }
  out.push('')
  for (const variant of variants) {
    const layout = String(variant.properties?.layout?.const ?? '')
    const own = Object.entries(variant.properties ?? {}).filter(([name]) => !common.includes(name) && name !== 'layout')
    out.push(`### layout: ${layout}`, '')
    if (variant.properties?.layout?.description) out.push(variant.properties.layout.description, '')
    if (own.length === 0) {
      out.push('No fields of its own.', '')
      continue
    }
    out.push('| field | type | | what it is |', '| --- | --- | --- | --- |')
    for (const [name, field] of own)
      out.push(`| \`${name}\` | ${cell(typeOf(field, defs))} | ${variant.required?.includes(name) ? '*needed*' : ''} | ${cell(field.description ?? '')} |`)
    out.push('')
  }
  return out
}

/** docs/format.md for this schema. */
export function formatReference(schema: Schema & { $defs?: Record<string, Schema> }): string {
  const defs = schema.$defs ?? {}
  const out = [HEADER, '| field | | what it holds |', '| --- | --- | --- |']
  for (const [name, field] of Object.entries(schema.properties ?? {}))
    out.push(`| [\`${name}\`](#${name}) | ${schema.required?.includes(name) ? '*needed*' : ''} | ${cell(field.description ?? typeOf(field, defs))} |`)
  out.push('')
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (name === 'slides') out.push(...slides(field, defs))
    else out.push(...section(name, field, defs, 2))
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`
}
