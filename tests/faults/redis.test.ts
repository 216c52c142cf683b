/**
 * Faults of Redis under the bullmq driver, on a Redis server of this test's own (127.0.0.1, a free
 * port): flushed in the middle of a run, then restarted (everything it held is gone both times).
 * The database is the truth: the workers' reconciler announces the due jobs again, the run
 * finishes, and afterwards every record has exactly one current certificate, the media library
 * holds exactly those files, and nothing is left in storage that no row refers to.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import IORedis from 'ioredis';
import { setupApp, type TestApp } from '../helpers/app';
import { createRecords, createTemplate, eventFiles, RECORD, waitFor, waitForFinishedRun } from '../fixtures/publish/helpers';
import { startWorker, type WorkerProcess } from '../fixtures/publish/worker-process';

jest.setTimeout(900_000);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

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
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  ENV = {
    CERTIFY_QUEUE: 'bullmq',
    CERTIFY_QUEUE_NAME: `certify-fault-${crypto.randomBytes(4).toString('hex')}`,
    CERTIFY_QUEUE_IN_PROCESS: 'false',
    CERTIFY_REDIS_URL: `redis://127.0.0.1:${port}`,
    CERTIFY_QUEUE_RECONCILE_MS: '1000',
    CERTIFY_QUEUE_LEASE_MS: '5000',
    CERTIFY_QUEUE_RETRY_BASE_MS: '500',
  };
  app = await setupApp(ENV);
}, 120_000);

afterAll(async () => {
  for (const w of workers) w.kill9();
  await app?.close();
  await stopRedis();
});

const published = (eventId: string) => app.strapi.db.query(RECORD).count({ where: { event: eventId, status: 'published' } });

/** Every record published once; files = exactly the records' current files; no orphan on disk. */
async function expectWholeAndClean(eventId: string, n: number) {
  const records = await app.strapi.db.query(RECORD).findMany({ where: { event: eventId }, populate: { pdf: true, shareImage: true } });
  expect(records).toHaveLength(n);
  expect(records.every((r: any) => r.status === 'published' && r.pdf && r.shareImage)).toBe(true);
  const linked = new Set(records.flatMap((r: any) => [r.pdf.id, r.shareImage.id]));
  expect(linked.size).toBe(2 * n);
  const files = await eventFiles(app.strapi, eventId);
  expect(files).toHaveLength(2 * n);
  expect(files.every((f: any) => linked.has(f.id))).toBe(true);
  const uploads = path.join(app.strapi.dirs.static.public, 'uploads');
  const onDisk = fs.readdirSync(uploads).filter((name) => records.some((r: any) => name.includes(r.documentId)));
  // Each certificate: PDF, share image and its thumbnail.
  expect(onDisk).toHaveLength(3 * n);
}

it('a Redis flushed mid-run, then restarted mid-run, strands nothing: every certificate once, no orphan', async () => {
  const event = await app.createEvent();
  const eventId = event.documentId;
  await createTemplate(app.strapi, eventId);
  await createRecords(app.strapi, eventId, 150);
  for (let i = 0; i < 2; i++) workers.push(startWorker({ ...ENV, CERTIFY_QUEUE_CONCURRENCY: '2' }));
  await Promise.all(workers.map((w) => w.ready));

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
  expect(run).toMatchObject({ total: 150, done: 150, failed: 0, remaining: 0 });
  for (const w of workers.splice(0)) expect(await w.stop()).toBe(0);
  expect(workers.length).toBe(0);
  await expectWholeAndClean(eventId, 150);
});
