import type { NameOrder } from '../../../../shared/contracts/mapping';

const SUFFIX = /^(jr|sr|ii|iii|iv|v)\.?$/i;

export interface ReadName {
  name: string;
  firstName: string | null;
  lastName: string | null;
  /** Whether "Last, First" was turned into "First Last". */
  reordered: boolean;
  /** Set when the name cannot be read safely (kept as written). */
  warning: string | null;
}

/**
 * The comma-separated parts of a name, with a suffix written as its own part ("Coutu, Guy, Jr")
 * taken out, so only commas that separate names are counted.
 */
const partsOf = (name: string) => {
  const parts = name.split(',').map((p) => p.trim());
  let suffix: string | null = null;
  if (parts.length > 1 && SUFFIX.test(parts[parts.length - 1])) suffix = parts.pop()!;
  return { parts, suffix };
};

/** "Last, First": exactly one comma between two non-empty parts. */
export const isLastFirst = (name: string) => {
  const { parts } = partsOf(name);
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '';
};

/**
 * The file's name order, from its name column as a whole: "Last, First" only when most names are
 * written that way. One "O'Brien, Seán" among "First Last" names says nothing about the file.
 */
export const decideNameOrder = (names: Iterable<string>): NameOrder => {
  let total = 0;
  let lastFirst = 0;
  for (const name of names) {
    if (!name.trim()) continue;
    total++;
    if (isLastFirst(name)) lastFirst++;
  }
  return lastFirst * 2 > total ? 'last-first' : 'first-last';
};

/** Reads one name in the file's order; suffixes (Jr, Sr, II–V) stay at the end. */
export const readName = (raw: string, order: NameOrder): ReadName => {
  const asWritten: ReadName = { name: raw, firstName: null, lastName: null, reordered: false, warning: null };
  if (!raw.includes(',')) return asWritten;
  const { parts, suffix } = partsOf(raw);
  if (parts.length > 2) {
    return { ...asWritten, warning: `the name "${raw}" has ${parts.length - 1} commas, so which part is the first name is unclear: it is kept as written` };
  }
  if (order !== 'last-first' || !isLastFirst(raw)) return asWritten;
  const lastName = [parts[0], suffix].filter(Boolean).join(' ');
  const words = parts[1].split(/\s+/);
  // "Coutu, Guy Jr": the suffix belongs after the surname, not after the first name.
  const trailing = words.length > 1 && SUFFIX.test(words[words.length - 1]) ? words.pop()! : null;
  const firstName = words.join(' ');
  const last = [lastName, trailing].filter(Boolean).join(' ');
  return { name: `${firstName} ${last}`, firstName, lastName: last, reordered: true, warning: null };
};
