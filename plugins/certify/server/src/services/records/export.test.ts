import { csvLine } from './export';

describe('CSV export cells', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\r=1', '"\'\r=1"'],
    ['  =HYPERLINK("x")', '"\'  =HYPERLINK(""x"")"'],
    ['Jane', 'Jane'],
    ['a,b', '"a,b"'],
    [' padded ', '" padded "'],
    [-2, "'-2"],
    [null, ''],
    [{ x: 1 }, '"{""x"":1}"'],
  ])('%j → %j', (v, out) => expect(csvLine([v])).toBe(`${out}\r\n`));

  it('joins cells with commas and ends the line with CRLF', () => {
    expect(csvLine(['1', null, 'two words', 3.5])).toBe('1,,two words,3.5\r\n');
  });
});
