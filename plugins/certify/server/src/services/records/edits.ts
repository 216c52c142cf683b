/**
 * Hand edits: the fields of a record the organiser changed in the admin. An import that would
 * change one of them reports it in its dry run, and keeps or replaces it as the organiser chooses.
 */

/** The fields whose hand edits are tracked: what a certificate prints, and the email. The bib is the record's identity, not an edit. */
export const HAND_EDITABLE = ['name', 'firstName', 'lastName', 'email', 'category', 'gender', 'finishTime', 'rankOverall', 'rankGender', 'rankCategory', 'extra'] as const;
export type HandEditable = (typeof HAND_EDITABLE)[number];

/** Fields that go with an edited one: the seconds are computed from the time. */
export const COMPANIONS: Partial<Record<HandEditable, string[]>> = { finishTime: ['finishSeconds'] };

const stable = (value: unknown): string => {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
};

/** Two stored values are the same: empty and null alike, numbers by value, JSON whatever its key order. */
export const sameValue = (a: unknown, b: unknown): boolean => {
  const norm = (v: unknown) => (v === undefined || v === '' ? null : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v);
  return stable(norm(a)) === stable(norm(b));
};

/** The tracked fields a change sets to a different value than the record holds. */
export const changedFields = (current: Record<string, unknown>, changes: Record<string, unknown>): HandEditable[] =>
  HAND_EDITABLE.filter((f) => f in changes && !sameValue(current[f], changes[f]));

/** A stored editedFields value as a list (JSON text on SQLite). */
export const editedFieldsOf = (stored: unknown): HandEditable[] => {
  const parsed: unknown = typeof stored === 'string' ? JSON.parse(stored) : stored;
  return Array.isArray(parsed) ? parsed.filter((f): f is HandEditable => (HAND_EDITABLE as readonly string[]).includes(f)) : [];
};
