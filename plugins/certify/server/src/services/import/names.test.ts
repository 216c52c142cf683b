import { decideNameOrder, readName } from './names';
import { RowValidator } from './rows';

describe('name order', () => {
  it('is Last-First only when most names are written "Last, First"', () => {
    expect(decideNameOrder(['Kiplagat, Benson', 'Yego, Daniel', 'Hassan, Sifan'])).toBe('last-first');
    expect(decideNameOrder(['Benson Kiplagat', "O'Brien, Seán", 'Daniel Yego'])).toBe('first-last');
    expect(decideNameOrder(['Kiplagat, Benson', 'Daniel Yego', '', ''])).toBe('first-last');
    expect(decideNameOrder([])).toBe('first-last');
  });

  it('in a First-Last file, a lone "Last, First" name is kept as written', () => {
    expect(readName("O'Brien, Seán", 'first-last')).toMatchObject({ name: "O'Brien, Seán", firstName: null, reordered: false, warning: null });
  });

  it('in a Last-First file, turns names around and keeps suffixes at the end', () => {
    expect(readName("O'Brien, Seán", 'last-first')).toMatchObject({ name: "Seán O'Brien", firstName: 'Seán', lastName: "O'Brien" });
    expect(readName('Coutu, Guy Jr', 'last-first')).toMatchObject({ name: 'Guy Coutu Jr', firstName: 'Guy', lastName: 'Coutu Jr' });
    expect(readName('Coutu, Guy, Jr.', 'last-first')).toMatchObject({ name: 'Guy Coutu Jr.', firstName: 'Guy', lastName: 'Coutu Jr.' });
    expect(readName('King, Martin Luther III', 'last-first')).toMatchObject({ name: 'Martin Luther King III' });
    expect(readName('Smith, Jr', 'last-first')).toMatchObject({ name: 'Smith, Jr', reordered: false });
    expect(readName('Benson Kiplagat', 'last-first')).toMatchObject({ name: 'Benson Kiplagat', reordered: false });
  });

  it('leaves a name with two commas as written, with a warning', () => {
    for (const order of ['first-last', 'last-first'] as const) {
      const read = readName('Seetoh, Joseph, Pak Lian', order);
      expect(read).toMatchObject({ name: 'Seetoh, Joseph, Pak Lian', reordered: false });
      expect(read.warning).toMatch(/"Seetoh, Joseph, Pak Lian" has 2 commas.*kept as written/);
    }
  });

  it('the row validator reads a lone name column in the given order, counts the rows it decided and warns on the row', () => {
    const v = new RowValidator(['Bib', 'Name'], { bib: 'Bib', name: 'Name' }, { nameOrder: 'first-last' });
    expect(v.validate(['1', "O'Brien, Seán"], 2, null)).toMatchObject({ ok: true, record: { name: "O'Brien, Seán" }, warning: null });
    expect(v.validate(['2', 'Seetoh, Joseph, Pak Lian'], 3, null)).toMatchObject({ ok: true, warning: expect.stringMatching(/2 commas/) });
    expect(v.validate(['3', 'Ann Lee'], 4, null)).toMatchObject({ ok: true, record: { name: 'Ann Lee' } });
    expect(v.nameOrderRows).toBe(1);
    // With separate first and last name columns, the name column is taken as written.
    const both = new RowValidator(['Bib', 'Name', 'First'], { bib: 'Bib', name: 'Name', firstName: 'First' }, { nameOrder: 'last-first' });
    expect(both.validate(['1', 'Lee, Ann', 'Ann'], 2, null)).toMatchObject({ ok: true, record: { name: 'Lee, Ann', firstName: 'Ann' } });
  });
});
