/**
 * Storage failing for a while (the local uploads folder unusable: replaced by a file, since tests
 * run as root and permissions would not stop them): certificates are retried with backoff, none
 * is given up while attempts remain, and once storage is back every record is published once,
 * with exactly its files stored and nothing orphaned.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setupApp, type TestApp } from '../helpers/app';
import { createRecords, createTemplate, drain, RECORD, svc } from '../fixtures/publish/helpers';
import { expectWholeAndClean } from '../fixtures/publish/ledger';

jest.setTimeout(600_000);

let app: TestApp;

beforeAll(async () => {
  app = await setupApp({ CERTIFY_QUEUE_IN_PROCESS: 'false', CERTIFY_QUEUE_RETRY_BASE_MS: '6000', CERTIFY_QUEUE_RETRY_MAX_MS: '12000' });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('rides out a storage outage: retried with backoff, then every certificate stored once, no orphan', async () => {
  const event = await app.createEvent();
  const eventId = event.documentId;
  await createTemplate(app.strapi, eventId);
  await createRecords(app.strapi, eventId, 60);
  const uploads = path.join(app.strapi.dirs.static.public, 'uploads');
  const away = `${uploads}.away`;

  // A running server has its template's assets in memory: warm them, so the outage hits storing.
  const [template] = await svc(app.strapi, 'templates').list(eventId);
  await svc(app.strapi, 'render').renderBatch(template, [{ record: { bib: '0', name: 'Warm Up' }, verifyUrl: 'http://x/verify/0' }], { image: true });
  expect((await app.admin('post', `/certify/events/${eventId}/publish`).send({})).status).toBe(201);
  fs.renameSync(uploads, away);
  fs.writeFileSync(uploads, 'storage is down');
  try {
    await drain(app.strapi);
    const jobs = await app.strapi.db.connection('certify_jobs').where({ event: eventId, kind: 'render' });
    // Every job was tried and waits for its next attempt, backing off; none was given up.
    expect(jobs.filter((j: any) => !(j.status === 'queued' && j.attempts >= 1 && j.attempts < 5 && new Date(j.run_at).getTime() > Date.now() - 1000)).map((j: any) => [j.status, j.attempts, j.run_at, j.last_error])).toEqual([]);
    expect(jobs[0].last_error).toMatch(/ENOTDIR/);
    expect(jobs[0].last_error).not.toContain(uploads);
    expect(jobs[0].last_error).toBeTruthy();
    expect(await app.strapi.db.query(RECORD).count({ where: { event: eventId, status: 'failed' } })).toBe(0);
  } finally {
    fs.rmSync(uploads, { force: true });
    fs.renameSync(away, uploads);
  }

  for (let i = 0; i < 40; i++) {
    const run = await svc(app.strapi, 'publish').current(eventId);
    if (run.status === 'finished') break;
    await sleep(1000);
    await drain(app.strapi);
  }
  expect(await svc(app.strapi, 'publish').current(eventId)).toMatchObject({ status: 'finished', total: 60, done: 60, failed: 0 });
  const records = await app.strapi.db.query(RECORD).findMany({ where: { event: eventId }, populate: { pdf: true, shareImage: true } });
  expect(records.every((r: any) => r.status === 'published' && r.pdf && r.shareImage && !r.lastError)).toBe(true);
  // Exactly their files in the media library and on disk (PDF, share image, thumbnail), no orphan.
  await expectWholeAndClean(app.strapi, eventId, 60);
});
