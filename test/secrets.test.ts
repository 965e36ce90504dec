import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'

import { decodeUtf8, loadBrief } from '../deck/brief/brief.ts'
import { LAYOUTS } from '../deck/brief/schema.ts'
import { provenanceFindings } from '../deck/check/brief-checks.ts'
import { formatReport, makeReport } from '../deck/check/report.ts'
import { loadConfig } from '../deck/cli/config.ts'
import { prepare } from '../deck/deck.ts'
import { readMarpSettings } from '../deck/export/marp.ts'
import { readTheme } from '../deck/render/theme.ts'
import { DeckError, formatError } from '../deck/shared/errors.ts'
import { decodeText } from '../deck/shared/parse.ts'
import { fixture, PROPERTY_RUNS, PROPERTY_TIMEOUT_MS, ROOT, tempDir } from './helpers.ts'

// No file's text in any message: whatever file the tool reads (a brief, the theme, a template,
// Marp's settings, a settings file, the source document) may be a link to a file of secrets
// (.env, ~/.aws/credentials, /proc/self/environ). When the reader refuses it, the message says
// where and what is wrong in this tool's words, and never repeats a word of the file.
//
// Each test here fails without its fix (fbe1942, "No file's text in any message", and the
// UTF-16 reading of the source document in 1791c45): before them, the YAML reader's, PostCSS's,
// Handlebars', JSON.parse's and cosmiconfig's own messages were passed on, and problems carried
// the line of the file they were on (deck/shared/parse.ts, with decodeText, did not exist).

/** Secrets planted in the files: a few fixed ones and random words of letters and digits. */
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const marker = fc.oneof(
  fc.constantFrom('S3CRETmarker', 'hunter2pass', 'AKIAIOSFODNN7EXAMPLE', 'xoxbToken12345'),
  // fast-check likes to try the names every object inherits ("constructor"): a word of JavaScript, which no secret is.
  fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 10, maxLength: 24 }).filter((s) => !(s in Object.prototype)),
)

/** Where the secret is planted (§ stands for it): forms that break a YAML, JSON, CSS or Handlebars reader, or its schema. */
const PLACES = [
  '§: value',
  'key: §',
  '§',
  'key: "§',
  "key: '§",
  '"§',
  '!§ value',
  'key: !§ value',
  'key: !!§ value',
  '*§',
  'key: *§',
  '&§ value',
  'key: &§',
  '&§ &§ x',
  '"\\q §"',
  'key: "\\q §"',
  '\t§',
  'key:\t§',
  '\t§: x',
  '[§',
  '[§]',
  '{§',
  '{§: [',
  '§=value',
  'DB_PASSWORD=§',
  'export API_KEY=§',
  '%§ x',
  '@§',
  '`§',
  '- §',
  '? §',
  '§:',
  '§: §: §',
  '{"§": 1',
  '{"key": §}',
  '{"§": 1}',
  '"§": ',
  '["§", ',
  '§ {',
  '§ { color: red }',
  '@import §;',
  '@§ x {',
  'a: url(§)',
  'a { b: url(§) }',
  '§ : ; {',
  '/* § ',
  '{{#if §}}',
  '{{§}}}',
  '{{> §}}',
  '{{/§}}',
  '{{#§}}',
  '{{§ x}}',
  '{{#each §}}{{/each}',
  '{{x.[§}}',
  '{{! §',
  '{{"§"',
] as const

/** Pieces of each kind of file, mixed with the planted secret. */
const YAML_POOL = [
  'meta:',
  '  title: x',
  'figures:',
  'slides:',
  '  - id: a',
  '    layout: points',
  'key: value',
  '- item',
  '  - nested',
  '[',
  ']',
  '{',
  '}',
  ': ',
  ',',
  '"',
  "'",
  '|',
  '>-',
  '---',
  '...',
  '%YAML 1.2',
  '? ',
  '\t',
  '#',
  '&a x',
  '*a',
  '!!str',
  '!!binary',
  '@',
  '`',
  '  ',
  '    ',
] as const
const JSON_POOL = [
  '{',
  '}',
  '[',
  ']',
  '"',
  ':',
  ',',
  '"html"',
  '"options"',
  '"deck"',
  '"formats"',
  '["md"]',
  'true',
  'null',
  '{}',
  '1e400',
  '\\',
  '"\\u12"',
  '//',
] as const
const CSS_POOL = [
  '/* @theme t */',
  'section {',
  '}',
  '{',
  'color: red;',
  'a { b: c }',
  ':root { --ink: #000; }',
  '@import "x.css";',
  '@font-face {',
  '@media (',
  '"',
  "'",
  '/*',
  '*/',
  '(',
  ')',
  ';',
  ':',
  '::',
  '@',
  'url(',
  '\\',
  '!important',
] as const
const HBS_POOL = [
  '{{',
  '}}',
  '{{{',
  '}}}',
  '{{#if title}}',
  '{{/if}}',
  '{{#each slides}}',
  '{{/each}}',
  '{{else}}',
  '{{!--',
  '--}}',
  '{{> title}}',
  '{{title}}',
  '{{this}}',
  '{{#with x}}',
  '{{~',
  '~}}',
  '<div>',
  'text',
  '(',
  ')',
  '"',
  '=',
  '[',
  '|',
] as const

