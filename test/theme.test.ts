import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { readTheme } from '../deck/render/theme.ts'
import { DeckError, formatError } from '../deck/shared/errors.ts'
import { ROOT, tempDir } from './helpers.ts'

function themeFile(css: string): string {
  const file = join(tempDir('deck-theme-'), 'theme.css')
  writeFileSync(file, css)
  return file
}

async function themeError(file: string): Promise<DeckError> {
  const err = await readTheme(file).then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(err instanceof DeckError)) throw new Error(`expected a DeckError, got ${String(err)}`)
  return err
}

describe('the theme', () => {
  it('brings its fonts: both families, Latin Extended for “č” and “ć”, inline for the HTML deck', async () => {
    const { name, css, fonts } = await readTheme(join(ROOT, 'templates/theme.css'))
    expect(name).toBe('brief')
    expect(fonts.inline).toMatch(/font-family: 'Source Sans 3';[^}]*url\(data:font\/woff2;base64,/)
    expect(fonts.inline).toMatch(/font-family: 'Source Serif 4';[^}]*url\(data:font\/woff2;base64,/)
    expect(fonts.inline).toMatch(/unicode-range: U\+0100-02BA/) // the latin-ext subset, which holds č and ć
    expect(fonts.inline).not.toMatch(/url\((?!data:)/)
    // The printed pages load the same files from node_modules instead of decoding them from the page.
    expect(fonts.files.match(/@font-face/g)?.length).toBe(fonts.inline.match(/@font-face/g)?.length)
    expect(fonts.files).toMatch(/url\("file:\/\/[^"]*source-serif-4[^"]*\.woff2"\)/)
    // Marp parses the theme on every render, so the fonts stay out of it.
    expect(css).not.toMatch(/@font-face|@import/)
  })

  it('a CSS syntax error names the file, line and column, instead of Marp silently using its default theme', async () => {
    const file = themeFile('/* @theme broken */\nsection {\n  color: red;\n')
    const err = await themeError(file)
    expect(err.problems).toEqual([expect.objectContaining({ file, line: 2, col: 1, message: 'a { is not closed by }' })])
  })

  it('a file that is not CSS at all is refused at its line and column, without a word of it (PostCSS would quote it)', async () => {
    const file = themeFile('/* @theme secrets */\nDB_PASSWORD=hunter2\n')
    const err = await themeError(file)
    expect(err.problems).toEqual([expect.objectContaining({ file, line: 2, col: 1, message: expect.stringContaining('this is not CSS') })])
    const shown = formatError(err)
    expect(shown).not.toContain('DB_PASSWORD')
    expect(shown).not.toContain('hunter2')
  })

  it('a resource from outside the theme is refused at its declaration, without the address', async () => {
    const file = themeFile('/* @theme remote */\nsection {\n  background: url(https://evil.example/token-4f2a.png);\n}\n')
    const err = await themeError(file)
    expect(err.problems).toEqual([
      expect.objectContaining({ file, line: 3, col: 3, message: expect.stringContaining('outside the theme; only data: URLs are allowed') }),
    ])
    expect(formatError(err)).not.toMatch(/evil\.example|token-4f2a/)
  })

  it('a theme without its @theme name is refused', async () => {
    const err = await themeError(themeFile('section { color: red; }\n'))
    expect(err.message).toMatch(/has no "\/\* @theme name \*\/" comment/)
  })
})
