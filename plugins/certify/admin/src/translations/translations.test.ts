/**
 * The admin's texts: every locale has exactly the keys of en.json, with valid ICU messages using
 * the same arguments; every id the admin sources use is in en.json (with the same English text
 * as the code's default) and every key of en.json is used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

const dir = __dirname;
const srcDir = path.join(dir, '..');
const load = (file: string): Record<string, string> => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));

const en = load('en.json');
const locales = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'en.json')
  .map((f) => ({ locale: f.replace(/\.json$/, ''), messages: load(f) }));

/** The names of a message's arguments ({name}, {n, plural, …}), nested ones included. */
const argumentsOf = (message: string): string[] => {
  const names = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const el of elements) {
      if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
      names.add(el.value);
      if (el.type === TYPE.plural || el.type === TYPE.select) for (const option of Object.values(el.options)) walk(option.value);
      if (el.type === TYPE.tag) walk(el.children);
    }
  };
  walk(parse(message));
  return [...names].sort();
};

/** Every .ts/.tsx file of the admin, tests excluded. */
const sources = (folder: string): string[] =>
  fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });

const STRING = String.raw`'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"`;
/** `t('id', 'English')`, `msg('id', 'English')` and `getTranslation('id')`. */
const CALL = new RegExp(String.raw`\b(?:t|msg)\(\s*'([^']+)',\s*(?:${STRING})|\bgetTranslation\(\s*'([^']+)'\s*\)`, 'g');
const unescape = (s: string) => s.replace(/\\(['"\\])/g, '$1');

const used = new Map<string, Set<string | null>>();
const dynamic: string[] = [];
for (const file of sources(srcDir)) {
  const text = fs.readFileSync(file, 'utf8');
  for (const m of text.matchAll(CALL)) {
    const id = m[1] ?? m[4];
    const english = m[2] ?? m[3];
    if (!used.has(id)) used.set(id, new Set());
    used.get(id)!.add(english === undefined ? null : unescape(english));
  }
  // An id built at run time (`t(\`x.${y}\`)`) could not be checked: write ids out in full.
  for (const m of text.matchAll(/\b(?:t|msg|getTranslation)\(\s*`/g)) dynamic.push(`${path.relative(srcDir, file)}@${m.index}`);
}

describe('admin translations', () => {
  it('has German and French besides English', () => {
    expect(locales.map((l) => l.locale).sort()).toEqual(expect.arrayContaining(['de', 'fr']));
  });

  it.each(locales)('$locale.json has exactly the keys of en.json', ({ messages }) => {
    const keys = Object.keys(messages).sort();
    expect({ missing: Object.keys(en).filter((k) => !(k in messages)), extra: keys.filter((k) => !(k in en)) }).toEqual({ missing: [], extra: [] });
  });

  it.each(locales)('$locale.json translates every text, with valid messages using the arguments of English', ({ messages }) => {
    const problems: string[] = [];
    for (const [key, english] of Object.entries(en)) {
      const message = messages[key];
      if (typeof message !== 'string' || !message.trim()) {
        problems.push(`${key}: empty`);
        continue;
      }
      try {
        const [want, got] = [argumentsOf(english), argumentsOf(message)];
        if (want.join() !== got.join()) problems.push(`${key}: arguments ${got.join(', ')} instead of ${want.join(', ')}`);
      } catch (err) {
        problems.push(`${key}: ${(err as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('en.json holds valid messages', () => {
    const invalid = Object.entries(en).filter(([, message]) => {
      try {
        parse(message);
        return false;
      } catch {
        return true;
      }
    });
    expect(invalid).toEqual([]);
  });

  it('every id the admin uses is in en.json, with the English text of the code', () => {
    expect(used.size).toBeGreaterThan(400);
    const problems: string[] = [];
    for (const [id, defaults] of used) {
      if (!(id in en)) problems.push(`${id}: not in en.json`);
      for (const english of defaults) if (english !== null && en[id] !== undefined && en[id] !== english) problems.push(`${id}: en.json says "${en[id]}", the code "${english}"`);
    }
    expect(problems).toEqual([]);
  });

  it('every key of en.json is used by the admin', () => {
    expect(Object.keys(en).filter((key) => !used.has(key))).toEqual([]);
  });

  it('names every id in full, so none escapes these checks', () => {
    expect(dynamic).toEqual([]);
  });
});
