import { changedFields, editedFieldsOf, sameValue } from './edits';

describe('hand edits', () => {
  it('compares stored values as the database and the file write them', () => {
    expect(sameValue(null, '')).toBe(true);
    expect(sameValue(undefined, null)).toBe(true);
    expect(sameValue(12, '12')).toBe(true);
    expect(sameValue({ a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true);
    expect(sameValue('Ana', 'Ana Lima')).toBe(false);
    expect(sameValue({ a: '1' }, { a: '1', b: '2' })).toBe(false);
  });

  it('names the tracked fields a change sets to another value, never the bib', () => {
    const current = { bib: '7', name: 'Ana', finishTime: '1:00:00', rankOverall: 3, extra: { Club: 'X' } };
    expect(changedFields(current, { bib: '8', name: 'Ana', finishTime: '1:00:01', rankOverall: '3', extra: { Club: 'Y' } })).toEqual(['finishTime', 'extra']);
  });

  it('reads a stored list as JSON text or an array, dropping what is not a tracked field', () => {
    expect(editedFieldsOf('["name","bib","email"]')).toEqual(['name', 'email']);
    expect(editedFieldsOf(['category'])).toEqual(['category']);
    expect(editedFieldsOf(null)).toEqual([]);
  });
});
