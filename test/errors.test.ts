import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { DeckError, ExitCode, fileError, formatError, formatProblem } from '../deck/shared/errors.ts'
import { PROPERTY_RUNS } from './helpers.ts'

// Whatever breaks a line or hides, reorders or steers the text a terminal shows.
// eslint-disable-next-line no-control-regex -- what must never reach the terminal
const RE_LINE_BREAK_OR_HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

describe('formatProblem', () => {
  it('names file:line:col, the field and the message, on one line', () => {
    const text = formatProblem({ file: 'data/b.yaml', line: 12, col: 10, path: 'figures.x.value', message: 'expected a number' })
    expect(text).toBe('data/b.yaml:12:10  figures.x.value  expected a number')
  })

  it('escapes control, bidi and line-separator characters in the file and message, and shows a path segment holding them as …, so they stay on one line', () => {
    const text = formatProblem({
      file: 'b\u202e.yaml',
      line: 3,
      col: 5,
      path: 'figures.a\u2066b\u2069',
      message: 'one\ntwo\u2028three\u2029four\r\u001b[2J\u200f\u061c',
    })
    expect(text).toBe('b\\u202e.yaml:3:5  figures.…  one\\x0atwo\\u2028three\\u2029four\\x0d\\x1b[2J\\u200f\\u061c')
  })

  it('never prints more than one line, nor a raw control or bidi character, whatever a problem holds', () => {
    const hidden = fc.constantFrom('\n', '\r\n', '\u2028', '\u2029', '\u0085', '\u000b', '\u202e', '\u2066', '\u200f', '\u061c', '\u001b[2J', '\u009b')
    const part = fc.array(fc.oneof(hidden, fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 6 }).map((parts) => parts.join(''))
    fc.assert(
      fc.property(part, part, part, fc.nat(), fc.nat(), (file, path, message, line, col) => {
        const text = formatProblem({ file, line, col, path, message })
        expect(text).not.toMatch(RE_LINE_BREAK_OR_HIDDEN)
      }),
      { numRuns: Math.max(PROPERTY_RUNS, 200) },
    )
  })

  it('leaves out what it does not know', () => {
    expect(formatProblem({ file: 'f.yaml', message: 'not valid UTF-8' })).toBe('f.yaml  not valid UTF-8')
  })
})

describe('formatError', () => {
  it('heads the problems with their count, one line each', () => {
    const err = new DeckError('f.yaml does not match the brief format', {
      problems: [
        { file: 'f.yaml', message: 'one' },
        { file: 'f.yaml', message: 'two' },
      ],
    })
    expect(formatError(err)).toBe('f.yaml does not match the brief format (2 problems):\n\nf.yaml  one\nf.yaml  two')
  })
})

describe('fileError', () => {
  it('says what could not be done to which path, with the system code, as an environment problem', () => {
    const cause = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })
    const err = fileError('write', '/out/deck.pdf', cause)
    expect(err.message).toBe('Cannot write /out/deck.pdf: EACCES')
    expect(err.exitCode).toBe(ExitCode.environment)
  })
})
