// `npm run docs`: writes docs/format.md from the brief's schema (scripts/format-doc.ts).
import { writeFile } from 'node:fs/promises'

import { briefJsonSchema } from '../deck/brief/schema.ts'
import { FORMAT_DOC, formatReference } from './format-doc.ts'

await writeFile(FORMAT_DOC, formatReference(briefJsonSchema()))
process.stderr.write(`wrote ${FORMAT_DOC}\n`)
