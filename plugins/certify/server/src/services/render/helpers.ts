import Handlebars from 'handlebars';
import { formatTime as formatSeconds, type TimeFormat } from '../import/time';

/**
 * One isolated Handlebars environment for certificates. No prototype-access options are ever
 * passed, so `{{constructor}}` and friends render "" (Handlebars 4.6+ default).
 */
export const hbs = Handlebars.create();

type Options = Handlebars.HelperOptions;
const isOptions = (v: unknown): v is Options => typeof v === 'object' && v !== null && 'hash' in (v as object);
/** Helper arguments without the trailing options object. */
const argsOf = (args: unknown[]) => (args.length && isOptions(args[args.length - 1]) ? args.slice(0, -1) : args);
const empty = (v: unknown) => v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));

const TIME_FORMATS = new Set<string>(['h:mm:ss', 'hh:mm:ss', 'mm:ss']);

/** Seconds (or "h:mm:ss"/"mm:ss" text) → "h:mm:ss"; format "mm:ss" or "hh:mm:ss" pads/drops hours. */
export const formatTime = (value: unknown, format = 'h:mm:ss'): string => {
  if (empty(value)) return '';
  let seconds: number;
  if (typeof value === 'number' || /^\d+(\.\d+)?$/.test(String(value))) seconds = Number(value);
  else {
    const parts = String(value).trim().split(':').map(Number);
    if (parts.some((p) => Number.isNaN(p))) return String(value);
    seconds = parts.reduce((acc, p) => acc * 60 + p, 0);
  }
  return formatSeconds(seconds, (TIME_FORMATS.has(format) ? format : 'h:mm:ss') as TimeFormat);
};

const ORDINAL_EN: Record<string, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th' };
const ordinalRules = new Intl.PluralRules('en', { type: 'ordinal' });

/** 1 → "1st"; other locales get the number followed by a period ("1."), French "1er"/"2e". */
export const ordinal = (value: unknown, locale = 'en'): string => {
  if (empty(value)) return '';
  const n = Number(value);
  if (!Number.isInteger(n)) return String(value);
  const lang = String(locale).slice(0, 2).toLowerCase();
  if (lang === 'en') return `${n}${ORDINAL_EN[ordinalRules.select(n)] ?? 'th'}`;
  if (lang === 'fr') return n === 1 ? '1er' : `${n}e`;
  if (lang === 'es' || lang === 'it' || lang === 'pt') return `${n}º`;
  return `${n}.`;
};

export const titleCase = (value: unknown, locale?: string): string =>
  empty(value)
    ? ''
    : String(value)
        .toLocaleLowerCase(locale)
        .replace(/(^|[\s\-'’(])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toLocaleUpperCase(locale));

const safeLocale = (locale: unknown) => {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([String(locale)]).length ? String(locale) : 'en';
  } catch {
    return 'en';
  }
};

/**
 * Intl formatters are costly to make (a fraction of a millisecond each) and a template applies the
 * same few to every record: kept by locale and options (a handful per event; the map is capped).
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
const formatter = <F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F => {
  let f = formatters.get(key) as F | undefined;
  if (!f) {
    if (formatters.size >= 200) formatters.clear();
    f = make();
    formatters.set(key, f);
  }
  return f;
};

/** A date in a locale; style is one of full/long/medium/short (default long). */
export const formatDate = (value: unknown, locale: unknown = 'en', style: unknown = 'long'): string => {
  if (empty(value)) return '';
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) return String(value);
  const dateStyle = ['full', 'long', 'medium', 'short'].includes(String(style)) ? (String(style) as 'long') : 'long';
  return formatter(`d/${String(locale)}/${dateStyle}`, () => new Intl.DateTimeFormat(safeLocale(locale), { dateStyle, timeZone: 'UTC' })).format(date);
};

export const formatNumber = (value: unknown, locale: unknown = 'en', digits: unknown = undefined): string => {
  if (empty(value) || Number.isNaN(Number(value))) return empty(value) ? '' : String(value);
  const d = digits === undefined || isOptions(digits) ? undefined : Number(digits);
  return formatter(`n/${String(locale)}/${d}`, () =>
    new Intl.NumberFormat(safeLocale(locale), d === undefined ? {} : { minimumFractionDigits: d, maximumFractionDigits: d })
  ).format(Number(value));
};

const block = (options: unknown, truthy: boolean, ctx: unknown) => {
  if (isOptions(options) && typeof options.fn === 'function') return truthy ? options.fn(ctx) : options.inverse(ctx);
  return truthy;
};

hbs.registerHelper('formatTime', (value: unknown, format: unknown) =>
  formatTime(value, typeof format === 'string' ? format : undefined)
);
hbs.registerHelper('formatDate', (value: unknown, ...rest: unknown[]) => {
  const [locale, style] = argsOf(rest);
  return formatDate(value, locale ?? 'en', style ?? 'long');
});
hbs.registerHelper('formatNumber', (value: unknown, ...rest: unknown[]) => {
  const [locale, digits] = argsOf(rest);
  return formatNumber(value, locale ?? 'en', digits);
});
hbs.registerHelper('ordinal', (value: unknown, locale: unknown) => ordinal(value, typeof locale === 'string' ? locale : 'en'));
hbs.registerHelper('upper', (value: unknown) => (empty(value) ? '' : String(value).toLocaleUpperCase()));
hbs.registerHelper('lower', (value: unknown) => (empty(value) ? '' : String(value).toLocaleLowerCase()));
hbs.registerHelper('title', (value: unknown) => titleCase(value));
hbs.registerHelper('default', (value: unknown, fallback: unknown) => (empty(value) ? (isOptions(fallback) ? '' : fallback) : value));
hbs.registerHelper('concat', (...args: unknown[]) => argsOf(args).filter((v) => !empty(v)).join(''));
hbs.registerHelper('eq', function (this: unknown, a: unknown, b: unknown, options: unknown) {
  return block(options, String(a ?? '') === String(b ?? ''), this);
});
hbs.registerHelper('ne', function (this: unknown, a: unknown, b: unknown, options: unknown) {
  return block(options, String(a ?? '') !== String(b ?? ''), this);
});
/** `{{#in category "M40" "M45"}}…{{else}}…{{/in}}` */
hbs.registerHelper('in', function (this: unknown, value: unknown, ...rest: unknown[]) {
  const options = rest[rest.length - 1];
  return block(options, argsOf(rest).map(String).includes(String(value ?? '')), this);
});
hbs.registerHelper('gt', function (this: unknown, a: unknown, b: unknown, options: unknown) {
  return block(options, !empty(a) && Number(a) > Number(b), this);
});
hbs.registerHelper('lt', function (this: unknown, a: unknown, b: unknown, options: unknown) {
  return block(options, !empty(a) && Number(a) < Number(b), this);
});

/** Helper names, so field validation does not mistake `{{ordinal rankOverall}}` for a field "ordinal". */
export const HELPER_NAMES = new Set(Object.keys(hbs.helpers));
