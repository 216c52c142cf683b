import { derivedFields, eventFigures, usesEventStats } from './derived';

const stats = { winnerSeconds: 7569, finishers: 200, distanceKm: 42.195 };

describe('derived fields', () => {
  it('computes pace, time behind the winner and percentile from the record and the event', () => {
    const d = derivedFields({ finishSeconds: '13267.00', rankOverall: 24 }, stats);
    expect(d.pacePerKm).toBe('5:14'); // 13,267 s / 42.195 km = 314.4 s
    expect(d.pacePerMile).toBe('8:26');
    expect(d.behindWinner).toBe('+1:34:58');
    expect(d.percentile).toBe(12);
  });

  it('leaves a field empty when what it needs is missing, so a template can hide its line', () => {
    expect(derivedFields({ finishSeconds: 7569, rankOverall: 1 }, stats)).toMatchObject({ behindWinner: '', percentile: 1 });
    expect(derivedFields({ finishSeconds: null, rankOverall: null }, stats)).toMatchObject({ pacePerKm: '', pacePerMile: '', behindWinner: '', percentile: '' });
    expect(derivedFields({ finishSeconds: 3600 }, { ...stats, distanceKm: null })).toMatchObject({ pacePerKm: '', pacePerMile: '' });
    expect(derivedFields({ finishSeconds: 3600, rankOverall: 5 }, null)).toMatchObject({ percentile: '', behindWinner: '' });
  });

  it('makes an age group from age and sex when the file has no category, and formats splits', () => {
    const d = derivedFields({ gender: 'F', category: null, extra: { Age: '37', '5K': '23:10', Half: '1:41:02.4', Club: '12:00 Runners' } }, stats);
    expect(d.ageGroup).toBe('F35-39');
    expect(d.splits).toEqual({ '5K': '0:23:10', Half: '1:41:02' });
    expect(derivedFields({ gender: 'M', extra: { age: '17' } }, stats).ageGroup).toBe('MU20');
    expect(derivedFields({ category: 'W40-44', gender: 'F', extra: { Age: '37' } }, stats).ageGroup).toBe('W40-44');
  });

  it('knows which templates depend on the whole event', () => {
    expect(usesEventStats('top {{percentile}}%')).toBe(true);
    expect(usesEventStats('{{ageGroup}} {{splits.[5K]}}')).toBe(false);
  });

  it('keys a certificate on the event figures it shows, not on the stats', () => {
    const record = { finishSeconds: 9000, rankOverall: 7 };
    // A new winner changes the time behind.
    expect(eventFigures(record, stats)).not.toBe(eventFigures(record, { ...stats, winnerSeconds: 7500 }));
    // One more finisher that leaves this record's percentile as it is changes nothing.
    const many = { ...stats, finishers: 1000 };
    expect(eventFigures(record, many)).toBe(eventFigures(record, { ...many, finishers: 1001 }));
    // Of 1,000 records, one more finisher changes the percentile of a few dozen, not of all.
    const moved = Array.from({ length: 1000 }, (_, i) => ({ finishSeconds: 9000 + i, rankOverall: i + 1 })).filter(
      (r) => eventFigures(r, many) !== eventFigures(r, { ...many, finishers: 1001 })
    ).length;
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThan(100);
  });
});
