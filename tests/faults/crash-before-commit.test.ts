/**
 * A worker killed (SIGKILL) after it stored a batch's files and before the transaction that adds
 * their media rows committed. To catch it exactly there: when the batch's first file appears the
 * worker is frozen (SIGSTOP), the test takes the database's write lock (SQLite: BEGIN IMMEDIATE on
 * a connection of its own; PostgreSQL: an EXCLUSIVE lock on the record table) and lets it go on
 * (SIGCONT); it stores the rest, waits at its commit and is killed there. The files it stored are
 * orphans. A new worker sweeps them at start and takes the batch over once the lease has run out;
 * afterwards every record has one current certificate and storage holds nothing no row refers to.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isPostgres } from '../helpers/db';
import { setupApp, type TestApp } from '../helpers/app';
import { createRecords, createTemplate, RECORD, waitFor, waitForFinishedRun } from '../fixtures/publish/helpers';
import { expectWholeAndClean, ledger } from '../fixtures/publish/ledger';
import { startWorker, type WorkerProcess } from '../fixtures/publish/worker-process';

jest.setTimeout(600_000);

let app: TestApp;
const children: WorkerProcess[] = [];
const ENV = { CERTIFY_QUEUE_IN_PROCESS: 'false', CERTIFY_QUEUE_LEASE_MS: '4000', CERTIFY_QUEUE_CONCURRENCY: '1', CERTIFY_SWEEP_GRACE_MS: '1000' };

beforeAll(async () => {
  app = await setupApp(ENV);
}, 120_000);

afterAll(async () => {
  for (const c of children) c.kill9();
  await app?.close();
});

/** Holds the database's write lock (record writes on PostgreSQL) until released. */
async function holdWriteLock(): Promise<() => Promise<void>> {
  if (isPostgres()) {
    const { Client } = require('pg');
    const client = new Client(process.env.DATABASE_URL ? { connectionString: process.env.DATABASE_URL } : { host: '127.0.0.1', user: 'postgres', database: 'test' });
    await client.connect();
    await client.query(`SET search_path TO "${process.env.DATABASE_SCHEMA}"`);
    await client.query('BEGIN');
    await client.query('LOCK TABLE certify_records IN EXCLUSIVE MODE');
    return async () => {
      await client.query('ROLLBACK');
      await client.end();
    };
  }
  const Database = require('better-sqlite3');
  const db = new Database(process.env.DATABASE_FILENAME, { timeout: 10_000 });
  db.prepare('BEGIN IMMEDIATE').run();
  return async () => {
    db.prepare('ROLLBACK').run();
    db.close();
  };
}

it('a crash between storing files and committing the batch: the batch is redone, the sweep removes the orphans', async () => {
  const event = await app.createEvent();
  const eventId = event.documentId;
  await createTemplate(app.strapi, eventId);
  await createRecords(app.strapi, eventId, 100);
  const uploads = path.join(app.strapi.dirs.static.public, 'uploads');
  const before = new Set(fs.readdirSync(uploads));

  // Its lease is renewed every third of it, and on SQLite a renewal waits (blocking the worker)
  // while the test holds the lock: long enough for the batch to be stored before the first one.
  // While the test holds the lock, SQLite makes each renewal of the worker's lease wait (blocking
  // it): a 30 s lease is renewed every 10 s, leaving it time to store the batch.
  const first = startWorker({ ...ENV, CERTIFY_QUEUE_LEASE_MS: '30000' });
  children.push(first);
  await first.ready;
  expect((await app.admin('post', `/certify/events/${eventId}/publish`).send({})).status).toBe(201);
  const held: string[] = await waitFor(
    'the worker to claim a batch',
    async () => {
      const rows = await app.strapi.db.connection('certify_jobs').where({ event: eventId, status: 'running' }).pluck('record_id');
      return rows.length ? rows : null;
    },
    120_000,
    20
  );
  // Certificate files are named after the bib first (publish/keys.ts).
  const bibs = (await app.strapi.db.query(RECORD).findMany({ where: { documentId: { $in: held } }, select: ['bib'] })).map((r: any) => `${r.bib}_`);
  const batchFiles = () => fs.readdirSync(uploads).filter((n) => !before.has(n) && bibs.some((b: string) => n.replace(/^thumbnail_/, '').startsWith(b)));
  // The first file of the batch is being stored: freeze the worker there (SIGSTOP is immediate),
  // take the lock, and let it go on storing; its commit then waits for the lock.
  await waitFor("the batch's first file", async () => batchFiles().length > 0, 120_000, 2);
  process.kill(first.child.pid!, 'SIGSTOP');
  const release = await holdWriteLock();
  process.kill(first.child.pid!, 'SIGCONT');
  let stored: string[] = [];
  try {
    // The PDF of every certificate of the batch (PDFs first: share images follow in a second
    // pass of their own), then the commit waits.
    stored = await waitFor("the batch's files in storage", async () => (batchFiles().length >= held.length ? batchFiles() : null), 120_000, 20);
    await new Promise((r) => setTimeout(r, 200));
    first.kill9();
    await first.exited;
  } finally {
    await release();
  }
  expect(stored).toHaveLength(held.length);
  // Nothing of the batch was committed: its files are orphans now.
  const after = await ledger(app.strapi, eventId);
  expect(after.mediaRows).toBe(0);
  expect(after.orphans.sort()).toEqual([...stored].sort());

  // The next worker sweeps at start (the orphans are older than the grace by then) and takes the
  // batch over once its lease has run out.
  await new Promise((r) => setTimeout(r, 1000));
  const second = startWorker(ENV);
  children.push(second);
  await second.ready;
  const run = await waitForFinishedRun(app.strapi, eventId, 300_000);
  expect(run).toMatchObject({ total: 100, done: 100, failed: 0, remaining: 0 });
  await waitFor('the sweep to report', async () => /orphan sweep: removed \d+/.test(second.output()), 30_000, 100);
  expect(Number(second.output().match(/orphan sweep: removed (\d+)/)![1])).toBe(stored.length);
  expect(await second.stop()).toBe(0);
  await expectWholeAndClean(app.strapi, eventId, 100);

  // The same sweep on demand, from the admin: nothing left to remove; a grace under a minute is refused.
  const refused = await app.admin('post', '/certify/maintenance/orphan-sweep').send({ olderThanMinutes: 0 });
  expect(refused.status).toBe(400);
  expect(refused.body.error.message).toMatch(/olderThanMinutes/);
  const swept = await app.admin('post', '/certify/maintenance/orphan-sweep').send({ olderThanMinutes: 1 });
  expect(swept.status).toBe(200);
  expect(swept.body.data).toMatchObject({ removed: 0, graceMs: 60_000 });
  expect(swept.body.data.scanned).toBeGreaterThanOrEqual(300);
});
