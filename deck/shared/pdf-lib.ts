import { createRequire } from 'node:module'

import type * as PdfLibModule from 'pdf-lib'

export type PdfLib = typeof PdfLibModule
const require = createRequire(import.meta.url)

/** pdf-lib, in its CommonJS build, which loads in half the time of its ES modules: the printed PDFs are finished with it, and read back for their fonts. */
export function loadPdfLib(): PdfLib {
  return require('pdf-lib') as PdfLib
}
