import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { scriptOf, SPLIT_DIGRAPHS, toCyrillic, toLatin } from '../deck/languages/script.ts'
import { PROPERTY_RUNS, PROPERTY_TIMEOUT_MS } from './helpers.ts'

// Sentences a public text prints in both scripts: Dnevnik (Novi Sad) publishes each article
// in Cyrillic and in Latin. From "Jezikomanija: N + J = NJ ili Nj" (dnevnik.rs/node/1149670 and
// dnevnik.rs/lat/magazin/zanimljivosti/jezikomanija-n-j-nj-ili-n-11-11-2017) and "Jezikomanija:
// Konjunktivitis ili konjuktivitis?" (dnevnik.rs/kultura/naslovi/jezikomanija-konjunktivitis-ili-
// konjuktivitis-05-06-2021 and dnevnik.rs/lat/node/1300271). The Latin pages are made by a
// converter that writes a lone or capital Њ as "NJ" or "Nj" by turns, and "INjEKCIJA" for
// ИЊЕКЦИЈА; where they differ from the Cyrillic original, the Latin here follows this module's
// rule (a lone capital Њ is "Nj", as the 2021 page writes it).
const BOTH_SCRIPTS: [latin: string, cyrillic: string][] = [
  [
    'Prijateljica je nedavno završila na „Hitnoj” zbog ujeda pčele! Alergična je! Dobila je INJEKCIJU i sve je dobro prošlo!',
    'Пријатељица је недавно завршила на „Хитној” због уједа пчеле! Алергична је! Добила је ИНЈЕКЦИЈУ и све је добро прошло!',
  ],
  [
    'Kombinacija glasova N i J ne javlja se u srpskim rečima (osim u skraćenici Tanjug) već se zamenjuje glasom Nj',
    'Комбинација гласова Н и Ј не јавља се у српским речима (осим у скраћеници Танјуг) већ се замењује гласом Њ',
  ],
  [
    'KONJUNKTURA je sticaj zgodnih prilika, okolnost, prilika; izgled na povoljnu ponudu i tražnju robe koji se pruža ili ukazuje poslovnim preduzećima.',
    'КОНЈУНКТУРА је стицај згодних прилика, околност, прилика; изглед на повољну понуду и тражњу робе који се пружа или указује пословним предузећима.',
  ],
  [
    'Jotovanje se ne vrši na granici prefiksa zbog psihološke (značenjske) granice među delovima reči',
    'Јотовање се не врши на граници префикса због психолошке (значењске) границе међу деловима речи',
  ],
  ['Imenica INJEKCIJA se tako piše, mada se u izgovoru čuje Nj.', 'Именица ИНЈЕКЦИЈА се тако пише, мада се у изговору чује Њ.'],
  // pitajtelektora.com, "Сугласник Ј" (Cyrillic only; the Latin is the letter-for-letter reading)
  ['Juče je primio poslednju injekciju.', 'Јуче је примио последњу инјекцију.'],
  ['Taj bakarni kotlić treba ponovo kalajisati.', 'Тај бакарни котлић треба поново калајисати.'],
  // kultura.gov.rs, vest 7493 (Cyrillic only)
  [
    'Vlada Republike Srbije usvojila je danas, na predlog Ministarstva kulture i informisanja, Predlog zakona o upotrebi jezika u javnom životu i zaštiti i očuvanju ćiriličkog pisma',
    'Влада Републике Србије усвојила је данас, на предлог Министарства културе и информисања, Предлог закона о употреби језика у јавном животу и заштити и очувању ћириличког писма',
  ],
]

