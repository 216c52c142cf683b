import fs from 'node:fs';
import path from 'node:path';
import { setupApp, type TestApp } from '../helpers/app';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'import');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
/** A real results export, with its source and licence beside it (tests/fixtures/import/real/<name>/SOURCE.md). */
const real = (name: string, file = 'results.csv') => fixture(path.join('real', name, file));

// Booting Strapi takes longer than jest's 5 s default when the machine is busy.
jest.setTimeout(120_000);

let app: TestApp;

beforeAll(async () => {
  app = await setupApp();
});

afterAll(async () => {
  await app?.close();
});

const records = (eventId: string) =>
  app.strapi.db.query('plugin::certify.record').findMany({ where: { event: eventId }, orderBy: { bib: 'asc' } });

const preview = (eventId: string, file: Buffer, name = 'results.csv', fields: Record<string, string> = {}) => {
  let req = app.admin('post', `/certify/events/${eventId}/imports`).attach('file', file, name);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req;
};

const commit = (eventId: string, importId: string, body: Record<string, unknown> = {}) =>
  app.admin('post', `/certify/events/${eventId}/imports/${importId}/commit`).send(body);

/** Preview then commit; returns both answers' data. */
const importFile = async (eventId: string, file: Buffer, name?: string) => {
  const p = await preview(eventId, file, name);
  expect(p.status).toBe(200);
  const c = await commit(eventId, p.body.data.importId);
  expect(c.status).toBe(200);
  return { preview: p.body.data, commit: c.body.data };
};

describe('encodings and delimiters', () => {
  it.each([
    ['comma-utf8.csv', 'utf-8', ','],
    ['pipe-utf8-bom.txt', 'utf-8-bom', '|'],
    ['tab-utf16le-bom.tsv', 'utf-16le', '\t'],
    ['semicolon-windows1252.csv', 'windows-1252', ';'],
  ])('%s is read as %s with %j and its names come out intact', async (file, encoding, delimiter) => {
    const event = await app.createEvent();
    const { preview: p } = await importFile(event.documentId, fixture(file), file);
    expect(p.encoding).toBe(encoding);
    expect(p.delimiter).toBe(delimiter);
    expect(p.headers).toEqual(expect.arrayContaining(['Bib', 'Name', 'Category', 'Time']));
    const stored = await records(event.documentId);
    expect(stored.map((r: any) => r.name)).toEqual(
      expect.arrayContaining(['Zoë Çelik', 'Jürgen Groß', 'François Lefèvre'])
    );
    if (encoding === 'windows-1252') expect(stored.find((r: any) => r.bib === '4').name).toBe('Šárka Kašpárková');
    expect(stored.find((r: any) => r.bib === '2')).toMatchObject({ category: 'M50', finishTime: '2:59:59' });
    expect(Number(stored.find((r: any) => r.bib === '2').finishSeconds)).toBe(10799);
  });

  it('a UTF-16 BE file with BOM is decoded too', async () => {
    const event = await app.createEvent();
    const text = Buffer.from('Bib,Name\n5,Åsa Öberg\n', 'utf16le').swap16();
    const res = await preview(event.documentId, Buffer.concat([Buffer.from([0xfe, 0xff]), text]));
    expect(res.body.data.encoding).toBe('utf-16be');
    expect(res.body.data.sample[0].name).toBe('Åsa Öberg');
  });
});

