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

/** Seconds as h:mm:ss (hundredths when present), for times given as plain seconds. */
export const formatTime = (seconds: number): string => {
  const whole = Math.floor(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const hundredths = Math.round((seconds - whole) * 100);
  const base = `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return hundredths ? `${base}.${String(hundredths).padStart(2, '0')}` : base;
};
