/**
 * Search that finds every name: the finder API and page and the admin's Records search match
 * names whatever their accents, case, word order or script, page through many namesakes with a
 * total, and stay current through every write path (import, admin API, rename, delete); rows
 * written before the search index existed are indexed at boot. Public URLs follow the port.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setupApp, type TestApp } from '../helpers/app';
import { RECORD, svc } from '../fixtures/publish/helpers';

jest.setTimeout(180_000);

const PORT = '4567';
let app: TestApp;
let event: { documentId: string; slug: string };
let pdfId: number;

const SMITHS = ['Adam', 'Beth', 'Carl', 'Dana', 'Emma', 'Finn', 'Gwen', 'Hugo', 'Ida'];
const IMPORTED = [
  ['1', 'José Antonio Rodríguez García'],
  ['2', 'Zoë Adams'],
  ['3', 'Дмитрий Иванов'],
  ['4', 'Li Wei'],
  ['5', '山田太郎'],
  ...Array.from({ length: 46 }, (_, i) => [String(1000 + i), `${SMITHS[i % SMITHS.length]} Smith`]),
];

const finder = (query: string) => app.http().get(`/api/certify/events/${event.slug}/certificates?${query}`);
const found = async (name: string) => {
  const res = await finder(`name=${encodeURIComponent(name)}`);
  expect(res.status).toBe(200);
  return res.body.data.results.map((c: any) => c.bib).sort();
};
const records = (query: string) => app.admin('get', `/certify/events/${event.documentId}/records?${query}`);
const adminFound = async (search: string) => (await records(`search=${encodeURIComponent(search)}&pageSize=100`)).body.data.map((r: any) => r.bib).sort();

const importCsv = async (rows: string[][]) => {
  const csv = ['Bib,Name', ...rows.map(([bib, name]) => `${bib},"${name}"`)].join('\n');
  const preview = await app.admin('post', `/certify/events/${event.documentId}/imports`).send({ csv });
  expect(preview.status).toBe(200);
  const commit = await app.admin('post', `/certify/events/${event.documentId}/imports/${preview.body.data.importId}/commit`).send({});
  expect(commit.status).toBe(200);
};

/** Publishes records the quick way (status + a stored PDF): the finder only shows those. */
const publish = async (where: Record<string, unknown>) => {
  const rows = await app.strapi.db.query(RECORD).findMany({ where: { event: event.documentId, ...where } });
  for (const r of rows) await app.strapi.db.query(RECORD).update({ where: { id: r.id }, data: { status: 'published', pdf: pdfId } as any });
};

/** The href of the page's rel="next"/"prev" link, entities decoded (null when absent). */
const pageLink = (html: string, rel: 'next' | 'prev') => {
  const href = new RegExp(`rel="${rel}" href="([^"]*)"`).exec(html)?.[1];
  return href === undefined ? null : href.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
};

const wordRows = (recordId: number) => app.strapi.db.connection('certify_record_words').where({ record_id: recordId }).orderBy('word');

beforeAll(async () => {
  app = await setupApp({ CERTIFY_QUEUE_IN_PROCESS: 'false', PORT, HOST: '0.0.0.0' });
  event = await app.createEvent({ name: 'Namesakes Marathon' });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'finder-')), 'certificate.pdf');
  fs.writeFileSync(file, '%PDF-1.4\n%%EOF\n');
  const [uploaded] = await app.strapi.plugin('upload').service('upload').upload({
    data: { fileInfo: { name: 'certificate.pdf' } },
    files: { filepath: file, originalFilename: 'certificate.pdf', mimetype: 'application/pdf', size: fs.statSync(file).size },
  });
  pdfId = uploaded.id;

  await importCsv(IMPORTED);
  for (const [bib, name] of [
    ['100', 'Thomas Müller'],
    ['101', 'Νίκος Παπαδόπουλος'],
    ['102', 'Eleni Papadopoulou'],
    ['103', '李娜'],
  ]) {
    expect((await app.admin('post', `/certify/events/${event.documentId}/records`).send({ bib, name })).status).toBe(201);
  }
  await publish({});
  // One namesake not published: the admin sees it, the finder does not.
  await app.strapi.db.query(RECORD).update({ where: { event: event.documentId, bib: '1045' }, data: { status: 'pending' } });
});

