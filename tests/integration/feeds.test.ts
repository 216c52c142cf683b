import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupApp, type TestApp } from '../helpers/app';

// Booting Strapi takes longer than jest's 5 s default when the machine is busy.
jest.setTimeout(120_000);

let app: TestApp;
let eventId: string;
let server: http.Server;
let base: string;

/** What the feed server serves, and what it was asked. */
const feed = {
  body: 'Bib,Name,Finish\n1,Ana,1:00:00\n2,Ben,1:05:00\n',
  etag: '"v1"',
  lastModified: 'Wed, 25 Nov 2026 20:00:00 GMT',
  requests: [] as Array<{ url: string; ifNoneMatch?: string; ifModifiedSince?: string }>,
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    feed.requests.push({
      url: req.url ?? '',
      ifNoneMatch: req.headers['if-none-match'] as string | undefined,
      ifModifiedSince: req.headers['if-modified-since'] as string | undefined,
    });
    if (req.url === '/slow.csv') return; // never answers
    if (req.url === '/results.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ results: [{ bib: '50', name: 'Jo', time: '2:00:00' }] }));
      return;
    }
    if (req.url === '/by-date.csv') {
      if (req.headers['if-modified-since'] === feed.lastModified) return void res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'text/csv', 'last-modified': feed.lastModified });
      res.end('Bib,Name\n60,Lee\n');
      return;
    }
    if (req.headers['if-none-match'] === feed.etag) return void res.writeHead(304).end();
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', etag: feed.etag });
    res.end(feed.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app = await setupApp();
  eventId = (await app.createEvent()).documentId;
});

