import { decodeBuffer } from './encoding';
import { detectDelimiter } from './delimiter';
import { readTable, type TableLimits } from './parse';

const LIMITS: TableLimits = { maxRows: 100, maxColumns: 50, maxCellChars: 1000, maxDepth: 3 };
import { parseTime } from './time';
import { RowValidator } from './rows';

const collect = async (text: string | Buffer, pauseEvery = 0) => {
  const rows: Array<{ values: string[]; line: number; problem: string | null }> = [];
  const info = await readTable(Buffer.isBuffer(text) ? text : Buffer.from(text), { limits: LIMITS }, (values, line, problem) => {
    rows.push({ values, line, problem });
    // A handler that is busy writing (returns a promise) pauses the parser.
    if (pauseEvery && rows.length % pauseEvery === 0) return new Promise<void>((resolve) => setTimeout(resolve, 2));
  });
  return { info, rows };
};

describe('encoding', () => {
  it('tells UTF-8, UTF-8 with BOM, UTF-16 LE/BE with BOM and Windows-1252 apart', () => {
    expect(decodeBuffer(Buffer.from('Zoë')).encoding).toBe('utf-8');
    expect(decodeBuffer(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Zoë')]))).toEqual({ text: 'Zoë', encoding: 'utf-8-bom' });
    expect(decodeBuffer(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Zoë', 'utf16le')]))).toEqual({ text: 'Zoë', encoding: 'utf-16le' });
    const be = Buffer.from('Zoë', 'utf16le').swap16();
    expect(decodeBuffer(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toEqual({ text: 'Zoë', encoding: 'utf-16be' });
    expect(decodeBuffer(Buffer.from([0x5a, 0x6f, 0xeb, 0x80]))).toEqual({ text: 'Zoë€', encoding: 'windows-1252' });
  });
});

describe('delimiter', () => {
  it.each([
    [',', 'bib,name\n1,"Doe, Jane"\n2,Bob'],
    [';', 'bib;name;time\n1;"Doe, Jane";1:00:00\n2;"Roe, Bob";1:01:00'],
    ['\t', 'bib\tname\n1\tJane, D\n2\tBob'],
    ['|', 'bib|name|x\n1|A, B|c\n2|C|d'],
  ])('detects %j', (d, text) => expect(detectDelimiter(text)).toBe(d));
});

describe('parsing', () => {
  it('reports the starting line of rows, counting line breaks inside quotes, and skips blank lines', async () => {
    const { info, rows } = await collect('bib,note\r\n1,"two\r\nlines"\r\n\r\n2,x\r\n\r\n\r\n');
    expect(info.headers).toEqual(['bib', 'note']);
    expect(rows.map((r) => [r.line, r.values])).toEqual([
      [2, ['1', 'two\r\nlines']],
      [5, ['2', 'x']],
    ]);
  });

  it('keeps line numbers and every row when the handler pauses the parser', async () => {
    const text = `bib,note\n${Array.from({ length: 9 }, (_, i) => `${i},"a\nb"`).join('\n')}\n`;
    const { rows } = await collect(text, 2);
    expect(rows.map((r) => r.line)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(rows.map((r) => r.values[0])).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8']);
  });

  it('names empty and repeated headers so they can be kept', async () => {
    expect((await collect('bib,,Time,Time\n1,a,b,c')).info.headers).toEqual(['bib', 'Column 2', 'Time', 'Time (2)']);
  });

  it('refuses more rows than the cap before handing on a single row', async () => {
    const seen: string[][] = [];
    const limits = { ...LIMITS, maxRows: 2 };
    await expect(readTable(Buffer.from('bib\n1\n2\n3'), { limits }, (v) => void seen.push(v))).rejects.toThrow(/3 rows, over the import limit of 2/);
    await expect(readTable(Buffer.from('[{"bib":1},{"bib":2},{"bib":3}]'), { limits }, (v) => void seen.push(v))).rejects.toThrow(/3 rows/);
    // Quoted line breaks are not rows: within the cap.
    expect((await readTable(Buffer.from('bib,note\n1,"a\nb\nc"\n2,x'), { limits }, (v) => void seen.push(v))).rows).toBe(2);
    expect(seen).toEqual([['1', 'a\nb\nc'], ['2', 'x']]);
  });

  it('refuses too many columns, an over-long cell and deep JSON, naming the limit, before any row', async () => {
    const seen: string[][] = [];
    const onRow = (v: string[]) => void seen.push(v);
    const wide = `${Array.from({ length: 51 }, (_, i) => `c${i}`).join(',')}\n${Array(51).fill('1').join(',')}`;
    await expect(readTable(Buffer.from(wide), { limits: LIMITS }, onRow)).rejects.toThrow(/51 columns, over the limit of 50/);
    const long = `bib,name\n1,Ana\n2,"${'x'.repeat(1001)}"`;
    await expect(readTable(Buffer.from(long), { limits: LIMITS }, onRow)).rejects.toThrow(/line 3 is longer than 1,000 characters/);
    const wideJson = JSON.stringify([Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, i]))]);
    await expect(readTable(Buffer.from(wideJson), { limits: LIMITS }, onRow)).rejects.toThrow(/more than 50 different fields/);
    const deepJson = `[{"bib":1},{"bib":2,"club":${'{"d":'.repeat(5000)}"x"${'}'.repeat(5000)}}]`;
    await expect(readTable(Buffer.from(deepJson), { limits: LIMITS }, onRow)).rejects.toThrow(/Record 2: "club" is nested more than 3 levels deep, the limit/);
    expect(seen).toEqual([]);
  });

  it('reads JSON arrays and { records: [...] }', async () => {
    const { info, rows } = await collect(JSON.stringify({ records: [{ bib: 1, name: 'A' }, { bib: 2, extra: { x: 1 } }] }));
    expect(info.encoding).toBe('json');
    expect(info.headers).toEqual(['bib', 'name', 'extra']);
    expect(rows[1].values).toEqual(['2', '', '{"x":1}']);
  });
});

describe('times', () => {
  it.each([
    ['3:05:12', 11112],
    ['03:05:12.45', 11112.45],
    ['58:07', 3487],
    ['4512', 4512],
    ['4512,3', 4512.3],
    ['-', null],
    ['', null],
    ['DNF', null],
    ['3:75:00', undefined],
    ['fast', undefined],
  ])('%j → %j', (raw, expected) => expect(parseTime(raw)).toBe(expected));
});

describe('row validation', () => {
  const headers = ['Bib', 'Name', 'Time', 'Email', 'Club'];
  const v = () => new RowValidator(headers, { bib: 'Bib', name: 'Name', finishTime: 'Time', email: 'Email' }, { nameOrder: 'last-first' });

  it('splits "Last, First" in a Last-First file, normalises times and keeps unmapped columns in extra', () => {
    const r = v().validate(['7', 'Kipchoge, Eliud', '2:01:09', '', 'NN'], 2, null);
    expect(r).toEqual({
      ok: true,
      warning: null,
      record: expect.objectContaining({ name: 'Eliud Kipchoge', firstName: 'Eliud', lastName: 'Kipchoge', finishTime: '2:01:09', finishSeconds: 7269, extra: { Club: 'NN' } }),
    });
  });

  it('says why a row is invalid', () => {
    const validator = v();
    const reason = (values: string[]) => {
      const r = validator.validate(values, 9, null);
      return r.ok ? null : r.invalid.reason;
    };
    expect(reason(['', 'A', '', '', ''])).toBe('missing bib');
    expect(reason(['1', 'A', 'soon', '', ''])).toMatch(/bad time "soon"/);
    expect(reason(['2', 'A', '', 'not-an-email', ''])).toMatch(/bad email/);
    expect(reason(['3', 'A', '', ''])).toMatch(/4 fields but the header has 5/);
    expect(reason(['4', 'A', '', '', ''])).toBeNull();
    expect(reason(['4', 'B', '', '', ''])).toMatch(/duplicate bib 4 \(already on line 9\)/);
  });
});