describe('sentences printed in both scripts', () => {
  it.each(BOTH_SCRIPTS)('%s', (latin, cyrillic) => {
    expect(toCyrillic(latin)).toBe(cyrillic)
    expect(toLatin(cyrillic)).toBe(latin)
  })

  it('reads Cyrillic the Latin cannot tell apart: конјугација and коњугација are both "konjugacija"', () => {
    // The 2021 Latin page asks "konjugacija ili konjugacija?", where the Cyrillic asks конјугација или коњугација.
    expect(toLatin('Даље, конјугација или коњугација? Пише се КОНЈУГАЦИЈА.')).toBe('Dalje, konjugacija ili konjugacija? Piše se KONJUGACIJA.')
    expect(toCyrillic('Dalje, konjugacija? Piše se KONJUGACIJA.')).toBe('Даље, конјугација? Пише се КОНЈУГАЦИЈА.')
  })

  it('transliterates a sentence of the default brief, Si Đinping as Serbian writes him', () => {
    expect(toCyrillic('Potpisani tokom državne posete Si Đinpinga Beogradu; jedan od njih je ugovor o ekstradiciji.')).toBe(
      'Потписани током државне посете Си Ђинпинга Београду; један од њих је уговор о екстрадицији.',
    )
  })
})

describe('toCyrillic leaves as written', () => {
  it.each([
    ['the brief’s tokens', 'Maj 2024: {fig:agreements} sporazuma sa Kinom.{ref:2,3}', 'Мај 2024: {fig:agreements} споразума са Кином.{ref:2,3}'],
    ['any {word:…} token', 'videti {note:lj-nj} i {ref:2, 3}', 'видети {note:lj-nj} и {ref:2, 3}'],
    ['a URL', 'Izvor: https://www.rts.rs/lat/vesti/politika.html.', 'Извор: https://www.rts.rs/lat/vesti/politika.html.'],
    ['a URL in parentheses', 'sajt (http://Vlada.gov.rs/dokumenti?id=7&lang=lat)', 'сајт (http://Vlada.gov.rs/dokumenti?id=7&lang=lat)'],
    ['a www. address', 'na www.kultura.gov.rs, danas', 'на www.kultura.gov.rs, данас'],
    ['a web address without scheme', 'na sajtu vlada.gov.rs/vesti i eliamep.gr.', 'на сајту vlada.gov.rs/vesti и eliamep.gr.'],
    ['an e-mail address', 'Pišite na jelena.petrovic@eliamep.gr ili info@vlada.rs.', 'Пишите на jelena.petrovic@eliamep.gr или info@vlada.rs.'],
    ['text in backticks', 'pokrenite `npm run build` pa `deck check`', 'покрените `npm run build` па `deck check`'],
    [
      'foreign names',
      'Huawei i Xi, Volkswagen, Müller, Mu\u0308ller, Fabius, O’Neill i McDonald’s',
      'Huawei и Xi, Volkswagen, Müller, Mu\u0308ller, Фабиус, O’Neill и McDonald’s',
    ],
    [
      'Latin abbreviations',
      'npr. EU, NATO itd., e.g. ovo, i.e. ono, etc. Videti: Ibid., op. cit., cf. str. 5; N.B. [sic]',
      'нпр. ЕУ, НАТО итд., e.g. ово, i.e. оно, etc. Видети: Ibid., op. cit., cf. стр. 5; N.B. [sic]',
    ],
    [
      'Latin abbreviations in a citation',
      'Petrović et al. (2021), 9 a.m. vs. 5 p.m.; loc. cit.; viz. ca. 30',
      'Петровић et al. (2021), 9 a.m. vs. 5 p.m.; loc. cit.; viz. ca. 30',
    ],
    [
      'Roman numerals',
      'XXI vek, IV kvartal, MCMXCIX, od XIX do XX veka, tom II, glava VI',
      'XXI век, IV квартал, MCMXCIX, од XIX до XX века, том II, глава VI',
    ],
    ['a regnal number after a name', 'Petar I Karađorđević i Karlo V', 'Петар I Карађорђевић и Карло V'],
  ])('%s', (_, latin, cyrillic) => {
    expect(toCyrillic(latin)).toBe(cyrillic)
  })

  it('the phrases the brief keeps: case-sensitive, whole words, the longest first', () => {
    const keep = ['ELIAMEP', 'Shandong', 'Shandong Linglong']
    expect(toCyrillic('ELIAMEP i Shandong Linglong; Eliamep, ELIAMEP-a, Shandong', keep)).toBe('ELIAMEP и Shandong Linglong; Елиамеп, ELIAMEP-а, Shandong')
    expect(toCyrillic('Shandong Linglonga', ['Shandong Linglong'])).toBe('Схандонг Линглонга')
    expect(toCyrillic('Linglong (Shandong) i Linglongov', ['Linglong'])).toBe('Linglong (Схандонг) и Линглонгов')
    expect(toCyrillic('a (b) c', ['(b)', ''])).toBe('а (b) ц')
  })

  it('transliterates acronyms in Serbian letters, and single capitals as Serbian words and letters', () => {
    expect(toCyrillic('EU, NATO, UN, OEBS, CIA, SAD i DC')).toBe('ЕУ, НАТО, УН, ОЕБС, ЦИА, САД и DC')
    expect(toCyrillic('I tako. S njima, K nama, U Beogradu, V. Petrović, plan C, tačka D')).toBe(
      'И тако. С њима, К нама, У Београду, В. Петровић, план Ц, тачка Д',
    )
    // MI, VI, LI, DIV are numerals in running text, words in a line of capitals.
    expect(toCyrillic('U VI veku, MI 6')).toBe('У VI веку, MI 6')
    expect(toCyrillic('MI I VI\nDa li VI')).toBe('МИ И ВИ\nДа ли VI')
  })
})