describe('dry run', () => {
  it('reports quoted line breaks, ragged rows, duplicates, missing bibs and bad emails by line, and writes nothing', async () => {
    const event = await app.createEvent();
    const res = await preview(event.documentId, fixture('quoted-ragged-duplicates.csv'));
    expect(res.status).toBe(200);
    const data = res.body.data;
    expect(data.counts).toEqual({ new: 2, changed: 0, unchanged: 0, invalid: 4 });
    expect(data.sample[0]).toMatchObject({ bib: '10', line: 2, action: 'new', extra: { note: 'line one\nline two' } });
    expect(data.sample[1]).toMatchObject({ bib: '11', line: 4, extra: { note: 'says "hi", twice' } });
    expect(data.invalid).toEqual([
      { line: 5, bib: '12', reason: expect.stringMatching(/3 fields but the header has 4/) },
      { line: 6, bib: '11', reason: expect.stringMatching(/duplicate bib 11 \(already on line 4\)/) },
      { line: 7, bib: null, reason: 'missing bib' },
      { line: 8, bib: '13', reason: expect.stringMatching(/bad email "not-an-email"/) },
    ]);
    expect(await records(event.documentId)).toHaveLength(0);
  });

  it('reads a big-city marathon export: "Last, First" names, an empty header column, "-" splits, h:mm:ss times', async () => {
    const event = await app.createEvent();
    const { preview: p, commit: c } = await importFile(event.documentId, fixture('marathon-results.csv'));
    expect(p.headers).toContain('Column 8');
    expect(p.suggestedMapping).toEqual({
      rankOverall: 'Place (Overall)',
      rankGender: 'Place (Gender)',
      rankCategory: 'Place (Category)',
      name: 'Name',
      bib: 'Bib',
      category: 'Age Group',
      gender: 'Sex',
      finishTime: 'Finish',
    });
    expect(c.counts).toEqual({ new: 5, changed: 0, unchanged: 0, invalid: 0 });
    const stored = await records(event.documentId);
    const hassan = stored.find((r: any) => r.bib === 'F1');
    expect(hassan).toMatchObject({
      name: 'Sifan Hassan',
      firstName: 'Sifan',
      lastName: 'Hassan',
      gender: 'F',
      category: 'W25-29',
      finishTime: '2:13:44',
      rankOverall: 3,
      rankGender: 1,
      rankCategory: 1,
      extra: { '5K': '0:15:48', '10K': '0:31:30', Half: '1:06:20' },
    });
    expect(Number(hassan.finishSeconds)).toBe(8024);
    const zoe = stored.find((r: any) => r.bib === '23001');
    expect(zoe).toMatchObject({ firstName: 'Zoë', lastName: 'Müller-Lüdenscheidt', extra: { '5K': '-', '10K': '-', Half: '-' } });
    expect(Number(zoe.finishSeconds)).toBe(12600.5);
    for (const r of stored) {
      expect(r.verificationCode).toMatch(/^[A-Z2-9]{16}$/);
      expect(r.dataHash).toMatch(/^[0-9a-f]{32}$/);
      expect(r.documentId).toMatch(/^[a-z][a-z0-9]{23}$/);
      expect(r.status).toBe('pending');
    }
  });

  it('records written in bulk are real documents: the Document Service finds, updates and deletes them', async () => {
    const event = await app.createEvent();
    await importFile(event.documentId, fixture('comma-utf8.csv'));
    const docs = app.strapi.documents('plugin::certify.record');
    const found: any = await docs.findFirst({ filters: { event: event.documentId, bib: '1' } as any });
    expect(found.name).toBe('Zoë Çelik');
    // Timestamps read back like the Document Service's own (no time-zone shift).
    const own: any = await docs.create({ data: { event: event.documentId, bib: 'ref' } as any });
    expect(Math.abs(new Date(found.createdAt).getTime() - new Date(own.createdAt).getTime())).toBeLessThan(60_000);
    expect(found.publishedAt).toBeTruthy();
    await docs.delete({ documentId: own.documentId });
    const updated: any = await docs.update({ documentId: found.documentId, data: { name: 'Zoe Celik' } as any });
    expect(updated.name).toBe('Zoe Celik');
    await docs.delete({ documentId: found.documentId });
    expect(await docs.count({ filters: { event: event.documentId } as any })).toBe(2);
  });

  it('lets the admin correct the mapping at commit, and keeps it on the source for next time', async () => {
    const event = await app.createEvent();
    const source = await app.admin('post', `/certify/events/${event.documentId}/sources`).send({ name: 'Upload', kind: 'upload' });
    const csv = 'Nummer,Wer,Wann\n1,Ana,1:00:00\n';
    const p = await preview(event.documentId, Buffer.from(csv), 'x.csv', { sourceId: source.body.data.documentId });
    expect(p.status).toBe(200);
    expect(p.body.data).toMatchObject({ needsBib: true, importId: null });

    const mapping = { bib: 'Nummer', name: 'Wer', finishTime: 'Wann' };
    const ok = await preview(event.documentId, Buffer.from(csv), 'x.csv', {
      sourceId: source.body.data.documentId,
      mapping: JSON.stringify({ bib: 'Nummer' }),
    });
    expect(ok.status).toBe(200);
    expect(ok.body.data.sample[0].extra).toEqual({ Wer: 'Ana', Wann: '1:00:00' });
    const c = await commit(event.documentId, ok.body.data.importId, { mapping });
    expect(c.status).toBe(200);
    const [stored] = await records(event.documentId);
    expect(stored).toMatchObject({ name: 'Ana', finishTime: '1:00:00', extra: null });
    const saved = await app.strapi.db.query('plugin::certify.source').findOne({ where: { documentId: source.body.data.documentId } });
    expect(saved.mapping).toEqual(mapping);

    const bad = await preview(event.documentId, Buffer.from(csv), 'x.csv', { mapping: JSON.stringify({ bib: 'Startnr' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/bib is mapped to column "Startnr", which the file does not have/);
  });

  it('a file without a recognisable bib still gets a dry run: its columns and first rows, nothing held until the bib column is picked', async () => {
    const event = await app.createEvent();
    const csv = 'Nummer;Name;Zeit;AK\n101;Anna Berg;0:41:12;W35\n102;Jonas Kühn;0:43:05;M40\n103;Eva Lind;0:45:59;W45\n';
    const p = await preview(event.documentId, Buffer.from(csv), 'ergebnis.csv');
    expect(p.status).toBe(200);
    const data = p.body.data;
    expect(data).toMatchObject({ needsBib: true, importId: null, expiresAt: null, totalRows: 3, headers: ['Nummer', 'Name', 'Zeit', 'AK'] });
    expect(data.mapping.bib).toBeUndefined();
    expect(data.mapping).toEqual({ name: 'Name', finishTime: 'Zeit', category: 'AK' });
    expect(data.rows).toEqual([
      ['101', 'Anna Berg', '0:41:12', 'W35'],
      ['102', 'Jonas Kühn', '0:43:05', 'M40'],
      ['103', 'Eva Lind', '0:45:59', 'W45'],
    ]);
    expect(data.counts).toEqual({ new: 0, changed: 0, unchanged: 0, invalid: 0 });
    expect(data.sample).toEqual([]);
    expect(data.explanations.find((e: any) => e.column === 'Nummer').text).toBe('Nummer → kept in extra data');

    // Nothing was held: there is no import to commit, and no commit writes anything.
    const refused = await commit(event.documentId, 'a'.repeat(24), {});
    expect(refused.status).toBe(404);
    expect(await records(event.documentId)).toEqual([]);

    // With the column picked, the dry run is a normal one and commits.
    const ok = await preview(event.documentId, Buffer.from(csv), 'ergebnis.csv', { mapping: JSON.stringify({ ...data.mapping, bib: 'Nummer' }) });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({ needsBib: false, counts: { new: 3, changed: 0, unchanged: 0, invalid: 0 } });
    expect(ok.body.data.importId).toEqual(expect.any(String));
    const c = await commit(event.documentId, ok.body.data.importId);
    expect(c.status).toBe(200);
    expect(await byBib(event.documentId, '102')).toMatchObject({ name: 'Jonas Kühn', finishTime: '0:43:05', category: 'M40', extra: null });
  });

  it('takes JSON records too, with the same mapping and validation', async () => {
    const event = await app.createEvent();
    const res = await app
      .admin('post', `/certify/events/${event.documentId}/imports`)
      .send({ records: [{ bib: 1, name: 'Kipchoge, Eliud', time: '2:01:09' }, { name: 'no bib' }] });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ encoding: 'json', delimiter: null, counts: { new: 1, invalid: 1 } });
    expect(res.body.data.sample[0]).toMatchObject({ bib: '1', firstName: 'Eliud', finishSeconds: 7269 });
    expect(res.body.data.invalid).toEqual([{ line: 2, bib: null, reason: 'missing bib' }]);
  });

  it('a commit for an unknown or already used import id says to upload again', async () => {
    const event = await app.createEvent();
    const p = await preview(event.documentId, fixture('comma-utf8.csv'));
    expect((await commit(event.documentId, p.body.data.importId)).status).toBe(200);
    const again = await commit(event.documentId, p.body.data.importId);
    expect(again.status).toBe(404);
    expect(again.body.error.message).toMatch(/Upload the file again/);
    expect(again.body.error.details.code).toBe('CERTIFY_IMPORT_NOT_FOUND');
  });
});

describe('re-import', () => {
  const v1 = 'Bib,Name,Time\n1,Ana,1:00:00\n2,Ben,1:10:00\n3,Cy,1:20:00\n';
  const v2 = 'Bib,Name,Time\n1,Ana,1:00:00\n2,Ben,1:09:30\n3,Cy,1:20:00\n4,Dee,1:30:00\n';

  it('re-importing the same file changes nothing; a corrected file updates only the changed rows', async () => {
    const event = await app.createEvent();
    await importFile(event.documentId, Buffer.from(v1));
    const before = await records(event.documentId);

    const same = await importFile(event.documentId, Buffer.from(v1));
    expect(same.preview.counts).toEqual({ new: 0, changed: 0, unchanged: 3, invalid: 0 });
    expect(same.commit.counts).toEqual({ new: 0, changed: 0, unchanged: 3, invalid: 0 });
    expect(await records(event.documentId)).toEqual(before);

    // Ben's certificate is out: his record goes stale when his time is corrected.
    await app.strapi.db.query('plugin::certify.record').updateMany({ where: { event: event.documentId }, data: { status: 'published' } });
    const corrected = await importFile(event.documentId, Buffer.from(v2));
    expect(corrected.commit.counts).toEqual({ new: 1, changed: 1, unchanged: 2, invalid: 0 });
    expect(corrected.commit.stale).toBe(1);
    const after = await records(event.documentId);
    const byBib = (list: any[], bib: string) => list.find((r) => r.bib === bib);
    expect(byBib(after, '2')).toMatchObject({ finishTime: '1:09:30', status: 'stale', documentId: byBib(before, '2').documentId, verificationCode: byBib(before, '2').verificationCode });
    expect(byBib(after, '2').dataHash).not.toBe(byBib(before, '2').dataHash);
    expect(byBib(after, '1')).toMatchObject({ status: 'published', updatedAt: byBib(before, '1').updatedAt, dataHash: byBib(before, '1').dataHash });
    expect(byBib(after, '4')).toMatchObject({ name: 'Dee', status: 'pending' });
  });

  it('remembers the mapping the organiser committed for this layout: the next file is read the same way, not guessed again', async () => {
    const event = await app.createEvent();
    // Two columns could be the category; the guess takes "Division", this organiser wants "Age Group".
    const file = (time: string) =>
      Buffer.from(`Bib,Name,Division,Age Group,Time\n1,"Kawauchi, Yuki",Elite,M35-39,${time}\n2,"Okafor, Ada",Open,W40-44,1:10:00\n`);
    const first = await preview(event.documentId, file('1:00:00'));
    const guessed = first.body.data.mapping;
    expect(guessed.category).toBe('Division');
    const corrected = { ...guessed, category: 'Age Group' };
    const committed = await commit(event.documentId, first.body.data.importId, { mapping: corrected, nameOrder: 'last-first' });
    expect(committed.status).toBe(200);
    expect((await records(event.documentId)).map((r: any) => [r.name, r.category])).toEqual([
      ['Yuki Kawauchi', 'M35-39'],
      ['Ada Okafor', 'W40-44'],
    ]);

    // The same layout again (one time corrected), uploaded without a source: read as committed.
    const again = await preview(event.documentId, file('0:59:59'));
    expect(again.body.data.mapping).toEqual(corrected);
    expect(again.body.data.nameOrder).toBe('last-first');
    expect(again.body.data.nameOrderSource).toBe('organiser');
    expect(again.body.data.counts).toEqual({ new: 0, changed: 1, unchanged: 1, invalid: 0 });
    expect(again.body.data.explanations.find((e: any) => e.column === 'Age Group').text).toMatch(/as you mapped it for the last file with these columns/);

    // Another event, or another layout, is not affected.
    const other = await app.createEvent();
    expect((await preview(other.documentId, file('1:00:00'))).body.data.mapping.category).toBe(guessed.category);
    const wider = Buffer.from('Bib,Name,Division,Age Group,Time,Club\n1,"Kawauchi, Yuki",Elite,M35-39,1:00:00,Saitama\n');
    expect((await preview(event.documentId, wider)).body.data.mapping.category).toBe(guessed.category);
  });

  it('a commit that fails part-way leaves the records as they were', async () => {
    const event = await app.createEvent();
    await importFile(event.documentId, Buffer.from(v1));
    const before = await records(event.documentId);
    const knex = app.strapi.db.connection;
    const postgres = app.strapi.db.dialect.client === 'postgres';
    // A real refusal by the database for bib 666, which comes after rows already written in earlier batches.
    if (postgres) {
      await knex.raw(`CREATE OR REPLACE FUNCTION certify_test_reject() RETURNS trigger AS $$
        BEGIN IF NEW.bib = '666' THEN RAISE EXCEPTION 'bib 666 rejected by test trigger'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
      await knex.raw(`CREATE TRIGGER certify_test_reject BEFORE INSERT ON certify_records FOR EACH ROW EXECUTE FUNCTION certify_test_reject()`);
    } else {
      await knex.raw(`CREATE TRIGGER certify_test_reject BEFORE INSERT ON certify_records WHEN NEW.bib = '666'
        BEGIN SELECT RAISE(ABORT, 'bib 666 rejected by test trigger'); END`);
    }
    try {
      const rows = ['Bib,Name,Time', '1,Ana,0:59:00', '2,Ben,1:09:00', '3,Cy,1:19:00'];
      for (let i = 0; i < 10; i++) rows.push(`${100 + i},New ${i},2:00:00`);
      rows.push('666,Rejected,2:00:00');
      const p = await preview(event.documentId, Buffer.from(rows.join('\n')));
      expect(p.body.data.counts).toEqual({ new: 11, changed: 3, unchanged: 0, invalid: 0 });
      const result = await app.strapi.plugin('certify').service('import').commit(event.documentId, p.body.data.importId, { batchSize: 2 })
        .then(() => null, (err: Error) => err);
      expect(String(result?.message)).toMatch(/666 rejected/);
    } finally {
      await knex.raw('DROP TRIGGER IF EXISTS certify_test_reject' + (postgres ? ' ON certify_records' : ''));
    }
    expect(await records(event.documentId)).toEqual(before);
  });
});

describe('limits', () => {
  it('refuses a file over the size cap before anything is written, saying the limit', async () => {
    const event = await app.createEvent();
    app.strapi.config.set('plugin::certify.import.maxBytes', 200);
    try {
      const big = Buffer.from(`Bib,Name\n${Array.from({ length: 40 }, (_, i) => `${i + 1},Runner ${i}`).join('\n')}\n`);
      const res = await preview(event.documentId, big);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/over the import limit of 0\.0 MB/);
      expect(res.body.error.details.limit).toBe('import.maxBytes');
    } finally {
      app.strapi.config.set('plugin::certify.import.maxBytes', 50 * 1024 * 1024);
    }
    expect(await records(event.documentId)).toHaveLength(0);
  });

  it('refuses a file over the row cap before anything is written', async () => {
    const event = await app.createEvent();
    app.strapi.config.set('plugin::certify.import.maxRows', 5);
    try {
      const res = await app
        .admin('post', `/certify/events/${event.documentId}/imports`)
        .send({ csv: `Bib\n${[1, 2, 3, 4, 5, 6].join('\n')}\n` });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/6 rows, over the import limit of 5: split it into smaller files\. Nothing was imported\./);
    } finally {
      app.strapi.config.set('plugin::certify.import.maxRows', 200_000);
    }
    expect(await records(event.documentId)).toHaveLength(0);
  });

  it('a push over the row, column or nesting caps is refused before any row is written, saying what to change', async () => {
    const event = await app.createEvent();
    const source = (await app.admin('post', `/certify/events/${event.documentId}/sources`).send({ name: 'Partner', kind: 'proxy' })).body.data;
    const push = (body: string, type = 'text/csv') =>
      app.http().post(`/api/certify/sources/${source.documentId}/push`).set('Content-Type', type).set('Authorization', `Bearer ${source.token}`).send(body);
    const key = 'plugin::certify.import';
    const before = app.strapi.config.get(key) as Record<string, number>;
    app.strapi.config.set(key, { ...before, maxRows: 1000, maxColumns: 20 });
    try {
      // 1,500 rows: the last third over the cap. Refused up front, not after writing 1,000 rows.
      const rows = await push(`bib,name\n${Array.from({ length: 1500 }, (_, i) => `${i + 1},Runner ${i}`).join('\n')}`);
      expect(rows.status).toBe(400);
      expect(rows.body.error.message).toMatch(/1,500 rows, over the import limit of 1,000/);
      const wide = await push(`bib,${Array.from({ length: 30 }, (_, i) => `c${i}`).join(',')}\n1,${Array(30).fill('x').join(',')}`);
      expect(wide.status).toBe(400);
      expect(wide.body.error.message).toMatch(/31 columns, over the limit of 20/);
      const deep = await push(`[{"bib":1,"club":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}]`, 'application/json');
      expect(deep.status).toBe(400);
      expect(deep.body.error.message).toMatch(/Record 1: "club" is nested more than 4 levels deep/);
    } finally {
      app.strapi.config.set(key, before);
    }
    expect(await records(event.documentId)).toHaveLength(0);
  });

  it('a results file sent as JSON has the same limit as an upload, and over it the answer names the limit', async () => {
    const event = await app.createEvent();
    // 2 MB of CSV inside JSON: over Strapi's default 1 MB JSON limit, within the import limit.
    const csv = `Bib,Name,Note\n${Array.from({ length: 20_000 }, (_, i) => `${i + 1},Runner ${i},${'n'.repeat(100)}`).join('\n')}\n`;
    expect(csv.length).toBeGreaterThan(2 * 1024 * 1024);
    const ok = await app.admin('post', `/certify/events/${event.documentId}/imports`).send({ csv });
    expect(ok.status).toBe(200);
    expect(ok.body.data.counts.new).toBe(20_000);
    app.strapi.config.set('plugin::certify.import.maxBytes', 1024 * 1024);
    try {
      const over = await app.admin('post', `/certify/events/${event.documentId}/imports`).send({ csv });
      expect(over.status).toBe(413);
      expect(over.body.error.message).toMatch(/over the import limit of 1\.0 MB \(uploaded or sent as JSON\): split it/);
      expect(over.body.error.details).toMatchObject({ limit: 'import.maxBytes', maxBytes: 1024 * 1024 });
    } finally {
      app.strapi.config.set('plugin::certify.import.maxBytes', 50 * 1024 * 1024);
    }
  });

  it('needs the records permission and an event on a plan with Certify', async () => {
    const reader = await app.adminWithActions(['plugin::certify.read']);
    const event = await app.createEvent();
    expect((await app.admin('post', `/certify/events/${event.documentId}/imports`, reader).send({ csv: 'Bib\n1\n' })).status).toBe(403);
    const locked = await app.createEvent({ plan: 'trial' });
    const res = await app.admin('post', `/certify/events/${locked.documentId}/imports`).send({ csv: 'Bib\n1\n' });
    expect(res.status).toBe(403);
    expect(res.body.error.details.code).toBe('CERTIFY_PLAN_REQUIRED');
  });
});

const byBib = async (eventId: string, bib: string) => (await records(eventId)).find((r: any) => r.bib === bib);

/** Dry run then commit with no mapping sent, into a new event: what the importer decides alone. */
const importAlone = async (file: Buffer) => {
  const event = await app.createEvent();
  return { eventId: event.documentId as string, ...(await importFile(event.documentId, file)) };
};
const explanation = (data: any, column: string) => data.explanations.find((e: any) => e.column === column)?.text;

describe('records edited by hand', () => {
  const original = 'Bib,Name,Time\n1,Ana Lima,1:00:00\n2,Ben Ode,1:05:00\n3,Cy Park,1:10:00\n';
  const editName = async (eventId: string, bib: string, name: string) => {
    const record = await byBib(eventId, bib);
    const res = await app.admin('put', `/certify/events/${eventId}/records/${record.documentId}`).send({ name });
    expect(res.status).toBe(200);
    return res.body.data;
  };

  it('are listed by the dry run when the file would change them; keep leaves the edit, replace overwrites it and clears the mark', async () => {
    const event = await app.createEvent();
    const id = event.documentId as string;
    await importFile(id, Buffer.from(original));
    const edited = await editName(id, '2', 'Benjamin Ode');
    expect(edited).toMatchObject({ name: 'Benjamin Ode', editedFields: ['name'] });
    expect(Date.now() - new Date(edited.editedAt).getTime()).toBeLessThan(60_000);

    // Re-importing the original file: the dry run names the record, its field and when it was edited.
    const p = await preview(id, Buffer.from(original));
    expect(p.status).toBe(200);
    expect(p.body.data.overwrites).toEqual([{ bib: '2', fields: ['name'], editedAt: edited.editedAt }]);
    expect(p.body.data.overwriteCount).toBe(1);
    // Kept by default, so nothing would change.
    expect(p.body.data.counts).toEqual({ new: 0, changed: 0, unchanged: 3, invalid: 0 });
    const kept = await commit(id, p.body.data.importId);
    expect(kept.status).toBe(200);
    expect(kept.body.data).toMatchObject({ counts: { new: 0, changed: 0, unchanged: 3, invalid: 0 }, kept: 1, replaced: 0 });
    expect(await byBib(id, '2')).toMatchObject({ name: 'Benjamin Ode', editedFields: ['name'] });

    // A corrected time for the same runner is still applied; the edited name stays.
    const corrected = original.replace('2,Ben Ode,1:05:00', '2,Ben Ode,1:04:30');
    const p2 = await preview(id, Buffer.from(corrected));
    expect(p2.body.data.counts).toEqual({ new: 0, changed: 1, unchanged: 2, invalid: 0 });
    expect((await commit(id, p2.body.data.importId)).body.data).toMatchObject({ kept: 1, counts: { changed: 1 } });
    expect(await byBib(id, '2')).toMatchObject({ name: 'Benjamin Ode', finishTime: '1:04:30', editedFields: ['name'] });

    // Replace: the file's name is written and the record is no longer marked as edited.
    const p3 = await preview(id, Buffer.from(corrected));
    expect(p3.body.data.overwrites).toEqual([{ bib: '2', fields: ['name'], editedAt: edited.editedAt }]);
    const replaced = await commit(id, p3.body.data.importId, { handEdited: 'replace' });
    expect(replaced.status).toBe(200);
    expect(replaced.body.data).toMatchObject({ counts: { new: 0, changed: 1, unchanged: 2, invalid: 0 }, kept: 0, replaced: 1 });
    expect(await byBib(id, '2')).toMatchObject({ name: 'Ben Ode', finishTime: '1:04:30', editedAt: null, editedFields: null });
    const p4 = await preview(id, Buffer.from(corrected));
    expect(p4.body.data).toMatchObject({ overwrites: [], overwriteCount: 0, counts: { unchanged: 3 } });
  });

  it('the choice can be made on the dry run; a bad choice is refused; an edit the file does not carry is no overwrite', async () => {
    const event = await app.createEvent();
    const id = event.documentId as string;
    await importFile(id, Buffer.from(original));
    await editName(id, '1', 'Ana Lima Souza');
    const p = await preview(id, Buffer.from(original), 'results.csv', { handEdited: 'replace' });
    expect(p.body.data).toMatchObject({ overwriteCount: 1, counts: { changed: 1, unchanged: 2 } });
    expect((await commit(id, p.body.data.importId)).body.data).toMatchObject({ replaced: 1 });
    expect((await byBib(id, '1')).name).toBe('Ana Lima');

    const bad = await commit(id, p.body.data.importId, { handEdited: 'overwrite' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/handEdited must be 'keep' or 'replace'/);

    // A record typed in by hand is marked too; a file of bibs and times leaves its name alone, no overwrite.
    const created = await app.admin('post', `/certify/events/${id}/records`).send({ bib: '9', name: 'Late Entry' });
    expect(created.status).toBe(201);
    expect(created.body.data.editedFields).toEqual(['name']);
    const times = await preview(id, Buffer.from('Bib,Time\n9,1:20:00\n'));
    expect(times.body.data).toMatchObject({ overwrites: [], counts: { changed: 1 } });
    await commit(id, times.body.data.importId);
    expect(await byBib(id, '9')).toMatchObject({ name: 'Late Entry', finishTime: '1:20:00', editedFields: ['name'] });
  });
});

describe('real results exports map themselves', () => {
  it('Boston 2021 (BAA export): camelCase headers, official time, three ranks, the sex; names read as written', async () => {
    const { eventId, preview: p, commit: c } = await importAlone(real('baa-boston-2021'));
    expect(p.mapping).toEqual({
      bib: 'BibNumber',
      name: 'FullName',
      gender: 'Gender',
      finishTime: 'OfficialTime',
      rankOverall: 'RankOverall',
      rankGender: 'RankOverGender',
      rankCategory: 'RankOverDivision',
    });
    expect(c.counts).toEqual({ new: 1000, changed: 0, unchanged: 0, invalid: 0 });
    // The range covers the whole file, not only the rows the mapping was decided from.
    expect(explanation(p, 'RankOverall')).toBe('RankOverall → overall rank: whole numbers 1–1,000 in a column named RankOverall');
    expect(p).toMatchObject({ nameOrder: 'first-last', nameOrderSource: 'file', nameOrderRows: 0 });
    expect(await byBib(eventId, '4')).toMatchObject({
      name: 'Benson Kipruto',
      gender: 'M',
      finishTime: '2:09:51',
      rankOverall: 1,
      rankGender: 1,
      rankCategory: 1,
    });
    expect(await byBib(eventId, '111')).toMatchObject({ name: 'Diana Kipyokei', gender: 'F', finishTime: '2:24:45', rankOverall: 40, rankGender: 1, rankCategory: 1 });
    const oHara = await byBib(eventId, '49');
    expect(oHara).toMatchObject({ name: "Chip O'Hara", rankOverall: 45, rankGender: 41, rankCategory: 3 });
    expect(oHara.extra).toMatchObject({ SortName: "O'Hara, Chip", AgeOnRaceDay: '40', City: 'Auburn' });
  });

  it('a sprint triathlon: gun time as the finish, Division text as category, Overall/Sex Place/Division Place as ranks, legs as splits', async () => {
    const { eventId, preview: p, commit: c } = await importAlone(real('triathlon-ventura'));
    expect(p.mapping).toEqual({
      bib: 'Bib',
      firstName: 'First Name',
      lastName: 'Last Name',
      gender: 'Sex',
      category: 'Division',
      finishTime: 'Gun',
      rankOverall: 'Overall',
      rankGender: 'Sex Place',
      rankCategory: 'Division Place',
    });
    expect(c.counts).toEqual({ new: 220, changed: 0, unchanged: 0, invalid: 0 });
    expect(p.explanations.filter((e: any) => e.kind === 'split').map((e: any) => e.column)).toEqual(['Swim', 'T1', 'Bike', 'T2', 'Run']);
    expect(await byBib(eventId, '100')).toMatchObject({
      name: 'Lara Gruden',
      firstName: 'Lara',
      lastName: 'Gruden',
      gender: 'F',
      category: '25-29 Female',
      finishTime: '01:11:43',
      rankOverall: 5,
      rankGender: 1,
      rankCategory: 1,
    });
    expect(Number((await byBib(eventId, '100')).finishSeconds)).toBe(4303);
    expect(await byBib(eventId, '252')).toMatchObject({ category: 'Clydesdale', rankOverall: 26, rankGender: 22, rankCategory: 1 });
  });

  it('a club race (race-timing): Pos/No/Runner/Category/Time; no sex column to map', async () => {
    const { eventId, preview: p, commit: c } = await importAlone(real('race-timing-individual'));
    expect(p.mapping).toEqual({ rankOverall: 'Pos', bib: 'No', name: 'Runner', category: 'Category', finishTime: 'Time' });
    expect(c.counts).toEqual({ new: 89, changed: 0, unchanged: 0, invalid: 0 });
    expect(await byBib(eventId, '35')).toMatchObject({ name: 'Ben Kinninmonth', category: 'MS', finishTime: '00:31:24', rankOverall: 1, extra: { Club: 'Fife AC' } });
    expect(await byBib(eventId, '20')).toMatchObject({ name: 'Alan Gardener', category: 'M50', finishTime: '01:06:25', rankOverall: 89 });
  });

  it('a hill relay (race-timing): the team is the name, Total the finish time, legs and splits kept as times, DNF teams unranked', async () => {
    const { eventId, preview: p, commit: c } = await importAlone(real('race-timing-relay'));
    expect(p.mapping).toEqual({ rankOverall: 'Pos', bib: 'No', name: 'Team', category: 'Category', finishTime: 'Total' });
    expect(c.counts).toEqual({ new: 112, changed: 0, unchanged: 0, invalid: 0 });
    expect(explanation(p, 'Split 2')).toBe('Split 2 → split time (times like 01:30:36), kept in extra data');
    expect(await byBib(eventId, '12')).toMatchObject({ name: "Carnethy - Men's A", category: 'Open Senior', finishTime: '02:47:45', rankOverall: 1 });
    const dnf = await byBib(eventId, '113');
    expect(dnf).toMatchObject({ name: 'Westies Women D', finishTime: 'DNF', finishSeconds: null, rankOverall: null });
    expect(dnf.extra).toMatchObject({ 'Leg 3': '01:19:17', 'Split 3': '04:26:36', 'Leg 4': 'DNF' });
  });
  it('a MYLAPS Sporthive API page (JSON): camelCase fields, chip time preferred over gun time, three ranks', async () => {
    const event = await app.createEvent();
    const { preview: p, commit: c } = await importFile(event.documentId, real('sporthive-rotterdam-2024', 'results.json'), 'results.json');
    expect(p.encoding).toBe('json');
    expect(p.mapping).toEqual({
      bib: 'bib',
      name: 'name',
      gender: 'gender',
      category: 'raceCategory',
      finishTime: 'chipTimeOfParticipant',
      rankOverall: 'overallPosition',
      rankGender: 'genderPosition',
      rankCategory: 'categoryPosition',
    });
    expect(explanation(p, 'chipTimeOfParticipant')).toMatch(/; preferred over gunTimeOfParticipant$/);
    expect(c.counts).toEqual({ new: 3, changed: 0, unchanged: 0, invalid: 0 });
    expect(await byBib(event.documentId, '5')).toMatchObject({
      name: 'Amedework Walelegn',
      gender: 'M',
      category: 'MSR',
      finishTime: '02:04:48',
      rankOverall: 2,
      rankGender: 2,
      rankCategory: 2,
    });
    expect((await byBib(event.documentId, '5')).extra).toMatchObject({ gunTimeOfParticipant: '02:04:50', country: 'ET' });
  });

  it('a Wiclax exporter ranking (JSON `rows`): one-word fields, chip time over gun time, a rank of zeros left out', async () => {
    // The payload is recognised as JSON by its bytes, whatever the upload's name.
    const { eventId, preview: p, commit: c } = await importAlone(real('wiclax-timisoara-2026', 'results.json'));
    expect(p.encoding).toBe('json');
    expect(p.mapping).toEqual({
      bib: 'bib',
      firstName: 'firstname',
      lastName: 'lastname',
      gender: 'sex',
      category: 'category',
      finishTime: 'chiptime',
      rankOverall: 'rank',
      rankCategory: 'rankbycat',
    });
    expect(explanation(p, 'chiptime')).toMatch(/; preferred over time$/);
    // Wiclax writes 0 where it computed no place by sex: not a rank to print.
    expect(explanation(p, 'rankbysex')).toBe('rankbysex → kept in extra data');
    expect(c.counts).toEqual({ new: 10, changed: 0, unchanged: 0, invalid: 0 });
    expect(await byBib(eventId, '1271')).toMatchObject({
      firstName: 'Cristina',
      lastName: 'Bercea',
      name: 'Cristina Bercea',
      gender: 'F',
      category: 'Feminin | Female 30 - 39',
      finishTime: '01:14:49',
      rankOverall: 641,
      rankCategory: 78,
      rankGender: null,
    });
    expect((await byBib(eventId, '1271')).extra).toMatchObject({ time: '01:15:53', team: 'Nu', race: '10K powered by HUAWEI Watch GT Runner 2' });
    expect(await byBib(eventId, '3110')).toMatchObject({ gender: 'M', finishTime: '00:07:54', rankOverall: 1, rankCategory: 1 });
  });
});

describe('name order', () => {
  const firstLast = 'Bib,Name,Time\n1,Benson Kiplagat,2:04:15\n2,"O\'Brien, Seán",2:58:30\n3,"Seetoh, Joseph, Pak Lian",3:10:00\n4,Guy Coutu Jr,3:20:00\n';
  const lastFirst = 'Bib,Name,Time\n1,"Kiplagat, Benson",2:04:15\n2,"O\'Brien, Seán",2:58:30\n3,"Coutu, Guy Jr",3:20:00\n4,Madonna,3:30:00\n';

  it('in a file of "First Last" names, a lone "Last, First" is not reordered; two commas are kept and warned about', async () => {
    const event = await app.createEvent();
    const p = await preview(event.documentId, Buffer.from(firstLast), 'names.csv');
    expect(p.body.data).toMatchObject({ nameOrder: 'first-last', nameOrderSource: 'file', nameOrderRows: 1 });
    expect(p.body.data.warnings).toEqual([{ line: 4, bib: '3', message: expect.stringMatching(/"Seetoh, Joseph, Pak Lian" has 2 commas.*kept as written/) }]);
    expect(p.body.data.sample.map((r: any) => r.name)).toEqual(['Benson Kiplagat', "O'Brien, Seán", 'Seetoh, Joseph, Pak Lian', 'Guy Coutu Jr']);
    const c = await commit(event.documentId, p.body.data.importId);
    expect(c.body.data).toMatchObject({ nameOrder: 'first-last', warnings: [expect.objectContaining({ bib: '3' })] });
    expect((await byBib(event.documentId, '2')).name).toBe("O'Brien, Seán");
  });

  it('in a file of "Last, First" names every comma name is turned around, suffixes stay at the end', async () => {
    const event = await app.createEvent();
    const p = await preview(event.documentId, Buffer.from(lastFirst), 'names.csv');
    expect(p.body.data).toMatchObject({ nameOrder: 'last-first', nameOrderRows: 3 });
    await commit(event.documentId, p.body.data.importId);
    expect(await byBib(event.documentId, '3')).toMatchObject({ name: 'Guy Coutu Jr', firstName: 'Guy', lastName: 'Coutu Jr' });
    expect(await byBib(event.documentId, '2')).toMatchObject({ name: "Seán O'Brien", firstName: 'Seán', lastName: "O'Brien" });
    expect((await byBib(event.documentId, '4')).name).toBe('Madonna');
  });

  it('the organiser can override the order in the dry run and at commit', async () => {
    const event = await app.createEvent();
    const p = await preview(event.documentId, Buffer.from(lastFirst), 'names.csv', { nameOrder: 'first-last' });
    expect(p.body.data).toMatchObject({ nameOrder: 'first-last', nameOrderSource: 'organiser' });
    expect(p.body.data.sample[0].name).toBe('Kiplagat, Benson');
    // The dry run's choice is kept for the commit…
    await commit(event.documentId, p.body.data.importId);
    expect((await byBib(event.documentId, '1')).name).toBe('Kiplagat, Benson');
    // …and a commit can change it.
    const again = await preview(event.documentId, Buffer.from(lastFirst), 'names.csv', { nameOrder: 'first-last' });
    const c = await commit(event.documentId, again.body.data.importId, { nameOrder: 'last-first' });
    expect(c.body.data).toMatchObject({ nameOrder: 'last-first', counts: { changed: 3, unchanged: 1 } });
    expect((await byBib(event.documentId, '1')).name).toBe('Benson Kiplagat');
    const bad = await preview(event.documentId, Buffer.from(lastFirst), 'names.csv', { nameOrder: 'surname-first' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/nameOrder must be "first-last" or "last-first"/);
  });
});

describe("Certify's own language", () => {
  const newSource = async (eventId: string) => {
    const res = await app.admin('post', `/certify/events/${eventId}/sources`).send({ name: 'Partner', kind: 'proxy' });
    return { sourceId: res.body.data.documentId as string, token: res.body.data.token as string };
  };
  const push = (sourceId: string, token: string, body: string, type: string) =>
    app.http().post(`/api/certify/sources/${sourceId}/push`).set('Content-Type', type).set('Authorization', `Bearer ${token}`).send(body);

  it('a JSON push with Certify field names fills the record fields, not extra data', async () => {
    const event = await app.createEvent();
    const { sourceId, token } = await newSource(event.documentId);
    const body = JSON.stringify([
      { bib: 7, firstName: 'Eliud', lastName: 'Kipchoge', gender: 'M', category: 'M35-39', finishTime: '2:01:09', rankOverall: 1, rankGender: 1, rankCategory: 1, email: 'EK@example.com', club: 'NN' },
    ]);
    const res = await push(sourceId, token, body, 'application/json');
    expect(res.status).toBe(200);
    expect(res.body.data.counts).toEqual({ new: 1, changed: 0, unchanged: 0, invalid: 0 });
    // A time sent only in seconds is stored as h:mm:ss for the certificate.
    const seconds = JSON.stringify({ records: [{ bib: 8, name: 'Ruth Chepngetich', gender: 'F', finishSeconds: 8176, rankOverall: 27 }] });
    expect((await push(sourceId, token, seconds, 'application/json')).body.data.counts.new).toBe(1);
    expect(await byBib(event.documentId, '7')).toMatchObject({
      name: 'Eliud Kipchoge',
      firstName: 'Eliud',
      lastName: 'Kipchoge',
      gender: 'M',
      category: 'M35-39',
      finishTime: '2:01:09',
      rankOverall: 1,
      rankGender: 1,
      rankCategory: 1,
      email: 'ek@example.com',
      extra: { club: 'NN' },
    });
    expect(await byBib(event.documentId, '8')).toMatchObject({ name: 'Ruth Chepngetich', finishTime: '2:16:16', rankOverall: 27, extra: null });
  });

  it('a push updates the fields it carries and leaves the others; an empty value clears a field', async () => {
    const event = await app.createEvent();
    const { sourceId, token } = await newSource(event.documentId);
    const full = [{ bib: 11, name: 'Yuki Kawauchi', finishTime: '2:10:01', rankOverall: 3, email: 'yuki@example.com', category: 'M35-39', club: 'Saitama', country: 'JPN' }];
    expect((await push(sourceId, token, JSON.stringify(full), 'application/json')).status).toBe(200);
    const before = await byBib(event.documentId, '11');

    // The same name again, nothing else: nothing changes, the certificate is not re-issued.
    const same = await push(sourceId, token, JSON.stringify([{ bib: 11, name: 'Yuki Kawauchi' }]), 'application/json');
    expect(same.body.data.counts).toEqual({ new: 0, changed: 0, unchanged: 1, invalid: 0 });
    expect((await byBib(event.documentId, '11')).dataHash).toBe(before.dataHash);

    // A corrected time and one extra column: those change, the rest stays.
    const fix = await push(sourceId, token, 'bib,time,club\n11,2:09:59,Saitama Pref.\n', 'text/csv');
    expect(fix.body.data.counts).toEqual({ new: 0, changed: 1, unchanged: 0, invalid: 0 });
    expect(await byBib(event.documentId, '11')).toMatchObject({
      name: 'Yuki Kawauchi',
      finishTime: '2:09:59',
      rankOverall: 3,
      email: 'yuki@example.com',
      category: 'M35-39',
      extra: { club: 'Saitama Pref.', country: 'JPN' },
    });

    // Clearing: the field sent empty (CSV) or null (JSON).
    await push(sourceId, token, 'bib,email,country\n11,,\n', 'text/csv');
    await push(sourceId, token, JSON.stringify([{ bib: 11, rankOverall: null }]), 'application/json');
    expect(await byBib(event.documentId, '11')).toMatchObject({ email: null, rankOverall: null, finishTime: '2:09:59', extra: { club: 'Saitama Pref.' } });
  });

  it('a CSV push with the usual aliases maps without configuration', async () => {
    const event = await app.createEvent();
    const { sourceId, token } = await newSource(event.documentId);
    const csv = 'bib_number,full_name,sex,age_group,chip_time,gun_time,overall_place,gender_place,age_group_place\n5,Ana Lee,F,F40-44,0:41:02,0:41:30,12,3,1\n';
    const res = await push(sourceId, token, csv, 'text/csv');
    expect(res.status).toBe(200);
    expect(await byBib(event.documentId, '5')).toMatchObject({
      name: 'Ana Lee',
      gender: 'F',
      category: 'F40-44',
      finishTime: '0:41:02',
      rankOverall: 12,
      rankGender: 3,
      rankCategory: 1,
      extra: { gun_time: '0:41:30' },
    });
  });

  it('a push without a bib column is told how to name it, not to send a mapping', async () => {
    const event = await app.createEvent();
    const { sourceId, token } = await newSource(event.documentId);
    const res = await push(sourceId, token, 'Nummer,Wer\n1,Ana\n', 'text/csv');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/No column looks like a bib number \(columns: Nummer, Wer\): name the bib column "bib"/);
    expect(res.body.error.message).not.toMatch(/mapping/);
  });

  it("re-importing the product's own export.csv counts every record as unchanged", async () => {
    const event = await app.createEvent();
    const url = `/certify/events/${event.documentId}/records`;
    const first = await preview(event.documentId, real('triathlon-ventura'));
    await commit(event.documentId, first.body.data.importId);
    // A record edited by hand with a comma name and an h:mm:ss.hh time goes through the export too.
    const lara = await byBib(event.documentId, '100');
    expect((await app.admin('put', `${url}/${lara.documentId}`).send({ name: 'Gruden, Lara', finishTime: '1:11:43.25' })).status).toBe(200);
    const before = await records(event.documentId);
    const exported = await app.admin('get', `${url}/export.csv`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (ch: Buffer) => chunks.push(ch));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(exported.status).toBe(200);
    const again = await preview(event.documentId, exported.body as Buffer);
    expect(again.status).toBe(200);
    expect(again.body.data.counts).toEqual({ new: 0, changed: 0, unchanged: 220, invalid: 0 });
    expect(again.body.data.explanations.filter((e: any) => e.kind === 'ignored').map((e: any) => e.column)).toEqual([
      'finishSeconds',
      'status',
      'verificationCode',
    ]);
    const c = await commit(event.documentId, again.body.data.importId);
    expect(c.body.data.counts).toEqual({ new: 0, changed: 0, unchanged: 220, invalid: 0 });
    expect(await records(event.documentId)).toEqual(before);
  });
});

describe('commits of one event at the same time', () => {
  it('take turns: twelve imports of different bibs started at once store every row once', async () => {
    const event = await app.createEvent();
    const importer = app.strapi.plugin('certify').service('import');
    const file = (k: number) => Buffer.from(['Bib,Name,Time', ...Array.from({ length: 25 }, (_, i) => `${k * 100 + i + 1},Runner ${k}-${i},3:0${k % 10}:00`)].join('\n'));
    const results = await Promise.all(Array.from({ length: 12 }, (_, k) => importer.importNow(event.documentId, { buffer: file(k) })));
    expect(results.map((r: any) => r.counts.new)).toEqual(Array(12).fill(25));
    const stored = await records(event.documentId);
    expect(stored).toHaveLength(300);
    expect(new Set(stored.map((r: any) => r.bib)).size).toBe(300);
  });
});
