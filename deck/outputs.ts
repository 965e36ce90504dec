// The outputs a build can write: their formats and their file names.

export const FORMATS = ['md', 'html', 'audience', 'pdf', 'handout', 'notes', 'pptx', 'png'] as const
export type Format = (typeof FORMATS)[number]
export const BROWSER_FORMATS: readonly Format[] = ['pdf', 'handout', 'notes', 'pptx', 'png']

/** Everything but the Markdown goes through Marp. */
export function needsMarp(formats: ReadonlySet<Format>): boolean {
  return [...formats].some((f) => f !== 'md')
}

/** File names for one brief: the outputs, and the working files (theme, audience Markdown) that stay in staging. */
export interface OutputFiles {
  md: string
  html: string
  audienceMd: string
  audience: string
  theme: string
  pdf: string
  handout: string
  notes: string
  pptx: string
  cover: string
  slides: string
}

