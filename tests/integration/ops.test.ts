/**
 * Operable in production: liveness and readiness of the Strapi server and of a worker, Prometheus
 * metrics behind a token, JSON logs carrying job and record ids, errors that show clients no
 * stack traces or server paths (REST, GraphQL, a record's lastError), and a PostgreSQL
 * DATABASE_URL winning over a DATABASE_CLIENT=sqlite left in .env. The app runs with
 * NODE_ENV=production, as deployed.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setupApp, type TestApp } from '../helpers/app';
import { createRecords, createTemplate, drain, RECORD, svc, waitFor } from '../fixtures/publish/helpers';
import { startWorker, type WorkerProcess } from '../fixtures/publish/worker-process';
import { freePort } from '../helpers/net';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { isPostgres, pgQuery } = require('../helpers/db');

jest.setTimeout(240_000);

const TOKEN = 'metrics-test-token';
const ENV = {
  CERTIFY_QUEUE_IN_PROCESS: 'false',
  CERTIFY_QUEUE: 'local',
  // Retries without backoff, so a test can spend a job's attempts in one drain.
  CERTIFY_QUEUE_RETRY_BASE_MS: '0',
  CERTIFY_METRICS_TOKEN: TOKEN,
};
const testNodeEnv = process.env.NODE_ENV;
let app: TestApp;
let worker: WorkerProcess | null = null;

beforeAll(async () => {
  process.env.NODE_ENV = 'production';
  app = await setupApp(ENV);
}, 120_000);

afterAll(async () => {
  worker?.kill9();
  await app?.close();
  process.env.NODE_ENV = testNodeEnv;
});

const uploadsDir = () => path.join(app.strapi.dirs.static.public, 'uploads');

/** The uploads folder replaced by a file (tests run as root, so a chmod would not stop writes). */
async function withoutWritableUploads<T>(fn: () => Promise<T>): Promise<T> {
  const dir = uploadsDir();
  const aside = `${dir}.aside`;
  fs.renameSync(dir, aside);
  fs.writeFileSync(dir, 'not a folder');
  try {
    return await fn();
  } finally {
    fs.rmSync(dir, { force: true });
    fs.renameSync(aside, dir);
  }
}

const scrape = async () => {
  const res = await app.http().get('/api/certify/metrics').set('Authorization', `Bearer ${TOKEN}`);
  expect(res.status).toBe(200);
  return res.text;
};

/** The value of one series in Prometheus text, e.g. value(text, 'certify_queue_jobs{kind="render",status="queued"}'). */
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

const publishAndDrain = async (eventId: string) => {
  const res = await app.admin('post', `/certify/events/${eventId}/publish`).send({});
  expect(res.status).toBe(201);
  await drain(app.strapi);
};

