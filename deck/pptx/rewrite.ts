// A checked rewrite of the XML pptxgenjs writes: every change to a part goes through
// `rewrite`, which stops the build, naming the part and the pattern, when the text it
// rewrites is not there as often as expected (package.ts makes the rewrites).
import type { DeckError } from '../shared/errors.ts'
import { patchFailed } from '../shared/patches.ts'

type Replacer = (match: string, ...groups: string[]) => string

/** One rewrite of a part pptxgenjs wrote. */
export interface Rewrite {
  /** A string is found and replaced wherever it is; a regular expression as its flags say. */
  find: string | RegExp
  to: string | Replacer
  /**
   * How many times `find` is in the part: a number, `some` (once or more), or `any` for a
   * rewrite whose text may be absent, which says why where it is made.
   */
  expect: number | 'some' | 'any'
  /** What must not be in the part once rewritten: the text `find` is for, in a form it does not match. */
  left?: RegExp
}

/**
 * A part's text rewritten (`part` is its name, for the message), or a bug reported when
 * pptxgenjs wrote it otherwise than expected. A string `to` is written as it is for a string
 * `find`, and may name a regular expression's groups ($1).
 */
export function rewrite(xml: string, part: string, { find, to, expect, left }: Rewrite): string {
  const found = typeof find === 'string' ? xml.split(find).length - 1 : (xml.match(everywhere(find)) ?? []).length
  if (expect === 'some' && found === 0) throw unexpected(part, `${shown(find)} is not there`)
  if (typeof expect === 'number' && found !== expect) throw unexpected(part, `${shown(find)} is there ${times(found)}, not ${times(expect)}`)
  const out =
    typeof find === 'string'
      ? typeof to === 'string'
        ? xml.replaceAll(find, () => to)
        : xml.replaceAll(find, to)
      : typeof to === 'string'
        ? xml.replace(find, to)
        : xml.replace(find, to)
  if (left && out.search(left) >= 0) throw unexpected(part, `${shown(left)} is left once ${shown(find)} is rewritten`)
  return out
}

/** The first group of `re`'s match in a part, which must be there. */
export function read(xml: string, part: string, re: RegExp): string {
  const value = re.exec(xml)?.[1]
  if (value === undefined) throw unexpected(part, `${shown(re)} is not there`)
  return value
}

export function unexpected(part: string, what: string): DeckError {
  return patchFailed('pptxgenjs', 'finishPackage (deck/pptx/package.ts)', `pptxgenjs wrote ${part} otherwise than expected: ${what}`)
}

const everywhere = (re: RegExp) => (re.global ? re : new RegExp(re.source, `${re.flags}g`))
export const shown = (pattern: string | RegExp) => (typeof pattern === 'string' ? JSON.stringify(pattern) : String(pattern))
export const times = (n: number) => (n === 1 ? 'once' : n === 0 ? 'no times' : `${n} times`)
export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
