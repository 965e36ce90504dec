import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { imageSize } from 'image-size'
import { describe, expect, it } from 'vitest'

import { fitLogo, logoPng, readLogo, unsafeSvg } from '../deck/render/logo.ts'
import { DeckError } from '../deck/shared/errors.ts'
import { ROOT, tempDir } from './helpers.ts'

// A brand's logo goes into every output: an SVG that could run script or reach outside
// itself is refused with what is wrong, and a file is what its name says.

const SVG = (inner: string, attributes = '') => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 20"${attributes}>${inner}</svg>`
const LOGO = join(ROOT, 'test/fixtures/brands/harbour/logo.svg')

describe('an SVG logo', () => {
  it('of shapes alone is accepted, as the fixture’s is', () => {
    expect(unsafeSvg(readFileSync(LOGO, 'utf8'))).toBeUndefined()
    expect(unsafeSvg(SVG('<defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="10" height="10"/><use href="#g"/>'))).toBeUndefined()
    // A style sheet that fills with a gradient of the file itself, its url quoted.
    expect(unsafeSvg(SVG('<style>rect { fill: url("#g") }</style><rect width="10" height="10"/>'))).toBeUndefined()
  })

  it.each([
    ['a script', SVG('<script>alert(1)</script>'), 'a <script> element'],
    ['an event handler', SVG('<rect width="1" height="1"/>', ' onload="alert(1)"'), 'an event handler (onload)'],
    ['an image from an address', SVG('<image href="https://example.org/x.png"/>'), 'a link to another file or address (href)'],
    ['a javascript: link', SVG('<a xlink:href="javascript:alert(1)"><rect/></a>'), 'a link to another file or address (xlink:href)'],
    ['a style sheet importing another', SVG('<style>@import url(https://example.org/x.css);</style>'), 'a style sheet that loads another file'],
    [
      'a style attribute fetching a font',
      SVG('<text style="font-family: x; src: url(https://example.org/f.woff)">a</text>'),
      'a style that loads another file (style)',
    ],
    ['an embedded page', SVG('<foreignObject><div/></foreignObject>'), 'a <foreignObject> element'],
    ['an animation that sets a link', SVG('<a><set attributeName="href" to="javascript:alert(1)"/></a>'), 'a <set> element'],
    [
      'a link under another prefix for XLink',
      SVG('<image x:href="/etc/hosts.png"/>', ' xmlns:x="http://www.w3.org/1999/xlink"'),
      'a link to another file or address (x:href)',
    ],
    ['a base for links', SVG('<g xml:base="https://example.org/"><use href="#a"/></g>'), 'a link to another file or address (xml:base)'],
    ['a url() written with CSS escapes', SVG('<rect style="fill: u\\72 l(https://example.org/x)"/>'), 'a style that loads another file (style)'],
    ['an @import written with CSS escapes', SVG('<style>@\\69mport "https://example.org/x.css";</style>'), 'a style sheet that loads another file'],
    ['an image-set()', SVG('<rect style="background: image-set(\'https://example.org/x.png\' 1x)"/>'), 'a style that loads another file (style)'],
    ['a bracket written as an entity', SVG('<rect style="fill: url&#40;https://example.org/x)"/>'), 'a style that loads another file (style)'],
    ['an entity', `<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>${SVG('<text>&x;</text>')}`, 'a DOCTYPE or an entity'],
    ['not XML at all', '<svg><rect></svg>', 'not well-formed XML'],
    ['no <svg> at all', '<html><body/></html>', 'no <svg> element'],
  ])('with %s is refused, saying so', (_, text, words) => {
    expect(unsafeSvg(text)).toContain(words)
  })

  it('is measured by its view box, or by what it draws when it has none', async () => {
    const dir = tempDir('deck-logo-')
    writeFileSync(join(dir, 'none.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>')
    writeFileSync(join(dir, 'box.svg'), SVG('<rect width="100" height="20"/>'))
    await expect(readLogo(join(dir, 'none.svg'), 'x')).resolves.toMatchObject({ width: 10, height: 10 })
    await expect(readLogo(join(dir, 'box.svg'), ' Ours ')).resolves.toMatchObject({ width: 100, height: 20, alt: 'Ours' })
  })
})

describe('a logo file', () => {
  it('named .png that is not a PNG, or another kind of file, is refused', async () => {
    const dir = tempDir('deck-logo-')
    writeFileSync(join(dir, 'fake.png'), readFileSync(LOGO))
    writeFileSync(join(dir, 'logo.gif'), 'GIF89a')
    await expect(readLogo(join(dir, 'fake.png'), 'x')).rejects.toThrow(/is not the PNG image its name says/)
    await expect(readLogo(join(dir, 'logo.gif'), 'x')).rejects.toBeInstanceOf(DeckError)
  })

  it('is scaled into its box with its proportions, and an SVG drawn to a PNG for the PowerPoint', async () => {
    expect(fitLogo({ width: 240, height: 64 }, { width: 120, height: 24 })).toEqual({ width: 90, height: 24 })
    expect(fitLogo({ width: 400, height: 40 }, { width: 120, height: 24 })).toEqual({ width: 120, height: 12 })
    const png = logoPng(await readLogo(LOGO, 'x'), 96)
    expect(png.mime).toBe('image/png')
    expect(imageSize(png.bytes)).toMatchObject({ type: 'png', width: 360, height: 96 })
  })
})
