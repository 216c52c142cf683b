/**
 * Race times as timing systems print them: "3:05:12", "03:05:12.45", "58:07" (mm:ss),
 * "4512" or "4512.3" (seconds), "3:05:12,45" (decimal comma), "1.05:12" is not accepted.
 * Returns seconds (hundredths kept), null for an empty/missing marker, or undefined when the
 * text is not a time at all (the caller reports it).
 */
const MISSING = new Set(['', '-', '--', '—', 'n/a', 'na', 'dnf', 'dns', 'dq', 'dsq']);

export const isMissingTime = (raw: string) => MISSING.has(raw.trim().toLowerCase());

export const parseTime = (raw: string | null | undefined): number | null | undefined => {
  if (raw === null || raw === undefined) return null;
  const text = raw.trim();
  if (isMissingTime(text)) return null;
  const m = /^(?:(\d{1,3}):)?(?:(\d{1,2}):)?(\d{1,6})(?:[.,](\d{1,3}))?$/.exec(text);
  if (!m) return undefined;
  const [, a, b, c, frac] = m;
  let hours = 0;
  let minutes = 0;
  const seconds = Number(c);
  if (a !== undefined && b !== undefined) {
    hours = Number(a);
    minutes = Number(b);
  } else if (a !== undefined) {
    minutes = Number(a);
  }
  // With a minutes or hours part, seconds (and minutes under hours) must be below 60.
  if ((a !== undefined && seconds >= 60) || (b !== undefined && minutes >= 60)) return undefined;
  const fraction = frac ? Number(`0.${frac}`) : 0;
  return Math.round((hours * 3600 + minutes * 60 + seconds + fraction) * 100) / 100;
};

/**
 * The one time formatter (imports and the certificate's `formatTime` helper): seconds as
 * "h:mm:ss" (default), "hh:mm:ss" or "mm:ss" (minutes past 59, no hours), rounded to the second;
 * "h:mm:ss.cc" keeps hundredths when there are any (how an import stores a time given in seconds).
 */
export type TimeFormat = 'h:mm:ss' | 'hh:mm:ss' | 'mm:ss' | 'h:mm:ss.cc';

const pad = (n: number) => String(n).padStart(2, '0');

export const formatTime = (seconds: number, format: TimeFormat = 'h:mm:ss'): string => {
  const exact = format === 'h:mm:ss.cc';
  const whole = exact ? Math.floor(seconds) : Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (format === 'mm:ss') return `${pad(h * 60 + m)}:${pad(s)}`;
  if (format === 'hh:mm:ss') return `${pad(h)}:${pad(m)}:${pad(s)}`;
  const base = `${h}:${pad(m)}:${pad(s)}`;
  const hundredths = exact ? Math.round((seconds - whole) * 100) : 0;
  return hundredths ? `${base}.${pad(hundredths)}` : base;
};
