/**
 * Limits on the public routes: 429 with Retry-After past the per-IP limit, lookups that keep
 * missing answered more slowly, and a push with a wrong token refused before its body is read.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupApp, type TestApp } from '../helpers/app';
import { createRecords, createTemplate, drain } from '../fixtures/publish/helpers';

let app: TestApp;
let slug: string;
let port: number;

beforeAll(async () => {
  app = await setupApp({
    CERTIFY_QUEUE_IN_PROCESS: 'false',
    CERTIFY_RATE_LIMIT_FINDER: '8',
    CERTIFY_RATE_LIMIT_VERIFY: '1000',
    CERTIFY_RATE_LIMIT_PUSH: '1000',
  });
  const event = await app.createEvent();
  slug = event.slug;
  await createTemplate(app.strapi, event.documentId);
  await createRecords(app.strapi, event.documentId, 2);
  await app.admin('post', `/certify/events/${event.documentId}/publish`).send({});
  await drain(app.strapi);
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(0, '127.0.0.1', resolve));
  port = (app.strapi.server.httpServer.address() as AddressInfo).port;
});

afterAll(async () => {
  await app?.close();
});

it('answers 429 with Retry-After once a client passes the finder limit', async () => {
  const statuses: number[] = [];
  let last: any;
  for (let i = 0; i < 10; i++) {
    last = await app.http().get(`/api/certify/events/${slug}/certificates?bib=1`);
    statuses.push(last.status);
  }
  expect(statuses.slice(0, 8).every((s) => s === 200)).toBe(true);
  expect(statuses.slice(8)).toEqual([429, 429]);
  expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
  expect(last.body.error.details.code).toBe('CERTIFY_RATE_LIMITED');
  // The page counts against the same limit.
  expect((await app.http().get(`/certificates/${slug}?bib=1`)).status).toBe(429);
});

it('answers lookups that keep missing more and more slowly', async () => {
  const timed = async () => {
    const t = Date.now();
    const res = await app.http().get('/api/certify/certificates/ABCDEFGHJKLMNPQR');
    expect(res.status).toBe(404);
    return Date.now() - t;
  };
  const limits = app.strapi.config.get('plugin::certify.rateLimit') as any;
  const first: number[] = [];
  for (let i = 0; i < limits.missesBeforeDelay; i++) first.push(await timed());
  const slowed = [await timed(), await timed(), await timed()];
  expect(Math.max(...first)).toBeLessThan(1000);
  expect(slowed[2]).toBeGreaterThanOrEqual(400); // 100, 200, 400 ms
  expect(slowed[2]).toBeGreaterThan(slowed[0]);
});

it('refuses a push with a wrong token before reading its body', async () => {
  const source = await app.admin('post', `/certify/events/${(await app.createEvent()).documentId}/sources`).send({ name: 'Partner', kind: 'proxy' });
  const sourceId = source.body.data.documentId;
  // Announce 40 MB, send 64 kB, never finish: the answer must come anyway.
  const answer = await new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
    let sent = 0;
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: `/api/certify/sources/${sourceId}/push`, headers: { 'Content-Type': 'text/csv', 'Content-Length': String(40 * 1024 * 1024), Authorization: 'Bearer wrong-token' } },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body, sent }));
      }
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    req.write(chunk, () => (sent += chunk.length));
    setTimeout(() => reject(new Error('no answer while the body was still being sent')), 10_000).unref();
  });
  expect(answer.status).toBe(401);
  expect(answer.sent).toBeLessThan(1024 * 1024);
  expect(JSON.parse(answer.body).error.message).toMatch(/wrong token/);
});
