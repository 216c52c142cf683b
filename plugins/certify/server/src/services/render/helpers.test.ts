import { formatDate, formatTime, hbs, ordinal, titleCase } from './helpers';

const render = (source: string, data: Record<string, unknown>) => hbs.compile(source)(data);

describe('certificate helpers', () => {
  it('formats finish times from seconds or text', () => {
    expect(formatTime(13287)).toBe('3:41:27');
    expect(formatTime('3:41:27.6')).toBe('3:41:28');
    expect(formatTime('41:05')).toBe('0:41:05');
    expect(formatTime(13287, 'hh:mm:ss')).toBe('03:41:27');
    expect(formatTime(3725, 'mm:ss')).toBe('62:05');
    expect(formatTime(null)).toBe('');
    expect(formatTime('DNF')).toBe('DNF');
  });

  it('writes ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map((n) => ordinal(n))).toEqual([
      '1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th',
    ]);
    expect(ordinal(1, 'fr')).toBe('1er');
    expect(ordinal(3, 'de')).toBe('3.');
    expect(ordinal('')).toBe('');
  });

  it('formats dates in a locale, and title-cases names', () => {
    expect(formatDate('2026-11-08', 'en-GB')).toBe('8 November 2026');
    expect(formatDate('2026-11-08', 'el')).toMatch(/2026/);
    expect(formatDate('not a date')).toBe('not a date');
    expect(titleCase("o'NEILL-SMITH mary")).toBe("O'Neill-Smith Mary");
  });

  it('offers defaults and conditionals on category and status', () => {
    expect(render('{{default club "unattached"}}', { club: '' })).toBe('unattached');
    expect(render('{{#eq category "M40"}}masters{{else}}open{{/eq}}', { category: 'M40' })).toBe('masters');
    expect(render('{{#in status "published" "stale"}}yes{{else}}no{{/in}}', { status: 'stale' })).toBe('yes');
    expect(render('{{#in status "published"}}yes{{else}}no{{/in}}', { status: 'failed' })).toBe('no');
    expect(render('{{#gt rankOverall 3}}finisher{{else}}podium{{/gt}}', { rankOverall: 2 })).toBe('podium');
    expect(render('{{upper name}} / {{title name}}', { name: 'élodie durand' })).toBe('ÉLODIE DURAND / Élodie Durand');
  });

  it('escapes record values and blocks prototype access', () => {
    expect(render('{{name}}', { name: '<img src=x onerror=1>' })).toBe('&lt;img src&#x3D;x onerror&#x3D;1&gt;');
    expect(render('{{constructor}}{{__proto__}}{{name.constructor}}', { name: 'x' })).toBe('');
  });
});
