import type { Marp } from '@marp-team/marp-core'
import fc from 'fast-check'
import { parse as parseHtml } from 'node-html-parser'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { loadBrief, parseBrief } from '../deck/brief/brief.ts'
import { RE_BRACES } from '../deck/brief/fields.ts'
import { selectVariant, walkStrings } from '../deck/brief/queries.ts'
import { type Brief, briefSchema } from '../deck/brief/schema.ts'
import { readMarpSettings } from '../deck/export/marp.ts'
import { escapeHtml } from '../deck/render/escape.ts'
import { formatFigure } from '../deck/render/format.ts'
import { unquoted } from '../deck/render/prose.ts'
import { buildView, footerLine, type RenderDeck, renderDeck } from '../deck/render/render.ts'
import { compileTemplates, readTemplates } from '../deck/render/templates.ts'
import { chartsOf, DEFAULT_BRIEF, fixture, marpEngine, PROPERTY_RUNS, PROPERTY_TIMEOUT_MS, readRepoFile, ROOT } from './helpers.ts'

let render: RenderDeck
/** Marp configured exactly as the build configures it (templates/marp.config.json). */
let engine: Marp
const realBrief = parseBrief(readRepoFile(DEFAULT_BRIEF), DEFAULT_BRIEF)
const fixtureBrief = parseBrief(fixture('all-layouts.yaml'), 'all-layouts.yaml')
/** Drawn once: the tests change text, never the series. */
const charts = new Map([...(await chartsOf(realBrief)), ...(await chartsOf(fixtureBrief))])
// The property tests run for seconds without awaiting anything; between tests, the event
// loop gets a turn, so Vitest's messages to its main process are answered in time.
beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)))

beforeAll(async () => {
  render = compileTemplates(await readTemplates(`${ROOT}/templates`))
  engine = await marpEngine(await readMarpSettings(`${ROOT}/templates`))
})

const RE_SLIDE_BREAK = /\n---\n/

describe('the real brief', () => {
  const brief = realBrief

  it('renders to the Markdown kept as a snapshot', async () => {
    await expect(renderDeck(brief, render, { charts })).toMatchFileSnapshot('__snapshots__/serbia-china-extradition.md')
  })

  it('shows every figure as the brief gives it, with its footnote marker', () => {
    const markdown = renderDeck(brief, render, { charts })
    for (const [id, figure] of Object.entries(brief.figures)) {
      const shown = formatFigure({ ...figure, suffix: undefined }, 'en')
      expect(markdown, id).toContain(shown)
    }
    expect(markdown).toContain('<span class="value">≈110,000<sup class="ref"> 4</sup></span>')
    expect(markdown).toContain('<span class="value">€140<span class="unit"> million</span><sup class="ref"> 12</sup></span>')
  })

  it('its Serbian briefing: six slides of the brief, the deck’s words and numbers in Serbian', () => {
    const sr = selectVariant(loadBrief(readRepoFile(DEFAULT_BRIEF), DEFAULT_BRIEF, { variant: 'briefing-sr' }).brief, 'briefing-sr')
    const markdown = renderDeck(sr, render, { charts })
    expect(markdown).toContain('lang: "sr-Latn-RS"')
    expect(markdown).toContain('# Ugovor Srbije i Kine o ekstradiciji: zaokret u ljudskim pravima?')
    expect(markdown).toContain('## Analiza ukratko')
    expect(markdown).toContain('<span class="value">14\\.500<sup class="ref"> 5</sup></span>')
    expect(markdown).toContain('<span class="value">≈110.000<sup class="ref"> 4</sup></span>')
    expect(markdown).toContain('## Izvori (1/3)')
    expect(markdown.match(/^<!-- _class: (\w+) -->$/gm)?.map((c) => c.slice(13, -4))).toEqual([
      'title',
      'points',
      'figure',
      'figure',
      'figure',
      'sources',
      'sources',
      'sources',
    ])
  })

  it('lists all 12 references, numbered as the footnote markers are', () => {
    const markdown = renderDeck(brief, render, { charts })
    for (let n = 1; n <= 12; n += 1) expect(markdown).toContain(`<span class="n">${n}</span>`)
  })
})

