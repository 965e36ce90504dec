// The outputs a build can write: their formats and their file names.

export const FORMATS = ['md', 'html', 'audience', 'pdf', 'handout', 'notes', 'pptx', 'png', 'pptx-images'] as const
export type Format = (typeof FORMATS)[number]
/** What a build writes when not told: every output but the picture PowerPoint (the native one is editable, and needs no browser). */
export const DEFAULT_FORMATS: readonly Format[] = FORMATS.filter((f) => f !== 'pptx-images')
export const BROWSER_FORMATS: readonly Format[] = ['pdf', 'handout', 'notes', 'png', 'pptx-images']
/** Device pixels per CSS pixel of the picture PowerPoint's slides. */
export const PICTURE_PPTX_SCALE = 2

export function needsBrowser(formats: ReadonlySet<Format>): boolean {
  return BROWSER_FORMATS.some((f) => formats.has(f))
}

/** Everything but the Markdown and the native PowerPoint goes through Marp. */
export function needsMarp(formats: ReadonlySet<Format>): boolean {
  return [...formats].some((f) => f !== 'md' && f !== 'pptx')
}

/** File names for one brief: the outputs, and the working file (the theme) that stays in staging. */
export interface OutputFiles {
  md: string
  html: string
  audience: string
  theme: string
  pdf: string
  handout: string
  notes: string
  pptx: string
  pptxImages: string
  cover: string
  slides: string
  /** The hidden record of which version of the brief the deck's outputs in the folder come from. */
  record: string
}

/** The files of the brief `name` (the deck's file names follow the brief's). */
export function outputFiles(name: string, themeName: string): OutputFiles {
  return {
    md: `${name}.md`,
    html: `${name}.html`,
    audience: `${name}-audience.html`,
    theme: `${themeName}.css`,
    pdf: `${name}.pdf`,
    handout: `${name}-handout.pdf`,
    notes: `${name}-notes.pdf`,
    pptx: `${name}.pptx`,
    pptxImages: `${name}-images.pptx`,
    cover: `${name}-cover.png`,
    slides: `${name}-slides`,
    record: `.${name}.deck.json`,
  }
}

/** Every output a deck can have in the output folder (its working files excluded). */
export function deckOutputs(files: OutputFiles): string[] {
  return [files.md, files.html, files.audience, files.pdf, files.handout, files.notes, files.pptx, files.pptxImages, files.cover, files.slides]
}
