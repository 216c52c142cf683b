/**
 * The bullmq driver: batches announced on Redis, worked by two `npm run worker` processes that
 * share the run (and the database); every record published once.
 */
import crypto from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { setupApp, type TestApp } from '../helpers/app';
import { createRecords, createTemplate, eventFiles, JOB, RECORD, waitForFinishedRun } from '../fixtures/publish/helpers';
import { startWorker, type WorkerProcess } from '../fixtures/publish/worker-process';

jest.setTimeout(600_000);

const ENV = {
  CERTIFY_QUEUE: 'bullmq',
  CERTIFY_QUEUE_NAME: `certify-test-${crypto.randomBytes(4).toString('hex')}`,
  CERTIFY_QUEUE_IN_PROCESS: 'false',
  CERTIFY_REDIS_URL: process.env.CERTIFY_REDIS_URL ?? 'redis://127.0.0.1:6379',
};
let app: TestApp;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  app = await setupApp(ENV);
}, 120_000);

afterAll(async () => {
  for (const w of workers) w.kill9();
  await app?.close();
  const connection = new IORedis(ENV.CERTIFY_REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(ENV.CERTIFY_QUEUE_NAME, { connection });
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  connection.disconnect();
});

it('two bullmq workers share one run and publish every record exactly once', async () => {
  const event = await app.createEvent();
  await createTemplate(app.strapi, event.documentId);
  // Four batches of 50 for two workers of two lanes each: the first worker cannot take them all.
  await createRecords(app.strapi, event.documentId, 200);
  for (let i = 0; i < 2; i++) workers.push(startWorker({ ...ENV, CERTIFY_QUEUE_CONCURRENCY: '2' }));
  await Promise.all(workers.map((w) => w.ready));

  const res = await app.admin('post', `/certify/events/${event.documentId}/publish`).send({});
  expect(res.status).toBe(201);
  const run = await waitForFinishedRun(app.strapi, event.documentId, 500_000);
  expect(run).toMatchObject({ total: 200, done: 200, failed: 0 });
  for (const w of workers) expect(await w.stop()).toBe(0);

  const jobs = await app.strapi.db.query(JOB).findMany({ where: { event: event.documentId } });
  const byWorker = new Set(jobs.map((j: any) => String(j.lockedBy).split('#')[0]));
  expect(byWorker.size).toBe(2);
  const records = await app.strapi.db.query(RECORD).findMany({ where: { event: event.documentId }, populate: { pdf: true } });
  expect(records.every((r: any) => r.status === 'published' && r.pdf)).toBe(true);
  expect(await eventFiles(app.strapi, event.documentId)).toHaveLength(400);
});