describe('the slides’ footer', () => {
  const meta = parseBrief(fixture('all-layouts.yaml'), 'brief.yaml').meta
  it('is the short title, author and affiliation when they fit its line', () => {
    expect(footerLine(meta).text).toBe('Danube water prices · Jelena Vučić, Example Institute')
  })

  it('shortens a long affiliation at a word, then leaves it out, then shortens the author: never cut inside a word by the slide', () => {
    const affiliation = 'Example Institute for the Comparative Study of Water Prices, Public Utilities, Tariff Regulation and Household Budgets'
    expect(footerLine({ ...meta, affiliation }).text).toBe(
      'Danube water prices · Jelena Vučić, Example Institute for the Comparative Study of Water Prices, Public Utilities, Tariff…',
    )
    expect(footerLine({ ...meta, affiliation, size: '4:3' }).text).toBe('Danube water prices · Jelena Vučić, Example Institute for the Comparative Study…')
    const author = 'Jelena Vučić, Marko Marković, Ana Anić, Petar Petrović, Ivana Ivanović, Nikola Nikolić and Milica Milić'
    expect(footerLine({ ...meta, author, affiliation, size: '4:3' }).text).toBe(
      'Danube water prices · Jelena Vučić, Marko Marković, Ana Anić, Petar Petrović, Ivana…',
    )
    for (const size of ['16:9', '4:3'] as const)
      expect(footerLine({ ...meta, author, affiliation, size }).text.length).toBeLessThanOrEqual(size === '4:3' ? 88 : 125)
  })
})

