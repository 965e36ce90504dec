import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'

import { buildBrief } from '../deck/build.ts'
import { fill } from '../deck/languages/catalogue.ts'
import { CATALOGUES, LANGUAGE_TAGS, type LanguageTag } from '../deck/languages/languages.ts'
import { browserSuite, DEFAULT_BRIEF, ROOT, tempDir } from './helpers.ts'
import { openPdf, pdfFonts, readPdf } from './readers.ts'

// The default brief's briefing, built in each of the deck's languages with every output,
// checked against the brief's source: each output says its language, shows the deck's own
// words in that language only, and draws every glyph with the theme's fonts.

const suite = browserSuite()
const SEED = join(ROOT, '..', 'shared', 'seeds', '000_1f5c8429eabb91f4.txt')

/** The briefing variant of the default brief in each language. */
const VARIANTS: Record<LanguageTag, string> = {
  en: 'briefing',
  'sr-Latn': 'briefing-sr',
  'sr-Cyrl': 'briefing-sr-cyrl',
  bs: 'briefing-bs',
  hr: 'briefing-hr',
  mk: 'briefing-mk',
  sq: 'briefing-sq',
  el: 'briefing-el',
}

/** The theme's typefaces, as a PDF names its embedded fonts. */
const THEME_FONT = /^(SourceSans3|SourceSerif4)/
/** Words of Serbian's ekavian standard that Bosnian and Croatian write ijekavian. */
const EKAVIAN = /(?<!\p{L})(ceo|cel[aoi]|beleš\p{L}*|beleški|vrednost\p{L}*|svetl\p{L}*|poset\p{L}*|primen\p{L}*|razume\p{L}*|mesto|vreme)(?!\p{L})/iu

/** The deck's own words of a catalogue as they show on slides and pages: "Sources (", "Source: ". */
function ownWords(tag: LanguageTag): string[] {
  const { deck } = CATALOGUES[tag]
  return [`${deck.sources} (`, `${deck.source}: `, deck.notesLines, deck.noNotes, fill(deck.page, { x: 1, y: 4 })]
}

describe.each(LANGUAGE_TAGS)('the default briefing in %s', (tag) => {
  const { locale } = CATALOGUES[tag]
  const name = `serbia-china-extradition.${VARIANTS[tag]}`

  it('builds every output with no finding; each says its language, in the language’s own words and the theme’s fonts', async () => {
    const out = tempDir(`deck-lang-${tag}-`)
    const result = await buildBrief(join(ROOT, DEFAULT_BRIEF), suite.toolkit, {
      outDir: out,
      browser: suite.session,
      variant: VARIANTS[tag],
      checks: { sourceFile: existsSync(SEED) ? SEED : undefined },
      formats: new Set(['md', 'html', 'pdf', 'handout', 'notes', 'pptx']),
    })
    expect(result.report.findings).toEqual([])

    expect(readFileSync(join(out, `${name}.html`), 'utf8')).toMatch(new RegExp(`^<!DOCTYPE html><html lang="${locale}"`, 'i'))
    const texts: string[] = []
    for (const pdf of [`${name}.pdf`, `${name}-handout.pdf`, `${name}-notes.pdf`]) {
      const { info, text } = await readPdf(join(out, pdf))
      expect(info.Language, pdf).toBe(locale)
      const doc = await openPdf(join(out, pdf))
      const { metadata } = await doc.getMetadata()
      await doc.destroy()
      expect(metadata?.get('dc:language'), pdf).toBe(locale)
      texts.push(text.join('\n'))
      const fonts = await pdfFonts(join(out, pdf))
      expect(
        [...fonts.keys()].filter((font) => !THEME_FONT.test(font)),
        `${pdf} falls back to other fonts`,
      ).toEqual([])
    }

    const zip = await JSZip.loadAsync(readFileSync(join(out, `${name}.pptx`)))
    const slides = Object.keys(zip.files).filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
    expect(slides.length).toBe(8)
    for (const slide of slides) {
      const xml = (await zip.file(slide)?.async('string')) ?? ''
      expect(new Set([...xml.matchAll(/ lang="([^"]+)"/g)].map((m) => m[1])), slide).toEqual(new Set([locale]))
    }
    expect(await zip.file('docProps/core.xml')?.async('string')).toContain(`<dc:language>${locale}</dc:language>`)

    // The deck's own words are the language's, and no other language's words of the tool show.
    const shown = texts.join('\n')
    expect(shown).toContain(`${CATALOGUES[tag].deck.sources} (1/3)`)
    const own = new Set(ownWords(tag))
    const foreign = LANGUAGE_TAGS.filter((t) => t !== tag).flatMap((t) => ownWords(t).filter((w) => !own.has(w)))
    expect(foreign.filter((w) => shown.includes(w))).toEqual([])
    if (tag === 'bs' || tag === 'hr') expect(shown.match(EKAVIAN)?.[0]).toBeUndefined()
  })
})

it('the Serbian Cyrillic briefing is the Serbian one transliterated: its names, and its kept ELIAMEP', async () => {
  const out = tempDir('deck-lang-cyrl-')
  await buildBrief(join(ROOT, DEFAULT_BRIEF), suite.toolkit, { outDir: out, variant: 'briefing-sr-cyrl', formats: new Set(['md']) })
  const md = readFileSync(join(out, 'serbia-china-extradition.briefing-sr-cyrl.md'), 'utf8')
  expect(md).toContain('**Ана Крстиновска**, истраживачица')
  expect(md).toContain('Си Ђинпинга')
  expect(md).toContain('(ELIAMEP)')
  expect(md).not.toMatch(/ЕЛИАМЕП/)
  // Evidence and the titles of the documents cited stay as they were published.
  expect(md).toContain('„Under Xi Jinping, the Number of Chinese Asylum Seekers Has Shot Up“, The Economist, 28\\.\u00A0јул\u00A02021.')
})
