/**
 * Name normalisation for search: what a name is indexed as, and what a query is looked up as.
 * Both sides go through the same folding, so a participant who types without accents, in lower
 * case, or surname first ("Papadopoulou, Eleni", as results files write it) finds their name.
 */

/** Longest indexed word (characters): a query word is cut to the same length, so prefixes still match. */
export const MAX_WORD = 64;
/** Words kept per record and per query: bounds index rows and the number of lookups. */
const MAX_INDEX_WORDS = 48;
export const MAX_QUERY_WORDS = 8;

// Scripts written without spaces between words: a name there is matched as a substring.
const UNSPACED = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u;
const UNSPACED_RUNS = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]+|[^\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]+/gu;
// Combining marks, except the kana voicing marks (ガ is not カ).
const MARKS = /(?![\u3099\u309a])\p{M}/gu;
const NOT_ALNUM = /[^\p{L}\p{N}]+/u;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

// Letters that carry no decomposition, so NFKD alone would leave them unmatched by a plain-ASCII query.
const LETTERS: Record<string, string> = {
  ß: 'ss',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ς: 'σ',
  // Modifier-letter apostrophes (Ukrainian, Hawaiian) separate like a typed apostrophe.
  ʼ: "'",
  ʻ: "'",
};
const SPECIAL = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'gu');

/**
 * Case- and accent-folded text: NFKD, combining marks dropped (é→e, ё→е, ά→α; й→и too, which
 * only widens a search), lower case with the letters above mapped, then NFC again so Hangul
 * syllables and voiced kana are whole.
 */
export const fold = (text: string): string =>
  // Plain ASCII (most names of most files) has nothing to decompose or map: lower case is all.
  PRINTABLE_ASCII.test(text) ? text.toLowerCase() : text.normalize('NFKD').replace(MARKS, '').toLowerCase().replace(SPECIAL, (c) => LETTERS[c]).normalize('NFC');

const cut = (word: string) => (word.length > MAX_WORD ? Array.from(word).slice(0, MAX_WORD).join('') : word);

/** One whitespace-separated chunk: its word parts, with runs of unspaced scripts kept apart. */
const parts = (chunk: string): string[] =>
  // An ASCII chunk has no unspaced script: its parts are its runs of letters and digits.
  PRINTABLE_ASCII.test(chunk)
    ? chunk.split(/[^a-z0-9]+/i).filter(Boolean)
    : chunk
    .split(NOT_ALNUM)
    .flatMap((part) => part.match(UNSPACED_RUNS) ?? [])
    .filter(Boolean);

/**
 * The words a record is found by, from its name fields. Each word is matched by its prefix, so:
 * a hyphenated or apostrophed name is indexed as its parts and joined ("o'brien" → o, brien,
 * obrien); a run of Chinese, Japanese or Korean characters is indexed with all its suffixes, so
 * that a prefix lookup finds any substring (山田太郎 → 山田太郎, 田太郎, 太郎, 郎).
 */
export const indexWords = (...names: Array<string | null | undefined>): string[] => {
  const words = new Set<string>();
  for (const name of names) {
    if (!name) continue;
    for (const chunk of fold(name).split(/\s+/)) {
      const pieces = parts(chunk);
      for (const piece of pieces) {
        if (UNSPACED.test(piece)) {
          const chars = Array.from(piece);
          for (let i = 0; i < chars.length && i < MAX_WORD; i++) words.add(cut(chars.slice(i).join('')));
        } else {
          words.add(cut(piece));
        }
      }
      const spaced = pieces.filter((p) => !UNSPACED.test(p));
      if (spaced.length > 1) words.add(cut(spaced.join('')));
    }
  }
  return [...words].slice(0, MAX_INDEX_WORDS);
};

/** The `searchName` column: the index words, space-separated ('' for a record without a name). */
export const searchName = (record: { name?: string | null; firstName?: string | null; lastName?: string | null }): string =>
  indexWords(record.name, record.firstName, record.lastName).join(' ');

/** A query's words, each to be matched against the start of some indexed word, in any order. */
export const queryWords = (query: string): string[] => {
  const words = new Set<string>();
  for (const chunk of fold(query).split(/\s+/)) for (const piece of parts(chunk)) words.add(cut(piece));
  return [...words].slice(0, MAX_QUERY_WORDS);
};

/**
 * Whether a name query says enough to search with: two letters or digits (`Li`), or one
 * character of a script written without spaces (`李`), where one character is a whole name.
 */
export const specificEnough = (words: string[]): boolean => {
  const joined = words.join('');
  return Array.from(joined).length >= 2 || UNSPACED.test(joined);
};

/**
 * The smallest string above every string that starts with `prefix`, in code point order (SQLite's
 * BINARY collation, PostgreSQL's "C"): `word >= prefix AND word < upper` is a prefix match an
 * ordinary btree index answers.
 */
export const prefixUpperBound = (prefix: string): string => {
  const chars = Array.from(prefix);
  let next = chars.pop()!.codePointAt(0)! + 1;
  if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
  return chars.join('') + String.fromCodePoint(next);
};