describe('digraphs', () => {
  it.each([
    ['LJUBLJANA', 'ЉУБЉАНА'],
    ['Ljubljana', 'Љубљана'],
    ['ljubljana', 'љубљана'],
    ['LJubljana', 'Љубљана'],
    ['NJEGOŠ i NJ', 'ЊЕГОШ и Њ'],
    ['Njegoš', 'Његош'],
    ['DŽEP, Džep, džep', 'ЏЕП, Џеп, џеп'],
    ['ǈubljana, ǋegoš, ǅep', 'Љубљана, Његош, Џеп'],
    ['dj u gdje i Djordje', 'дј у гдје и Дјордје'],
    ['c\u030Cas, Z\u030Cuti', 'час, Жути'],
  ])('%s → %s', (latin, cyrillic) => {
    expect(toCyrillic(latin)).toBe(cyrillic)
  })

  it.each([
    ['injekcija, INJEKCIJE, injektirati, injicirati, injurija', 'инјекција, ИНЈЕКЦИЈЕ, инјектирати, инјицирати, инјурија'],
    ['konjugacija, konjunktura, Konjunktiv, konjunktivitis, konjektura', 'конјугација, конјунктура, Конјунктив, конјунктивитис, конјектура'],
    ['anjon, Tanjug, TANJUG-a, vanjezički', 'анјон, Танјуг, ТАНЈУГ-а, ванјезички'],
    ['nadživeti, nadživljavati, nenadživljen, odživeti, odžaliti, neodžaljen', 'надживети, надживљавати, ненадживљен, одживети, оджалити, неоджаљен'],
    [
      'podžanr, podžupan, podželudačna, podžigati, podžnjeti, nadžnjeti, predžetveni',
      'поджанр, поджупан, поджелудачна, поджигати, поджњети, наджњети, преджетвени',
    ],
  ])('two letters across a morpheme boundary: %s', (latin, cyrillic) => {
    expect(toCyrillic(latin)).toBe(cyrillic)
  })

  it.each([
    ['konj, konjic, konjušnica', 'коњ, коњиц, коњушница'],
    ['kanjon, sanjati, banja', 'кањон, сањати, бања'],
    ['odžak, hodža, hodžaluk, Odžaci', 'оџак, хоџа, хоџалук, Оџаци'],
    ['svedodžba, narudžbina', 'сведоџба, наруџбина'],
  ])('one letter where no boundary is: %s', (latin, cyrillic) => {
    expect(toCyrillic(latin)).toBe(cyrillic)
  })

  it('marks each boundary once, as the stem’s letters say', () => {
    for (const entry of SPLIT_DIGRAPHS) {
      expect(entry, entry).toMatch(/^\^?[a-zčćđšž]+\|[a-zčćđšž]+$/)
      const [before = '', after = ''] = entry.replace('^', '').split('|')
      expect(['n|j', 'l|j', 'd|ž'], entry).toContain(`${before.slice(-1)}|${after.charAt(0)}`)
    }
  })
})

