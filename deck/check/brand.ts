import type { Language } from '../brief/schema.ts'
import { CATALOGUES } from '../languages/languages.ts'
import type { Brand } from '../render/brand.ts'
import { familyCharacters } from '../render/deck-fonts.ts'
import type { Theme } from '../render/theme.ts'
import { contrastFindings } from './contrast.ts'
import type { Finding } from './report.ts'

// The brand checked like the rest of a deck: every pair of its colours that a layout sets
// text in meets WCAG AA, on screen and in the print palette; every logo says what it shows;
// its fonts have every letter of the deck's language.

/** Where a theme colour was set, for a message: "color.primary in brand/_brand.yml", or the theme file. */
function origin(brand: Brand, token: string, themeFile: string): { file: string; words: string } {
  const from = brand.origins[token]
  return from ? { file: from.file, words: `--${token} (${from.key})` } : { file: themeFile, words: `--${token}` }
}

export function contrastOfBrand(theme: Theme, themeFile: string): Finding[] {
  return contrastFindings(theme.tokens).map((c) => {
    const text = origin(theme.brand, c.text, themeFile)
    const background = origin(theme.brand, c.background, themeFile)
    const pair = `${text.words} on ${background.words} has a contrast of ${c.ratio.toFixed(2)}:1; WCAG AA asks at least ${c.minimum}:1`
    return {
      severity: 'error',
      check: 'accessibility',
      code: 'contrast',
      message: c.palette === 'print' ? `in print (the handout's palette), ${pair}: see the --print-* colours of the theme` : pair,
      // The file that set the text's colour, where the fix most likely goes.
      file: text.file,
    }
  })
}

/** A logo with no alt text: screen readers, and the PowerPoint's picture, would have nothing to say for it. */
export function logoFindings(brand: Brand): Finding[] {
  const logos = Object.values(brand.logos).flatMap((pair) => [pair.light, pair.dark])
  const seen = new Set<string>()
  return logos.flatMap((logo) => {
    if (!logo || logo.alt !== undefined || seen.has(logo.file)) return []
    seen.add(logo.file)
    return [
      {
        severity: 'error' as const,
        check: 'accessibility' as const,
        code: 'logo-alt',
        message: `the logo ${logo.file} has no alt text: write it as { path: …, alt: "what the logo says" } in the brand file`,
        file: brand.files[brand.files.length - 1],
      },
    ]
  })
}

const MAX_NAMED = 8

/** Letters every language needs: A–Z and digits. */
const BASIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/**
 * The letters of the deck's language (and its quotation marks) that a font of the brand
 * lacks: an error for the text's font, which would leave them to a font of the reader's
 * machine; a warning for the headings' font, whose missing letters the text's font draws.
 */
export async function glyphsOfBrand(theme: Theme, language: Language): Promise<Finding[]> {
  const catalogue = CATALOGUES[language]
  const needed = [...new Set([...BASIC, ...catalogue.letters, ...catalogue.quotes.join('')])]
  const { brand } = theme
  const roles = [
    { family: brand.families.text, key: 'typography.base', severity: 'error' as const, then: 'another font of the reader’s machine draws them' },
    { family: brand.families.head, key: 'typography.headings', severity: 'warning' as const, then: 'the text’s font draws them in titles' },
  ]
  const findings: Finding[] = []
  const done = new Set<string>()
  for (const { family, key, severity, then } of roles) {
    if (done.has(family)) continue
    done.add(family)
    const has = await familyCharacters(theme.fonts.sources, family)
    const missing = needed.filter((c) => !has.has(c.codePointAt(0) as number))
    if (missing.length === 0) continue
    const named = missing.slice(0, MAX_NAMED).join(' ') + (missing.length > MAX_NAMED ? ` and ${missing.length - MAX_NAMED} more` : '')
    findings.push({
      severity,
      check: 'readability',
      code: 'brand-font-glyphs',
      message: `the brand's font ${family} (${key}) lacks ${named}, which ${catalogue.name} needs: ${then}; choose a font that has them, or add its files`,
      file: brand.files[brand.files.length - 1],
    })
  }
  return findings
}

/** Everything the brand is checked for, for a deck in `language`. */
export async function brandFindings(theme: Theme, themeFile: string, language: Language): Promise<Finding[]> {
  return [...contrastOfBrand(theme, themeFile), ...logoFindings(theme.brand), ...(await glyphsOfBrand(theme, language))]
}
