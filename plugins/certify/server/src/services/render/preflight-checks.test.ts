import type { TextElement } from '../../../../shared/contracts/templates';
import { RANK_LINE } from '../templates';
import { emptyFieldProbe, usesRecord } from './bindings';
import { overflowsAtMinimum, visibleText } from './measure';

describe('fields a template would print empty', () => {
  it('finds fields printed as they are and as helper arguments', () => {
    expect(emptyFieldProbe('{{name}}')({ name: '' })).toEqual(['name']);
    expect(emptyFieldProbe('{{name}}')({ name: '  ' })).toEqual(['name']);
    expect(emptyFieldProbe('{{name}}')({ name: 'Anna' })).toEqual([]);
    expect(emptyFieldProbe('Time: {{formatTime finishTime "mm:ss"}}')({ finishTime: '' })).toEqual(['finishTime']);
    expect(emptyFieldProbe('{{extra.club}}')({ extra: {} })).toEqual(['extra.club']);
    expect(emptyFieldProbe('{{rankOverall}}')({ rankOverall: 0 })).toEqual([]);
  });

  it('leaves out lines the template hides when their field is empty, and follows the branch taken', () => {
    const probe = emptyFieldProbe(RANK_LINE);
    expect(probe({ rankOverall: '', rankCategory: '', category: '' })).toEqual([]);
    expect(probe({ rankOverall: 3, rankCategory: '', category: '' })).toEqual([]);
    const time = emptyFieldProbe('{{#if finishTime}}finished in {{finishTime}}{{else}}DNF {{category}}{{/if}}');
    expect(time({ finishTime: '', category: '' })).toEqual(['category']);
    expect(time({ finishTime: '3:00:00', category: '' })).toEqual([]);
    // A value inside a block that is shown, but not the one the block tests.
    expect(emptyFieldProbe('{{#if rankOverall}}{{ordinal rankOverall}} · {{category}}{{/if}}')({ rankOverall: 2, category: '' })).toEqual(['category']);
    expect(emptyFieldProbe('{{#unless finishTime}}no time {{bib}}{{/unless}}')({ finishTime: '', bib: '' })).toEqual(['bib']);
  });

  it('ignores what the server builds, loops and unparsable text', () => {
    expect(emptyFieldProbe('{{certificate.correctedAt}} {{{qr}}}')({ certificate: { correctedAt: '' } })).toEqual([]);
    expect(emptyFieldProbe('{{#each extra}}{{this}}{{/each}}')({ extra: { a: '' } })).toEqual([]);
    expect(emptyFieldProbe('{{name')({})).toEqual([]);
  });
});

describe('text that is the same on every certificate', () => {
  it('is text without record fields: checked once per template', () => {
    expect(usesRecord('Certificate of Completion')).toBe(false);
    expect(usesRecord('{{event.name}} · {{formatDate event.date "en-GB"}}')).toBe(false);
    expect(usesRecord('Bib {{bib}}')).toBe(true);
    expect(usesRecord(RANK_LINE)).toBe(true);
    expect(usesRecord('{{#if event.location}}in {{upper name}}{{/if}}')).toBe(true);
    expect(usesRecord('{{#each event.sponsors}}{{this}}{{/each}}')).toBe(true);
  });
});

describe('text too long at the smallest size (estimate)', () => {
  const name: TextElement = { id: 'name', type: 'text', field: 'name', x: 40, y: 64, width: 217, height: 22, fontSize: 44, shrinkToFit: true, minFontSize: 20 };

  it('flags a 255-letter word that fills more lines than the box holds, not a long name that shrinks to one line', () => {
    expect(overflowsAtMinimum(name, 'Wolfeschlegelsteinhausenbergerdorff'.repeat(8).slice(0, 255))).toBe(true);
    expect(overflowsAtMinimum(name, 'Maximilian Alexander von Hohenzollern-Sigmaringen')).toBe(false);
    expect(overflowsAtMinimum(name, '')).toBe(false);
  });

  it('measures single-line elements at their own size and wrapped ones by their lines', () => {
    const line: TextElement = { id: 'time', type: 'text', x: 0, y: 0, width: 60, height: 10, fontSize: 24 };
    expect(overflowsAtMinimum(line, '3:41:27')).toBe(false);
    expect(overflowsAtMinimum(line, 'finished in 3:41:27 hours')).toBe(true);
    const wrapped: TextElement = { ...line, wrap: true, height: 30 };
    expect(overflowsAtMinimum(wrapped, 'finished in 3:41:27 hours')).toBe(false);
    expect(overflowsAtMinimum({ ...wrapped, height: 10 }, 'finished in 3:41:27 hours')).toBe(true);
  });

  it('measures what the reader sees, not HTML escapes', () => {
    expect(visibleText('O&#x27;Brien &amp; Co')).toBe("O'Brien & Co");
  });
});
