import type { TextElement } from '../../../shared/contracts/templates';
import { clampElement, newElementId, pageSizeMm } from './geometry';
import { parseValue, valueText } from './rules';
import { sampleText } from './sampleText';

const text = (patch: Partial<TextElement>): TextElement => ({ id: 't', type: 'text', x: 0, y: 0, width: 10, height: 5, ...patch });
const sample = { name: 'Eleni Papadaki', bib: '101', finishTime: '3:12:40', category: 'F35-44', event: { name: 'Athens Marathon' }, extra: { club: 'Athens Runners' } };

describe('designer page geometry', () => {
  it('turns A4 landscape into 297 × 210 mm and keeps portrait as is', () => {
    expect(pageSizeMm({ pageSize: 'A4', orientation: 'landscape' })).toEqual([297, 210]);
    expect(pageSizeMm({ pageSize: 'A5', orientation: 'portrait' })).toEqual([148, 210]);
  });

  it('uses the custom size as given, whatever the orientation', () => {
    expect(pageSizeMm({ pageSize: 'custom', orientation: 'landscape', widthMm: 200, heightMm: 100 })).toEqual([200, 100]);
  });

  it('keeps an element at least half on the page and no larger than it', () => {
    const el = clampElement(text({ x: 500, y: -50, width: 400, height: 20 }), [297, 210]);
    expect(el.width).toBe(297);
    expect(el.x).toBeLessThanOrEqual(297 - el.width / 2);
    expect(el.y).toBeGreaterThanOrEqual(-el.height / 2);
  });

  it('never hands out an element id that is taken', () => {
    const existing = [text({ id: 'text-2' }), text({ id: 'text-3' })];
    const id = newElementId('text', existing);
    expect(existing.map((e) => e.id)).not.toContain(id);
  });
});

describe('canvas text for a sample record', () => {
  it('shows a bound field, nested fields and extra columns', () => {
    expect(sampleText(text({ field: 'name' }), sample)).toBe('Eleni Papadaki');
    expect(sampleText(text({ text: 'finished {{event.name}} ({{extra.club}})' }), sample)).toBe('finished Athens Marathon (Athens Runners)');
  });

  it('drops block markers and shows the first field a helper is given, or its literal default', () => {
    expect(sampleText(text({ text: '{{#if finishTime}}in {{formatTime finishTime "h:mm:ss"}}{{/if}}' }), sample)).toBe('in 3:12:40');
    expect(sampleText(text({ text: '{{default rankOverall "unranked"}}' }), sample)).toBe('unranked');
  });

  it('marks a missing field instead of showing nothing', () => {
    expect(sampleText(text({ field: 'rankGender' }), sample)).toBe('{rankGender}');
  });
});

describe('template rule values', () => {
  it('splits lists, keeps numbers for comparisons and drops the value of "exists"', () => {
    expect(parseValue('in', 'F35-44, F45-54,')).toEqual(['F35-44', 'F45-54']);
    expect(parseValue('gte', '3600')).toBe(3600);
    expect(parseValue('eq', '42')).toBe('42');
    expect(parseValue('exists', 'x')).toBeUndefined();
    expect(valueText({ field: 'category', op: 'in', value: ['A', 'B'] })).toBe('A, B');
  });
});
