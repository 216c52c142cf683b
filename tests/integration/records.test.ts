import Papa from 'papaparse';
import { setupApp, type TestApp } from '../helpers/app';

// Booting Strapi takes longer than jest's 5 s default when the machine is busy.
jest.setTimeout(120_000);

let app: TestApp;
let eventId: string;
const url = (path = '') => `/certify/events/${eventId}/records${path}`;

beforeAll(async () => {
  app = await setupApp();
  eventId = (await app.createEvent()).documentId;
  const csv = [
    'Bib,Name,Category,Gender,Time,Place,Club',
    '1,Ana Alvarez,F40,F,3:10:00,3,Harriers',
    '2,Ben Brown,M40,M,2:50:00,1,"=HYPERLINK(""http://evil.example"",""click"")"',
    '3,Cy Chen,M40,M,3:00:00,2,+Runners',
    '4,Dee Dlamini,F30,F,3:20:00,4,@SUM(A1)',
    '5,Eve Evans,F30,F,3:30:00,5,-2+3',
    '10,Ben Bennett,M50,M,3:40:00,6,Tab',
  ].join('\n');
  const p = await app.admin('post', `/certify/events/${eventId}/imports`).send({ csv });
  expect(p.body.data.counts).toMatchObject({ new: 6, invalid: 0 });
  await app.admin('post', `/certify/events/${eventId}/imports/${p.body.data.importId}/commit`).send({});
  // Leading spaces and tabs survive only through the API (imports trim cells).
  await app.admin('post', `/certify/events/${eventId}/records`).send({ bib: '6', name: 'Fay Fox', category: 'F30', extra: { Club: '  @SUM(A1)' } });
  await app.admin('post', `/certify/events/${eventId}/records`).send({ bib: '7', name: 'Tab Person', extra: { Club: '\t=1+2' } });
  await app.admin('post', `/certify/events/${eventId}/records`).send({ bib: '8', name: 'CR Person', extra: { Club: '\r=1+2' } });
});

afterAll(async () => {
  await app?.close();
});

const bibs = (res: any) => res.body.data.map((r: any) => r.bib);

