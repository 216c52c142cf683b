/**
 * PostgreSQL going away mid-run. The machine's PostgreSQL is shared, so it is not restarted here;
 * instead a restart is simulated by terminating every backend of this test's own database
 * (`pg_terminate_backend`, what a restart does to open connections) again and again for a few
 * seconds while the server works its queue. Queries in flight fail, the pool reconnects, the jobs
 * are retried, and afterwards every record has one current certificate, the media library holds
 * exactly those files and storage holds nothing no row refers to.
 *
 * Always on PostgreSQL (a database of its own, created and dropped here), whatever the suite's
 * database is: PG_FAULTS_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test
 * names the server.
 */
import crypto from 'node:crypto';
import { Client } from 'pg';
import { setupApp, type TestApp } from '../helpers/app';
import { createRecords, createTemplate, RECORD, waitFor, waitForFinishedRun } from '../fixtures/publish/helpers';
import { expectWholeAndClean } from '../fixtures/publish/ledger';

jest.setTimeout(600_000);

const serverUrl = process.env.PG_FAULTS_URL || (/^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL! : 'postgres://postgres@127.0.0.1:5432/test');
const database = `certify_faults_${crypto.randomBytes(4).toString('hex')}`;
let app: TestApp;
let admin: Client;

beforeAll(async () => {
  admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  process.env.DATABASE_URL = url.toString();
  delete process.env.DATABASE_CLIENT;
  app = await setupApp({ CERTIFY_QUEUE_RETRY_BASE_MS: '500', CERTIFY_QUEUE_RETRY_MAX_MS: '2000', CERTIFY_QUEUE_ATTEMPTS: '10' });
}, 120_000);

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
  await admin.end();
});

/** Terminates every connection to this test's database; returns how many. */
const terminateBackends = async () => {
  const { rows } = await admin.query('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
  return rows.filter((r) => r.ok).length;
};

/** A query of the test's own that may meet a connection terminated a moment ago. */
const settled = async <T>(fn: () => Promise<T>): Promise<T> => {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= 20 || !/terminat|connection|ECONNRESET|Client has encountered/i.test(String((err as Error).message))) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
};

it('PostgreSQL connections terminated again and again mid-run: every certificate once, no orphan', async () => {
  expect(app.strapi.db.dialect.client).toBe('postgres');
  const event = await app.createEvent();
  const eventId = event.documentId;
  await createTemplate(app.strapi, eventId);
  await createRecords(app.strapi, eventId, 120);
  expect((await app.admin('post', `/certify/events/${eventId}/publish`).send({})).status).toBe(201);
  await waitFor('the first certificates', async () => (await app.strapi.db.query(RECORD).count({ where: { event: eventId, status: 'published' } })) >= 10, 300_000, 50);

  let terminated = 0;
  const until = Date.now() + 6000;
  while (Date.now() < until) {
    terminated += await terminateBackends();
    await new Promise((r) => setTimeout(r, 300));
  }
  expect(terminated).toBeGreaterThan(5);

  const run = await settled(() => waitForFinishedRun(app.strapi, eventId, 300_000));
  expect(run).toMatchObject({ total: 120, done: 120, failed: 0, remaining: 0 });
  await settled(() => expectWholeAndClean(app.strapi, eventId, 120));
});