/**
 * Where a secret is planted, and how: text made of pieces of the pool and one or more planted
 * forms, in random order, joined by line breaks, spaces or nothing; inserted before a line of
 * the valid file (`line`, 1-based, so that the reader gets past the file's first lines), or
 * standing alone as the whole file (`line` 0). Kept apart from the file, so that a
 * counterexample shows only what was planted.
 */
type Planted = [line: number, text: string]

function planted(pool: readonly string[], base?: string): fc.Arbitrary<Planted> {
  const piece = fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 3 }, { arbitrary: fc.constantFrom(...PLACES), weight: 1 })
  const lines = base === undefined ? 0 : base.split('\n').length
  return fc
    .record({
      parts: fc.array(piece, { maxLength: 6 }),
      place: fc.constantFrom(...PLACES),
      at: fc.nat(),
      sep: fc.constantFrom('\n', ' ', '', '\r\n', '\n  '),
      line: base === undefined ? fc.constant(0) : fc.integer({ min: 0, max: lines + 1 }),
    })
    .map(({ parts, place, at, sep, line }): Planted => {
      const pieces = [...parts]
      pieces.splice(at % (pieces.length + 1), 0, place)
      return [line, pieces.join(sep)]
    })
}

/**
 * The file's text: the planted text alone, or inserted into `base` before its line `line`; § is
 * the secret. For a YAML or JSON file whose keys a message may name (`key`, one of KEY_FORMS), a
 * § that may be read as a key is written in that form, never shaped like a field's name.
 */
function fileText(base: string, [line, text]: Planted, secret: string, key?: KeyForm): string {
  const lines = line === 0 ? [text] : base.split('\n')
  if (line !== 0) lines.splice(line - 1, 0, text)
  return withSecret(lines.join('\n'), secret, key)
}

/**
 * How a secret is written where it may be read as a key of a mapping. A message names a field by
 * its path, each key as written when it looks like a field's name (letters, digits, `_`, `-`:
 * `fieldName` in deck/shared/errors.ts), so a secret that is a key is one with more around it, as
 * in a line of a .env file or a sentence: then no part of it may show. Where it is a value it
 * stays as it is, whatever its shape.
 */
const KEY_FORMS = ['API_KEY=§', 'export DB_PASSWORD=§', '§ token', 'the § key', '§=1', '§ = §', 'db.§', '§.token'] as const
type KeyForm = (typeof KEY_FORMS)[number]
const keyForm = fc.constantFrom(...KEY_FORMS)

/**
 * Whether the § at `at` of a YAML or JSON text may be read as a key: a `:` after it on its line,
 * a `?` before it on its line (or just before it, on a line above), or inside a `{` not yet closed
 * and not right after a `:` (a {fig:…} or {ref:…} token opens no mapping). Erring towards a key:
 * a value wrongly taken for one is still planted, only not bare.
 */
