import type { Translate } from '../hooks/useT';

/**
 * The admin user's interface language (set by the plugin's App from react-intl), so dates and
 * numbers follow it as the texts do; the browser's language until then.
 */
let displayLocale: string | undefined;
export const setDisplayLocale = (locale: string | undefined) => {
  displayLocale = locale;
};

export const formatDate = (value: string | null | undefined, withTime = false): string => {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return withTime
    ? d.toLocaleString(displayLocale, { dateStyle: 'medium', timeStyle: 'short' })
    : d.toLocaleDateString(displayLocale, { dateStyle: 'medium' });
};

export const formatNumber = (n: number | null | undefined): string =>
  n == null || Number.isNaN(n) ? '—' : new Intl.NumberFormat(displayLocale).format(n);

export const formatDuration = (seconds: number | null | undefined): string => {
  if (seconds == null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
};

/** A safe file name fragment for downloads. */
export const slugify = (value: string): string =>
  value
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .toLowerCase() || 'event';

/** A template's page ("A4 Landscape") in the user's language. */
export const pageLabel = (t: Translate, tpl: { pageSize?: string | null; orientation?: string | null }): string => {
  if (tpl.pageSize === 'custom') return t('designer.custom', 'Custom (mm)');
  const orientation = tpl.orientation === 'portrait' ? t('designer.portrait', 'Portrait') : t('designer.landscape', 'Landscape');
  return `${tpl.pageSize ?? 'A4'} ${orientation}`;
};
