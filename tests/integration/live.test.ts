/**
 * Live certificates: in an event published before, a result the timing partner pushes is
 * rendered ahead of a bulk re-render already queued (the in-process local queue, its live lane,
 * and the urgent Chromium page), and the finder shows it while the bulk work is still going on.
 */
import { setupApp, type TestApp } from '../helpers/app';
import { createTemplate, JOB, RECORD, waitFor, waitForFinishedRun } from '../fixtures/publish/helpers';

jest.setTimeout(600_000);

const BULK = 400;
let app: TestApp;

beforeAll(async () => {
  app = await setupApp({ CERTIFY_RATE_LIMIT: 'false' });
});

afterAll(async () => {
  await app?.close();
});

const csv = (from: number, to: number) =>
  ['Bib,Name,Category,Time', ...Array.from({ length: to - from + 1 }, (_, k) => `${from + k},Runner ${from + k},M40,01:${String((from + k) % 60).padStart(2, '0')}:00`)].join('\n');

it('a pushed result is rendered before the bulk re-render queued ahead of it, and the finder shows it at once', async () => {
  const event = await app.createEvent();
  await createTemplate(app.strapi, event.documentId);
  const source = await app.admin('post', `/certify/events/${event.documentId}/sources`).send({ name: 'Timing partner', kind: 'proxy' });
  expect(source.status).toBe(201);
  const push = (body: string) =>
    app
      .http()
      .post(`/api/certify/sources/${source.body.data.documentId}/push`)
      .set('Content-Type', 'text/csv')
      .set('Authorization', `Bearer ${source.body.data.token}`)
      .send(body);

  // The field before the event goes live, then its first publish: bulk work of BULK records.
  expect((await push(csv(1, BULK))).status).toBe(200);
  expect((await app.admin('post', `/certify/events/${event.documentId}/publish`).send({})).status).toBe(201);
  await waitFor('the bulk run to start rendering', async () => (await app.strapi.db.query(JOB).count({ where: { event: event.documentId, status: 'done' } })) > 0, 120_000, 50);

  // A finisher crosses the line.
  const accepted = Date.now();
  expect((await push(csv(BULK + 1, BULK + 1))).status).toBe(200);
  const finisher = await waitFor('the pushed record', () => app.strapi.db.query(RECORD).findOne({ where: { event: event.documentId, bib: String(BULK + 1) } }));
  const liveJob = await waitFor('its job', () => app.strapi.db.query(JOB).findOne({ where: { recordId: finisher.documentId } }), 30_000, 20);
  expect(liveJob.priority).toBe(1);
  // Bulk jobs no worker had claimed when the result arrived.
  const waiting = await app.strapi.db.query(JOB).findMany({ where: { event: event.documentId, status: 'queued', priority: 0 }, select: ['id'] });
  expect(waiting.length).toBeGreaterThan(100);

  // The participant API lists the certificate and the PDF downloads, while bulk work is still open.
  const found = await waitFor(
    'the certificate in the finder',
    async () => {
      const res = await app.http().get(`/api/certify/events/${event.slug}/certificates`).query({ bib: String(BULK + 1) });
      return res.status === 200 && res.body.data.results.length ? res.body.data.results[0] : null;
    },
    120_000,
    100
  );
  const pdf = await app.http().get(found.pdfUrl);
  expect(pdf.status).toBe(200);
  expect(pdf.headers['content-type']).toBe('application/pdf');
  const seconds = (Date.now() - accepted) / 1000;
  const stillOpen = await app.strapi.db.query(JOB).count({ where: { event: event.documentId, status: { $in: ['queued', 'running'] } } });
  expect(stillOpen).toBeGreaterThan(50);

  const run = await waitForFinishedRun(app.strapi, event.documentId);
  expect(run).toMatchObject({ total: BULK + 1, done: BULK + 1, failed: 0 });
  // Order of completion: every bulk job that was waiting finished after the pushed one.
  const live = await app.strapi.db.query(JOB).findOne({ where: { id: liveJob.id } });
  const bulk = await app.strapi.db.query(JOB).findMany({ where: { id: { $in: waiting.map((j: { id: number }) => j.id) } } });
  const liveDone = new Date(live.updatedAt).getTime();
  const before = bulk.filter((j: { updatedAt: string }) => new Date(j.updatedAt).getTime() < liveDone);
  expect(before).toEqual([]);
  expect(bulk.every((j: { status: string }) => j.status === 'done')).toBe(true);
  // eslint-disable-next-line no-console
  console.log(`live certificate downloadable ${seconds.toFixed(1)} s after the push, ${stillOpen} bulk jobs still open`);
});
