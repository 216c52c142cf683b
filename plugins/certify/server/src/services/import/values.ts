import { isMissingTime } from './time';

/** How timing systems write the sex; the stored value is M, F or X. */
const SEXES: Record<string, string> = {
  m: 'M',
  male: 'M',
  man: 'M',
  men: 'M',
  h: 'M',
  homme: 'M',
  herren: 'M',
  f: 'F',
  w: 'F',
  female: 'F',
  woman: 'F',
  women: 'F',
  femme: 'F',
  damen: 'F',
  x: 'X',
  d: 'X',
  divers: 'X',
  diverse: 'X',
  nb: 'X',
  'non-binary': 'X',
  nonbinary: 'X',
};

export const isSexValue = (raw: string) => raw.toLowerCase() in SEXES;

/** M, F or X for the spellings above; anything else is kept as written. */
export const normaliseSex = (raw: string) => SEXES[raw.toLowerCase()] ?? raw;

const WHOLE = /^(\d{1,9})\.?$/;

/** A place as a whole number ("12" or "12."), null for an empty/DNF marker, undefined when it is not one. */
export const parseRank = (raw: string | null): number | null | undefined => {
  if (raw === null || isMissingTime(raw)) return null;
  const m = WHOLE.exec(raw);
  return m ? Number(m[1]) : undefined;
};
