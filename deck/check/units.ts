// The words real texts of the region write numbers, scales, currencies, percentages and
// hedges in, one table per language (BCP 47 tag), so that each can later move into a
// catalogue file of its own. Forms were checked against published texts (news agencies,
// ministries, central banks) in each language: "154 milijarde eura", "400 milijuna eura",
// "20 miliona evra", "0,1 odsto", "8 милијарди евра", "654 милиони евра", "околу 400",
// "5 miliardë eurove", "108.7 lekë", "rreth 10 lekë", "9 përqind", "1,8 δισ. ευρώ",
// "500 εκατ. ευρώ", "€ 348 εκατομμυρίων", "περίπου 10%".

/** The languages whose words the provenance check reads. */
export const LANGUAGE_TAGS = ['en', 'sr-Latn', 'sr-Cyrl', 'bs', 'hr', 'mk', 'sq', 'el'] as const
export type LanguageTag = (typeof LANGUAGE_TAGS)[number]

export const CURRENCY_CODES = ['EUR', 'USD', 'GBP', 'CNY', 'RSD', 'BAM', 'MKD', 'ALL', 'HRK'] as const
export type CurrencyCode = (typeof CURRENCY_CODES)[number]

/** What one of the scale words stands for: a thousand, a million, a billion (10⁹), a trillion (10¹²). */
export type ScaleFactor = 1e3 | 1e6 | 1e9 | 1e12

/** Table entries written as one line: "nula jedan|jedna dva" → ["nula", "jedan|jedna", "dva"]. */
function list(entries: string): readonly string[] {
  return entries.split(' ')
}

export interface LanguageWords {
  /**
   * Scale words after a number, every case form and abbreviation. Note the long scale of the
   * region's languages: "bilion" (sr, hr "bilijun", sq, mk) is 10¹², "milijarda" 10⁹, ; their
   * "trilion" (10¹⁸, where English "trillion" is 10¹²) is not read.
   */
  scales: Partial<Record<ScaleFactor, readonly string[]>>
  /** Currency names, every case form (matched without regard to case). */
  currencies: Partial<Record<CurrencyCode, readonly string[]>>
  /** Words after a number that make it a percentage. */
  percent: readonly string[]
  /** Words before a number that say it is not exact. */
  hedges: readonly string[]
  /** The numbers 0 to 19, in order; a string holds the forms of one number (gender, variants), separated by "|". */
  units: readonly string[]
  /** 20, 30 … 90, in order (forms separated by "|"). */
  tens: readonly string[]
  /** 100. */
  hundred: readonly string[]
  /** Words that may join tens and units: "dvadeset i pet", "дваесет и пет", "njëzet e pesë". */
  joiners: readonly string[]
  /** The months, January first, each with the case forms dates use ("8. maja", "16. svibnja", "15 dhjetor", "Μαΐου"), separated by "|". */
  months: readonly string[]
}

// Serbian, Bosnian and Croatian share most of their number words; each table lists its own.
const SH_UNITS_EKAVIAN = list(
  'nula jedan|jedna|jedno|jednu dva|dve|dvoje tri|troje četiri|četvoro pet|petoro šest|šestoro sedam osam devet deset jedanaest dvanaest trinaest četrnaest petnaest šesnaest sedamnaest osamnaest devetnaest',
)
const SH_UNITS_IJEKAVIAN = SH_UNITS_EKAVIAN.map((w) => (w.startsWith('dva|') ? 'dva|dvije|dvoje|dve' : w))
const SH_TENS = ['dvadeset', 'trideset', 'četrdeset|četrdese', 'pedeset', 'šezdeset', 'sedamdeset', 'osamdeset', 'devedeset'] as const
const SH_HEDGES = [
  'oko',
  'otprilike',
  'približno',
  'gotovo',
  'skoro',
  'blizu',
  'procenjuje se na',
  'procjenjuje se na',
  'procenjenih',
  'procenjeno',
  'procenjeni',
  'procenjena',
]
const SH_EURO = ['euro', 'eura', 'euru', 'eurima', 'evro', 'evra', 'evru', 'evrima']
const SH_DOLLAR = ['dolar', 'dolara', 'dolari', 'dolaru', 'dolarima']
const SH_YUAN = ['juan', 'juana', 'juani', 'juanima']
const SH_POUND = ['funta', 'funti', 'funte', 'funtama']

