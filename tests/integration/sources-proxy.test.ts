import fs from 'node:fs';
import path from 'node:path';
import { setupApp, type TestApp } from '../helpers/app';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'import');

// Booting Strapi takes longer than jest's 5 s default when the machine is busy.
jest.setTimeout(120_000);

let app: TestApp;
let eventId: string;

beforeAll(async () => {
  app = await setupApp();
  eventId = (await app.createEvent()).documentId;
});

afterAll(async () => {
  await app?.close();
});

const sourcesUrl = (path = '') => `/certify/events/${eventId}/sources${path}`;
const push = (sourceId: string, token: string | null, body: string | Buffer, type = 'text/csv') => {
  const req = app.http().post(`/api/certify/sources/${sourceId}/push`).set('Content-Type', type);
  if (token !== null) req.set('Authorization', `Bearer ${token}`);
  return req.send(body);
};
const records = (event = eventId) =>
  app.strapi.db.query('plugin::certify.record').findMany({ where: { event }, orderBy: { bib: 'asc' } });

describe('sources', () => {
  it('creates, lists, renames and deletes sources, never showing secrets', async () => {
    const created = await app.admin('post', sourcesUrl()).send({ name: 'Results upload', kind: 'upload' });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ name: 'Results upload', kind: 'upload' });
    const id = created.body.data.documentId;
    const renamed = await app.admin('put', sourcesUrl(`/${id}`)).send({ name: 'Chip results' });
    expect(renamed.body.data.name).toBe('Chip results');
    const list = await app.admin('get', sourcesUrl());
    expect(list.body.data.map((s: any) => s.name)).toContain('Chip results');
    for (const s of list.body.data) {
      expect(s).not.toHaveProperty('tokenHash');
      expect(s).not.toHaveProperty('token');
      expect(s).not.toHaveProperty('feedEtag');
    }
    expect((await app.admin('delete', sourcesUrl(`/${id}`))).status).toBe(200);
    expect((await app.admin('get', sourcesUrl())).body.data.find((s: any) => s.documentId === id)).toBeUndefined();
  });

  it('answers 404 with the source code for a source that is gone', async () => {
    const res = await app.admin('put', sourcesUrl('/nosuchsource')).send({ name: 'x' });
    expect(res.status).toBe(404);
    expect(res.body.error.details.code).toBe('CERTIFY_SOURCE_NOT_FOUND');
  });

  it('refuses a feed source without a usable URL, saying what to send', async () => {
    const res = await app.admin('post', sourcesUrl()).send({ name: 'Feed', kind: 'feed', settings: { url: 'ftp://x' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/settings\.url must start with http/);
    const missing = await app.admin('post', sourcesUrl()).send({ name: 'Feed', kind: 'feed' });
    expect(missing.body.error.message).toMatch(/url/);
  });

  it('needs the design permission to change sources', async () => {
    const reader = await app.adminWithActions(['plugin::certify.read', 'plugin::certify.records']);
    expect((await app.admin('get', sourcesUrl(), reader)).status).toBe(200);
    expect((await app.admin('post', sourcesUrl(), reader).send({ name: 'x' })).status).toBe(403);
  });
});