afterAll(async () => {
  await app?.close();
});

describe('finder API', () => {
  it.each([
    ['jose rodriguez', ['1']],
    ['rodriguez jose', ['1']],
    ['JOSÉ garcía', ['1']],
    ['muller', ['100']],
    ['MÜLLER', ['100']],
    ['zoe', ['2']],
    ['дмитрий', ['3']],
    ['ДМИТРИЙ ив', ['3']],
    ['νίκος', ['101']],
    ['νικος παπαδοπουλος', ['101']],
    ['Papadopoulou, Eleni', ['102']],
    ['Li', ['4']],
    ['山田', ['5']],
    ['太郎', ['5']],
    ['李', ['103']],
  ])('"%s" finds %j', async (name, bibs) => {
    expect(await found(name)).toEqual(bibs);
  });

  it('matches the start of words only, and every query word must match', async () => {
    expect(await found('mith')).toEqual([]);
    expect(await found('jose lopez')).toEqual([]);
  });

  it('pages through 45 published namesakes with a total', async () => {
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const res = await finder(`name=smith&page=${page}&pageSize=20`);
      expect(res.status).toBe(200);
      expect(res.body.meta.pagination).toEqual({ page, pageSize: 20, total: 45, pageCount: 3 });
      expect(res.body.data.results).toHaveLength(page < 3 ? 20 : 5);
      expect(res.body.data.event).toMatchObject({ name: 'Namesakes Marathon' });
      seen.push(...res.body.data.results.map((c: any) => c.bib));
    }
    expect(new Set(seen).size).toBe(45);
    expect(seen).not.toContain('1045');
    const beyond = await finder('name=smith&page=4&pageSize=20');
    expect(beyond.body.data.results).toEqual([]);
    expect(beyond.body.meta.pagination.total).toBe(45);
    // 20 a page unless asked.
    expect((await finder('name=smith')).body.meta.pagination).toEqual({ page: 1, pageSize: 20, total: 45, pageCount: 3 });
  });

  it('refuses a one-letter name and a bad page, saying what to send', async () => {
    const vague = await finder('name=s');
    expect(vague.status).toBe(400);
    expect(vague.body.error.message).toMatch(/at least 2 letters/);
    const bad = await finder('name=smith&pageSize=500');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/pageSize must be at most 50/);
  });
});

describe('finder page', () => {
  it('shows the count and links to the next and previous pages', async () => {
    const first = await app.http().get(`/certificates/${event.slug}?name=smith`);
    expect(first.status).toBe(200);
    expect(first.text).toMatch(/45 certificates found · page 1 of 3/);
    expect(pageLink(first.text, 'next')).toBe('?name=smith&page=2');
    expect(pageLink(first.text, 'prev')).toBeNull();
    const last = await app.http().get(`/certificates/${event.slug}?name=smith&page=3`);
    expect(last.text).toMatch(/page 3 of 3/);
    expect(pageLink(last.text, 'prev')).toBe('?name=smith&page=2');
    expect(pageLink(last.text, 'next')).toBeNull();
    const accents = await app.http().get(`/certificates/${event.slug}?name=${encodeURIComponent('muller')}`);
    expect(accents.text).toContain('Thomas Müller');
    expect(accents.text).toMatch(/1 certificate found/);
  });
});