describe('records list', () => {
  it('searches by bib and by name, filters by category, sorts and paginates', async () => {
    expect(bibs(await app.admin('get', url('?search=ben')))).toEqual(['2', '10']);
    expect(bibs(await app.admin('get', url('?search=3')))).toEqual(['3']);
    expect(bibs(await app.admin('get', url('?category=F30&sort=name:desc')))).toEqual(['6', '5', '4']);
    // A name search matches the start of a word of the name (Dee Dlamini, not Eve Evans, for "d").
    const page = await app.admin('get', url('?category=F30&search=d&sort=name:asc&page=1&pageSize=1')).expect(200);
    expect(bibs(page)).toEqual(['4']);
    expect(page.body.meta.pagination).toEqual({ page: 1, pageSize: 1, pageCount: 1, total: 1 });
    const second = await app.admin('get', url('?category=F30&sort=name:asc&page=2&pageSize=1')).expect(200);
    expect(bibs(second)).toEqual(['5']);
    expect(second.body.meta.pagination).toEqual({ page: 2, pageSize: 1, pageCount: 3, total: 3 });
    const byTime = await app.admin('get', url('?category=M40&sort=finishSeconds:asc'));
    expect(bibs(byTime).slice(0, 2)).toEqual(['2', '3']);
    expect(page.body.meta.categories).toEqual(['F30', 'F40', 'M40', 'M50']);
  });

  it('orders bibs naturally: numbers by value, then the others as text, both ways and across pages', async () => {
    const other = (await app.createEvent()).documentId;
    const list = (query: string) => app.admin('get', `/certify/events/${other}/records${query}`);
    for (const bib of ['1001', 'B2', '10001', '1', 'A10', '1000', '9', 'A9', '0100']) {
      await app.admin('post', `/certify/events/${other}/records`).send({ bib }).expect(201);
    }
    const natural = ['1', '9', '0100', '1000', '1001', '10001', 'A10', 'A9', 'B2'];
    expect(bibs(await list('?pageSize=50'))).toEqual(natural);
    expect(bibs(await list('?sort=bib:desc&pageSize=50'))).toEqual([...natural].reverse());
    const second = await list('?pageSize=4&page=2');
    expect(bibs(second)).toEqual(natural.slice(4, 8));
    expect(second.body.meta.pagination).toEqual({ page: 2, pageSize: 4, pageCount: 3, total: 9 });
    expect(bibs(await list('?search=10'))).toEqual(['1000', '1001', '10001']);
  });

  it('returns a revoked record with when and why, for the Revoked badge', async () => {
    const other = (await app.createEvent()).documentId;
    const created = (await app.admin('post', `/certify/events/${other}/records`).send({ bib: '42', name: 'Rev Oked' })).body.data;
    await app.admin('post', `/certify/events/${other}/records/${created.documentId}/revoke`).send({ reason: 'Disqualified: course cut' }).expect(200);
    const [row] = (await app.admin('get', `/certify/events/${other}/records`)).body.data;
    expect(row).toMatchObject({ bib: '42', revokedReason: 'Disqualified: course cut' });
    expect(Number.isNaN(Date.parse(row.revokedAt))).toBe(false);
    await app.admin('post', `/certify/events/${other}/records/${created.documentId}/reinstate`).send({}).expect(200);
    const [again] = (await app.admin('get', `/certify/events/${other}/records`)).body.data;
    expect(again).toMatchObject({ revokedAt: null, revokedReason: null });
  });

  it('filters by status and refuses an unknown sort, saying which are allowed', async () => {
    expect((await app.admin('get', url('?status=published'))).body.data).toEqual([]);
    const bad = await app.admin('get', url('?sort=password'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/sort must be one of bib, name/);
  });

  it('is readable with the read permission only, and writes need records', async () => {
    const reader = await app.adminWithActions(['plugin::certify.read']);
    expect((await app.admin('get', url(), reader)).status).toBe(200);
    const one = (await app.admin('get', url('?search=Ana'))).body.data[0];
    expect((await app.admin('put', url(`/${one.documentId}`), reader).send({ name: 'X' })).status).toBe(403);
    expect((await app.admin('delete', url(`/${one.documentId}`), reader)).status).toBe(403);
  });
});

describe('editing records', () => {
  it('edits a record, refreshing its data hash; a published record becomes stale', async () => {
    const created = (await app.admin('post', url()).send({ bib: '77', name: 'Gus' })).body.data;
    await app.strapi.db.query('plugin::certify.record').update({ where: { documentId: created.documentId }, data: { status: 'published' } });
    const res = await app.admin('put', url(`/${created.documentId}`)).send({ name: 'Gus Grant', finishTime: '3:00:00' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ name: 'Gus Grant', status: 'stale', verificationCode: created.verificationCode });
    expect(Number(res.body.data.finishSeconds)).toBe(10800);
    expect(res.body.data.dataHash).not.toBe(created.dataHash);

    // Only the email changes: the certificate is the same, so it stays published.
    await app.strapi.db.query('plugin::certify.record').update({ where: { documentId: created.documentId }, data: { status: 'published' } });
    const email = await app.admin('put', url(`/${created.documentId}`)).send({ email: 'gus@example.com' });
    expect(email.body.data.status).toBe('published');
  });

  it('lists which fields of a record were edited by hand and when, for the list\'s mark', async () => {
    const cy = (await app.admin('get', url()).query({ search: '3' })).body.data.find((r: any) => r.bib === '3');
    expect(cy).toMatchObject({ editedAt: null, editedFields: null });
    const before = Date.now();
    await app.admin('put', url(`/${cy.documentId}`)).send({ name: 'Cy Chen-Li', category: null });
    const listed = (await app.admin('get', url()).query({ search: '3' })).body.data.find((r: any) => r.bib === '3');
    expect([...listed.editedFields].sort()).toEqual(['category', 'name']);
    expect(new Date(listed.editedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    // Sorted by another field (a different query path), the marks are there too.
    const byName = (await app.admin('get', url()).query({ sort: 'name:asc', pageSize: 100 })).body.data.find((r: any) => r.bib === '3');
    expect([...byName.editedFields].sort()).toEqual(['category', 'name']);
  });

  it('refuses an edit onto a bib that is taken, or with bad input, saying what to fix', async () => {
    const one = (await app.admin('get', url('?search=Cy'))).body.data[0];
    const dup = await app.admin('put', url(`/${one.documentId}`)).send({ bib: '1' });
    expect(dup.status).toBe(400);
    expect(dup.body.error.details.code).toBe('CERTIFY_DUPLICATE_BIB');
    const bad = await app.admin('put', url(`/${one.documentId}`)).send({ email: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/email/);
    const missing = await app.admin('put', url('/doesnotexist')).send({ name: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.details.code).toBe('CERTIFY_RECORD_NOT_FOUND');
  });

  it('deletes one record, and several at once (ids of other events are left alone)', async () => {
    const other = await app.createEvent();
    const foreign = (await app.admin('post', `/certify/events/${other.documentId}/records`).send({ bib: '1' })).body.data;
    const a = (await app.admin('post', url()).send({ bib: '901' })).body.data;
    const b = (await app.admin('post', url()).send({ bib: '902' })).body.data;
    const c = (await app.admin('post', url()).send({ bib: '903' })).body.data;
    expect((await app.admin('delete', url(`/${a.documentId}`))).status).toBe(200);
    const bulk = await app.admin('post', url('/bulk-delete')).send({ ids: [b.documentId, c.documentId, foreign.documentId] });
    expect(bulk.body.data).toEqual({ deleted: 2, notFound: [foreign.documentId] });
    const q = app.strapi.db.query('plugin::certify.record');
    expect(await q.count({ where: { documentId: { $in: [a.documentId, b.documentId, c.documentId] } } })).toBe(0);
    expect(await q.count({ where: { documentId: foreign.documentId } })).toBe(1);
    expect((await app.admin('post', url('/bulk-delete')).send({ ids: [] })).body.error.message).toMatch(/at least one/);
  });
});

describe('CSV export', () => {
  it('exports every record with its extra columns and neutralises spreadsheet formulas', async () => {
    const res = await app.admin('get', url('/export.csv')).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const text: string = res.body;
    expect(text.startsWith('\ufeffbib,name,firstName,lastName,email,category,gender,finishTime,finishSeconds,rankOverall')).toBe(true);
    expect(text.split('\r\n')[0]).toMatch(/,verificationCode,Club$/);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(text).toContain(",'+Runners");
    expect(text).toContain(",'@SUM(A1)");
    expect(text).toContain(",'  @SUM(A1)");
    expect(text).toContain(",'\t=1+2");
    expect(text).toContain(`"'\r=1+2"`);
    expect(text).toContain(",'-2+3");
    expect(text).toContain(',Harriers');
    const rows = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true }).data;
    expect(rows).toHaveLength(1 + 10);
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[ \t\r]*[=+\-@]/);
  });
});