function mayBeKey(text: string, at: number): boolean {
  const start = text.lastIndexOf('\n', at) + 1
  const end = text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at)
  const before = text.slice(start, at)
  if (text.slice(at + 1, end).includes(':') || before.includes('?') || /\?\s*$/.test(text.slice(0, at))) return true
  const opened = text.slice(0, at).replace(/\{(?:fig|ref):/g, '')
  const depth = [...opened].reduce((n, c) => n + (c === '{' ? 1 : c === '}' ? -1 : 0), 0)
  return depth > 0 && !/:[\s"'!&*]*$/.test(before)
}

/** `text` with each § replaced by the secret: as a value as it is, where it may be a key in the form `key` (if given). */
function withSecret(text: string, secret: string, key?: KeyForm): string {
  if (key === undefined) return text.replaceAll('§', secret)
  const asKey = key.replaceAll('§', secret)
  return text.replace(/§/g, (_, at: number) => (mayBeKey(text, at) ? asKey : secret))
}

/** A field of a brief whose value names something: a figure, a series, a layout, a reference, a date. */
const RE_NAMING_FIELD = /^\s*(?:- )?(?:figure|figures|series|refs|layout|language|kind|id|n|when|date|from|to):/
/** A line `key: value` of a YAML file, with its indentation and list dash. */
const RE_YAML_FIELD = /^(\s*(?:- )?)([^\s:#][^:#]*):(?: (.*))?$/

/**
 * A valid YAML file with the secret in one of its fields: the key or the value of one of its
 * lines replaced by a planted form (a bare word, an unclosed quote, a tag, an alias, a figure's
 * id, a {fig:…} token), so that the schema, not only the syntax, is what refuses it. A key is
 * written in one of KEY_FORMS when the secret is put in (withSecret).
 */
function inField(base: string) {
  const lines = base.split('\n')
  const fields = lines.flatMap((line, i) => (RE_YAML_FIELD.test(line) ? [i] : []))
  // The fields that name something (a figure, a layout, a reference) are tried as often as all the others.
  const naming = fields.filter((i) => RE_NAMING_FIELD.test(lines[i] ?? ''))
  const field = fc.oneof(fc.constantFrom(...fields), fc.constantFrom(...naming))
  const value = fc.oneof(
    fc.constant('§'),
    fc.constantFrom(...PLACES),
    fc.constantFrom('{fig:§}', '"see {fig:§}"', '{ref:§}', '[§]', '[1, §]', '{ en: x, §: y }'),
  )
  return fc
    .record({ field, as: fc.constantFrom('key', 'value'), key: fc.constantFrom('§', '"§"', '§§', '? §'), value })
    .map(({ field, as, key, value }): [number, string] => {
      const [, indent = '', name = '', written = ''] = RE_YAML_FIELD.exec(lines[field] ?? '') ?? []
      return [field + 1, as === 'key' ? `${indent}${key}: ${written}` : `${indent}${name}: ${value}`]
    })
}

/** `base` with its line `line` (1-based) replaced. */
function withLine(base: string, [line, text]: [number, string]): string {
  const lines = base.split('\n')
  lines[line - 1] = text
  return lines.join('\n')
}

/** The secret, or the first 10 characters in a row of it, found in what is shown; undefined if none. */
function leakIn(shown: string, secret: string): string | undefined {
  for (let i = 0; i + 10 <= secret.length; i += 1) {
    const part = secret.slice(i, i + 10)
    if (shown.includes(part)) return part
  }
  return undefined
}

/** Runs a reader on planted content: a refusal must be a DeckError whose message has no part of the secret. True if refused. */
async function refusedWithout(secret: string, read: () => unknown): Promise<boolean> {
  try {
    await read()
    return false
  } catch (err) {
    if (!(err instanceof DeckError)) throw err
    const shown = formatError(err)
    expect(leakIn(shown, secret), shown).toBeUndefined()
    return true
  }
}

const BRIEF = fixture('all-layouts.yaml')
const settings = { numRuns: PROPERTY_RUNS }

describe('no file’s text in any message, whatever the file holds', () => {
  it(
    'a brief: its YAML, with the secret on a line of its own or alone, and its bytes',
    async () => {
      let refused = 0
      const briefText = fc.oneof(planted(YAML_POOL, BRIEF), planted([...YAML_POOL, ...BRIEF.split('\n')]))
      await fc.assert(
        fc.asyncProperty(marker, keyForm, briefText, fc.constantFrom('text', 'bytes'), fc.nat(), async (secret, key, put, as, at) => {
          const text = fileText(BRIEF, put, secret, key)
          if (as === 'text') {
            if (await refusedWithout(secret, () => loadBrief(text, 'brief.yaml'))) refused += 1
          } else {
            // Bytes that are not UTF-8 (a lone 0xff, a broken sequence) somewhere around the secret.
            const bytes = Buffer.from(text)
            const cut = at % (bytes.length + 1)
            const broken = Buffer.concat([bytes.subarray(0, cut), Buffer.from([0xff, 0xc3, 0x28]), bytes.subarray(cut)])
            if (await refusedWithout(secret, () => decodeUtf8(broken, 'brief.yaml'))) refused += 1
          }
        }),
        settings,
      )
      expect(refused).toBeGreaterThan(0)
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'a brief: its fields, with the secret as a key or a value of a line of a valid brief',
    async () => {
      let refused = 0
      await fc.assert(
        fc.asyncProperty(marker, keyForm, inField(BRIEF), async (secret, key, edit) => {
          if (await refusedWithout(secret, () => loadBrief(withSecret(withLine(BRIEF, edit), secret, key), 'brief.yaml'))) refused += 1
        }),
        settings,
      )
      expect(refused).toBeGreaterThan(0)
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'the theme',
    async () => {
      const dir = tempDir('deck-secrets-theme-')
      const file = join(dir, 'theme.css')
      const repoTheme = readFileSync(join(ROOT, 'templates/theme.css'), 'utf8')
      let refused = 0
      await fc.assert(
        fc.asyncProperty(marker, fc.oneof(planted(CSS_POOL, repoTheme), planted(CSS_POOL)), async (secret, put) => {
          writeFileSync(file, fileText(repoTheme, put, secret))
          if (await refusedWithout(secret, () => readTheme(file))) refused += 1
        }),
        settings,
      )
      expect(refused).toBeGreaterThan(0)
    },
    PROPERTY_TIMEOUT_MS,
  )

  describe('the templates and Marp’s settings', () => {
    let templatesDir = ''
    const themeFile = join(ROOT, 'templates/theme.css')
    beforeAll(() => {
      templatesDir = join(tempDir('deck-secrets-templates-'), 'templates')
      cpSync(join(ROOT, 'templates'), templatesDir, { recursive: true })
    })

    /** Writes `text` to a file of the templates folder while `work` runs, then puts the original back. */
    async function withFile<T>(name: string, text: string, work: () => Promise<T>): Promise<T> {
      const file = join(templatesDir, name)
      const original = readFileSync(file)
      writeFileSync(file, text)
      try {
        return await work()
      } finally {
        writeFileSync(file, original)
      }
    }

    it(
      'a template: deck.hbs, a layout or a printed page',
      async () => {
        const names = ['deck.hbs', ...LAYOUTS.map((layout) => `layouts/${layout}.hbs`), 'print/handout.hbs']
        let refused = 0
        const template = fc
          .constantFrom(...names)
          .chain((name) => fc.tuple(fc.constant(name), fc.oneof(planted(HBS_POOL, readFileSync(join(ROOT, 'templates', name), 'utf8')), planted(HBS_POOL))))
        await fc.assert(
          fc.asyncProperty(marker, template, async (secret, [name, put]) => {
            const text = fileText(readFileSync(join(ROOT, 'templates', name), 'utf8'), put, secret)
            if (await withFile(name, text, () => refusedWithout(secret, () => prepare({ templatesDir, themeFile })))) refused += 1
          }),
          settings,
        )
        expect(refused).toBeGreaterThan(0)
      },
      PROPERTY_TIMEOUT_MS,
    )

    it(
      'Marp’s settings (marp.config.json)',
      async () => {
        const original = readFileSync(join(ROOT, 'templates/marp.config.json'), 'utf8')
        let refused = 0
        await fc.assert(
          fc.asyncProperty(marker, fc.oneof(planted(JSON_POOL, original), planted([...JSON_POOL, ...YAML_POOL])), async (secret, put) => {
            const text = fileText(original, put, secret)
            if (await withFile('marp.config.json', text, () => refusedWithout(secret, () => readMarpSettings(templatesDir)))) refused += 1
          }),
          settings,
        )
        expect(refused).toBeGreaterThan(0)
      },
      PROPERTY_TIMEOUT_MS,
    )
  })

  it(
    'a settings file: deck.config.json, deck.config.yaml, .deckrc, package.json',
    async () => {
      const valid: Record<string, string> = {
        'deck.config.json': '{\n  "formats": ["md", "html"],\n  "out": "dist"\n}',
        'deck.config.yaml': 'formats:\n  - md\nout: dist\nhandout: 2',
        '.deckrc': 'formats: [md]\nout: dist',
        'package.json': '{\n  "name": "x",\n  "deck": {\n    "formats": ["md"]\n  }\n}',
      }
      let refused = 0
      const file = fc
        .constantFrom(...Object.keys(valid))
        .chain((name) => fc.tuple(fc.constant(name), fc.oneof(planted([...JSON_POOL, ...YAML_POOL], valid[name]), planted([...JSON_POOL, ...YAML_POOL]))))
      await fc.assert(
        fc.asyncProperty(marker, keyForm, file, async (secret, key, [name, put]) => {
          const dir = tempDir('deck-secrets-settings-')
          try {
            writeFileSync(join(dir, name), fileText(valid[name] ?? '', put, secret, key))
            if (await refusedWithout(secret, () => loadConfig(dir))) refused += 1
          } finally {
            rmSync(dir, { recursive: true, force: true })
          }
        }),
        settings,
      )
      expect(refused).toBeGreaterThan(0)
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'the source document: its bytes, and the report of the evidence checked against its text',
    async () => {
      const loaded = loadBrief(BRIEF, 'brief.yaml')
      let refused = 0
      const encoding = fc.constantFrom(
        'utf-8, a byte that is not',
        'utf-16le without its mark',
        'utf-16le, odd length',
        'utf-16be, lone surrogate',
        'random bytes',
      )
      const prose = fc.array(fc.constantFrom('covers 1,250,000 households', 'as little as €0.80', 'Water is not a luxury.', 'the', '\n', '§', '“§”'), {
        maxLength: 6,
      })
      await fc.assert(
        fc.asyncProperty(marker, prose, encoding, fc.uint8Array({ maxLength: 12 }), fc.nat(), async (secret, words, how, noise, at) => {
          const text = [...words.slice(0, at % (words.length + 1)), secret, ...words.slice(at % (words.length + 1))].join(' ').replaceAll('§', secret)
          const utf16 = Buffer.from(text, 'utf16le')
          const bytes =
            how === 'utf-8, a byte that is not'
              ? Buffer.concat([Buffer.from(text), Buffer.from([0xc3, 0x28])])
              : how === 'utf-16le without its mark'
                ? utf16
                : how === 'utf-16le, odd length'
                  ? Buffer.concat([Buffer.from([0xff, 0xfe]), utf16, Buffer.from([0x41])])
                  : how === 'utf-16be, lone surrogate'
                    ? Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(utf16).swap16(), Buffer.from([0xd8, 0x00, 0x00, 0x41])])
                    : Buffer.concat([Buffer.from(noise), Buffer.from(text), Buffer.from([0xff]), Buffer.from(noise)])
          if (await refusedWithout(secret, () => decodeText(bytes, 'source.txt', 'the source document', 1))) refused += 1
          // A source that is read: the report of the evidence checked against it quotes the brief, never the source.
          const findings = provenanceFindings(loaded, { file: 'source.txt', text })
          const shown = formatReport(makeReport('brief.yaml', findings, 'source.txt', []))
          expect(leakIn(shown, secret), shown).toBeUndefined()
        }),
        settings,
      )
      expect(refused).toBeGreaterThan(0)
    },
    PROPERTY_TIMEOUT_MS,
  )
})

describe('no file’s text in any message: the cases that showed it', () => {
  const secret = 'hunter2secret'
  /** What a refusal shows (fails the test if the reader accepts the file). */
  async function shownFor(read: () => unknown): Promise<string> {
    try {
      await read()
    } catch (err) {
      if (err instanceof DeckError) return formatError(err)
      throw err
    }
    throw new Error('expected the file to be refused, but it was read')
  }

  it('a theme that is a .env file (PostCSS said "Unknown word DB_PASSWORD=hunter2secret")', async () => {
    const file = join(tempDir('deck-secrets-'), 'theme.css')
    writeFileSync(file, 'DB_PASSWORD=hunter2secret\n')
    const shown = await shownFor(() => readTheme(file))
    expect(shown).toContain(`${file}:1:1`)
    expect(shown).not.toContain(secret)
    expect(shown).not.toContain('DB_PASSWORD')
  })

  it('a brief with an unclosed quote (the line was shown under the problem)', async () => {
    const shown = await shownFor(() => loadBrief('meta:\n  title: "hunter2secret\n', 'brief.yaml'))
    expect(shown).toContain('a quote opened here is not closed')
    expect(shown).not.toContain(secret)
  })

  it('a brief whose meta.language is not a language (the message quoted the value)', async () => {
    expect(BRIEF).toContain('  language: en\n')
    const text = BRIEF.replace('  language: en\n', `  language: ${secret}\n`)
    const shown = await shownFor(() => loadBrief(text, 'brief.yaml'))
    expect(shown).toContain('meta.language')
    expect(shown).not.toContain(secret)
  })

  it('Marp’s settings that are not JSON (JSON.parse quoted the text)', async () => {
    const dir = tempDir('deck-secrets-')
    writeFileSync(join(dir, 'marp.config.json'), '{"html": hunter2secret}')
    const shown = await shownFor(() => readMarpSettings(dir))
    expect(shown).toContain('marp.config.json')
    expect(shown).toContain('this is not valid JSON')
    expect(shown).not.toContain(secret)
  })
})
