
// PowerPoint: each slide as a full-bleed picture (exactly as in the PDF), its
// title as the picture's alt text, and its speaker notes in the notes pane.

export interface PptxSlide {
  png: Uint8Array
  title: string
  notes: string | undefined
}

export interface PptxInfo {
  title: string
  author: string
  subject: string
  /** Slide size in CSS pixels (96 per inch). */
  size: { width: number; height: number }
}

const PX_PER_INCH = 96

/** The part of pptxgenjs's API used here. */
interface Presentation {
  defineLayout(layout: { name: string; width: number; height: number }): void
  layout: string
  title: string
  author: string
  subject: string
  addSlide(): {
    addImage(image: { data: string; x: number; y: number; w: number; h: number; altText: string }): unknown
    addNotes(notes: string): unknown
  }
  write(props: { outputType: 'nodebuffer' }): Promise<unknown>
}
type PresentationClass = new () => Presentation

/**
 * pptxgenjs's types describe a CommonJS default export, but Node loads its ES
 * build, whose default export is the class itself; accept either shape.
 */
async function pptxConstructor(): Promise<PresentationClass> {
  const loaded = (await import('pptxgenjs')) as unknown as { default: PresentationClass | { default: PresentationClass } }
  const candidate = loaded.default
  return 'default' in candidate ? candidate.default : candidate
}

export async function buildPptx(slides: readonly PptxSlide[], info: PptxInfo): Promise<Uint8Array> {
  const pptx = new (await pptxConstructor())()
  const w = info.size.width / PX_PER_INCH
  const h = info.size.height / PX_PER_INCH
  pptx.defineLayout({ name: 'DECK', width: w, height: h })
  pptx.layout = 'DECK'
  pptx.title = info.title
  pptx.author = info.author
  pptx.subject = info.subject
  for (const slide of slides) {
    const s = pptx.addSlide()
    s.addImage({ data: `image/png;base64,${Buffer.from(slide.png).toString('base64')}`, x: 0, y: 0, w, h, altText: slide.title })
    if (slide.notes) s.addNotes(slide.notes)
  }
  const out = await pptx.write({ outputType: 'nodebuffer' })
  return out as Uint8Array
}
