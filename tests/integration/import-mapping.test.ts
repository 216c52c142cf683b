import fs from 'node:fs';
import path from 'node:path';
import { setupApp, type TestApp } from '../helpers/app';

const REAL = path.join(__dirname, '..', 'fixtures', 'import', 'real');
const real = (name: string) => fs.readFileSync(path.join(REAL, name, 'results.csv'));

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
const byBib = async (eventId: string, bib: string) => (await records(eventId)).find((r: any) => r.bib === bib);

const preview = (eventId: string, file: Buffer, fields: Record<string, string> = {}) => {
  let req = app.admin('post', `/certify/events/${eventId}/imports`).attach('file', file, 'results.csv');
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req;
};
const commit = (eventId: string, importId: string, body: Record<string, unknown> = {}) =>
  app.admin('post', `/certify/events/${eventId}/imports/${importId}/commit`).send(body);

/** Dry run then commit with no mapping sent: what the importer decides alone. */
const importAlone = async (file: Buffer) => {
  const event = await app.createEvent();
  const p = await preview(event.documentId, file);
  expect(p.status).toBe(200);
  const c = await commit(event.documentId, p.body.data.importId);
  expect(c.status).toBe(200);
  return { eventId: event.documentId as string, preview: p.body.data, commit: c.body.data };
};
const explanation = (data: any, column: string) => data.explanations.find((e: any) => e.column === column)?.text;

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
});

describe('name order', () => {
  const firstLast = 'Bib,Name,Time\n1,Benson Kiplagat,2:04:15\n2,"O\'Brien, Seán",2:58:30\n3,"Seetoh, Joseph, Pak Lian",3:10:00\n4,Guy Coutu Jr,3:20:00\n';
  const lastFirst = 'Bib,Name,Time\n1,"Kiplagat, Benson",2:04:15\n2,"O\'Brien, Seán",2:58:30\n3,"Coutu, Guy Jr",3:20:00\n4,Madonna,3:30:00\n';

  it('in a file of "First Last" names, a lone "Last, First" is not reordered; two commas are kept and warned about', async () => {
    const event = await app.createEvent();
    const p = await preview(event.documentId, Buffer.from(firstLast));
    expect(p.body.data).toMatchObject({ nameOrder: 'first-last', nameOrderSource: 'file', nameOrderRows: 1 });
    expect(p.body.data.warnings).toEqual([{ line: 4, bib: '3', message: expect.stringMatching(/"Seetoh, Joseph, Pak Lian" has 2 commas.*kept as written/) }]);
    expect(p.body.data.sample.map((r: any) => r.name)).toEqual(['Benson Kiplagat', "O'Brien, Seán", 'Seetoh, Joseph, Pak Lian', 'Guy Coutu Jr']);
    const c = await commit(event.documentId, p.body.data.importId);
    expect(c.body.data).toMatchObject({ nameOrder: 'first-last', warnings: [expect.objectContaining({ bib: '3' })] });
    expect((await byBib(event.documentId, '2')).name).toBe("O'Brien, Seán");
  });

  it('in a file of "Last, First" names every comma name is turned around, suffixes stay at the end', async () => {
    const event = await app.createEvent();
    const p = await preview(event.documentId, Buffer.from(lastFirst));
    expect(p.body.data).toMatchObject({ nameOrder: 'last-first', nameOrderRows: 3 });
    await commit(event.documentId, p.body.data.importId);
    expect(await byBib(event.documentId, '3')).toMatchObject({ name: 'Guy Coutu Jr', firstName: 'Guy', lastName: 'Coutu Jr' });
    expect(await byBib(event.documentId, '2')).toMatchObject({ name: "Seán O'Brien", firstName: 'Seán', lastName: "O'Brien" });
    expect((await byBib(event.documentId, '4')).name).toBe('Madonna');
  });

  it('the organiser can override the order in the dry run and at commit', async () => {
    const event = await app.createEvent();
    const p = await preview(event.documentId, Buffer.from(lastFirst), { nameOrder: 'first-last' });
    expect(p.body.data).toMatchObject({ nameOrder: 'first-last', nameOrderSource: 'organiser' });
    expect(p.body.data.sample[0].name).toBe('Kiplagat, Benson');
    // The dry run's choice is kept for the commit…
    await commit(event.documentId, p.body.data.importId);
    expect((await byBib(event.documentId, '1')).name).toBe('Kiplagat, Benson');
    // …and a commit can change it.
    const again = await preview(event.documentId, Buffer.from(lastFirst), { nameOrder: 'first-last' });
    const c = await commit(event.documentId, again.body.data.importId, { nameOrder: 'last-first' });
    expect(c.body.data).toMatchObject({ nameOrder: 'last-first', counts: { changed: 3, unchanged: 1 } });
    expect((await byBib(event.documentId, '1')).name).toBe('Benson Kiplagat');
    const bad = await preview(event.documentId, Buffer.from(lastFirst), { nameOrder: 'surname-first' });
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
