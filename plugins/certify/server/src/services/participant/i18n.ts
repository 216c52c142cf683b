import en from './locales/en.json';
import de from './locales/de.json';
import fr from './locales/fr.json';
import es from './locales/es.json';

/**
 * The participant pages speak the visitor's language. Translations are plain JSON files in
 * `locales/` (one per language, the same keys as en.json; `{name}` marks a value filled in at
 * render time, keys ending in `.one`/`.other` are plural forms). To add a language, add its file
 * here; the pages pick it from `Accept-Language` (q-values honoured), English when none fits.
 */
export type MessageKey = keyof typeof en;
type Messages = Record<MessageKey, string>;

// Typed as Messages: a file missing one of en.json's keys does not compile (tests check extras too).
const MESSAGES: Record<string, Messages> = { en, de, fr, es } satisfies Record<string, Messages>;

export const DEFAULT_LOCALE = 'en';
export const LOCALES = Object.keys(MESSAGES);

/** Koa's negotiation (`ctx.acceptsLanguages`): q-values, `de-CH` → `de`, no header → the first. */
export const pickLocale = (acceptsLanguages: (langs: string[]) => string | false): string => {
  const chosen = acceptsLanguages(LOCALES);
  return chosen && MESSAGES[chosen] ? chosen : DEFAULT_LOCALE;
};

type Values = Record<string, string | number | null | undefined>;
/** Keys with plural forms, named without their `.one`/`.other` ending. */
type PluralKey = MessageKey extends infer K ? (K extends `${infer Base}.other` ? Base : never) : never;

export interface Translator {
  locale: string;
  t(key: MessageKey, values?: Values): string;
  plural(key: PluralKey, count: number, values?: Values): string;
  /** A date as people of this language write it (30 November 2026, 30. November 2026, …). */
  date(value: unknown): string;
}

/** One translator per locale: they hold no request state, and Intl objects are costly to build per page. */
const translators = new Map<string, Translator>();
export const translator = (locale: string): Translator => {
  let made = translators.get(locale);
  if (!made) translators.set(locale, (made = createTranslator(locale)));
  return made;
};

const createTranslator = (locale: string): Translator => {
  const messages = MESSAGES[locale] ?? MESSAGES[DEFAULT_LOCALE];
  const rules = new Intl.PluralRules(locale);
  // `toLocaleDateString` with options builds a formatter per call (7% of a verify page's CPU).
  const dates = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const fill = (text: string, values: Values) => text.replace(/\{(\w+)\}/g, (whole, name: string) => (values[name] == null ? whole : String(values[name])));
  const t = (key: MessageKey, values: Values = {}) => {
    const text = messages[key];
    if (text === undefined) throw new Error(`[certify] no participant message "${key}"`);
    return fill(text, values);
  };
  return {
    locale,
    t,
    plural(key, count, values = {}) {
      const form = `${key}.${rules.select(count)}`;
      return fill(form in messages ? messages[form as MessageKey] : messages[`${key}.other` as MessageKey], { count, ...values });
    },
    date(value) {
      if (!value) return '';
      const d = new Date(String(value));
      return Number.isNaN(d.getTime()) ? String(value) : dates.format(d);
    },
  };
};
