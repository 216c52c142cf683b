/**
 * The S3 endpoint failing for a while: a small fault-injecting HTTP proxy started here sits in
 * front of the S3 test server (s3rver) and, during the outage, answers each request in turn with a
 * 500, by dropping the connection after S3 has stored the object (the client sees a failure for a
 * write that happened), or not at all (the client's request timeout fires). Certificates are
 * retried with backoff; afterwards every record has one current certificate, the media library
 * holds exactly those files, and once the sweep has run the bucket holds nothing no row refers to.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { setupApp, type TestApp } from '../helpers/app';
import { createRecords, createTemplate, RECORD, svc, waitFor, waitForFinishedRun } from '../fixtures/publish/helpers';
import { expectWholeAndClean, ledger } from '../fixtures/publish/ledger';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const S3rver = require('s3rver');

jest.setTimeout(600_000);

const BUCKET = 'certify-faults';
let app: TestApp;
let s3: any;
let dir: string;
let s3Port = 0;
let proxy: http.Server;
let failing = false;
const faults = { '500': 0, dropped: 0, unanswered: 0 };
const held: http.ServerResponse[] = [];

/** Forwards to s3rver; while `failing`, answers 500, drops after forwarding, or never answers. */
function startProxy() {
  let n = 0;
  proxy = http.createServer((req, res) => {
    const mode = failing ? (['500', 'dropped', 'unanswered'] as const)[n++ % 3] : 'pass';
    if (mode === '500') {
      faults['500'] += 1;
      req.resume();
      res.writeHead(500, { 'Content-Type': 'application/xml' }).end('<?xml version="1.0"?><Error><Code>InternalError</Code><Message>injected</Message></Error>');
      return;
    }
    if (mode === 'unanswered') {
      faults.unanswered += 1;
      req.resume();
      held.push(res);
      return;
    }
    const upstream = http.request({ host: '127.0.0.1', port: s3Port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      if (mode === 'dropped') {
        faults.dropped += 1;
        answer.resume();
        answer.on('end', () => res.socket?.destroy());
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.socket?.destroy());
    req.pipe(upstream);
  });
  return new Promise<number>((r) => proxy.listen(0, '127.0.0.1', () => r((proxy.address() as AddressInfo).port)));
}

const bucketObjects = async () => {
  const client = new S3Client({ endpoint: `http://127.0.0.1:${s3Port}`, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: token }));
    names.push(...(page.Contents ?? []).map((o) => o.Key!.split('/').pop()!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  client.destroy();
  return names;
};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certify-s3-faults-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: BUCKET }] });
  s3Port = (await s3.run()).port;
  const proxyPort = await startProxy();
  app = await setupApp({
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: `http://127.0.0.1:${proxyPort}`,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
    S3_REGION: 'us-east-1',
    S3_REQUEST_TIMEOUT_MS: '1500',
    CERTIFY_QUEUE_RETRY_BASE_MS: '1000',
    CERTIFY_QUEUE_RETRY_MAX_MS: '4000',
    CERTIFY_QUEUE_ATTEMPTS: '10',
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
  for (const res of held) res.socket?.destroy();
  await new Promise<void>((r) => proxy.close(() => r()));
  await s3?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('S3 answering 500s, dropping and timing out for a while: retried, every certificate once, no orphan after the sweep', async () => {
  const event = await app.createEvent();
  const eventId = event.documentId;
  await createTemplate(app.strapi, eventId);
  await createRecords(app.strapi, eventId, 80);
  // A running server has its template's assets in memory: warm them, so the outage hits storing.
  const [template] = await svc(app.strapi, 'templates').list(eventId);
  await svc(app.strapi, 'render').renderBatch(template, [{ record: { bib: '0', name: 'Warm Up' }, verifyUrl: 'http://x/verify/0' }], { image: true });

  expect((await app.admin('post', `/certify/events/${eventId}/publish`).send({})).status).toBe(201);
  await waitFor('the first certificates', async () => (await app.strapi.db.query(RECORD).count({ where: { event: eventId, status: 'published' } })) > 0, 300_000, 50);
  failing = true;
  await waitFor('every kind of fault injected', async () => faults['500'] >= 5 && faults.dropped >= 5 && faults.unanswered >= 5, 120_000, 100);
  await new Promise((r) => setTimeout(r, 3000));
  failing = false;

  const run = await waitForFinishedRun(app.strapi, eventId, 300_000);
  expect(run).toMatchObject({ total: 80, done: 80, failed: 0, remaining: 0 });
  const attempts = await app.strapi.db.connection('certify_jobs').where({ event: eventId, kind: 'render' }).pluck('attempts');
  expect(Math.max(...attempts)).toBeGreaterThan(1);
  // What the outage left: objects S3 stored for requests the client saw fail. Its media rows and
  // certificates are whole already; the sweep removes the rest.
  const before = await ledger(app.strapi, eventId, bucketObjects);
  expect({ ...before, orphans: [] }).toMatchObject({ records: 80, published: 80, current: 80, mediaRows: 160, stored: 240, unlinkedRows: 0, missing: [] });
  const swept = await svc(app.strapi, 'orphans').sweep({ graceMs: 0 });
  expect(swept.removed).toBe(before.orphans.length);
  await expectWholeAndClean(app.strapi, eventId, 80, bucketObjects);
});