describe('layouts', () => {
  const brief = fixtureBrief
  const slides = (markdown = renderDeck(brief, render, { charts })) => markdown.split(RE_SLIDE_BREAK)
  const slide = (cls: string, markdown?: string) => {
    const found = slides(markdown).find((s) => s.includes(`<!-- _class: ${cls} -->`))
    expect(found, `a slide with class ${cls}`).toBeDefined()
    return found ?? ''
  }

  it('front matter: theme, language, title and footer from the brief', () => {
    const front = slides()[0] ?? ''
    expect(front).toMatch(/^---\nmarp: true\ntheme: brief\n/)
    expect(front).toContain('lang: "en-GB"')
    expect(front).toContain('title: "Water prices in the Danube basin"')
    expect(front).toContain('footer: "Danube water prices · Jelena Vučić, Example Institute"')
  })

  it('slide size: 16:9 unless the brief asks for 4:3', () => {
    expect(slides()[0]).toContain('size: "16:9"')
    const square = briefSchema.parse({ ...brief, meta: { ...brief.meta, size: '4:3' } })
    expect(renderDeck(square, render, { charts }).split(RE_SLIDE_BREAK)[0]).toContain('size: "4:3"')
  })

  it('title: title, subtitle, author with role, affiliation and date; no page number or footer', () => {
    const s = slide('title')
    expect(s).toContain('# Water prices in the Danube basin')
    expect(s).toContain('What households pay and why')
    expect(s).toContain('**Jelena Vučić**, Analyst<br>Example Institute<br>14\u00A0March\u00A02025')
    expect(s).toContain('<!-- _paginate: false -->')
  })

  it('agenda: the titles of the section slides, in order', () => {
    expect(slide('agenda')).toContain('## Outline\n\n1. Prices')
  })

  it('section: number, title and subtitle', () => {
    const s = slide('section')
    expect(s).toContain('<span class="number">1</span>')
    expect(s).toContain('# Prices\n\nWhat people pay')
  })

  it('points: lead and bullets, with figures filled in from the data', () => {
    const s = slide('points')
    expect(s).toContain('<span class="lead">Prices differ fourfold.</span>')
    expect(s).toContain('- The survey covers 1,250,000<sup class="ref"> 1</sup> households.')
    // Reference 2 is marked once in the bullet, at its first figure, not again at the second.
    expect(s).toContain('- Prices run from €0.80\u00A0per\u00A0m³<sup class="ref"> 1,2</sup> to ≈€3.20\u00A0per\u00A0m³.')
  })

  it('text over several lines keeps its lines, and the figures in each', () => {
    const multi = briefSchema.parse({
      ...brief,
      slides: brief.slides.map((s) => (s.layout === 'points' ? { ...s, points: ['Covers {fig:households} homes\nin {fig:households} places.'] } : s)),
    })
    expect(renderDeck(multi, render, { charts })).toContain('- Covers 1,250,000<sup class="ref"> 1</sup> homes<br>in 1,250,000 places.')
  })

  it('figure: the value large, its label, date and source', () => {
    const s = slide('figure')
    expect(s).toContain('<span class="value">1,250,000<sup class="ref"> 1</sup></span>')
    expect(s).toContain('<span class="label">households covered</span>')
    expect(s).toContain('<span class="source">2024 · Source: Statistics Office, 2024</span>')
  })

  it('comparison: two values side by side, the caption and both sources', () => {
    const s = slide('comparison')
    expect(s.match(/<div class="cell">/g)).toHaveLength(2)
    expect(s).toContain('<span class="value">≈€3.20<span class="unit"> per m³</span><sup class="ref"> 2</sup></span>')
    expect(s).toContain('<span class="caption">A fourfold gap.</span>')
    expect(s).toContain('Source: Statistics Office, 2024; Regulator')
  })

  it('timeline: only the events in the slide’s range, dates in words', () => {
    const s = slide('timeline')
    expect(s).not.toContain('Utilities are split up')
    expect(s).toContain(
      '<span class="when">June\u00A02010</span><span class="what">New water law<sup class="ref"> 2</sup></span><span class="place">Budapest</span>',
    )
    expect(s).toContain('<span class="when">5\u00A0January\u00A02024</span>')
    expect(s).not.toContain('class="events dense"') // two events: full-size type
  })

  it('quote: the quotation with its footnote and attribution', () => {
    const s = slide('quote')
    expect(s).toContain('> “Water is not a luxury.”<sup class="ref"> 2</sup>') // the marks of the deck's language
    expect(s).toContain('<span class="attribution">A mayor</span>')
  })

  it('sources: numbered entries with authors, title, publisher, date and link', () => {
    const s = slide('sources')
    expect(s).toContain(
      '<span class="n">1</span><span class="entry">A. Author, “Household survey”, Statistics Office, November\u00A02024.<br><a href="https://example.org/survey">',
    )
    expect(s).toContain('<span class="n">2</span><span class="entry">“Tariff database”, Regulator.<br>')
  })

  it("sources: a reference without a link says so, in the deck's language, instead of an address", () => {
    const noUrl = briefSchema.parse({ ...brief, references: brief.references.map((r) => (r.n === 2 ? { ...r, url: undefined } : r)) })
    const s = slide('sources', renderDeck(noUrl, render, { charts }))
    expect(s).toContain('<span class="n">2</span><span class="entry">“Tariff database”, Regulator.<br><span class="nolink">no link available</span></span>')
    const sr = briefSchema.parse({ ...noUrl, meta: { ...noUrl.meta, language: 'sr' } })
    expect(slide('sources', renderDeck(sr, render, { charts }))).toContain('<span class="nolink">link nije dostupan</span>')
  })

  it("sources: a reference's title in the quotation marks of the deck's language", () => {
    const sr = briefSchema.parse({ ...brief, meta: { ...brief.meta, language: 'sr' } })
    const s = slide('sources', renderDeck(sr, render, { charts }))
    expect(s).toContain('<span class="entry">„Tariff database“, Regulator.<br>')
    expect(s).not.toContain('”')
  })

  it('figure without a title: its outline reads as the slide does, the value before its label, never "label: value"', () => {
    const untitled = (b: Brief) => briefSchema.parse({ ...b, slides: b.slides.map((s) => (s.layout === 'figure' ? { ...s, title: undefined } : s)) })
    const view = buildView(untitled(brief), { charts })
    expect(view.slides.find((s) => s.partial === 'figure')?.outline).toBe('1,250,000 households covered')
    const words = untitled({
      ...brief,
      meta: { ...brief.meta, language: 'sr-Latn' },
      figures: {
        ...brief.figures,
        households: { ...(brief.figures.households as Brief['figures'][string]), value: 5, words: true, label: 'sporazuma koje su potpisale Srbija i Kina' },
      },
    })
    // A number written as a word opens the outline as a sentence opens: with a capital.
    expect(buildView(words, { charts }).slides.find((s) => s.partial === 'figure')?.outline).toBe('Pet sporazuma koje su potpisale Srbija i Kina')
  })

  it('closing: take-aways and where to read the brief', () => {
    const s = slide('closing')
    expect(s).toContain('- Questions welcome')
    expect(s).toContain('<a href="https://example.org/briefs/water">example.org</a>')
  })

  it('speaker notes go into a presenter-note comment that Marp reads as a note', () => {
    const { comments } = engine.render(renderDeck(brief, render, { charts }))
    expect(comments[0]).toEqual(['Welcome.'])
  })

  it('many references are spread over several sources slides', () => {
    const references = Array.from({ length: 14 }, (_, i) => ({
      n: i + 1,
      title: `Report number ${i + 1} on a long subject`,
      publisher: 'Publisher',
      url: `https://example.org/${'x'.repeat(80)}/${i}`,
    }))
    const many = briefSchema.parse({ ...brief, references })
    const titles = renderDeck(many, render, { charts }).match(/^## Sources.*$/gm) ?? []
    expect(titles.length).toBeGreaterThan(1)
    expect(titles[0]).toBe(`## Sources (1/${titles.length})`)
  })
})

describe('any text in any field shows as exactly that text', () => {
  const base = parseBrief(fixture('all-layouts.yaml'), 'all-layouts.yaml')
  let baseline: number | undefined
  const baselineSlides = () => (baseline ??= engine.render(renderDeck(base, render, { charts })).html.match(/<section/g)?.length)

  const hostile = [
    '---',
    '***',
    '___',
    '#',
    '# ',
    '*',
    '_',
    '`',
    '```',
    '|',
    '$5 and $10',
    '$$',
    '\\',
    '<!-- _class: x -->',
    '<!-- theme: gaia -->',
    '<!-- headingDivider: 1 -->',
    '<style>@import url(https://example.org/x.css)</style>',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<iframe src="https://example.org">',
    '[x](javascript:alert(1))',
    '![i](x.png)',
    '<https://example.org>',
    '&amp;',
    '&',
    '1.',
    '- ',
    '+ ',
    '> ',
    '=',
    '    code',
    '\n\n',
    '\r\n',
    '\n---\n',
    ':smile:',
    '~~',
    '==',
    'Vučić',
    '-->',
    'www.example.org',
    '{',
    '}',
  ]
  const text = fc
    .array(fc.oneof(fc.constantFrom(...hostile), fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ maxLength: 8 })), { maxLength: 8 })
    .map((parts) => parts.join(''))
    .filter((s) => briefSchema.shape.meta.shape.author.safeParse(s).success && !new RegExp(RE_BRACES.source).test(s))

  /** What a reader sees: the trimmed text, each line trimmed, line breaks kept. */
  const visible = (s: string) =>
    s
      .trim()
      .split(/\r\n?|\n/)
      .map((l) => l.trim())
      .join('\n')

  /** Text of an element, with <br> read as a line break; fails if the text brought any other element. */
  const textOf = (html: string) => {
    const inner = html.replace(/<br\s*\/?>/g, '\n')
    expect(inner, 'no element other than <br>').not.toMatch(/<[a-z!/?]/i)
    return parseHtml(inner).text
  }

  /** `oneLine`: the field takes one line (the schema refuses line breaks), so the text is given as one. */
  const cases: { field: string; set: (b: Brief, s: string) => void; find: (html: string) => string; oneLine?: boolean; shown?: (s: string) => string }[] = [
    {
      field: 'a bullet point',
      set: (b, s) => {
        const slide = b.slides.find((x) => x.layout === 'points')
        if (slide?.layout === 'points') slide.points = [s]
      },
      find: (html) => parseHtml(html).querySelectorAll('section.points li')[0]?.innerHTML ?? '',
    },
    {
      field: 'a slide title',
      set: (b, s) => {
        const slide = b.slides.find((x) => x.layout === 'points')
        if (slide?.layout === 'points') slide.title = s
      },
      find: (html) => parseHtml(html).querySelector('section.points h2')?.innerHTML ?? '',
    },
    {
      field: 'a figure label',
      set: (b, s) => {
        const f = b.figures.households
        if (f) f.label = s
      },
      find: (html) => parseHtml(html).querySelector('section.figure .label')?.innerHTML ?? '',
    },
    {
      field: 'a quote',
      set: (b, s) => {
        const slide = b.slides.find((x) => x.layout === 'quote')
        if (slide?.layout === 'quote') slide.quote = s
        if (slide?.layout === 'quote') slide.refs = []
      },
      // The layout sets the quotation marks; marks typed around the whole quote are not doubled.
      find: (html) => (parseHtml(html).querySelector('section.quote blockquote p')?.innerHTML ?? '').replace(/^“([\s\S]*)”$/, '$1'),
      shown: unquoted,
    },
    {
      field: 'a timeline event',
      set: (b, s) => {
        const event = b.timeline?.[1]
        if (event) event.label = s
        if (event) event.refs = []
      },
      find: (html) => parseHtml(html).querySelector('section.timeline .what')?.innerHTML ?? '',
    },
    {
      field: 'a chart caption',
      set: (b, s) => {
        const slide = b.slides.find((x) => x.layout === 'chart')
        if (slide?.layout === 'chart') slide.caption = s
      },
      find: (html) => parseHtml(html).querySelector('section.chart .caption')?.innerHTML ?? '',
    },
    {
      field: 'a series title, in the chart’s alt text',
      set: (b, s) => {
        const series = b.series?.tariffs
        if (series) series.title = s
      },
      // The alt text is an attribute: what a screen reader reads is the decoded value.
      find: (html) => {
        const alt = parseHtml(html).querySelector('section.chart div.chart')?.getAttribute('aria-label') ?? ''
        return escapeHtml(alt.replace(/^Line chart: ([\s\S]*), from €1\.10 in 2020 [\s\S]*$/, '$1'))
      },
      oneLine: true,
    },
  ]

  for (const { field, set, find, oneLine, shown } of cases) {
    it(
      `${field}: same slide count, the text itself, no markup`,
      () => {
        fc.assert(
          fc.property(oneLine ? text.map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean) : text, (s) => {
            const brief = structuredClone(base)
            set(brief, s)
            const html = engine.render(renderDeck(briefSchema.parse(brief), render, { charts })).html
            expect(html.match(/<section/g)?.length).toBe(baselineSlides())
            expect(textOf(find(html))).toBe(visible(shown ? shown(s) : s))
          }),
          { numRuns: PROPERTY_RUNS },
        )
      },
      PROPERTY_TIMEOUT_MS,
    )
  }

  /** Every text field of the brief, by its path: where an author can type anything. */
  const NOT_TEXT = new Set([
    'id',
    'layout',
    'date',
    'when',
    'from',
    'to',
    'url',
    'figure',
    'series',
    'kind',
    'language',
    'size',
    'prefix',
    'suffix',
    'document',
    'ignore',
  ])
  const textPaths: (string | number)[][] = []
  walkStrings(base, [], (_, path) => {
    if (!path.some((p) => NOT_TEXT.has(String(p))) && path[0] !== 'references') textPaths.push(path.filter((p): p is string | number => typeof p !== 'symbol'))
  })
  const setAt = (brief: Brief, path: (string | number)[], value: string) => {
    let node = brief as unknown as Record<string | number, unknown>
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
    node[path[path.length - 1] as string | number] = value
  }
  /** Elements and attributes of the rendered deck, as counts: what a string could add. */
  const shape = (html: string) => {
    const counts = new Map<string, number>()
    for (const el of parseHtml(html).querySelectorAll('*')) {
      if (el.tagName === 'BR') continue
      for (const key of [el.tagName, ...Object.keys(el.attributes).map((a) => `${el.tagName}@${a}`)]) counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    return counts
  }
  /** The deck with plain text in the field: what the hostile text is compared with (the field's own {fig:} markers gone too). */
  const plainShapes = new Map<string, Map<string, number>>()
  const plainShape = (path: (string | number)[]) => {
    const key = path.join('.')
    if (!plainShapes.has(key)) {
      const brief = structuredClone(base)
      setAt(brief, path, 'Plain')
      plainShapes.set(key, shape(engine.render(renderDeck(briefSchema.parse(brief), render, { charts })).html))
    }
    return plainShapes.get(key)
  }

  /** The brief with `s` in the field at `path`; none when the field refuses it (a schema error, tested elsewhere). */
  const briefWithText = (path: (string | number)[], s: string): Brief | undefined => {
    const brief = structuredClone(base)
    setAt(brief, path, s)
    const parsed = briefSchema.safeParse(brief)
    fc.pre(parsed.success)
    return parsed.success ? parsed.data : undefined
  }

  it(
    'any text field at all: same slides, same elements and attributes, no link or script of its own',
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...textPaths), text, (path, s) => {
          const parsed = briefWithText(path, s)
          if (!parsed) return
          const html = engine.render(renderDeck(parsed, render, { charts })).html
          expect(html.match(/<section/g)?.length, path.join('.')).toBe(baselineSlides())
          expect(shape(html), path.join('.')).toEqual(plainShape(path))
          expect(html).not.toMatch(/href="javascript:/i) // a link, if the text made one (its text may say anything)
        }),
        { numRuns: PROPERTY_RUNS },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'the same brief renders to the same bytes every time',
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...textPaths), text, (path, s) => {
          const parsed = briefWithText(path, s)
          if (!parsed) return
          const first = renderDeck(parsed, render, { charts })
          expect(renderDeck(structuredClone(parsed), render, { charts })).toBe(first)
          expect(engine.render(first).html).toBe(engine.render(first).html)
        }),
        { numRuns: Math.ceil(PROPERTY_RUNS / 2) },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'speaker notes: same slide count, the note itself, no directive applied',
    () => {
      fc.assert(
        fc.property(text, (s) => {
          const brief = structuredClone(base)
          const first = brief.slides[0]
          if (first) first.notes = s
          const { html, comments } = engine.render(renderDeck(briefSchema.parse(brief), render, { charts }))
          expect(html.match(/<section/g)?.length).toBe(baselineSlides())
          expect(html).not.toContain('gaia')
          // Notes keep their text and paragraphs; spaces at line ends and repeated blank lines are dropped.
          const expected = s
            .trim()
            .split(/\r\n?|\n/)
            .map((l) => l.trimEnd())
            .join('\n')
            .replace(/\n{3,}/g, '\n\n')
          expect(comments[0]?.join('\n').replaceAll('\u200B', '')).toBe(expected)
        }),
        { numRuns: PROPERTY_RUNS },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})
