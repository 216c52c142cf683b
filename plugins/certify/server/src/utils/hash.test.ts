import { newDocumentId, newVerificationCode, recordDataHash, stableStringify } from './hash';

describe('recordDataHash', () => {
  const base = { bib: '101', name: 'Eleni', finishTime: '3:01:02', finishSeconds: 10862, extra: { club: 'A', country: 'GR' } };

  it('is the same for equal data whatever the key order or decimal type', () => {
    const reordered = { extra: { country: 'GR', club: 'A' }, finishSeconds: '10862', finishTime: '3:01:02', name: 'Eleni', bib: '101' };
    expect(recordDataHash(reordered)).toBe(recordDataHash(base));
  });

  it('changes when a certificate field changes', () => {
    expect(recordDataHash({ ...base, finishTime: '3:01:03' })).not.toBe(recordDataHash(base));
    expect(recordDataHash({ ...base, extra: { club: 'B', country: 'GR' } })).not.toBe(recordDataHash(base));
  });

  it('ignores fields that never appear on a certificate', () => {
    expect(recordDataHash({ ...base, email: 'x@example.com', status: 'published' })).toBe(recordDataHash(base));
  });

  it('treats empty strings and missing values alike', () => {
    expect(recordDataHash({ ...base, category: '' })).toBe(recordDataHash(base));
  });
});

describe('stableStringify', () => {
  it('sorts keys at every depth', () => {
    expect(stableStringify({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } })).toBe('{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}');
  });
});

describe('newVerificationCode', () => {
  it('gives 16 unambiguous characters and does not repeat', () => {
    const codes = new Set(Array.from({ length: 2000 }, newVerificationCode));
    expect(codes.size).toBe(2000);
    for (const code of codes) expect(code).toMatch(/^[A-HJ-NP-Z2-9]{16}$/);
  });
});

describe('newDocumentId', () => {
  it('is shaped like a Strapi documentId and does not repeat', () => {
    const ids = new Set(Array.from({ length: 2000 }, newDocumentId));
    expect(ids.size).toBe(2000);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9]{23}$/);
  });
});
