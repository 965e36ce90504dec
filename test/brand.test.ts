import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { BRAND_FILE_NAME, findBrandFile, readBrand } from '../deck/render/brand.ts'
import { readTheme } from '../deck/render/theme.ts'
import { resolveTokens } from '../deck/render/tokens.ts'
import { DeckError, formatError } from '../deck/shared/errors.ts'
import { HARBOUR, ROOT, tempDir } from './helpers.ts'

// The brand file: the default look is one (templates/_brand.yml), a project's is laid over
// it, and what it gets wrong is said at its line, in brand.yml's own terms.

/** A brand file of this text, in a folder of its own (with the harbour fixture's files beside it when asked). */
function brandFile(text: string): string {
  const file = join(tempDir('deck-brand-'), BRAND_FILE_NAME)
  writeFileSync(file, text)
  return file
}

async function brandError(file: string): Promise<DeckError> {
  const err = await readBrand(file).then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(err instanceof DeckError)) throw new Error(`expected a DeckError, got ${String(err)}`)
  return err
}

describe('the default brand', () => {
  it('is the deck’s look: its colours by their roles, Source Sans 3 for text and Source Serif 4 for headings', async () => {
    const brand = await readBrand(undefined)
    expect(brand.tokens).toMatchObject({
      ink: '#1d2733',
      paper: '#ffffff',
      navy: '#14305a',
      muted: '#56616f',
      accent: '#a3261f',
      tint: '#f3f5f8',
      rule: '#d3d9e1',
    })
    expect(brand.families).toEqual({ text: 'Source Sans 3', head: 'Source Serif 4' })
    expect(brand.fonts.map((f) => f.source)).toEqual(['fontsource', 'fontsource'])
    expect(brand.logos).toEqual({})
    expect(brand.origins.navy).toEqual({ file: join(ROOT, 'templates/_brand.yml'), key: 'color.primary' })
  })

  it('gives the theme every colour it draws with: the theme’s own CSS names none', async () => {
    const css = readFileSync(join(ROOT, 'templates/theme.css'), 'utf8')
    const rootRule = /:root\s*{([^}]*)}/.exec(css)?.[1] ?? ''
    expect(rootRule).not.toMatch(/#[0-9a-f]{3,6}\b/i)
    const theme = await readTheme(join(ROOT, 'templates/theme.css'))
    const colours = resolveTokens(theme.tokens)
    for (const name of ['ink', 'paper', 'navy', 'muted', 'accent', 'tint', 'rule', 'divider-paper', 'divider-ink'])
      expect(colours[name], name).toMatch(/^#[0-9a-f]{6}$/)
    expect(theme.tokens['font-text']).toBe("'Source Sans 3', Arial, sans-serif")
    expect(theme.tokens['font-head']).toBe("'Source Serif 4', 'Source Sans 3', Georgia, serif")
  })
})

describe('a project’s brand', () => {
  it('is laid over the default: its palette, its logos for light and dark backgrounds, its font files', async () => {
    const brand = await readBrand(HARBOUR)
    expect(brand.tokens).toMatchObject({ navy: '#0b5563', accent: '#a8461a', ink: '#1b1f24', 'divider-paper': '#0b3c49', paper: '#ffffff' })
    // What it leaves out keeps the default look.
    expect(brand.tokens['divider-ink']).toBe('#ffffff')
    expect(brand.families).toEqual({ text: 'IBM Plex Sans', head: 'IBM Plex Serif' })
    const text = brand.fonts.find((f) => f.family === 'IBM Plex Sans')
    expect(text?.source === 'file' && text.files.map((f) => `${f.weight} ${f.style}`)).toEqual(['400 normal', '400 italic', '600 normal', '700 normal'])
    expect(brand.logos.large?.light).toMatchObject({ mime: 'image/svg+xml', width: 240, height: 64, alt: 'Harbour Policy Institute' })
    expect(brand.logos.small?.dark).toMatchObject({ mime: 'image/png', width: 480, height: 128 })
    expect(brand.inputs).toContain(join(ROOT, 'test/fixtures/brands/harbour/logo.svg'))
    expect(brand.inputs).toContain(join(ROOT, 'test/fixtures/brands/harbour/fonts/IBMPlexSerif-SemiBold.woff2'))
  })

  it('reaches the theme: its colours and fonts on :root after the theme’s own, its logos as images the layouts place', async () => {
    const theme = await readTheme(join(ROOT, 'templates/theme.css'), await readBrand(HARBOUR))
    expect(theme.tokens.navy).toBe('#0b5563')
    expect(theme.tokens['font-text']).toBe("'IBM Plex Sans', Arial, sans-serif")
    expect(theme.tokens['logo-large']).toMatch(/^url\("data:image\/svg\+xml;base64,/)
    expect(theme.tokens['logo-large-size']).toBe('320px 85.3px') // 240 × 64 in a 320 × 96 box
    expect(theme.tokens['logo-small-size']).toBe('90px 24px')
    expect(theme.tokens['logo-small-dark']).toMatch(/^url\("data:image\/png;base64,/)
    expect(theme.tokens['logo-room']).toBe('90px')
    expect(theme.fonts.families).toEqual(['IBM Plex Sans', 'IBM Plex Serif'])
    expect(theme.fonts.inline).toMatch(/font-family: 'IBM Plex Serif';[^}]*font-weight: 600;[^}]*url\(data:font\/woff2;base64,/)
    expect(theme.fonts.files).toMatch(/url\("file:\/\/[^"]*IBMPlexSans-Italic\.woff2"\) format\('woff2'\)/)
  })

  it('with one logo has it on the title slide and in the footers alike', async () => {
    const file = brandFile(`logo:\n  large: { path: ${join(ROOT, 'test/fixtures/brands/harbour/logo.svg')}, alt: Harbour }\n`)
    const theme = await readTheme(join(ROOT, 'templates/theme.css'), await readBrand(file))
    expect(theme.tokens['logo-large']).toMatch(/^url\("data:image\/svg\+xml;base64,/)
    expect(theme.tokens['logo-small']).toBe(theme.tokens['logo-large'])
    expect(theme.tokens['logo-small-dark']).toBeUndefined() // no dark variant: none on the dark dividers
  })

  it('that sets only its primary colour has section dividers in it, as the default look has them in its own', async () => {
    const theme = await readTheme(join(ROOT, 'templates/theme.css'), await readBrand(brandFile('color:\n  primary: "#7a1f5c"\n')))
    expect(resolveTokens(theme.tokens)['divider-paper']).toBe('#7a1f5c')
    expect(resolveTokens((await readTheme(join(ROOT, 'templates/theme.css'))).tokens)['divider-paper']).toBe('#14305a')
  })

  it('is found beside the brief, else in the working folder; one named on the command line wins', async () => {
    const dir = tempDir('deck-brand-find-')
    mkdirSync(join(dir, 'briefs'))
    writeFileSync(join(dir, 'briefs', BRAND_FILE_NAME), 'color: { primary: "#0b5563" }\n')
    expect(await findBrandFile(undefined, join(dir, 'briefs', 'a.yaml'))).toBe(join(dir, 'briefs', BRAND_FILE_NAME))
    expect(await findBrandFile('other.yml', join(dir, 'briefs', 'a.yaml'))).toBe('other.yml')
    // Nothing beside the brief, and none in the working folder (the repository has none): the default look.
    expect(await findBrandFile(undefined, join(dir, 'a.yaml'))).toBeUndefined()
  })
})

describe('a brand file’s mistakes', () => {
  it('a key brand.yml does not have (or this tool does not read) is named at its line, with the keys there are', async () => {
    const err = await brandError(brandFile('color:\n  primary: "#0b5563"\n  tertary: "#a8461a"\n'))
    expect(err.problems).toEqual([
      expect.objectContaining({
        line: 3,
        col: 3,
        path: 'color.tertary',
        message: expect.stringContaining('(it reads: palette, foreground, background, primary'),
      }),
    ])
  })

  it('a colour that is neither #rrggbb nor a name in the palette, a font to download, a family with no files: each at its line', async () => {
    const file = brandFile(
      [
        'color:',
        '  palette: { sea: "#0b5563" }',
        '  primary: sea',
        '  secondary: seagreen',
        'typography:',
        '  fonts:',
        '    - { family: Inter, source: google }',
        '  base: Inter',
        '  headings: Plex',
      ].join('\n'),
    )
    const err = await brandError(file)
    const shown = formatError(err)
    expect(err.problems.map((p) => [p.line, p.path])).toEqual([
      [4, 'color.secondary'],
      [7, 'typography.fonts.0.source'],
      [9, 'typography.headings'],
    ])
    expect(shown).toContain('not a colour written #rrggbb or #rgb, nor the name of one in color.palette')
    expect(shown).toContain('downloaded at build time, which brief-deck never does')
    expect(shown).toContain('the family "Plex" is not one of typography.fonts')
  })

  it('a font file that is not there, or not a font, names the file', async () => {
    const file = brandFile(
      'typography:\n  fonts:\n    - family: Mine\n      source: file\n      files: [fonts/missing.woff2, mine.txt]\n  base: Mine\n  headings: Mine\n',
    )
    const err = await brandError(file)
    expect(err.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^no font file at .*missing\.woff2$/),
      'a font file must be .woff2, .woff, .ttf, .otf',
    ])
  })

  it('a font file that is no font, a folder named as one, and an @fontsource weight the package lacks: each at its line', async () => {
    const file = brandFile(
      [
        'typography:',
        '  fonts:',
        '    - family: Mine',
        '      source: file',
        '      files: [text.woff2, folder.woff2]',
        '    - { family: Arimo, source: fontsource, weight: [300] }',
        '  base: Mine',
        '  headings: Arimo',
      ].join('\n'),
    )
    writeFileSync(join(file, '..', 'text.woff2'), 'not a font at all')
    mkdirSync(join(file, '..', 'folder.woff2'))
    const err = await brandError(file)
    expect(err.problems.map((p) => [p.line, p.path, p.message.replace(/\/\S+\//g, '…/')])).toEqual([
      [5, 'typography.fonts.0.files.0', '…/text.woff2 is not a font file (WOFF2, WOFF, TTF or OTF) that can be read'],
      [5, 'typography.fonts.0.files.1', '…/folder.woff2 is not a file'],
      [6, 'typography.fonts.1', expect.stringMatching(/^@fontsource\/arimo has no 300 normal face: choose weights and styles it has/)],
    ])
  })

  it('a file of more than ten aliases is refused in words, as the settings file is', async () => {
    // An alias of a list counts (of a plain value, not): eleven of them, where a brand needs none.
    const err = await brandError(brandFile(`meta:\n  a: &a [x]\n  b: [${Array(11).fill('*a').join(', ')}]\n`))
    expect(err.problems.map((p) => p.message)).toEqual(['it uses more than 10 aliases (*name): write the values out instead'])
  })

  it('a colour under defaults.brief-deck that is not one of the theme’s is refused, naming those there are', async () => {
    const err = await brandError(brandFile('defaults:\n  brief-deck:\n    color:\n      space: "#ffffff"\n      divder-ink: "#ffffff"\n'))
    expect(err.problems.map((p) => [p.line, p.path])).toEqual([
      [4, 'defaults.brief-deck.color.space'],
      [5, 'defaults.brief-deck.color.divder-ink'],
    ])
    expect(err.problems[0]?.message).toMatch(/^not a colour of the theme; its colours: ink, paper, navy/)
  })

  it('a logo that runs script is refused at its line, and nothing is built with it', async () => {
    const dir = tempDir('deck-brand-logo-')
    writeFileSync(join(dir, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><rect width="10" height="10"/></svg>')
    writeFileSync(join(dir, BRAND_FILE_NAME), 'logo:\n  large: { path: logo.svg, alt: Ours }\n')
    const err = await brandError(join(dir, BRAND_FILE_NAME))
    expect(err.problems).toEqual([expect.objectContaining({ line: 2, path: 'logo.large', message: expect.stringContaining('an event handler (onload)') })])
  })
})
