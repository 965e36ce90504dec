// Serbian in either of its scripts: Gaj's Latin alphabet to Vuk's Cyrillic and back, letter
// for letter, leaving as written what a Serbian Cyrillic text also writes in Latin letters
// (addresses, code, foreign names, Latin abbreviations, Roman numerals) and the brief's own
// `{fig:…}` tokens, which the renderer expands later.

/** The script of a text's letters, as `scriptOf` reads it. */
export type Script = 'Latn' | 'Cyrl' | 'Grek' | 'mixed' | 'none'

/**
 * Where Latin n+j, l+j or d+ž are two Cyrillic letters, not њ, љ, џ: the two belong to different
 * morphemes (a prefix and a stem, mostly in loans from Latin). `|` marks the boundary; `^`, a
 * stem that only counts at the start of a word (кањон has њ, анјон has н+ј). Stems are matched
 * in lower case anywhere in a word, so they cover inflected and derived forms.
 *
 * Checked against: dnevnik.rs, Jezikomanija, 11 Nov 2017 ("N + J = NJ ili Nj": инјекција,
 * конјугација, конјунктура, конјунктив, and Танјуг, "the only n+j in a Serbian word") and
 * 5 Jun 2021 ("Konjunktivitis ili konjuktivitis?": конјунктивитис; "jotovanje se ne vrši na
 * granici prefiksa"); pitajtelektora.com, "Сугласник Ј" (инјекција, a Latinism); olvia.rs,
 * "Gocina jedina mana" (Pravopis: инјекција, from Latin in + iacere); serbianforum.org,
 * "Suglasnik DŽ" (nad-živjeti, od-živjeti, pred-žetveni: d and ž said apart); akos.ba, Pravopis
 * bosanskoga jezika, lekcija 6 (nad-živjeti, Pod-žeplje); cross-checked with the exception list
 * of Ćirilizator (github.com/turanjanin/serbian-transliterator, src/Data.php).
 * No l+j pair is listed: no Serbian prefix ends in l, and none of those sources gives one.
 */
export const SPLIT_DIGRAPHS: readonly string[] = [
  // n|j: Latin in- and con- before a stem in j- (in + iacere), an- and van- before one, and Tanjug
  // (TANJUG, Telegrafska agencija nove Jugoslavije)
  'in|jekc',
  'in|jekt',
  'in|jicir',
  'in|jurij',
  'kon|jug',
  'kon|junk',
  'kon|jekt',
  '^an|jon',
  'tan|jug',
  'van|jezi',
  // d|ž: the prefixes nad-, od-, pod-, pred- before a stem in ž- (оџак and хоџа keep their џ)
  'nad|živ',
  'nad|žnj',
  '^od|živ',
  '^od|žal',
  '^neod|žal',
  'pod|žanr',
  'pod|žup',
  'pod|želud',
  'pod|žig',
  'pod|žnj',
  'pred|žet',
]

/** A stem of SPLIT_DIGRAPHS ready to look up: its letters, where it splits, whether only at a word's start. */
const SPLITS = SPLIT_DIGRAPHS.map((entry) => {
  const initial = entry.startsWith('^')
  const marked = initial ? entry.slice(1) : entry
  return { stem: marked.replace('|', ''), at: marked.indexOf('|'), initial }
})

// One entry per Latin letter, the digraphs (and their one-character Unicode forms ǉ ǌ ǆ) included.
const LATIN_TO_CYRILLIC: Readonly<Record<string, string>> = {
  a: 'а', b: 'б', c: 'ц', č: 'ч', ć: 'ћ', d: 'д', dž: 'џ', ǆ: 'џ', đ: 'ђ', e: 'е', f: 'ф', g: 'г', h: 'х', i: 'и', j: 'ј', k: 'к', l: 'л', lj: 'љ', ǉ: 'љ',
  m: 'м', n: 'н', nj: 'њ', ǌ: 'њ', o: 'о', p: 'п', r: 'р', s: 'с', š: 'ш', t: 'т', u: 'у', v: 'в', z: 'з', ž: 'ж',
} // prettier-ignore

