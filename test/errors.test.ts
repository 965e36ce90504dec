import { describe, expect, it } from 'vitest'

import { DeckError, ExitCode, fileError, formatError, formatProblem } from '../deck/shared/errors.ts'

describe('formatProblem', () => {
  it('names file:line:col, the field and the message, and shows the line with a caret under the column', () => {
    const text = formatProblem({ file: 'data/b.yaml', line: 12, col: 10, path: 'figures.x.value', message: 'expected a number', excerpt: '    value: lots' })
    expect(text).toBe(['data/b.yaml:12:10  figures.x.value  expected a number', '    12 |     value: lots', '                  ^'].join('\n'))
  })

  it('cuts a very long line to a window around the column, keeping the caret on it', () => {
    const excerpt = `${'a'.repeat(500)}X${'b'.repeat(500)}`
    const text = formatProblem({ file: 'f.yaml', line: 1, col: 501, message: 'here', excerpt })
    const [, shown = '', caret = ''] = text.split('\n')
    expect(shown.length).toBeLessThan(120)
    expect(shown[caret.indexOf('^')]).toBe('X')
  })

  it('leaves out what it does not know', () => {
    expect(formatProblem({ file: 'f.yaml', message: 'not valid UTF-8' })).toBe('f.yaml  not valid UTF-8')
  })
})

describe('formatError', () => {
  it('heads the problems with their count', () => {
    const err = new DeckError('f.yaml does not match the brief format', {
      problems: [
        { file: 'f.yaml', message: 'one' },
        { file: 'f.yaml', message: 'two' },
      ],
    })
    expect(formatError(err)).toBe('f.yaml does not match the brief format (2 problems):\n\nf.yaml  one\n\nf.yaml  two')
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