export const UNIT_WORDS: Readonly<Record<LanguageTag, LanguageWords>> = {
  en: {
    scales: {
      1e3: ['thousand', 'thousands', 'k'],
      1e6: ['million', 'millions', 'mn', 'mln', 'mln.', 'm'],
      1e9: ['billion', 'billions', 'bn', 'b'],
      1e12: ['trillion', 'trillions', 'tn', 'trn'],
    },
    currencies: {
      EUR: ['euro', 'euros'],
      USD: ['dollar', 'dollars', 'US dollars'],
      GBP: ['pound', 'pounds', 'pounds sterling'],
      CNY: ['yuan', 'renminbi'],
      RSD: ['dinar', 'dinars'],
      BAM: ['convertible mark', 'convertible marks'],
      MKD: ['denar', 'denars', 'denari'],
      ALL: ['lek', 'leks', 'lekë'],
      HRK: ['kuna', 'kunas'],
    },
    percent: ['percent', 'per cent', 'percentage points', 'percentage point'],
    hedges: [
      'about',
      'almost',
      'nearly',
      'around',
      'approximately',
      'roughly',
      'some',
      'an estimated',
      'estimated',
      'estimated at',
      'estimated to be',
      'close to',
      'circa',
      'ca.',
      'approx.',
    ],
    units: list('zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen'),
    tens: ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'],
    hundred: ['hundred', 'one hundred', 'a hundred'],
    joiners: [],
    months: list('January|Jan February|Feb March|Mar April|Apr May June|Jun July|Jul August|Aug September|Sept|Sep October|Oct November|Nov December|Dec'),
  },
  'sr-Latn': {
    scales: {
      1e3: ['hiljada', 'hiljade', 'hiljadu', 'hiljadama', 'hilj.'],
      1e6: ['milion', 'miliona', 'milioni', 'milionu', 'milionima', 'mil.', 'mln', 'mln.', 'mil'],
      1e9: ['milijarda', 'milijarde', 'milijardi', 'milijardu', 'milijardama', 'mlrd', 'mlrd.', 'mld.'],
      1e12: ['bilion', 'biliona', 'bilioni', 'bilionu'],
    },
    currencies: {
      EUR: SH_EURO,
      USD: SH_DOLLAR,
      RSD: ['dinar', 'dinara', 'dinari', 'dinaru', 'dinarima', 'din.'],
      CNY: SH_YUAN,
      GBP: SH_POUND,
      MKD: ['denar', 'denara', 'denari'],
      HRK: ['kuna', 'kune', 'kunama'],
      BAM: ['konvertibilna marka', 'konvertibilne marke', 'konvertibilnih maraka'],
    },
    percent: ['posto', 'odsto', 'procenat', 'procenta', 'procenata', 'procentnih poena', 'procentna poena', 'procentni poen'],
    hedges: SH_HEDGES,
    units: SH_UNITS_EKAVIAN,
    tens: SH_TENS,
    hundred: ['sto', 'stotinu'],
    joiners: ['i'],
    months: list(
      'januar|januara|januaru februar|februara|februaru mart|marta|martu april|aprila|aprilu maj|maja|maju jun|juna|junu|juni jul|jula|julu|juli avgust|avgusta|avgustu|august|augusta|augustu septembar|septembra|septembru oktobar|oktobra|oktobru novembar|novembra|novembru decembar|decembra|decembru',
    ),
  },
  'sr-Cyrl': {
    scales: {
      1e3: ['хиљада', 'хиљаде', 'хиљаду', 'хиљадама', 'хиљ.'],
      1e6: ['милион', 'милиона', 'милиони', 'милиону', 'милионима', 'мил.', 'млн', 'млн.'],
      1e9: ['милијарда', 'милијарде', 'милијарди', 'милијарду', 'милијардама', 'млрд', 'млрд.'],
      1e12: ['билион', 'билиона', 'билиони'],
    },
    currencies: {
      EUR: ['евро', 'евра', 'евру', 'еврима', 'еура', 'еуро'],
      USD: ['долар', 'долара', 'долари', 'долару', 'доларима'],
      RSD: ['динар', 'динара', 'динари', 'динару', 'динарима', 'дин.'],
      CNY: ['јуан', 'јуана', 'јуани'],
      BAM: ['конвертибилна марка', 'конвертибилних марака', 'конвертибилне марке'],
    },
    percent: ['посто', 'одсто', 'проценат', 'процента', 'процената'],
    hedges: ['око', 'отприлике', 'приближно', 'готово', 'скоро', 'близу', 'процењених', 'процењено', 'процењује се на'],
    units: list(
      'нула један|једна|једно|једну два|две|двије|двоје три|троје четири|четворо пет|петоро шест седам осам девет десет једанаест дванаест тринаест четрнаест петнаест шеснаест седамнаест осамнаест деветнаест',
    ),
    tens: ['двадесет', 'тридесет', 'четрдесет', 'педесет', 'шездесет', 'седамдесет', 'осамдесет', 'деведесет'],
    hundred: ['сто', 'стотину'],
    joiners: ['и'],
    months: list(
      'јануар|јануара|јануару фебруар|фебруара|фебруару март|марта|марту април|априла|априлу мај|маја|мају јун|јуна|јуну|јуни јул|јула|јулу|јули август|августа|августу септембар|септембра|септембру октобар|октобра|октобру новембар|новембра|новембру децембар|децембра|децембру',
    ),
  },
  bs: {
    scales: {
      1e3: ['hiljada', 'hiljade', 'hiljadu', 'hiljadama', 'hilj.', 'tisuća', 'tisuće'],
      1e6: ['milion', 'miliona', 'milioni', 'milionu', 'mil.', 'mln'],
      1e9: ['milijarda', 'milijarde', 'milijardi', 'milijardu', 'mlrd', 'mlrd.'],
      1e12: ['bilion', 'biliona'],
    },
    currencies: {
      EUR: SH_EURO,
      USD: SH_DOLLAR,
      BAM: ['konvertibilna marka', 'konvertibilne marke', 'konvertibilnih maraka', 'konvertibilnu marku'],
      MKD: ['denar', 'denara', 'denari'],
      CNY: SH_YUAN,
    },
    percent: ['posto', 'odsto', 'procenat', 'procenta', 'procenata', 'postotak', 'postotaka'],
    hedges: SH_HEDGES,
    units: SH_UNITS_IJEKAVIAN,
    tens: SH_TENS,
    hundred: ['sto', 'stotinu'],
    joiners: ['i'],
    months: list(
      'januar|januara|januaru februar|februara|februaru mart|marta|martu april|aprila|aprilu maj|maja|maju juni|juna|junu|jun juli|jula|julu|jul august|augusta|augustu|avgust|avgusta septembar|septembra|septembru oktobar|oktobra|oktobru novembar|novembra|novembru decembar|decembra|decembru',
    ),
  },
  hr: {
    scales: {
      1e3: ['tisuća', 'tisuće', 'tisuću', 'tisućama', 'tis.'],
      1e6: ['milijun', 'milijuna', 'milijuni', 'milijunu', 'milijunima', 'mil.', 'mln'],
      1e9: ['milijarda', 'milijarde', 'milijardi', 'milijardu', 'mlrd', 'mlrd.'],
      1e12: ['bilijun', 'bilijuna', 'bilijuni'],
    },
    currencies: {
      EUR: ['euro', 'eura', 'euru', 'eurima'],
      USD: SH_DOLLAR,
      HRK: ['kuna', 'kune', 'kuni', 'kunama'],
      MKD: ['denar', 'denara', 'denari'],
      BAM: ['konvertibilna marka', 'konvertibilne marke', 'konvertibilnih maraka'],
      GBP: SH_POUND,
      CNY: SH_YUAN,
    },
    percent: ['posto', 'postotak', 'postotka', 'postotaka', 'postotnih bodova', 'postotna boda', 'postotni bod'],
    hedges: ['oko', 'otprilike', 'približno', 'gotovo', 'skoro', 'blizu', 'procijenjenih', 'procijenjeno', 'procjenjuje se na', 'procijenjen na'],
    units: SH_UNITS_IJEKAVIAN,
    tens: SH_TENS,
    hundred: ['sto', 'stotinu'],
    joiners: ['i'],
    months: list(
      'siječanj|siječnja|siječnju veljača|veljače|veljači ožujak|ožujka|ožujku travanj|travnja|travnju svibanj|svibnja|svibnju lipanj|lipnja|lipnju srpanj|srpnja|srpnju kolovoz|kolovoza|kolovozu rujan|rujna|rujnu listopad|listopada|listopadu studeni|studenoga|studenog|studenom prosinac|prosinca|prosincu',
    ),
  },
  mk: {
    scales: {
      1e3: ['илјади', 'илјада', 'илј.'],
      1e6: ['милион', 'милиони', 'милиона', 'милјони', 'мил.', 'млн', 'млн.'],
      1e9: ['милијарда', 'милијарди', 'милијарде', 'млрд', 'млрд.'],
      1e12: ['билион', 'билиони'],
    },
    currencies: {
      EUR: ['евра', 'евро'],
      USD: ['долар', 'долари', 'долара'],
      MKD: ['денар', 'денари', 'денара', 'ден.'],
      CNY: ['јуан', 'јуани'],
    },
    percent: ['отсто', 'процент', 'проценти', 'процентни поени'],
    hedges: ['околу', 'отприлика', 'приближно', 'речиси', 'скоро', 'близу', 'проценети', 'се проценува на'],
    units: list(
      'нула еден|една|едно два|две|двајца три|тројца четири пет шест седум осум девет десет единаесет дванаесет тринаесет четиринаесет петнаесет шеснаесет седумнаесет осумнаесет деветнаесет',
    ),
    tens: ['дваесет', 'триесет', 'четириесет', 'педесет', 'шеесет', 'седумдесет', 'осумдесет', 'деведесет'],
    hundred: ['сто'],
    joiners: ['и'],
    months: list('јануари февруари март април мај јуни јули август септември октомври ноември декември'),
  },
  sq: {
    scales: {
      1e3: ['mijë', 'mijëra'],
      1e6: ['milion', 'milionë', 'miliona', 'milionësh', 'mln'],
      1e9: ['miliard', 'miliardë', 'miliarda', 'miliardësh', 'mld'],
      1e12: ['bilion', 'bilionë'],
    },
    currencies: {
      EUR: ['euro', 'eurove', 'euroja', 'euroje', 'eurosh'],
      USD: ['dollar', 'dollarë', 'dollarëve', 'dollari', 'dollarësh'],
      ALL: ['lek', 'lekë', 'lekëve', 'lekësh', 'leku', 'lekun'],
      MKD: ['denarë', 'denarëve'],
      CNY: ['juan', 'juanë'],
    },
    percent: ['për qind', 'përqind', 'përqindje', 'pikë përqindjeje'],
    hedges: ['rreth', 'afro', 'përafërsisht', 'afërsisht', 'gati', 'pothuajse', 'vlerësohet në'],
    units: list(
      'zero një dy tre|tri katër pesë gjashtë shtatë tetë nëntë dhjetë njëmbëdhjetë dymbëdhjetë trembëdhjetë katërmbëdhjetë pesëmbëdhjetë gjashtëmbëdhjetë shtatëmbëdhjetë tetëmbëdhjetë nëntëmbëdhjetë',
    ),
    tens: ['njëzet', 'tridhjetë', 'dyzet', 'pesëdhjetë', 'gjashtëdhjetë', 'shtatëdhjetë', 'tetëdhjetë', 'nëntëdhjetë'],
    hundred: ['njëqind'],
    joiners: ['e'],
    months: list(
      'janar|janari|janarit shkurt|shkurti|shkurtit mars|marsi|marsit prill|prilli|prillit maj|maji|majit qershor|qershori|qershorit korrik|korriku|korrikut gusht|gushti|gushtit shtator|shtatori|shtatorit tetor|tetori|tetorit nëntor|nëntori|nëntorit dhjetor|dhjetori|dhjetorit',
    ),
  },
  el: {
    scales: {
      1e3: ['χιλιάδες', 'χιλιάδων', 'χιλιάδα', 'χιλ.'],
      1e6: ['εκατομμύριο', 'εκατομμύρια', 'εκατομμυρίων', 'εκατομμυρίου', 'εκατ.', 'εκ.'],
      1e9: ['δισεκατομμύριο', 'δισεκατομμύρια', 'δισεκατομμυρίων', 'δισεκατομμυρίου', 'δισ.'],
      1e12: ['τρισεκατομμύριο', 'τρισεκατομμύρια', 'τρισεκατομμυρίων', 'τρισ.'],
    },
    currencies: {
      EUR: ['ευρώ'],
      USD: ['δολάριο', 'δολάρια', 'δολαρίων', 'δολαρίου'],
      GBP: ['λίρα', 'λίρες', 'λιρών'],
      CNY: ['γουάν'],
    },
    percent: ['τοις εκατό', 'τοις εκατόν', 'ποσοστιαίες μονάδες', 'ποσοστιαία μονάδα'],
    hedges: ['περίπου', 'σχεδόν', 'κοντά σε', 'κοντά στα', 'κοντά στο', 'γύρω στα', 'γύρω στους', 'εκτιμάται σε', 'περί τα'],
    units: list(
      'μηδέν ένα|ένας|μία|μια δύο|δυο τρία|τρεις τέσσερα|τέσσερις πέντε έξι επτά|εφτά οκτώ|οχτώ εννέα|εννιά δέκα έντεκα|ένδεκα δώδεκα δεκατρία|δεκατρείς δεκατέσσερα|δεκατέσσερις δεκαπέντε δεκαέξι|δεκάξι δεκαεπτά|δεκαεφτά δεκαοκτώ|δεκαοχτώ δεκαεννέα|δεκαεννιά',
    ),
    tens: ['είκοσι', 'τριάντα', 'σαράντα', 'πενήντα', 'εξήντα', 'εβδομήντα', 'ογδόντα', 'ενενήντα'],
    hundred: ['εκατό', 'εκατόν'],
    joiners: [],
    months: list(
      'Ιανουάριος|Ιανουαρίου|Ιανουάριο Φεβρουάριος|Φεβρουαρίου|Φεβρουάριο Μάρτιος|Μαρτίου|Μάρτιο Απρίλιος|Απριλίου|Απρίλιο Μάιος|Μαΐου|Μάιο Ιούνιος|Ιουνίου|Ιούνιο Ιούλιος|Ιουλίου|Ιούλιο Αύγουστος|Αυγούστου|Αύγουστο Σεπτέμβριος|Σεπτεμβρίου|Σεπτέμβριο Οκτώβριος|Οκτωβρίου|Οκτώβριο Νοέμβριος|Νοεμβρίου|Νοέμβριο Δεκέμβριος|Δεκεμβρίου|Δεκέμβριο',
    ),
  },
}

