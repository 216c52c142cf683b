import { newDocumentId, newVerificationCode, recordDataHash, RECORD_DATA_FIELDS, sha256, stableStringify } from './hash';

/** The definition the stored hashes were made with: sha256 of the stable JSON of the data fields. */
const byDefinition = (record: Record<string, unknown>) => {
  const picked: Record<string, unknown> = {};
  for (const field of RECORD_DATA_FIELDS) {
    const value = record[field];
    picked[field] = value === '' || value === undefined ? null : field === 'finishSeconds' && value !== null ? Number(value) : value;
  }
  return sha256(stableStringify(picked)).slice(0, 32);
};

describe('recordDataHash', () => {
  const records: Array<Record<string, unknown>> = [
    {},
    { bib: '101', name: 'Eleni Papadopoulou', finishTime: '3:41:07', finishSeconds: '13267.00', rankOverall: 12 },
    { bib: '7', name: 'Zoë Müller', email: '', category: 'W35-39', extra: { b: 1, a: ['x', { d: null, c: 'é' }] } },
    { bib: 'A-1', name: '山田太郎', gender: 'X', rankGender: 0, extra: null, unrelated: 'ignored' },
  ];

  it('equals the hash of the stable JSON of the data fields, which stored hashes were made with', () => {
    for (const record of records) expect(recordDataHash(record)).toBe(byDefinition(record));
  });

  it('differs when a data field differs and ignores fields that are not data', () => {
    expect(recordDataHash({ bib: '1', name: 'A' })).not.toBe(recordDataHash({ bib: '1', name: 'B' }));
    expect(recordDataHash({ bib: '1', name: 'A', unrelated: 1 })).toBe(recordDataHash({ bib: '1', name: 'A' }));
    expect(recordDataHash({ bib: '1', finishSeconds: '60.0' })).toBe(recordDataHash({ bib: '1', finishSeconds: 60 }));
  });
});

describe('ids from the random pool', () => {
  it('are well-formed and do not repeat across pool refills', () => {
    const ids = new Set<string>();
    const codes = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const id = newDocumentId();
      const code = newVerificationCode();
      expect(id).toMatch(/^[a-z][a-z0-9]{23}$/);
      expect(code).toMatch(/^[A-HJ-NP-Z2-9]{16}$/);
      ids.add(id);
      codes.add(code);
    }
    expect(ids.size).toBe(5000);
    expect(codes.size).toBe(5000);
  });
});
