import type { TextElement } from '../../../shared/contracts/templates';
import { clampElement, newElementId, pageSizeMm } from './geometry';
import { parseValue, valueText } from './rules';

const text = (patch: Partial<TextElement>): TextElement => ({ id: 't', type: 'text', x: 0, y: 0, width: 10, height: 5, ...patch });

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

describe('template rule values', () => {
  it('splits lists, keeps numbers for comparisons and drops the value of "exists"', () => {
    expect(parseValue('in', 'F35-44, F45-54,')).toEqual(['F35-44', 'F45-54']);
    expect(parseValue('gte', '3600')).toBe(3600);
    expect(parseValue('eq', '42')).toBe('42');
    expect(parseValue('exists', 'x')).toBeUndefined();
    expect(valueText({ field: 'category', op: 'in', value: ['A', 'B'] })).toBe('A, B');
  });
});