/** Signs and codes that name a currency in every language; codes only in capitals ("ALL", never "all"). */
export const CURRENCY_SIGNS: Readonly<Record<CurrencyCode, readonly string[]>> = {
  EUR: ['€', 'EUR'],
  USD: ['$', 'US$', 'USD'],
  GBP: ['£', 'GBP'],
  CNY: ['¥', 'CNY', 'RMB'],
  RSD: ['RSD'],
  BAM: ['BAM', 'KM', 'КМ'],
  MKD: ['MKD', 'МКД'],
  ALL: ['ALL'],
  HRK: ['HRK', 'kn'],
}

/** A percent sign in any language. */
export const PERCENT_SIGNS = ['%', '٪'] as const

/** Words as one regular-expression alternation, longest first, a space in a phrase matching any spacing. */
export function alternation(words: Iterable<string>): string {
  return [...new Set(words)]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'))
    .join('|')
}

/** The words of a table entry: "dva|dve" → ["dva", "dve"]. */
export function forms(entry: string): string[] {
  return entry.split('|')
}

/** Every language's table, in the order of LANGUAGE_TAGS. */
export function allLanguages(): LanguageWords[] {
  return LANGUAGE_TAGS.map((tag) => UNIT_WORDS[tag])
}

/** The tables of the languages a brief written in this language may use (Serbian reads Bosnian and Croatian too). */
export function languagesOf(language: string): LanguageWords[] {
  if (language === 'sr') return [UNIT_WORDS['sr-Latn'], UNIT_WORDS['sr-Cyrl'], UNIT_WORDS.bs, UNIT_WORDS.hr]
  const tag = LANGUAGE_TAGS.find((t) => t === language || t.startsWith(`${language}-`))
  return tag ? [UNIT_WORDS[tag]] : allLanguages()
}
