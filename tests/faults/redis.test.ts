/**
 * Faults of Redis under the bullmq driver, on a Redis server of this test's own (127.0.0.1, a free
 * port): flushed in the middle of a run, then restarted (everything it held is gone both times).
 * The database is the truth: the workers' reconciler announces the due jobs again, the run
 * finishes, and afterwards every record has exactly one current certificate, the media library
 * holds exactly those files, and nothing is left in storage that no row refers to.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import IORedis from 'ioredis';
import { setupApp, type TestApp } from '../helpers/app';
import { freePort } from '../helpers/net';
import { createRecords, createTemplate, RECORD, svc, waitFor, waitForFinishedRun } from '../fixtures/publish/helpers';
import { expectWholeAndClean } from '../fixtures/publish/ledger';
import { startWorker, type WorkerProcess } from '../fixtures/publish/worker-process';

jest.setTimeout(900_000);

let redis: ChildProcess | null = null;
let port = 0;
const startRedis = async () => {
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitFor('redis to answer', async () => {
    const c = new IORedis(`redis://127.0.0.1:${port}`, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await c.connect();
      return (await c.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      c.disconnect();
    }
  }, 20_000, 100);
};
const stopRedis = async () => {
  if (!redis) return;
  const exited = new Promise((r) => redis!.once('exit', r));
  redis.kill('SIGKILL');
  await exited;
  redis = null;
};

let app: TestApp;
let ENV: Record<string, string>;
const events: Record<'start' | 'redis', string> = { start: '', redis: '' };
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  ENV = {
    CERTIFY_QUEUE: 'bullmq',
    CERTIFY_QUEUE_NAME: `certify-fault-${crypto.randomBytes(4).toString('hex')}`,
    CERTIFY_QUEUE_IN_PROCESS: 'false',
    CERTIFY_REDIS_URL: `redis://127.0.0.1:${port}`,
    CERTIFY_QUEUE_RECONCILE_MS: '50',
    CERTIFY_QUEUE_LEASE_MS: '5000',
    CERTIFY_QUEUE_RETRY_BASE_MS: '500',
  };
  app = await setupApp(ENV);
  // Both cases' records exist before the workers start: SQLite's one writer is then not raced by
  // the workers while records are created one by one.
  for (const [key, n] of [['start', 100], ['redis', 150]] as const) {
    const event = await app.createEvent();
    await createTemplate(app.strapi, event.documentId);
    await createRecords(app.strapi, event.documentId, n);
    events[key] = event.documentId;
  }
}, 300_000);

afterAll(async () => {
  for (const w of workers) w.kill9();
  await app?.close();
  await stopRedis();
});

const published = (eventId: string) => app.strapi.db.query(RECORD).count({ where: { event: eventId, status: 'published' } });

/**
 * Watches the event's run until stopped and keeps every moment it was seen closed while some of
 * its jobs were still open (the run must finish only once all of them are settled).
 */
function watchRun(eventId: string) {
  const wrong: unknown[] = [];
  let on = true;
  const done = (async () => {
    while (on) {
      const run = await svc(app.strapi, 'publish').current(eventId);
      if (run && ['finished', 'cancelled'].includes(run.status) && run.remaining > 0) wrong.push({ status: run.status, total: run.total, remaining: run.remaining });
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return async () => {
    on = false;
    await done;
    return wrong;
  };
}

it('a run is not finished while its jobs are being queued, however often an idle worker reconciles', async () => {
  const eventId = events.start;
  // Idle workers reconcile every CERTIFY_QUEUE_RECONCILE_MS (50 ms here): with nothing due they
  // close the runs that have no open job, which a run being started has until its jobs are in.
  for (let i = 0; i < 2; i++) workers.push(startWorker({ ...ENV, CERTIFY_QUEUE_CONCURRENCY: '2' }));
  await Promise.all(workers.map((w) => w.ready));
  await new Promise((r) => setTimeout(r, 500));

  const watched = watchRun(eventId);
  expect((await app.admin('post', `/certify/events/${eventId}/publish`).send({})).status).toBe(201);
  const run = await waitForFinishedRun(app.strapi, eventId, 300_000);
  expect(await watched()).toEqual([]);
  expect(run).toMatchObject({ total: 100, done: 100, failed: 0, remaining: 0 });
  await expectWholeAndClean(app.strapi, eventId, 100);
});

it('a Redis flushed mid-run, then restarted mid-run, strands nothing: every certificate once, no orphan', async () => {
  const eventId = events.redis;
  expect(workers).toHaveLength(2); // started by the case above

  const watched = watchRun(eventId);
  expect((await app.admin('post', `/certify/events/${eventId}/publish`).send({})).status).toBe(201);
  await waitFor('some certificates', async () => (await published(eventId)) >= 20, 300_000, 100);
  const flusher = new IORedis(ENV.CERTIFY_REDIS_URL, { maxRetriesPerRequest: null });
  await flusher.flushall();
  flusher.disconnect();

  await waitFor('more certificates after the flush', async () => (await published(eventId)) >= 80, 300_000, 200);
  await stopRedis();
  await new Promise((r) => setTimeout(r, 2000));
  await startRedis();

  const run = await waitForFinishedRun(app.strapi, eventId, 600_000);
  expect(await watched()).toEqual([]);
  expect(run).toMatchObject({ total: 150, done: 150, failed: 0, remaining: 0 });
  for (const w of workers.splice(0)) expect(await w.stop()).toBe(0);
  await expectWholeAndClean(app.strapi, eventId, 150);
});