describe('health of the Strapi server', () => {
  it('answers liveness without touching anything', async () => {
    const res = await app.http().get('/api/certify/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'live' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('is ready when the database, Chromium and storage answer (Redis is not used by the local queue)', async () => {
    // The first check launches Chromium, which can outlast one probe on a busy machine.
    const res = await waitFor('readiness', async () => {
      const r = await app.http().get('/api/certify/health/ready');
      return r.status === 200 ? r : null;
    }, 60_000, 1000);
    expect(res.body.status).toBe('ready');
    expect(res.body.failed).toEqual([]);
    expect(res.body.checks.database.status).toBe('ok');
    expect(res.body.checks.chromium.status).toBe('ok');
    expect(res.body.checks.storage.status).toBe('ok');
    expect(res.body.checks.redis).toMatchObject({ status: 'skipped' });
    // The storage probe leaves nothing behind.
    expect(fs.readdirSync(uploadsDir()).filter((f) => f.startsWith('certify-readiness'))).toEqual([]);
  });

  it('is not ready while the uploads folder cannot be written, naming storage and why, without server paths', async () => {
    const res = await withoutWritableUploads(() => app.http().get('/api/certify/health/ready'));
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('unavailable');
    expect(res.body.failed).toEqual(['storage']);
    expect(res.body.checks.storage.error).toMatch(/ENOTDIR|EEXIST|ENOENT/);
    expect(JSON.stringify(res.body)).not.toContain(os.tmpdir());
    expect(res.body.checks.database.status).toBe('ok');

    const again = await app.http().get('/api/certify/health/ready');
    expect(again.status).toBe(200);
  });

  it('checks Redis when the bullmq driver is configured', async () => {
    const queue = svc(app.strapi, 'queue');
    const health = svc(app.strapi, 'health');
    const driver = jest.spyOn(queue, 'driver').mockReturnValue('bullmq');
    const redisUrl = app.strapi.config.get('plugin::certify.queue.redisUrl');
    try {
      const up = await health.ready();
      expect(up.body.checks.redis.status).toBe('ok');
      await health.destroy(); // forget the connection, then point the check at a closed port
      app.strapi.config.set('plugin::certify.queue.redisUrl', 'redis://127.0.0.1:9');
      const down = await health.ready();
      expect(down.status).toBe(503);
      expect(down.body.failed).toEqual(['redis']);
    } finally {
      driver.mockRestore();
      app.strapi.config.set('plugin::certify.queue.redisUrl', redisUrl);
      await health.destroy();
    }
  });
});

describe('Prometheus metrics', () => {
  it('answers 404 while no token is configured and 401 without the right token', async () => {
    expect((await app.http().get('/api/certify/metrics')).status).toBe(401);
    expect((await app.http().get('/api/certify/metrics').set('Authorization', 'Bearer wrong')).status).toBe(401);
    app.strapi.config.set('plugin::certify.metrics.token', undefined);
    try {
      expect((await app.http().get('/api/certify/metrics').set('Authorization', `Bearer ${TOKEN}`)).status).toBe(404);
    } finally {
      app.strapi.config.set('plugin::certify.metrics.token', TOKEN);
    }
  });

  it('counts rendered certificates, queue depth and render/store latency after a publish', async () => {
    const event = await app.createEvent();
    await createTemplate(app.strapi, event.documentId);
    await createRecords(app.strapi, event.documentId, 3);
    const before = await scrape();
    const rendered0 = value(before, 'certify_certificates_rendered_total')!;
    const renderBatches0 = value(before, 'certify_render_batch_seconds_count')!;
    const storeBatches0 = value(before, 'certify_store_batch_seconds_count')!;

    const res = await app.admin('post', `/certify/events/${event.documentId}/publish`).send({});
    expect(res.status).toBe(201);
    const queued = await scrape();
    expect(value(queued, 'certify_queue_jobs{kind="render",status="queued"}')).toBe(3);
    expect(value(queued, 'certify_queue_jobs{kind="render",status="running"}')).toBe(0);

    await drain(app.strapi);
    const after = await scrape();
    expect(after).toContain('# TYPE certify_certificates_rendered_total counter');
    expect(value(after, 'certify_certificates_rendered_total')! - rendered0).toBe(3);
    expect(value(after, 'certify_render_batch_seconds_count')! - renderBatches0).toBeGreaterThanOrEqual(1);
    expect(value(after, 'certify_store_batch_seconds_count')! - storeBatches0).toBeGreaterThanOrEqual(1);
    expect(value(after, 'certify_render_batch_seconds_sum')).toBeGreaterThan(0);
    expect(value(after, 'certify_queue_jobs{kind="render",status="queued"}')).toBe(0);
    expect(value(after, 'certify_queue_jobs{kind="email",status="queued"}')).toBe(0);
    expect(value(after, 'certify_emails_sent_total')).toBe(0);
    expect(after).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});

describe('a storage outage during a publish', () => {
  it('retries, then fails the records with a lastError that names no server path, counted by the metrics', async () => {
    const event = await app.createEvent();
    await createTemplate(app.strapi, event.documentId);
    await createRecords(app.strapi, event.documentId, 2);
    const before = await scrape();
    const retried0 = value(before, 'certify_jobs_retried_total{kind="render"}') ?? 0;
    const failed0 = value(before, 'certify_certificates_failed_total')!;

    await withoutWritableUploads(() => publishAndDrain(event.documentId));

    const records = await app.strapi.db.query(RECORD).findMany({ where: { event: event.documentId } });
    expect(records.map((r: any) => r.status)).toEqual(['failed', 'failed']);
    for (const r of records) {
      expect(r.lastError).toMatch(/^Gave up after 5 attempts: .*(ENOTDIR|EEXIST|ENOENT)/);
      expect(r.lastError).not.toMatch(/\/tmp\/|certify-public-/);
    }
    const jobs = await app.strapi.db.connection('certify_jobs').where({ event: event.documentId });
    for (const j of jobs) expect(j.last_error).not.toContain(os.tmpdir());

    const after = await scrape();
    // Five failed attempts each, given back four times... then a fifth retry is spent on the sixth claim.
    expect(value(after, 'certify_jobs_retried_total{kind="render"}')! - retried0).toBe(2 * 5);
    expect(value(after, 'certify_certificates_failed_total')! - failed0).toBe(2);
    expect(value(after, 'certify_queue_jobs{kind="render",status="failed"}')).toBeGreaterThanOrEqual(2);
  });
});

describe('errors clients see in production', () => {
  const secretPath = '/srv/certify/private/uploads/1-abc.pdf';
  const fault = () => Object.assign(new Error(`ENOENT: no such file or directory, open '${secretPath}'`), { code: 'ENOENT' });

  it('REST: an unexpected error is a bare 500', async () => {
    const participant = svc(app.strapi, 'participant');
    const find = jest.spyOn(participant, 'find').mockRejectedValue(fault());
    try {
      const event = await app.createEvent();
      const res = await app.http().get(`/api/certify/events/${event.slug}/certificates?bib=1`);
      expect(res.status).toBe(500);
      expect(res.body.error).toEqual({ status: 500, name: 'InternalServerError', message: 'Internal Server Error' });
      expect(res.text).not.toContain('/srv/');
      expect(res.text).not.toMatch(/\bat .*\.js:\d+/);
    } finally {
      find.mockRestore();
    }
  });

  it('REST: a certificate whose file vanished from disk does not reveal where it was kept', async () => {
    const event = await app.createEvent();
    await createTemplate(app.strapi, event.documentId);
    await createRecords(app.strapi, event.documentId, 1);
    await publishAndDrain(event.documentId);
    const [record] = await app.strapi.db.query(RECORD).findMany({ where: { event: event.documentId }, populate: { pdf: true } });
    fs.rmSync(path.join(app.strapi.dirs.static.public, record.pdf.url));
    const res = await app.http().get(`/api/certify/certificates/${record.verificationCode}/pdf`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.text).not.toContain(os.tmpdir());
    expect(res.text).not.toContain('uploads/');
  });

  it('GraphQL: no stack trace, and an unexpected error keeps its message on the server', async () => {
    const { accessKey: token } = await app.strapi.service('admin::api-token').create({
      name: `ops-gql-${Date.now()}`,
      type: 'full-access',
      lifespan: null,
    } as any);
    const ev = await app.createEvent();
    const query = { query: `{ certifyCertificates(event: "${ev.slug}", bib: "1") { results { bib } } }` };
    const ok = await app.http().post('/graphql').set('Authorization', `Bearer ${token}`).send(query);
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();

    // The finder's read fails as a disk or driver error would, with a server path in its message.
    const getter = jest.spyOn(app.strapi.plugin('certify').service('participant'), 'find').mockImplementation((() => Promise.reject(fault())) as any);
    try {
      const res = await app.http().post('/graphql').set('Authorization', `Bearer ${token}`).send(query);
      expect(res.body.errors).toHaveLength(1);
      const [error] = res.body.errors;
      expect(error.message).toBe('Internal Server Error');
      expect(error.extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error.extensions.stacktrace).toBeUndefined();
      expect(res.text).not.toContain('/srv/');
      expect(res.text).not.toContain('ENOENT');
    } finally {
      getter.mockRestore();
    }

    // Errors Strapi means for clients keep their code and message.
    const invalid = await app.http().post('/graphql').set('Authorization', `Bearer ${token}`).send({ query: `{ certifyCertificates(event: "${ev.slug}") { nope } }` });
    expect(invalid.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(invalid.body.errors[0].extensions.stacktrace).toBeUndefined();
  });
});

describe('a worker (npm run worker)', () => {
  it('serves liveness, readiness and metrics on CERTIFY_WORKER_HEALTH_PORT and logs JSON lines with job and record ids', async () => {
    const event = await app.createEvent();
    // No template: the record's job fails for good, which the worker logs.
    const [record] = await createRecords(app.strapi, event.documentId, 1);
    const port = await freePort();
    worker = startWorker({ ...ENV, CERTIFY_WORKER_HEALTH_PORT: String(port), CERTIFY_WORKER_HEALTH_HOST: '127.0.0.1', LOG_FORMAT: 'json', LOG_LEVEL: 'info' });
    await worker.ready;
    const base = `http://127.0.0.1:${port}/api/certify`;

    const live = await fetch(`${base}/health/live`);
    expect(live.status).toBe(200);
    const ready = await waitFor('the worker to be ready', async () => {
      const r = await fetch(`${base}/health/ready`);
      return r.status === 200 ? r : null;
    }, 60_000, 1000);
    const body = await ready.json();
    expect(body.checks).toMatchObject({ database: { status: 'ok' }, chromium: { status: 'ok' }, storage: { status: 'ok' } });
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const metrics = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('certify_queue_jobs{kind="render",status="queued"}');
    expect((await fetch(`http://127.0.0.1:${port}/elsewhere`)).status).toBe(404);

    await svc(app.strapi, 'queue').enqueue(null, event.documentId, 'render', [{ recordId: record.documentId, version: 'v1' }]);
    const line = await waitFor(
      'the worker to log the failed job',
      async () =>
        worker!
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l))
          .find((entry) => /failed for good/.test(entry.message)),
      60_000
    );
    expect(line).toMatchObject({ level: 'warn', recordIds: [record.documentId], eventIds: [event.documentId] });
    expect(line.jobIds).toHaveLength(1);
    expect(typeof line.timestamp).toBe('string');

    expect(await worker.stop()).toBe(0);
    worker = null;
  });
});

describe('explicit configuration wins over what the demo generated', () => {
  const pgUrl = isPostgres() ? process.env.DATABASE_URL : process.env.DATABASE_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

  it('a PostgreSQL DATABASE_URL selects PostgreSQL although .env says DATABASE_CLIENT=sqlite', async () => {
    const id = crypto.randomBytes(4).toString('hex');
    const schema = `t_trap_${id}`;
    const sqliteFile = path.join(os.tmpdir(), `certify-trap-${id}.db`);
    await pgQuery(`CREATE SCHEMA "${schema}"`);
    try {
      const script = `require('@strapi/strapi').createStrapi({ appDir: process.cwd(), distDir: require('path').join(process.cwd(), 'dist') }).load()
        .then(async (s) => { console.log('client=' + s.db.dialect.client); await s.destroy(); process.exit(0); })
        .catch((e) => { console.error(e); process.exit(1); })`;
      const child = spawn(process.execPath, ['-e', script], {
        cwd: path.join(__dirname, '..', '..'),
        env: {
          ...process.env,
          NODE_ENV: 'production',
          DATABASE_CLIENT: 'sqlite',
          DATABASE_FILENAME: sqliteFile,
          DATABASE_URL: pgUrl,
          DATABASE_SCHEMA: schema,
          CERTIFY_QUEUE_IN_PROCESS: 'false',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const code = await new Promise((resolve) => child.on('exit', resolve));
      expect(code).toBe(0);
      expect(out).toContain('client=postgres');
      expect(out).toMatch(/PostgreSQL is used although DATABASE_CLIENT=sqlite/);
      expect(fs.existsSync(sqliteFile)).toBe(false);
      const tables = await pgQuery(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = '${schema}' AND table_name = 'certify_records'`);
      expect(tables.rows[0].n).toBe(1);
    } finally {
      await pgQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      fs.rmSync(sqliteFile, { force: true });
    }
  });

  it('refuses a DATABASE_URL that is not PostgreSQL, saying what to set instead', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { chooseClient } = require('../../dist/config/database');
    expect(() => chooseClient('mysql://root@localhost/certify', 'sqlite')).toThrow(/DATABASE_URL must be a PostgreSQL URL .*unset DATABASE_URL and set DATABASE_FILENAME/);
    expect(() => chooseClient('', 'mysql')).toThrow(/Unsupported DATABASE_CLIENT "mysql"/);
    expect(chooseClient('', '')).toBe('sqlite');
    expect(chooseClient('', 'postgres')).toBe('postgres');
  });
});
