// The picture PowerPoint (`--format pptx-images`): each slide as a full-bleed picture,
// exactly as in the PDF, for those who want pixel fidelity over editing. The picture's
// alt text is the slide's whole text; the speaker notes are in the notes pane.
import { CATALOGUES } from '../languages/languages.ts'
import { inches } from './draw.ts'
import { finishPackage } from './package.ts'
import { type PptxInfo, presentation } from './pptx.ts'

export interface PictureSlide {
  png: Uint8Array
  title: string
  /** What the slide says, for its picture's alt text. */
  alt: string
  notes: string | undefined
}

export async function buildPicturePptx(slides: readonly PictureSlide[], info: PptxInfo): Promise<Uint8Array> {
  const pptx = await presentation(info)
  const w = inches(info.size.width)
  const h = inches(info.size.height)
  for (const slide of slides) {
    const s = pptx.addSlide()
    s.addImage({ data: `image/png;base64,${Buffer.from(slide.png).toString('base64')}`, x: 0, y: 0, w, h, altText: slide.alt })
    if (slide.notes) s.addNotes(slide.notes)
  }
  const out = (await pptx.write({ outputType: 'uint8array' })) as Uint8Array
  return finishPackage(out, { date: info.date, titles: slides.map((s) => s.title), keywords: info.keywords, language: CATALOGUES[info.language].locale })
}
