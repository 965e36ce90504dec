import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { parseBrief } from '../deck/brief/brief.ts'
import { numbersIn, statesValue } from '../deck/check/provenance.ts'
import { DeckError, escapeControls, ExitCode, formatError, formatProblem, machineError, type Problem } from '../deck/shared/errors.ts'
import { deckErrorOf, fixture, lineOf, problemsOf, PROPERTY_RUNS, PROPERTY_TIMEOUT_MS, shownFor } from './helpers.ts'

// Hostile input and faults, round 2: what a hostile contributor or an unlucky user tried, as the
// brief reader and the messages see it: a located, short, escaped message, never a crash.
// What the CLI does with such input (exit code, output folder) is in hostile.process.test.ts.

describe('terminal escapes and control characters', () => {
  it('are escaped in a problem, which stays one line: no excerpt, no caret, the bidi marks and line separators shown as escapes, a key holding one shown as …', () => {
    const shown = formatProblem({ file: 'b.yaml', line: 1, col: 4, path: 'meta.\u202eevil', message: 'here\u001b]0;PWNED\u0007\u2028forged' })
    expect(shown).toBe('b.yaml:1:4  meta.…  here\\x1b]0;PWNED\\x07\\u2028forged')
    expect(escapeControls('a\nb\tc\u009b', { lines: true })).toBe('a\nb\tc\\x9b')
    // Even where line breaks are kept, the marks that reorder text or pass for a line break are not.
    expect(escapeControls('\u2066a\u2069\u2028b\u202a\u200e\u061c', { lines: true })).toBe('\\u2066a\\u2069\\u2028b\\u202a\\u200e\\u061c')
  })

  it('a long value is never shown in a message, only its field', () => {
    const long = 'x'.repeat(500)
    const text = fixture('all-layouts.yaml').replace('  date: "2025-03-14"', `  date: ${long}`)
    const err = deckErrorOf(() => parseBrief(text, 'b.yaml'))
    expect(err.problems).toEqual([expect.objectContaining({ path: 'meta.date', line: lineOf(text, long), col: 9 })])
    expect(formatError(err)).not.toContain('xxx')
  })
})

describe('ids that every JavaScript object inherits', () => {
  it('name nothing: constructor as a figure, in a token and in a series point is a missing figure at its line, with the figures that exist', () => {
    const base = fixture('all-layouts.yaml')
    for (const [from, to] of [
      ['    figure: households', '    figure: constructor'],
      ['{fig:households}', '{fig:constructor}'],
      ['      - { x: "2020", value: 1.1, evidence: €1.10 in 2020 }', '      - { x: "2020", figure: constructor }'],
    ] as const) {
      const text = base.replace(from, to)
      const problems = problemsOf(text)
      expect(problems, to).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            line: lineOf(text, to),
            message: expect.stringContaining('names a figure that does not exist (figures: households, price-low, price-high)'),
          }),
        ]),
      )
      expect(shownFor(text), to).not.toContain('constructor')
    }
  })

  it('__proto__ as a figure id is an error at its line, not dropped', () => {
    const text = fixture('all-layouts.yaml').replace(
      '  households:\n',
      '  __proto__:\n    value: 1\n    label: x\n    refs: [1]\n    evidence: x\n  households:\n',
    )
    expect(problemsOf(text)).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'figures.__proto__', line: lineOf(text, '__proto__:') })]))
  })
})

describe('negative numbers in evidence', () => {
  it('are read with their sign: a hyphen, a minus sign, or the word', () => {
    for (const text of [
      'GDP growth of -2.5 percent',
      'growth of −2.5%',
      'growth of –2.5% (a dash from a PDF)',
      'a change of - 2.5 points',
      'a change of minus 2.5 percent',
    ])
      expect(statesValue(text, -2.5), text).toBe(true)
    expect(statesValue('growth of 2.5 percent', -2.5)).toBe(false)
    expect(numbersIn('from 1990-2000')).not.toContain(-2000)
  })
})

describe('a language the tool does not speak', () => {
  it('is one error, not one per text given in several languages', () => {
    const text = fixture('all-layouts.yaml')
      .replace('  language: en', '  language: fr')
      .replace('  title: Water prices in the Danube basin\n', '  title: { en: Water prices in the Danube basin, sr: Cene vode }\n')
    const problems = problemsOf(text)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ path: 'meta.language', line: lineOf(text, 'language: fr') })
    // The same when the texts themselves are in that language.
    const french = text.replace('{ en: Water prices in the Danube basin, sr: Cene vode }', '{ fr: Le prix de l’eau, de: Wasserpreise }')
    expect(problemsOf(french)).toHaveLength(1)
  })
})

// eslint-disable-next-line no-control-regex -- what must never reach the terminal
const RE_RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/

describe('properties', () => {
  const controls = fc.constantFrom('\u001b', '\u001b[2J', '\u001b]0;PWNED\u0007', '\u0000', '\u0007', '\u0008', '\r', '\u007f', '\u009b', '\t')
  const text = fc
    .array(fc.oneof(controls, fc.string({ unit: 'binary', maxLength: 4 }), fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 6 })
    .map((parts) => parts.join(''))
  const base = fixture('all-layouts.yaml')

  it(
    'any text with control characters, as a value or as a key: whatever the message, no raw control character in it',
    () => {
      fc.assert(
        fc.property(text, fc.constantFrom('value', 'key', 'quoted'), (s, where) => {
          const line = where === 'value' ? `  date: ${s}` : where === 'key' ? `  ${s}: 1` : `  date: "${s.replace(/["\\]/g, '')}"`
          const brief = base.replace('  date: "2025-03-14"', line)
          let shown = ''
          try {
            parseBrief(brief, 'b.yaml')
          } catch (err) {
            expect(err).toBeInstanceOf(DeckError) // never a crash
            shown = formatError(err as DeckError)
          }
          expect(shown).not.toMatch(RE_RAW_CONTROL)
        }),
        { numRuns: PROPERTY_RUNS },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'any name every JavaScript object inherits, as a figure id wherever one is named: a located problem, never a crash or a value',
    () => {
      const inherited = fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype), 'prototype', 'constructor')
      const places = [
        ['    figure: households', (id: string) => `    figure: ${id}`],
        ['{fig:households}', (id: string) => `{fig:${id}}`],
        ['      - { x: "2020", value: 1.1, evidence: €1.10 in 2020 }', (id: string) => `      - { x: "2020", figure: ${id} }`],
      ] as const
      fc.assert(
        fc.property(inherited, fc.constantFrom(...places), (id, [from, to]) => {
          const brief = base.replace(from, to(id))
          const written = to(id).trim()
          let problems: readonly Problem[] = []
          try {
            parseBrief(brief, 'b.yaml')
          } catch (err) {
            expect(err).toBeInstanceOf(DeckError)
            problems = (err as DeckError).problems
          }
          // A token the id pattern does not match ({fig:__proto__}) stays text; every other use is refused at its line.
          if (from === '{fig:households}' && !/^[a-z0-9][a-z0-9-]*$/.test(id)) return
          expect(problems.some((p) => p.line === lineOf(brief, written))).toBe(true)
        }),
        { numRuns: Math.min(PROPERTY_RUNS, 100) },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})

describe('a fault of the machine that escaped its own message', () => {
  it('is exit 3 with the operation, the path and what the code means, not a bug', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', path: '/out/deck.html' })
    expect(machineError(full)).toMatchObject({
      exitCode: ExitCode.environment,
      message: 'The machine refused to write /out/deck.html: ENOSPC: the disk is full',
    })
    expect(machineError(new TypeError('x'))).toBeUndefined()
  })
})
