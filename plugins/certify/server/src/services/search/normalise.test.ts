import { fold, indexWords, prefixUpperBound, queryWords, searchName, specificEnough } from './normalise';

/** Whether a query finds a name the way the database lookup does: every query word starts some indexed word. */
const finds = (query: string, name: string) => {
  const words = indexWords(name);
  const terms = queryWords(query);
  return terms.length > 0 && terms.every((t) => words.some((w) => w >= t && w < prefixUpperBound(t)));
};

describe('fold', () => {
  it('reads plain ASCII the same on its fast path as the full folding would', () => {
    const full = (t: string) => t.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().normalize('NFC');
    const ascii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
    expect(fold(ascii)).toBe(full(ascii));
    expect(indexWords("O'Brien-Smith, Mary Ann 2nd")).toEqual(indexWords("O'Brien-Smith, Mary Ann 2nd\u00a0"));
    expect(indexWords("O'Brien-Smith, Mary Ann")).toEqual(['o', 'brien', 'smith', 'obriensmith', 'mary', 'ann']);
  });
  it('folds case and accents in Latin, Greek and Cyrillic', () => {
    expect(fold('José Rodríguez García')).toBe('jose rodriguez garcia');
    expect(fold('Müller Zoë Ångström Łukasz Đorđević')).toBe('muller zoe angstrom lukasz dordevic');
    expect(fold('Straße STRASSE ẞ')).toBe('strasse strasse ss');
    expect(fold('Søren Ærø Œuvre Þór Guðrún')).toBe('soren aero oeuvre thor gudrun');
    expect(fold('Νίκος ΝΊΚΟΣ Παπαδόπουλος')).toBe('νικοσ νικοσ παπαδοπουλοσ');
    expect(fold('Дмитрий Фёдоров ФЁДОРОВ')).toBe('дмитрии федоров федоров');
    expect(fold('İpek Işık')).toBe('ipek isik');
  });

  it('turns compatibility forms into plain ones and keeps kana voicing and Hangul syllables', () => {
    expect(fold('ＡＢＣ ﬁnn')).toBe('abc finn');
    expect(fold('ガ')).toBe('ガ');
    expect(fold('김민준')).toBe('김민준');
  });
});

describe('indexWords', () => {
  it('indexes every name field, deduplicated, with hyphenated and apostrophed names also joined', () => {
    expect(indexWords('Jean-Pierre O’Brien', 'Jean-Pierre', 'O’Brien')).toEqual(['jean', 'pierre', 'jeanpierre', 'o', 'brien', 'obrien']);
    expect(searchName({ name: null, firstName: 'Eleni', lastName: 'Papadopoulou' })).toBe('eleni papadopoulou');
    expect(searchName({})).toBe('');
  });

  it('indexes every suffix of a Chinese, Japanese or Korean run, apart from Latin letters beside it', () => {
    expect(indexWords('山田太郎')).toEqual(['山田太郎', '田太郎', '太郎', '郎']);
    expect(indexWords('Taro山田')).toEqual(['taro', '山田', '田']);
  });

  it('cuts very long words and bounds the number of words', () => {
    expect(indexWords('a'.repeat(200))).toEqual(['a'.repeat(64)]);
    expect(indexWords(Array.from({ length: 100 }, (_, i) => `w${i}`).join(' '))).toHaveLength(48);
  });
});

describe('matching', () => {
  it.each([
    ['jose rodriguez', 'José Antonio Rodríguez García'],
    ['rodriguez jose', 'José Antonio Rodríguez García'],
    ['muller', 'Müller'],
    ['MÜLLER', 'Thomas Müller'],
    ['zoe', 'Zoë Smith'],
    ['дмитрий', 'Дмитрий Иванов'],
    ['федор', 'Фёдор Петров'],
    ['νίκος', 'Νίκος Κωνσταντίνου'],
    ['νικος', 'ΝΊΚΟΣ ΠΑΠΑΣ'],
    ['Papadopoulou, Eleni', 'Eleni Papadopoulou'],
    ['obrien', "Sean O'Brien"],
    ['o’brien', "Sean O'Brien"],
    ['Li', 'Li Wei'],
    ['山田', '山田太郎'],
    ['太郎', '山田太郎'],
    ['李', '李小龍'],
    ['strasse', 'Anna Straße'],
    ['smi', 'John Smith'],
  ])('%s finds %s', (query, name) => {
    expect(finds(query, name)).toBe(true);
  });

  // Not a word start, a word that is not there, another letter, another kana.
  it.each([['mith', 'John Smith'], ['jose garcia lopez', 'José Antonio Rodríguez García'], ['müller', 'Miller'], ['ガ', 'カナ']])(
    '%s does not find %s',
    (query, name) => expect(finds(query, name)).toBe(false)
  );

  it('needs two letters, or one character of a script without spaces', () => {
    expect(specificEnough(queryWords('L'))).toBe(false);
    expect(specificEnough(queryWords(' , '))).toBe(false);
    expect(specificEnough(queryWords('Li'))).toBe(true);
    expect(specificEnough(queryWords('李'))).toBe(true);
  });

  it('bounds a prefix range in code point order', () => {
    expect(prefixUpperBound('muller')).toBe('mulles');
    expect(prefixUpperBound('山')).toBe('屲');
    expect(prefixUpperBound('\ud7ff')).toBe('\ue000');
  });
});