// Serbian, then the letters only Macedonian has, as the common Macedonian Latin writes them
// (gj, kj and dz, with Serbian č, š, ž: "Romanization of Macedonian", Wikipedia; ISO 9 for the
// accented ѐ and ѝ). The official ISO R9 and BGN/PCGN 2013 tables write ǵ and ḱ instead.
const CYRILLIC_TO_LATIN: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'đ', е: 'e', ж: 'ž', з: 'z', и: 'i', ј: 'j', к: 'k', л: 'l', љ: 'lj', м: 'm', н: 'n', њ: 'nj',
  о: 'o', п: 'p', р: 'r', с: 's', т: 't', ћ: 'ć', у: 'u', ф: 'f', х: 'h', ц: 'c', ч: 'č', џ: 'dž', ш: 'š',
  ѓ: 'gj', ќ: 'kj', ѕ: 'dz', ѐ: 'è', ѝ: 'ì',
} // prettier-ignore

/** Latin abbreviations a Serbian Cyrillic text also writes in Latin letters. */
const LATIN_ABBREVIATIONS = 'e.g.|i.e.|etc.|et al.|et seq.|cf.|vs.|ibid.|op. cit.|loc. cit.|viz.|ca.|sic|N.B.|a.m.|p.m.'.split('|')

/** What stays as written in either direction: code, a brief's token, an address. */
const KEPT_SPANS = [
  /`[^`]*`/u, // inline code
  /\{\p{L}[\p{L}\p{N}_-]*:[^{}]*\}/u, // {fig:id}, {ref:2,3} and any other {word:…} token
  /(?<![\p{L}\p{N}])(?:[Hh][Tt][Tt][Pp][Ss]?:\/\/|[Ww]{3}\.)[^\s<>"`]*[^\s<>"`.,;:!?')\]}»”’]/u, // a URL
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/u, // an e-mail address
  // A web address without scheme, in lower case, on a domain the region's briefs cite.
  /(?<![\p{L}\p{N}@./-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:rs|srb|ba|me|mk|hr|al|gr|eu|int|com|org|net|gov|edu|info|io|cn|uk|de)(?:\/[^\s<>"`]*[^\s<>"`.,;:!?')\]}»”’])?(?![\p{L}\p{N}-])/u,
]

/** Words: letters, with their combining marks, and letters joined by an apostrophe (O'Neill, Xi's). */
const RE_WORD = /[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*/gu
/** A Latin letter that is not in Gaj's alphabet: q, w, x, y, ä, é, ß, ı… */
const RE_FOREIGN_LETTER = /(?![a-pr-vzčćđšžǆǉǌA-PR-VZČĆĐŠŽǄǅǇǈǊǋ])\p{Script=Latin}/u
const RE_APOSTROPHE = /['’]/u
/** A well-formed Roman numeral (I to MMMCMXCIX). */
const RE_ROMAN = /^M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$/u
/** Roman numerals that are also Serbian words: mi "we", vi "you", li (a particle), div "giant". */
const ROMAN_WORDS: ReadonlySet<string> = new Set(['MI', 'VI', 'LI', 'DIV'])
/** A word in title case just before: "Petar " before a regnal "I". */
const RE_AFTER_NAME = /\p{Lu}\p{Ll}+[ \u00A0]$/u
const RE_LOWER = /\p{Ll}/u
const RE_CYRILLIC_LETTER = /\p{Script=Cyrillic}/gu
const RE_LETTER = /\p{L}/u
const RE_SCRIPT = { Latn: /\p{Script=Latin}/u, Cyrl: /\p{Script=Cyrillic}/u, Grek: /\p{Script=Greek}/u } as const

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)
// Not \p{Lu}: the title-case digraph ǈ (Lj in one character) is a capital too.
const isUpper = (char: string) => char !== char.toLowerCase()
const isLetter = (char: string) => RE_LETTER.test(char)

/** The pattern of everything kept as written: KEPT_SPANS, then the brief's own phrases (longest first), then Latin abbreviations. */
function keptPattern(keep: readonly string[]): RegExp {
  const phrases = [...new Set(keep)]
    .filter((phrase) => phrase.trim() !== '')
    .sort((a, b) => b.length - a.length)
    .map((phrase) => `(?<![\\p{L}\\p{N}])${escapeRegExp(phrase)}(?![\\p{L}\\p{N}])`)
  const abbreviations = LATIN_ABBREVIATIONS.flatMap((a) => [a, capitalised(a)]).map(
    (a) => `(?<![\\p{L}\\p{N}.])${escapeRegExp(a)}${a.endsWith('.') ? '' : '(?![\\p{L}\\p{N}])'}`,
  )
  return new RegExp([...KEPT_SPANS.map((re) => re.source), ...phrases, ...abbreviations].join('|'), 'gu')
}

const RE_KEPT_SPANS = new RegExp(KEPT_SPANS.map((re) => re.source).join('|'), 'gu')

/** The text cut at the matches of `kept`: the parts between them at even indexes, the matches at odd ones. */
function cutAt(text: string, kept: RegExp): string[] {
  const parts: string[] = []
  let from = 0
  for (const match of text.matchAll(kept)) {
    parts.push(text.slice(from, match.index), match[0])
    from = match.index + match[0].length
  }
  return [...parts, text.slice(from)]
}

/** Runs `change` on the text between the matches of `kept`, and leaves the matches as they are. */
const outsideKept = (text: string, kept: RegExp, change: (plain: string) => string) =>
  cutAt(text, kept)
    .map((part, i) => (i % 2 === 0 ? change(part) : part))
    .join('')

/**
 * Whether a word stays as written: a word with a letter Gaj's alphabet lacks or an inner
 * apostrophe (a foreign name: Huawei, Xi, O'Neill), or a Roman numeral. Which capitals are
 * numerals:
 * - two or more letters that make a well-formed numeral (XXI, IV, MCM), except MI, VI, LI
 *   and DIV on a line written all in capitals, where they are the Serbian words;
 * - a lone I or V only just after a word in title case, a regnal number ("Petar I", "Karlo V").
 *   Elsewhere a lone capital is a Serbian word or letter: "I" starting a sentence is "and",
 *   and S, K, U, V are prepositions. Lone L, C, D, M are letters (plan C), and X is foreign.
 */
function keptWord(word: string, text: string, offset: number): boolean {
  if (RE_FOREIGN_LETTER.test(word.normalize('NFC')) || RE_APOSTROPHE.test(word)) return true
  if (word === 'I' || word === 'V') return RE_AFTER_NAME.test(text.slice(Math.max(0, offset - 40), offset))
  if (word.length < 2 || !RE_ROMAN.test(word)) return false
  return !ROMAN_WORDS.has(word) || RE_LOWER.test(lineAt(text, offset))
}

function lineAt(text: string, offset: number): string {
  const end = text.indexOf('\n', offset)
  return text.slice(text.lastIndexOf('\n', offset) + 1, end < 0 ? undefined : end)
}

/** Where a word's digraph letters are two Cyrillic letters (SPLIT_DIGRAPHS): the index of each second letter. */
function splitPoints(word: string): Set<number> {
  const lower = word.toLowerCase()
  const points = new Set<number>()
  for (const { stem, at, initial } of SPLITS) {
    for (let i = lower.indexOf(stem); i >= 0 && !(initial && i > 0); i = lower.indexOf(stem, i + 1)) points.add(i + at)
  }
  return points
}

/** One Latin letter (lj, nj, dž count as one) in Cyrillic, in the case of its first character. */
function cyrillicLetter(letter: string): string {
  const cyrillic = LATIN_TO_CYRILLIC[letter.toLowerCase()]
  if (cyrillic === undefined) return letter
  return isUpper(letter.charAt(0)) ? cyrillic.toUpperCase() : cyrillic
}

function cyrillicWord(word: string): string {
  const composed = word.normalize('NFC') // č written as c + combining caron is still č
  const splits = splitPoints(composed)
  let out = ''
  for (let i = 0; i < composed.length;) {
    const pair = composed.slice(i, i + 2)
    const letter = pair.length === 2 && !splits.has(i + 1) && LATIN_TO_CYRILLIC[pair.toLowerCase()] !== undefined ? pair : composed.charAt(i)
    out += cyrillicLetter(letter)
    i += letter.length
  }
  return out
}

/**
 * Serbian Latin to Serbian Cyrillic: lj, nj, dž become љ, њ, џ (in any case: Lj, LJ → Љ) except
 * where the two letters belong to different morphemes (SPLIT_DIGRAPHS: injekcija → инјекција).
 * Left as written: `{word:…}` tokens, URLs and web addresses, e-mail addresses, text in
 * backticks, every phrase in `keep` (case-sensitive, whole words, the longest first), Latin
 * abbreviations (e.g., et al., op. cit.), Roman numerals, and words with letters Gaj's alphabet
 * lacks (Huawei, Xi). Acronyms in Serbian letters are transliterated: EU → ЕУ, NATO → НАТО.
 * Latin "dj" stays two letters (дј): Gaj's alphabet writes ђ as đ.
 */
export function toCyrillic(text: string, keep: readonly string[] = []): string {
  return outsideKept(text, keptPattern(keep), (plain) =>
    plain.replace(RE_WORD, (word: string, offset: number) => (keptWord(word, plain, offset) ? word : cyrillicWord(word))),
  )
}

/**
 * A capital љ, њ, џ, ѓ, ќ, ѕ is written all in capitals (LJ) inside a word in capitals, and in
 * title case (Lj) otherwise, alone included: the next letter decides, or at a word's end the one before.
 */
function inCapitals(text: string, offset: number): boolean {
  const next = text.charAt(offset + 1)
  return isLetter(next) ? isUpper(next) : isUpper(text.charAt(offset - 1))
}

function latinLetter(letter: string, offset: number, text: string): string {
  const lower = letter.toLowerCase()
  const latin = CYRILLIC_TO_LATIN[lower]
  if (latin === undefined) return letter
  if (letter === lower) return latin
  return latin.length === 1 || inCapitals(text, offset) ? latin.toUpperCase() : capitalised(latin)
}

/**
 * Serbian (and Macedonian) Cyrillic to Latin: љ → lj, њ → nj, џ → dž, ђ → đ, ћ → ć; Macedonian
 * ѓ → gj, ќ → kj, ѕ → dz, ѐ → è, ѝ → ì. Capitals by their word: Љубљана → Ljubljana, ЉУБЉАНА →
 * LJUBLJANA. Other Cyrillic letters (Russian ы, Ukrainian ї…) are left as written, as are tokens,
 * addresses and code.
 */
export function toLatin(text: string): string {
  return outsideKept(text, RE_KEPT_SPANS, (plain) => plain.replace(RE_CYRILLIC_LETTER, latinLetter))
}

/**
 * The script a text is written in, read from the letters a transliteration would change:
 * digits, punctuation, tokens, addresses, code, the phrases in `keep`, Latin abbreviations,
 * Roman numerals and foreign words (all written alike in either script) do not count, nor do
 * letters of scripts other than Latin, Cyrillic and Greek. `none` when no letter counts; `mixed`
 * when letters of two scripts do, a Latin letter among Cyrillic ones included.
 */
export function scriptOf(text: string, keep: readonly string[] = []): Script {
  const words = cutAt(text, keptPattern(keep))
    .filter((_, i) => i % 2 === 0)
    .flatMap((plain) => [...plain.matchAll(RE_WORD)].filter((match) => !keptWord(match[0], plain, match.index)).map((match) => match[0]))
  const found = Object.entries(RE_SCRIPT)
    .filter(([, re]) => words.some((word) => re.test(word)))
    .map(([script]) => script as Script)
  return found.length > 1 ? 'mixed' : (found[0] ?? 'none')
}
