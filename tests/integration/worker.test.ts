/**
 * `npm run worker` processes: a worker killed with SIGKILL in the middle of a 300-record run is
 * restarted and the run ends with every record published exactly once, with no duplicate or
 * orphan media files; the same for the Strapi server working its own queue (the default set-up),
 * killed and started again. The test's own Strapi does not work the queue.
 */
import { setupApp, type TestApp } from '../helpers/app';
import { createRecords, createTemplate, eventFiles, JOB, RECORD, svc, waitFor, waitForFinishedRun } from '../fixtures/publish/helpers';
import { startServer, startWorker, type WorkerProcess } from '../fixtures/publish/worker-process';

jest.setTimeout(600_000);

const ENV = { CERTIFY_QUEUE_IN_PROCESS: 'false', CERTIFY_QUEUE: 'local', CERTIFY_QUEUE_LEASE_MS: '4000' };
let app: TestApp;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  app = await setupApp(ENV);
}, 120_000);

afterAll(async () => {
  for (const w of workers) w.kill9();
  await app?.close();
});

const published = (eventId: string) => app.strapi.db.query(RECORD).count({ where: { event: eventId, status: 'published' } });

it('a worker killed with SIGKILL mid-run is taken over after a restart: every record published exactly once', async () => {
  const event = await app.createEvent();
  await createTemplate(app.strapi, event.documentId);
  await createRecords(app.strapi, event.documentId, 300);
  const res = await app.admin('post', `/certify/events/${event.documentId}/publish`).send({});
  expect(res.status).toBe(201);
  expect(res.body.data.total).toBe(300);

  const first = startWorker(ENV);
  workers.push(first);
  await first.ready;
  await waitFor('the first worker to publish some records', async () => (await published(event.documentId)) >= 40, 300_000, 100);
  first.kill9();
  expect(await first.exited).toBeNull(); // killed by a signal, no exit code
  const midway = await published(event.documentId);
  expect(midway).toBeLessThan(300);
  // The dead worker still holds a claim that nobody else may take before its lease runs out.
  const held = await app.strapi.db.query(JOB).count({ where: { event: event.documentId, status: 'running' } });

  const second = startWorker(ENV);
  workers.push(second);
  await second.ready;
  const run = await waitForFinishedRun(app.strapi, event.documentId, 400_000);
  expect(await second.stop()).toBe(0);
  expect(second.output()).toMatch(/SIGTERM/);

  expect(run).toMatchObject({ total: 300, done: 300, failed: 0, remaining: 0 });
  const records = await app.strapi.db.query(RECORD).findMany({ where: { event: event.documentId }, populate: { pdf: true, shareImage: true } });
  const [template] = await svc(app.strapi, 'templates').list(event.documentId);
  expect(records).toHaveLength(300);
  for (const r of records) {
    expect(r.status).toBe('published');
    expect(r.renderedHash).toBe(svc(app.strapi, 'publish').renderKey(r, template));
    expect(r.pdf).toBeTruthy();
    expect(r.shareImage).toBeTruthy();
    expect(r.history ?? []).toHaveLength(0);
  }
  const files = await eventFiles(app.strapi, event.documentId);
  const linked = new Set(records.flatMap((r: any) => [r.pdf.id, r.shareImage.id]));
  expect(linked.size).toBe(600);
  expect(files).toHaveLength(600); // nothing duplicated...
  expect(files.every((f: any) => linked.has(f.id))).toBe(true); // ...and nothing orphaned
  expect(new Set(files.map((f: any) => f.name)).size).toBe(600);
  // Work the dead worker had claimed was redone by the second one.
  if (held > 0) {
    const retried = await app.strapi.db.query(JOB).count({ where: { event: event.documentId, attempts: { $gt: 1 } } });
    expect(retried).toBeGreaterThan(0);
  }
});

it('the Strapi server working its own queue (the default) resumes a run after it was killed and restarted', async () => {
  const event = await app.createEvent();
  await createTemplate(app.strapi, event.documentId);
  // Four batches for three lanes: the last is claimed only after a lane is free again.
  await createRecords(app.strapi, event.documentId, 200);
  const res = await app.admin('post', `/certify/events/${event.documentId}/publish`).send({});
  expect(res.body.data.total).toBe(200);

  const serverEnv = { ...ENV, CERTIFY_QUEUE_IN_PROCESS: 'true' };
  const first = startServer(serverEnv);
  workers.push(first);
  await first.ready;
  await waitFor('the server to publish some records', async () => (await published(event.documentId)) > 0, 300_000, 50);
  first.kill9();
  await first.exited;
  expect(await published(event.documentId)).toBeLessThan(200);

  const second = startServer(serverEnv);
  workers.push(second);
  await second.ready;
  const run = await waitForFinishedRun(app.strapi, event.documentId, 300_000);
  second.kill9();
  expect(run).toMatchObject({ total: 200, done: 200, failed: 0 });
  const records = await app.strapi.db.query(RECORD).findMany({ where: { event: event.documentId }, populate: { pdf: true, shareImage: true } });
  expect(records.every((r: any) => r.status === 'published' && r.pdf && r.shareImage)).toBe(true);
  const files = await eventFiles(app.strapi, event.documentId);
  expect(files).toHaveLength(400);
  expect(new Set(files.map((f: any) => f.name)).size).toBe(400);
});
