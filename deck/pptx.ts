
// PowerPoint: each slide as a full-bleed picture (exactly as in the PDF), its
// title as the picture's alt text, and its speaker notes in the notes pane. The
// same deck always gives the same bytes: pptxgenjs's own time stamps are replaced.
import JSZip from 'jszip'
import { escapeHtml } from './text.ts'

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
  /** The date written into the file: the brief's date, or SOURCE_DATE_EPOCH (see `buildDate`). */
  date: Date
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
  const out = (await pptx.write({ outputType: 'nodebuffer' })) as Uint8Array
  return reproducible(out, info.date, slides.map((s) => s.title))
}

const RE_CORE_DATES = /(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:(?:created|modified)>)/g
/** pptxgenjs names the slides "Slide 1", "Slide 2" in the document's list of parts. */
const RE_SLIDE_PART = /<vt:lpstr>Slide (\d+)<\/vt:lpstr>/g

/**
 * The file as pptxgenjs wrote it, with every date made the build date (the document's
 * properties and each zip entry's time) and the slides listed by their titles, so that
 * PowerPoint's document properties name them and the same deck gives the same bytes.
 */
export async function reproducible(pptx: Uint8Array, date: Date, titles: readonly string[]): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(pptx)
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z')
  // A zip entry's time has no time zone: written from local time, so shift the date to read the same everywhere.
  const entryDate = new Date(date.getTime() + date.getTimezoneOffset() * 60_000)
  const out = new JSZip()
  for (const [name, entry] of Object.entries(zip.files)) {
    if (entry.dir) continue
    const bytes = await entry.async('uint8array')
    const text = () => new TextDecoder().decode(bytes)
    const title = (all: string, n: string) => {
      const t = titles[Number(n) - 1]
      return t === undefined ? all : `<vt:lpstr>${escapeHtml(t)}</vt:lpstr>`
    }
    const data =
      name === 'docProps/core.xml' ? text().replace(RE_CORE_DATES, `$1${iso}$2`) : name === 'docProps/app.xml' ? text().replace(RE_SLIDE_PART, title) : bytes
    out.file(name, data, { date: entryDate, createFolders: false })
  }
  return out.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } })
}