describe('toLatin', () => {
  it.each([
    ['ЉУБЉАНА', 'LJUBLJANA'],
    ['Љубљана', 'Ljubljana'],
    ['ЊЕГОШ, Његош, Њ', 'NJEGOŠ, Njegoš, Nj'],
    ['ДРЕЊ и ЏЏ', 'DRENJ i DŽDŽ'],
    ['Ђорђе Ћосић', 'Đorđe Ćosić'],
    ['Љ. Стојановић', 'Lj. Stojanović'],
    // Macedonian
    ['Ѓорѓи, ЃОРЃИ, ќерка, КЌЕРКА, Ѕвезда, ЅВЕЗДА', 'Gjorgji, GJORGJI, kjerka, KKJERKA, Dzvezda, DZVEZDA'],
    ['сѐ и ѝ, СЀ', 'sè i ì, SÈ'],
    ['Џамија во Скопје', 'Džamija vo Skopje'],
  ])('%s → %s', (cyrillic, latin) => {
    expect(toLatin(cyrillic)).toBe(latin)
  })

  it('leaves other Cyrillic letters, tokens, addresses and code as written', () => {
    expect(toLatin('Путин: “Россия”')).toBe('Putin: “Rossiя”')
    expect(toLatin('{fig:агро} на http://пример.срб/ћ и `љ`')).toBe('{fig:агро} na http://пример.срб/ћ i `љ`')
  })
})

describe('scriptOf', () => {
  it.each([
    ['Srbija i Kina', 'Latn'],
    ['Србија и Кина', 'Cyrl'],
    ['Η Ελλάδα', 'Grek'],
    ['Србија и Kina', 'mixed'],
    // A Cyrillic е among Latin letters, as a page of dnevnik.rs/lat prints "Jеzikomanija"
    ['Jеzikomanija', 'mixed'],
    ['', 'none'],
    ['2024. — 12,5 %', 'none'],
    ['{fig:agreements} {ref:2,3}', 'none'],
    ['https://www.rts.rs/ i ana@rts.rs', 'Latn'],
    ['XXI век, Huawei, e.g. `code`, www.rts.rs', 'Cyrl'],
    ['Huawei, XXI', 'none'],
    ['Си Ђинпинг (习近平)', 'Cyrl'],
  ] as const)('%s → %s', (text, script) => {
    expect(scriptOf(text)).toBe(script)
  })

  it('does not count the phrases a brief keeps', () => {
    expect(scriptOf('Истраживачица, ELIAMEP')).toBe('mixed')
    expect(scriptOf('Истраживачица, ELIAMEP', ['ELIAMEP'])).toBe('Cyrl')
  })
})

// Words of Serbian Latin letters, the digraphs counted as one, in lower case, title case or
// capitals; a digraph alone in capitals ("NJ") is left out, since Њ alone reads back as "Nj".
const LATIN_LETTERS = 'a b c č ć d dž đ e f g h i j k l lj m n nj o p r s š t u v z ž'.split(' ')
const CYRILLIC_LETTERS = 'а б в г д ђ е ж з и ј к л љ м н њ о п р с т ћ у ф х ц ч џ ш'.split(' ')
const SEPARATORS = [' ', ', ', '. ', '; ', ': ', ' - ', ' (', ') ', '! ', '? ', ' „', '” ', '\n', '\u00A0']
const cased = (letters: string[]) =>
  fc.constantFrom('lower', 'title', 'upper').map((how) => {
    const word = letters.join('')
    return how === 'lower' ? word : how === 'upper' ? word.toUpperCase() : word.charAt(0).toUpperCase() + word.slice(1)
  })
