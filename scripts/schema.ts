// `npm run schema`: writes the JSON Schema that editors use to complete and check a brief.
// test/schema.test.ts fails when the committed file is out of date.
import { writeFile } from 'node:fs/promises'

import { briefJsonSchema, SCHEMA_FILE } from '../deck/brief/schema.ts'

await writeFile(SCHEMA_FILE, `${JSON.stringify(briefJsonSchema(), null, 2)}\n`)
process.stderr.write(`wrote ${SCHEMA_FILE}\n`)
