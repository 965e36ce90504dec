import { beforeAll, describe, expect, it } from 'vitest'

import { parseBrief } from '../deck/brief/brief.ts'
import { LAYOUTS } from '../deck/brief/schema.ts'
import { renderDeck } from '../deck/render/render.ts'
import { compileTemplates, readTemplates, type TemplateSources } from '../deck/render/templates.ts'
import { formatError } from '../deck/shared/errors.ts'
import { chartsOf, deckErrorOf, fixture, ROOT } from './helpers.ts'

let real: TemplateSources
let charts: Map<string, string>
beforeAll(async () => {
  real = await readTemplates(`${ROOT}/templates`)
  charts = await chartsOf(brief())
})

/** The real templates with one layout's source replaced. */
function withLayout(name: string, source: string): TemplateSources {
  const original = real.partials[name]
  if (!original) throw new Error(`no layout ${name}`)
  return { ...real, partials: { ...real.partials, [name]: { file: original.file, source } } }
}

const brief = () => parseBrief(fixture('all-layouts.yaml'), 'all-layouts.yaml')

describe('templates are checked strictly', () => {
  it('a field the data lacks fails at render time with the template file, line and column, never the name written', () => {
    const render = compileTemplates(withLayout('quote', '<!-- _class: quote -->\n\n> {{quote}}\n\n{{speaker}}\n'))
    const err = deckErrorOf(() => renderDeck(brief(), render, { charts }))
    expect(err.problems).toEqual([
      expect.objectContaining({
        file: 'templates/layouts/quote.hbs',
        line: 5,
        col: 3,
        message: 'this expression names a field that is not in the data for this template',
      }),
    ])
    expect(formatError(err)).not.toContain('speaker')
  })

  it('an unknown helper fails when the templates are compiled, before anything renders, with the helpers there are', () => {
    const err = deckErrorOf(() => compileTemplates(withLayout('points', '## {{title}}\n\n{{shout title}}\n')))
    expect(err.problems).toEqual([
      expect.objectContaining({
        file: 'templates/layouts/points.hbs',
        line: 3,
        col: 1,
        message: 'this expression names no helper (helpers: yamlText, yamlMarkdown, attr)',
      }),
    ])
    expect(formatError(err)).not.toContain('shout')
  })

  it('a missing partial fails when the templates are compiled, with the partials there are', () => {
    const err = deckErrorOf(() => compileTemplates(withLayout('closing', '## {{title}}\n\n{{> signature}}\n')))
    expect(err.problems).toEqual([
      expect.objectContaining({
        file: 'templates/layouts/closing.hbs',
        line: 3,
        col: 1,
        message: `this {{> …}} names no partial (partials: ${Object.keys(real.partials).join(', ')})`,
      }),
    ])
    expect(formatError(err)).not.toContain('signature')
  })

  it('a Handlebars syntax error names the file and line', () => {
    const err = deckErrorOf(() => compileTemplates(withLayout('agenda', '## {{title}}\n\n{{#each sections}}\n1. {{this}}\n')))
    expect(err.problems).toEqual([expect.objectContaining({ file: 'templates/layouts/agenda.hbs', message: expect.stringMatching(/^Handlebars: /) })])
  })

  it('a layout without a template is named', () => {
    const partials = { ...real.partials }
    delete partials.timeline
    expect(deckErrorOf(() => compileTemplates({ ...real, partials })).message).toBe('Missing layout templates: templates/layouts/timeline.hbs')
  })

  it('the real templates compile and render every layout', () => {
    const markdown = renderDeck(brief(), compileTemplates(real), { charts })
    for (const layout of LAYOUTS) {
      expect(markdown).toContain(`<!-- _class: ${layout} -->`)
    }
  })
})