const latinWord = fc.oneof(
  fc
    .array(fc.constantFrom(...LATIN_LETTERS), { minLength: 1, maxLength: 9 })
    .chain(cased)
    .filter((w) => !['LJ', 'NJ', 'DŽ'].includes(w)),
  // Words with digraph exceptions and numerals, so the property meets them often.
  fc.constantFrom('injekcija', 'Tanjug', 'podžanr', 'nadživeti', 'KONJUNKTURA', 'Ljubljana', 'NJEGOŠ', 'XIV', 'Petar I', 'cf', 'etc'),
)
const sentence = (word: fc.Arbitrary<string>) =>
  fc
    .array(fc.tuple(word, fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 12 })
    .map((pairs) => pairs.map(([w, separator]) => w + separator).join(''))

// Cyrillic words whose Latin reads back the same: no н, л before ј or д before ж (those would come
// back as њ, љ, џ), no stem where they would stay two letters (коњуг would come back as конјуг),
// and none that Latin keeps as written (a Roman numeral, a Latin abbreviation).
const LATIN_KEPT_WORDS = new Set(['cf', 'vs', 'etc', 'ibid', 'viz', 'sic', 'ca', 'op', 'loc', 'et'])
const STEMS = SPLIT_DIGRAPHS.map((entry) => entry.replace(/[|^]/g, ''))
const readsBack = (word: string) => {
  const latin = toLatin(word)
  const lower = latin.toLowerCase()
  return !/[нл]ј|дж/iu.test(word) && !/^[IVXLCDM]+$/u.test(latin) && !LATIN_KEPT_WORDS.has(lower) && !STEMS.some((stem) => lower.includes(stem))
}
const cyrillicWord = fc
  .array(fc.constantFrom(...CYRILLIC_LETTERS), { minLength: 2, maxLength: 9 })
  .chain(cased)
  .filter(readsBack)

const settings = { numRuns: PROPERTY_RUNS }

describe('properties', () => {
  it(
    'Serbian Latin to Cyrillic and back is the text it started from',
    () => {
      fc.assert(
        fc.property(sentence(latinWord), (text) => {
          expect(toLatin(toCyrillic(text))).toBe(text)
        }),
        settings,
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'Serbian Cyrillic to Latin and back is the text it started from',
    () => {
      fc.assert(
        fc.property(sentence(cyrillicWord), (text) => {
          expect(toCyrillic(toLatin(text))).toBe(text)
        }),
        settings,
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'a transliteration is written in its script, and leaves the other alone',
    () => {
      fc.assert(
        fc.property(sentence(latinWord), sentence(cyrillicWord), (latin, cyrillic) => {
          expect(['Cyrl', 'none']).toContain(scriptOf(toCyrillic(latin)))
          expect(['Latn', 'none']).toContain(scriptOf(toLatin(cyrillic)))
          expect(toCyrillic(cyrillic)).toBe(cyrillic)
          expect(toLatin(latin)).toBe(latin)
        }),
        settings,
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'leaves every {fig:…} token and URL byte for byte',
    () => {
      const token = fc.oneof(
        fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/).map((id) => `{fig:${id}}`),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 3 }).map((ns) => `{ref:${ns.join(',')}}`),
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
      )
      const around = fc.oneof(sentence(latinWord), fc.string({ maxLength: 20 }))
      fc.assert(
        fc.property(fc.array(fc.tuple(around, token), { minLength: 1, maxLength: 4 }), around, (pieces, end) => {
          const text = pieces.map(([before, kept]) => `${before} ${kept} `).join('') + end
          const out = toCyrillic(text)
          for (const [, kept] of pieces) expect(out).toContain(` ${kept} `)
        }),
        settings,
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})