afterAll(async () => {
  await app?.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const allowPrivate = (allowed: boolean) => app.strapi.config.set('plugin::certify.feed.allowPrivateAddresses', allowed);
const createFeed = async (url: string, name = 'Live results') => {
  const res = await app.admin('post', `/certify/events/${eventId}/sources`).send({ name, kind: 'feed', settings: { url, intervalMinutes: 1 } });
  expect(res.status).toBe(201);
  return res.body.data.documentId as string;
};
const sync = (id: string) => app.admin('post', `/certify/events/${eventId}/sources/${id}/sync`);
const stored = () => app.strapi.db.query('plugin::certify.record').findMany({ where: { event: eventId }, orderBy: { bib: 'asc' } });
const source = (id: string) => app.strapi.db.query('plugin::certify.source').findOne({ where: { documentId: id } });

describe('feeds', () => {
  let feedId: string;

  it('refuses a loopback or private target unless the admin allows it, without connecting', async () => {
    allowPrivate(false);
    feedId = await createFeed(`${base}/results.csv`);
    const res = await sync(feedId);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/private, loopback or link-local address \(127\.0\.0\.1 → 127\.0\.0\.1\).*allowPrivateAddresses/);
    expect(feed.requests).toHaveLength(0);
    expect((await source(feedId)).lastSyncStatus).toMatchObject({ ok: false, outcome: 'failed' });

    // A host name is resolved first and every address checked.
    const named = await createFeed(`http://localhost:${new URL(base).port}/results.csv`, 'By name');
    const byName = await sync(named);
    expect(byName.status).toBe(400);
    expect(byName.body.error.message).toMatch(/localhost → (127\.0\.0\.1|::1)/);
    for (const ip of ['169.254.169.254', '10.0.0.1', '[::1]']) {
      const id = await createFeed(`http://${ip}/x.csv`, ip);
      expect((await sync(id)).body.error.message).toMatch(/private, loopback or link-local/);
    }
    expect(feed.requests).toHaveLength(0);
    expect(await stored()).toHaveLength(0);
  });

  it('pulls and imports the feed when private addresses are allowed', async () => {
    allowPrivate(true);
    const res = await sync(feedId);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ok: true, outcome: 'imported', counts: { new: 2, changed: 0, unchanged: 0, invalid: 0 } });
    expect((await stored()).map((r: any) => r.name)).toEqual(['Ana', 'Ben']);
    expect(feed.requests.at(-1)?.ifNoneMatch).toBeUndefined();
  });

  it('sends the ETag back; a 304 changes nothing', async () => {
    const before = await stored();
    const res = await sync(feedId);
    expect(res.body.data).toMatchObject({ ok: true, outcome: 'not-modified' });
    expect(feed.requests.at(-1)?.ifNoneMatch).toBe('"v1"');
    expect(await stored()).toEqual(before);
  });

  it('a new version of the feed updates only what changed', async () => {
    feed.body = 'Bib,Name,Finish\n1,Ana,1:00:00\n2,Ben,1:04:59\n3,Cy,1:10:00\n';
    feed.etag = '"v2"';
    const res = await sync(feedId);
    expect(res.body.data.counts).toEqual({ new: 1, changed: 1, unchanged: 1, invalid: 0 });
    expect((await source(feedId)).feedEtag).toBe('"v2"');
  });

  it('uses Last-Modified when the feed has no ETag', async () => {
    const id = await createFeed(`${base}/by-date.csv`, 'Dated');
    expect((await sync(id)).body.data.outcome).toBe('imported');
    expect((await sync(id)).body.data.outcome).toBe('not-modified');
    expect(feed.requests.at(-1)?.ifModifiedSince).toBe(feed.lastModified);
  });

  it('reads JSON feeds', async () => {
    const id = await createFeed(`${base}/results.json`, 'JSON');
    const res = await sync(id);
    expect(res.body.data.counts.new).toBe(1);
    expect((await stored()).find((r: any) => r.bib === '50')).toMatchObject({ name: 'Jo', finishTime: '2:00:00' });
  });

  it('gives up on a feed over the size cap or slower than the timeout, keeping the records', async () => {
    const before = await stored();
    feed.etag = '"v3"';
    app.strapi.config.set('plugin::certify.feed.maxBytes', 20);
    try {
      const big = await sync(feedId);
      expect(big.status).toBe(400);
      expect(big.body.error.message).toMatch(/over the limit of 20|larger than the limit of 20/);
    } finally {
      app.strapi.config.set('plugin::certify.feed.maxBytes', 20 * 1024 * 1024);
    }
    app.strapi.config.set('plugin::certify.feed.timeoutMs', 300);
    try {
      const slow = await sync(await createFeed(`${base}/slow.csv`, 'Slow'));
      expect(slow.status).toBe(400);
      expect(slow.body.error.message).toMatch(/did not answer within/);
    } finally {
      app.strapi.config.set('plugin::certify.feed.timeoutMs', 15_000);
    }
    expect(await stored()).toEqual(before);
  });

  it('the schedule pulls feeds that are due and skips those pulled recently', async () => {
    feed.body = 'Bib,Name,Finish\n1,Ana,1:00:00\n2,Ben,1:04:59\n3,Cy,1:10:00\n4,Dee,1:20:00\n';
    feed.etag = '"v4"';
    const feeds = app.strapi.plugin('certify').service('feeds');
    const q = app.strapi.db.query('plugin::certify.source');
    // Only the main feed is due: the others were pulled just now.
    await q.update({ where: { documentId: feedId }, data: { lastSyncAt: new Date(Date.now() - 2 * 60_000) } });
    const requestsBefore = feed.requests.length;
    await feeds.tick();
    expect(feed.requests.slice(requestsBefore).map((r) => r.url)).toEqual(['/results.csv']);
    expect((await stored()).map((r: any) => r.bib)).toContain('4');
  });

  it('only feed sources can be synced', async () => {
    const upload = await app.admin('post', `/certify/events/${eventId}/sources`).send({ name: 'U', kind: 'upload' });
    const res = await sync(upload.body.data.documentId);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/only feed sources can be synced/);
  });
});
