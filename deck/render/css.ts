// CSS as a check reads it: with its escapes undone, so `u\\72l(` is seen as the `url(` it is.

/** CSS escapes read as the characters they stand for: `u\\72l(` is `url(`. */
export function unescapeCss(value: string): string {
  return value.replace(/\\([0-9a-fA-F]{1,6})\s?/g, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16))).replace(/\\(.)/g, '$1')
}