describe('admin Records search', () => {
  it('matches names as the finder does, unpublished records included, with paging', async () => {
    expect(await adminFound('muller')).toEqual(['100']);
    expect(await adminFound('Papadopoulou, Eleni')).toEqual(['102']);
    expect(await adminFound('山田')).toEqual(['5']);
    expect(await adminFound('jose rodriguez')).toEqual(['1']);
    const last = await records('search=smith&page=3&pageSize=20');
    expect(last.body.meta.pagination).toEqual({ page: 3, pageSize: 20, pageCount: 3, total: 46 });
    expect(last.body.data).toHaveLength(6);
    expect(last.body.data[0]).not.toHaveProperty('searchName');
    // A bib still matches as before.
    const byBib = await adminFound('103');
    expect(byBib).toContain('103');
    expect(byBib.every((bib: string) => bib.startsWith('103'))).toBe(true);
  });
});

describe('keeping the index current', () => {
  it('follows a rename through the admin API', async () => {
    const [one] = (await records('search=zoe')).body.data;
    expect((await app.admin('put', `/certify/events/${event.documentId}/records/${one.documentId}`).send({ name: 'Chloë Baker' })).status).toBe(200);
    expect(await adminFound('zoe')).toEqual([]);
    expect(await adminFound('chloe baker')).toEqual(['2']);
  });

  it('follows a re-import that changes a name, and keeps the words of names it does not change', async () => {
    const dmitry = (await records(`search=${encodeURIComponent('дмитрий')}`)).body.data[0];
    const wordsBefore = await wordRows(dmitry.id);
    await importCsv([
      ['1', 'Josefina Ortega'],
      ['3', 'Дмитрий Иванов'],
    ]);
    expect(await adminFound('rodriguez')).toEqual([]);
    expect(await adminFound('ortega josefina')).toEqual(['1']);
    expect(await adminFound('иванов')).toEqual(['3']);
    expect(await wordRows(dmitry.id)).toEqual(wordsBefore);
  });

  it('drops a deleted record’s words', async () => {
    // Unpublished: deleting a record removes its files, and the published ones here share one PDF.
    const created = (await app.admin('post', `/certify/events/${event.documentId}/records`).send({ bib: '900', name: 'Ephemeral Runner' })).body.data;
    expect((await wordRows(created.id)).map((w: any) => w.word).sort()).toEqual(['ephemeral', 'runner']);
    expect((await app.admin('delete', `/certify/events/${event.documentId}/records/${created.documentId}`)).status).toBe(200);
    expect(await wordRows(created.id)).toEqual([]);
  });

  it('indexes at boot the records written before the search column and table existed', async () => {
    const conn = app.strapi.db.connection;
    await conn('certify_records').update({ search_name: null });
    await app.strapi.db.getSchemaConnection().dropTable('certify_record_words');
    await svc(app.strapi, 'search').bootstrap();
    expect(Number((await conn('certify_records').whereNull('search_name').count({ n: '*' }))[0].n)).toBe(0);
    expect(await adminFound('muller')).toEqual(['100']);
    expect(await found('山田')).toEqual(['5']);

    // Rows whose column is empty are filled, the rest left alone.
    await conn('certify_records').where({ bib: '101' }).update({ search_name: null });
    await conn('certify_record_words').where({ word: 'νικοσ' }).delete();
    expect(await found('νίκος')).toEqual([]);
    await svc(app.strapi, 'search').bootstrap();
    expect(await found('νίκος')).toEqual(['101']);
  });
});

describe('public URLs', () => {
  it('follow the server’s port when no public URL is configured', async () => {
    const [cert] = (await finder('name=muller')).body.data.results;
    expect(cert.verifyUrl).toBe(`http://localhost:${PORT}/verify/${cert.code}`);
    const source = await app.admin('post', `/certify/events/${event.documentId}/sources`).send({ name: 'Timing partner', kind: 'proxy' });
    expect(source.body.data.pushUrl).toBe(`http://localhost:${PORT}/api/certify/sources/${source.body.data.documentId}/push`);
  });
});