describe('proxy push', () => {
  let sourceId: string;
  let token: string;

  beforeAll(async () => {
    const res = await app.admin('post', sourcesUrl()).send({ name: 'Timing partner', kind: 'proxy' });
    expect(res.status).toBe(201);
    sourceId = res.body.data.documentId;
    token = res.body.data.token;
  });

  it('shows the token once, stores only its sha256, and gives the push URL', async () => {
    expect(token).toMatch(/^crt_[A-Za-z0-9_-]{43}$/);
    const stored = await app.strapi.db.query('plugin::certify.source').findOne({ where: { documentId: sourceId } });
    expect(stored.tokenHash).toBe(require('node:crypto').createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(token);
    const listed = (await app.admin('get', sourcesUrl())).body.data.find((s: any) => s.documentId === sourceId);
    expect(listed.token).toBeUndefined();
    expect(listed.tokenHint).toBe(token.slice(-4));
    expect(listed.pushUrl).toMatch(new RegExp(`/api/certify/sources/${sourceId}/push$`));
  });

  it('imports and commits a CSV push with a good token', async () => {
    const res = await push(sourceId, token, 'Bib,Name,Finish\n1,Ana,1:00:00\n2,Ben,1:05:00\n');
    expect(res.status).toBe(200);
    expect(res.body.data.counts).toEqual({ new: 2, changed: 0, unchanged: 0, invalid: 0 });
    expect((await records()).map((r: any) => r.name)).toEqual(['Ana', 'Ben']);
    const again = await push(sourceId, token, 'Bib,Name,Finish\n1,Ana,1:00:00\n2,Ben,1:04:00\n');
    expect(again.body.data.counts).toEqual({ new: 0, changed: 1, unchanged: 1, invalid: 0 });
    const source = await app.strapi.db.query('plugin::certify.source').findOne({ where: { documentId: sourceId } });
    expect(source.lastSyncStatus).toMatchObject({ ok: true, outcome: 'imported', counts: { changed: 1 } });
  });

  it('links pushed records to their source', async () => {
    const [ana] = await app.strapi.db.query('plugin::certify.record').findMany({
      where: { event: eventId, bib: '1' },
      populate: { source: true },
    });
    expect(ana.source.documentId).toBe(sourceId);
  });

  it('accepts JSON pushes, and Windows-1252 CSV bytes are decoded, not mangled', async () => {
    const json = await push(sourceId, token, JSON.stringify([{ bib: 3, name: 'Cy', finish: '1:10:00' }]), 'application/json');
    expect(json.status).toBe(200);
    expect(json.body.data.counts.new).toBe(1);
    const latin = await push(sourceId, token, fs.readFileSync(path.join(FIXTURES, 'semicolon-windows1252.csv')), 'text/csv');
    expect(latin.status).toBe(200);
    // This file has its own columns: the mapping saved from earlier pushes no longer fits, so it is suggested again.
    expect((await records()).find((r: any) => r.bib === '2').name).toBe('Jürgen Groß');
  });

  it('refuses a wrong token, a missing token and an unknown source the same way, and writes nothing', async () => {
    const before = await records();
    const wrong = await push(sourceId, `${token.slice(0, -1)}x`, 'Bib,Name\n9,Mallory\n');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toMatch(/wrong token/);
    expect((await push(sourceId, null, 'Bib,Name\n9,Mallory\n')).status).toBe(401);
    expect((await push('nosuchsource', token, 'Bib,Name\n9,Mallory\n')).status).toBe(401);
    expect(await records()).toEqual(before);
  });

  it('rotating the token shows a new one once; the old one stops working', async () => {
    const rotated = await app.admin('post', sourcesUrl(`/${sourceId}/token`));
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.data.token;
    expect(fresh).not.toBe(token);
    expect((await push(sourceId, token, 'Bib,Name\n20,Old Token\n')).status).toBe(401);
    const ok = await push(sourceId, fresh, 'Bib,Name\n20,New Token\n');
    expect(ok.status).toBe(200);
    expect((await records()).find((r: any) => r.bib === '20').name).toBe('New Token');
    token = fresh;
  });

  it('a push with invalid rows commits the valid ones and lists the rest', async () => {
    const res = await push(sourceId, token, 'Bib,Name,Finish\n30,Ok,1:00:00\n31,Bad,not a time\n');
    expect(res.status).toBe(200);
    expect(res.body.data.counts).toMatchObject({ new: 1, invalid: 1 });
    expect(res.body.data.invalid).toEqual([{ line: 3, bib: '31', reason: expect.stringMatching(/bad time "not a time"/) }]);
  });

  it('two pushes at once with overlapping new bibs both land, one after the other', async () => {
    const [a, b] = await Promise.all([
      push(sourceId, token, `Bib,Name\n${Array.from({ length: 300 }, (_, i) => `${1000 + i},First ${i}`).join('\n')}\n`),
      push(sourceId, token, `Bib,Name\n${Array.from({ length: 300 }, (_, i) => `${1150 + i},Second ${i}`).join('\n')}\n`),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.data.counts.new + b.body.data.counts.new).toBe(450);
    const count = await app.strapi.db.query('plugin::certify.record').count({ where: { event: eventId, bib: { $startsWith: '1' }, name: { $startsWith: 'First' } } });
    const second = await app.strapi.db.query('plugin::certify.record').count({ where: { event: eventId, name: { $startsWith: 'Second' } } });
    expect(count + second).toBe(450);
  });

  it('asks for a raw body when a partner sends a multipart form', async () => {
    const res = await app
      .http()
      .post(`/api/certify/sources/${sourceId}/push`)
      .set('Authorization', `Bearer ${token}`)
      .attach('file', Buffer.from('Bib,Name\n1,x\n'), 'r.csv');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/raw request body/);
  });

  it('refuses a body over the size cap before reading it', async () => {
    app.strapi.config.set('plugin::certify.import.maxBytes', 100);
    try {
      const res = await push(sourceId, token, `Bib,Name\n${'1,x\n'.repeat(100)}`);
      expect(res.status).toBe(413);
      expect(res.body.error.message).toMatch(/over the import limit/);
    } finally {
      app.strapi.config.set('plugin::certify.import.maxBytes', 50 * 1024 * 1024);
    }
  });

  it('applies the plan gate: an event whose organisation lost its plan refuses pushes', async () => {
    const locked = await app.createEvent({ plan: 'pro' });
    const created = await app.admin('post', `/certify/events/${locked.documentId}/sources`).send({ name: 'P', kind: 'proxy' });
    const event: any = await app.strapi.documents('api::event.event' as any).findOne({ documentId: locked.documentId, populate: ['organisation'] as any });
    await app.strapi.documents('api::organisation.organisation' as any).update({ documentId: event.organisation.documentId, data: { plan: 'trial' } as any });
    const res = await push(created.body.data.documentId, created.body.data.token, 'Bib\n1\n');
    expect(res.status).toBe(403);
    expect(res.body.error.details.code).toBe('CERTIFY_PLAN_REQUIRED');
    expect(await records(locked.documentId)).toHaveLength(0);
  });

  it('only proxy sources have tokens', async () => {
    const upload = await app.admin('post', sourcesUrl()).send({ name: 'U', kind: 'upload' });
    const res = await app.admin('post', sourcesUrl(`/${upload.body.data.documentId}/token`));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/only proxy sources have a push token/);
  });
});
