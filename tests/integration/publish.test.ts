/**
 * Publishing: summary, a full run into the media library, incremental re-publish, template
 * changes, one run per event, cancel, and the webhooks integrators receive. The queue is worked
 * explicitly (drain) so every step is deterministic.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setupApp, type TestApp } from '../helpers/app';
import { createRecords, createTemplate, drain, eventFiles, JOB, RECORD, RUN, startReceiver, svc, waitFor } from '../fixtures/publish/helpers';

jest.setTimeout(180_000);

let app: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  // Retries without backoff, so a test can spend a job's attempts in one drain.
  app = await setupApp({ CERTIFY_QUEUE_IN_PROCESS: 'false', CERTIFY_QUEUE_RETRY_BASE_MS: '0' });
  receiver = await startReceiver();
  const res = await app
    .admin('post', '/admin/webhooks')
    .send({ name: 'certify-test', url: receiver.url, headers: {}, events: ['certify.run.started', 'certify.run.finished', 'certify.certificate.published'] });
  expect(res.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await receiver?.close();
});

const publish = (eventId: string, body: object = {}) => app.admin('post', `/certify/events/${eventId}/publish`).send(body);
const summary = async (eventId: string) => (await app.admin('get', `/certify/events/${eventId}/publish/summary`)).body.data;
const records = (eventId: string) =>
  app.strapi.db.query(RECORD).findMany({ where: { event: eventId }, populate: { pdf: true, shareImage: true }, orderBy: { id: 'asc' } });

describe('publish summary', () => {
  it('counts new records and records without a usable template, and names the template each gets', async () => {
    const event = await app.createEvent();
    await createRecords(app.strapi, event.documentId, 3);
    let s = await summary(event.documentId);
    expect(s).toMatchObject({ total: 3, new: 0, changed: 0, unchanged: 0, noTemplate: 3, publishedOnce: false });

    const finisher = await createTemplate(app.strapi, event.documentId, { name: 'Finisher' });
    const special = await createTemplate(app.strapi, event.documentId, { name: 'Special', isDefault: false });
    const [first] = await records(event.documentId);
    await app.strapi.documents(RECORD as any).update({ documentId: first.documentId, data: { template: special.documentId } as any });
    s = await summary(event.documentId);
    expect(s).toMatchObject({ total: 3, new: 3, changed: 0, unchanged: 0, noTemplate: 0 });
    const byName = Object.fromEntries(s.templates.map((t: any) => [t.name, t.count]));
    expect(byName).toEqual({ Finisher: 2, Special: 1 });
    expect(s.templates.find((t: any) => t.name === 'Finisher').documentId).toBe(finisher.documentId);
  });
  it('gives finishers the finisher template by its rules and everyone else the participation default', async () => {
    const event = await app.createEvent();
    await createTemplate(app.strapi, event.documentId, { name: 'Participation' });
    await createTemplate(app.strapi, event.documentId, {
      name: 'Finisher',
      isDefault: false,
      priority: 10,
      rules: { match: 'all', conditions: [{ field: 'finishTime', op: 'exists' }] },
    });
    await createRecords(app.strapi, event.documentId, 4, (i) => (i > 3 ? { finishTime: null } : {}));
    const s = await summary(event.documentId);
    expect(s).toMatchObject({ total: 4, new: 4, noTemplate: 0 });
    expect(Object.fromEntries(s.templates.map((t: any) => [t.name, t.count]))).toEqual({ Finisher: 3, Participation: 1 });
  });
});

describe('a publish run', () => {
  let event: { documentId: string; slug: string };

  beforeAll(async () => {
    event = await app.createEvent();
    await createTemplate(app.strapi, event.documentId);
    await createRecords(app.strapi, event.documentId, 12);
  });

  it('renders every record into the event folder of the media library and links the files', async () => {
    const res = await publish(event.documentId);
    expect(res.status).toBe(201);
    expect(res.body.joined).toBe(false);
    expect(res.body.data).toMatchObject({ status: 'running', total: 12, done: 0, remaining: 12 });

    const progressWhileQueued = (await app.admin('get', `/certify/events/${event.documentId}/publish/runs/current`)).body.data;
    expect(progressWhileQueued.remaining).toBe(12);

    await drain(app.strapi);
    const progress = (await app.admin('get', `/certify/events/${event.documentId}/publish/runs/current`)).body.data;
    expect(progress).toMatchObject({ status: 'finished', total: 12, done: 12, failed: 0, remaining: 0, etaSec: 0 });
    expect(progress.ratePerSec).toBeGreaterThan(0);

    const list = await records(event.documentId);
    const templates = await svc(app.strapi, 'templates').list(event.documentId);
    for (const r of list) {
      expect(r.status).toBe('published');
      expect(r.certifiedAt).toBeTruthy();
      expect(r.correctedAt).toBeNull();
      expect(r.renderedHash).toBe(svc(app.strapi, 'publish').renderKey(r, templates[0]));
      expect(r.pdf.mime).toBe('application/pdf');
      expect(r.shareImage.mime).toMatch(/^image\//);
    }
    // The media library lists share images by a thumbnail, as for any image uploaded to it.
    const thumb = list[0].shareImage.formats?.thumbnail;
    expect(thumb).toMatchObject({ mime: 'image/jpeg', name: `thumbnail_${list[0].shareImage.name}` });
    expect(thumb.width).toBeLessThanOrEqual(245);
    expect(thumb.height).toBeLessThanOrEqual(156);
    expect(Math.max(thumb.width / 245, thumb.height / 156)).toBeCloseTo(1, 1);
    const thumbFile = fs.readFileSync(path.join(app.strapi.dirs.static.public, thumb.url));
    expect(thumbFile.length).toBe(thumb.sizeInBytes);
    // A real certificate: the participant's name is in the PDF's text.
    const first = list.find((r: any) => r.bib === '1');
    const text = execFileSync('pdftotext', [path.join(app.strapi.dirs.static.public, first.pdf.url), '-']).toString();
    expect(text.replace(/\s+/g, ' ')).toContain(first.name);
    const files = await eventFiles(app.strapi, event.documentId);
    expect(files).toHaveLength(24);
    expect(new Set(list.map((r: any) => r.pdf.id)).size).toBe(12);

    const s = await summary(event.documentId);
    expect(s).toMatchObject({ new: 0, changed: 0, unchanged: 12, publishedOnce: true });
  });

  it('tells webhooks that the run started, each certificate was published, and the run finished', async () => {
    const mine = () => receiver.received.filter((r) => r.body?.eventId === event.documentId || r.body?.run?.eventId === event.documentId);
    await waitFor('webhooks', async () => mine().some((r) => r.event === 'certify.run.finished'), 20_000);
    const events = mine().map((r) => r.event);
    expect(events.filter((e) => e === 'certify.run.started')).toHaveLength(1);
    expect(events.filter((e) => e === 'certify.certificate.published')).toHaveLength(12);
    const finished = mine().find((r) => r.event === 'certify.run.finished')!;
    expect(finished.body.run).toMatchObject({ status: 'finished', done: 12 });
  });

  it('re-publishes exactly the changed record, keeping its code and the previous file as history', async () => {
    const before = await records(event.documentId);
    const target = before[4];
    // The edit alone queues the re-render (automatic refresh); nothing renders inside the write.
    await app.strapi.documents(RECORD as any).update({ documentId: target.documentId, data: { finishTime: '01:59:59' } as any });
    const current = (await app.admin('get', `/certify/events/${event.documentId}/publish/runs/current`)).body.data;
    expect(current).toMatchObject({ trigger: 'auto', total: 1, remaining: 1 });
    expect((await summary(event.documentId)).changed).toBe(1);

    await drain(app.strapi);
    const after = await records(event.documentId);
    const changed = after.find((r: any) => r.documentId === target.documentId);
    expect(changed.verificationCode).toBe(target.verificationCode);
    expect(changed.pdf.id).not.toBe(target.pdf.id);
    expect(changed.correctedAt).toBeTruthy();
    expect(changed.history).toHaveLength(1);
    expect(changed.history[0]).toMatchObject({ renderedHash: target.renderedHash, pdf: { id: target.pdf.id } });
    expect(changed.history[0].replacedAt).toBeTruthy();
    // The old file is kept, every other record untouched.
    expect(await app.strapi.db.query('plugin::upload.file').findOne({ where: { id: target.pdf.id } })).toBeTruthy();
    for (const r of after.filter((x: any) => x.documentId !== target.documentId)) {
      const old = before.find((b: any) => b.documentId === r.documentId);
      expect(r.pdf.id).toBe(old.pdf.id);
      expect(r.history ?? []).toHaveLength(0);
    }
    expect(await eventFiles(app.strapi, event.documentId)).toHaveLength(26);
  });

  it('a template change marks its records stale and re-renders them', async () => {
    const [template] = await svc(app.strapi, 'templates').list(event.documentId);
    // Saved through the templates service, as the designer does; with the in-process worker off,
    // the queued re-renders wait for drain().
    await svc(app.strapi, 'templates').update(event.documentId, template.documentId, { orientation: 'portrait' });
    const s = await summary(event.documentId);
    expect(s.changed).toBe(12);
    await drain(app.strapi);
    const after = await records(event.documentId);
    expect(after.filter((r: any) => !(r.status === 'published' && r.correctedAt)).map((r: any) => [r.bib, r.status, r.lastError])).toEqual([]);
    expect((await summary(event.documentId)).unchanged).toBe(12);
  });
});

describe('one run per event', () => {
  it('two concurrent publish requests yield one run; the second joins it and says so', async () => {
    const event = await app.createEvent();
    await createTemplate(app.strapi, event.documentId);
    await createRecords(app.strapi, event.documentId, 5);
    const [a, b] = await Promise.all([publish(event.documentId), publish(event.documentId)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    const joined = a.status === 200 ? a : b;
    expect(joined.body.joined).toBe(true);
    expect(joined.body.message).toMatch(/already in progress/);
    expect(a.body.data.documentId).toBe(b.body.data.documentId);
    expect(await app.strapi.db.query(RUN).count({ where: { event: event.documentId } })).toBe(1);
    expect(await app.strapi.db.query(JOB).count({ where: { event: event.documentId } })).toBe(5);
  });

  it('refuses a request that asks for email while a run without email is in progress', async () => {
    const event = await app.createEvent();
    await createTemplate(app.strapi, event.documentId);
    await createRecords(app.strapi, event.documentId, 2);
    expect((await publish(event.documentId)).status).toBe(201);
    const res = await publish(event.documentId, { email: true });
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('CERTIFY_RUN_IN_PROGRESS');
  });

  it('cancel stops the queued work, and the event can be published again afterwards', async () => {
    const event = await app.createEvent();
    await createTemplate(app.strapi, event.documentId);
    await createRecords(app.strapi, event.documentId, 6);
    const run = (await publish(event.documentId)).body.data;
    const res = await app.admin('post', `/certify/events/${event.documentId}/publish/runs/${run.documentId}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'cancelled', done: 0 });
    await drain(app.strapi);
    expect(await app.strapi.db.query(RECORD).count({ where: { event: event.documentId, status: 'published' } })).toBe(0);

    const again = await publish(event.documentId);
    expect(again.status).toBe(201);
    expect(again.body.data.documentId).not.toBe(run.documentId);
    expect(again.body.data.total).toBe(6);
    await drain(app.strapi);
    expect(await app.strapi.db.query(RECORD).count({ where: { event: event.documentId, status: 'published' } })).toBe(6);
  });

  it('rejects unknown publish options with a message that names them', async () => {
    const event = await app.createEvent();
    const res = await publish(event.documentId, { emial: true });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/emial/);
  });

  it('answers 404 with the run code for a run that does not exist', async () => {
    const event = await app.createEvent();
    const res = await app.admin('post', `/certify/events/${event.documentId}/publish/runs/nosuchrun/cancel`);
    expect(res.status).toBe(404);
    expect(res.body.error.details.code).toBe('CERTIFY_RUN_NOT_FOUND');
  });
});

describe('derived fields', () => {
  it('prints pace, time behind the winner, percentile, age group and splits in the PDF, and a new winner re-renders them', async () => {
    const event = await app.createEvent();
    await app.strapi.documents('api::event.event' as any).update({ documentId: event.documentId, data: { distance: 10 } as any });
    await createTemplate(app.strapi, event.documentId, {
      design: {
        version: 1,
        fontFamily: 'Inter',
        elements: [
          { id: 'n', type: 'text', field: 'name', x: 10, y: 10, width: 270, height: 12 },
          { id: 'd', type: 'text', text: 'pace {{pacePerKm}}/km {{pacePerMile}}/mi behind {{behindWinner}} top {{percentile}}% group {{ageGroup}} 5K {{splits.[5K]}}', x: 10, y: 40, width: 277, height: 12, fontSize: 10 },
        ],
      },
    });
    const make = (bib: string, name: string, finishTime: string, rankOverall: number, extra: Record<string, string>) =>
      app.strapi.documents(RECORD as any).create({ data: { event: event.documentId, bib, name, finishTime, rankOverall, gender: 'F', extra } as any });
    await make('1', 'Ana Winner', '0:40:00', 1, { Age: '29', '5K': '19:30' });
    const second = await make('2', 'Eleni Second', '0:50:00', 2, { Age: '37', '5K': '24:05' });
    await publish(event.documentId);
    await drain(app.strapi);
    const text = async (documentId: string) => {
      const r = await app.strapi.db.query(RECORD).findOne({ where: { documentId }, populate: { pdf: true } });
      return execFileSync('pdftotext', [path.join(app.strapi.dirs.static.public, r.pdf.url), '-']).toString().replace(/\s+/g, ' ');
    };
    expect(await text(second.documentId)).toContain('pace 5:00/km 8:03/mi behind +0:10:00 top 100% group F35-39 5K 0:24:05');

    // A faster runner arrives: Eleni's time behind the winner and her percentile change, so her certificate is re-rendered.
    const third = await make('3', 'Zoë Faster', '0:35:00', 1, { Age: '41', '5K': '17:00' });
    await app.strapi.db.query(RECORD).update({ where: { documentId: second.documentId }, data: { rankOverall: 3 } });
    await drain(app.strapi);
    // The new result is live work; the certificates it changes for others follow as bulk work.
    const latestJob = async (documentId: string) => (await app.strapi.db.query(JOB).findMany({ where: { recordId: documentId, kind: 'render' }, orderBy: { id: 'desc' }, limit: 1 }))[0];
    const bibOne = await app.strapi.db.query(RECORD).findOne({ where: { event: event.documentId, bib: '1' } });
    expect((await latestJob(third.documentId)).priority).toBeGreaterThan(0);
    expect((await latestJob(bibOne.documentId)).priority).toBe(0);
    const s = await summary(event.documentId);
    expect(s).toMatchObject({ new: 0, changed: 0 });
    expect(await text(second.documentId)).toContain('behind +0:15:00 top 100%');
    expect(await text((await app.strapi.db.query(RECORD).findOne({ where: { event: event.documentId, bib: '1' } })).documentId)).toContain('behind +0:05:00 top 34%');
  });
});

describe('publishing a part of the event', () => {
  const published = async (eventId: string) =>
    (await app.strapi.db.query(RECORD).findMany({ where: { event: eventId, status: 'published' }, select: ['bib'] })).map((r: { bib: string }) => r.bib).sort((a: string, b: string) => Number(a) - Number(b));

  it('renders only the listed bibs, then only one category, then only the selected records', async () => {
    const event = await app.createEvent();
    await createTemplate(app.strapi, event.documentId);
    const created = await createRecords(app.strapi, event.documentId, 8); // odd bibs M40, even F35

    const byBibs = await publish(event.documentId, { only: { bibs: ['2', '5', ' 7 '] } });
    expect(byBibs.status).toBe(201);
    expect(byBibs.body.data.total).toBe(3);
    await drain(app.strapi);
    expect(await published(event.documentId)).toEqual(['2', '5', '7']);

    // A category: its up-to-date records (5, 7) are skipped, the rest rendered.
    const byCategory = await publish(event.documentId, { only: { category: 'm40' } });
    expect(byCategory.status).toBe(201);
    expect(byCategory.body.data.total).toBe(2);
    expect(byCategory.body.message).toMatch(/4 selected record\(s\); the others' certificates are up to date/);
    await drain(app.strapi);
    expect(await published(event.documentId)).toEqual(['1', '2', '3', '5', '7']);

    // Records picked on the Records tab, combined with a category: both must match.
    const ids = created.filter((r: { bib: string }) => ['4', '6', '8'].includes(r.bib)).map((r: { documentId: string }) => r.documentId);
    const both = await publish(event.documentId, { only: { recordIds: ids, category: 'F35', bibs: ['4', '8'] } });
    expect(both.status).toBe(201);
    expect(both.body.data.total).toBe(2);
    await drain(app.strapi);
    expect(await published(event.documentId)).toEqual(['1', '2', '3', '4', '5', '7', '8']);
    expect(await app.strapi.db.query(RECORD).findOne({ where: { event: event.documentId, bib: '6' } })).toMatchObject({ status: 'pending' });
  });

  it('refuses bibs, record ids and categories the event does not have, naming them, and starts nothing', async () => {
    const event = await app.createEvent();
    await createTemplate(app.strapi, event.documentId);
    await createRecords(app.strapi, event.documentId, 3);
    const other = await app.createEvent();
    const [foreign] = await createRecords(app.strapi, other.documentId, 1);

    const bibs = await publish(event.documentId, { only: { bibs: ['1', '99', 'X1'] } });
    expect(bibs.status).toBe(400);
    expect(bibs.body.error.message).toMatch(/^2 bibs are not records of this event: 99, X1\./);
    expect(bibs.body.error.details).toMatchObject({ field: 'only.bibs', missing: ['99', 'X1'] });

    const ids = await publish(event.documentId, { only: { recordIds: [foreign.documentId] } });
    expect(ids.status).toBe(400);
    expect(ids.body.error.message).toMatch(/1 record id is not a record of this event/);

    const category = await publish(event.documentId, { only: { category: 'W70' } });
    expect(category.status).toBe(400);
    expect(category.body.error.message).toMatch(/category "W70". Its categories: F35, M40\./);

    const empty = await publish(event.documentId, { only: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/recordIds, bibs or category/);

    expect(await app.strapi.db.query(RUN).count({ where: { event: event.documentId } })).toBe(0);
    expect(await app.strapi.db.query(JOB).count({ where: { event: event.documentId } })).toBe(0);
  });
});

describe('a certificate the database refuses to store', () => {
  it('does not hold back the rest of its batch, leaves nothing half-written, and fails with the reason once its retries are spent', async () => {
    const event = await app.createEvent();
    const eventId = event.documentId;
    expect(eventId).toMatch(/^[a-z0-9]+$/); // safe inside the trigger's SQL below
    await createTemplate(app.strapi, eventId);
    await createRecords(app.strapi, eventId, 6);
    const knex = app.strapi.db.connection;
    const postgres = app.strapi.db.dialect.client === 'postgres';
    // A real refusal by the database when bib 4's certificate is recorded.
    if (postgres) {
      await knex.raw(`CREATE OR REPLACE FUNCTION certify_test_refuse() RETURNS trigger AS $$
        BEGIN IF NEW.event = '${eventId}' AND NEW.bib = '4' AND NEW.rendered_hash IS NOT NULL THEN RAISE EXCEPTION 'bib 4 refused by test trigger'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
      await knex.raw('CREATE TRIGGER certify_test_refuse BEFORE UPDATE ON certify_records FOR EACH ROW EXECUTE FUNCTION certify_test_refuse()');
    } else {
      await knex.raw(`CREATE TRIGGER certify_test_refuse BEFORE UPDATE ON certify_records
        WHEN NEW.event = '${eventId}' AND NEW.bib = '4' AND NEW.rendered_hash IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'bib 4 refused by test trigger'); END`);
    }
    try {
      expect((await publish(eventId)).status).toBe(201);
      await drain(app.strapi);
    } finally {
      await knex.raw('DROP TRIGGER IF EXISTS certify_test_refuse' + (postgres ? ' ON certify_records' : ''));
    }

    let list = await records(eventId);
    const four = list.find((r: any) => r.bib === '4');
    expect(four).toMatchObject({ status: 'failed', renderedHash: null, pdf: null, shareImage: null });
    expect(four.lastError).toMatch(/Gave up after 5 attempts: .*bib 4 refused by test trigger/);
    // The Records tab lists failed records with the reason.
    const failedList = await app.admin('get', `/certify/events/${eventId}/records?status=failed`);
    expect(failedList.body.data.map((r: any) => [r.bib, r.lastError])).toEqual([['4', four.lastError]]);
    for (const r of list.filter((x: any) => x.bib !== '4')) {
      expect(r.status).toBe('published');
      expect(r.pdf.mime).toBe('application/pdf');
    }
    expect(await svc(app.strapi, 'publish').current(eventId)).toMatchObject({ status: 'finished', total: 6, done: 5, failed: 1 });
    // Nothing of bib 4 was kept: no media library row, and no file left behind by the provider.
    expect(await eventFiles(app.strapi, eventId)).toHaveLength(10);
    const uploads = fs.readdirSync(path.join(app.strapi.dirs.static.public, 'uploads'));
    expect(uploads.filter((name) => name.includes(four.documentId))).toEqual([]);

    // Once the cause is gone, publishing again stores it (and only it).
    const again = await publish(eventId);
    expect(again.body.data.total).toBe(1);
    await drain(app.strapi);
    list = await records(eventId);
    expect(list.find((r: any) => r.bib === '4')).toMatchObject({ status: 'published', lastError: null });
    expect(await eventFiles(app.strapi, eventId)).toHaveLength(12);
  });
});

describe('one owner turns changes into re-rendering', () => {
  it('asks the publisher exactly once per record create, edit and import', async () => {
    const event = await app.createEvent();
    const eventId = event.documentId;
    const publisher = svc(app.strapi, 'publish');
    const original = publisher.onRecordsChanged;
    const calls: Array<[string, string[]]> = [];
    publisher.onRecordsChanged = async (e: string, ids: string[]) => {
      calls.push([e, ids]);
      return null;
    };
    try {
      const created = await app.admin('post', `/certify/events/${eventId}/records`).send({ bib: '7', name: 'Anna Müller' });
      expect(created.status).toBe(201);
      expect(calls).toEqual([[eventId, [created.body.data.documentId]]]);

      await app.admin('put', `/certify/events/${eventId}/records/${created.body.data.documentId}`).send({ finishTime: '03:01:02' });
      expect(calls).toHaveLength(2);
      expect(calls[1]).toEqual([eventId, [created.body.data.documentId]]);

      const dry = await app.admin('post', `/certify/events/${eventId}/imports`).send({ csv: 'Bib,Name\n8,Jan Kowalski\n9,Ζωή Οικονόμου\n' });
      expect(dry.status).toBe(200);
      const commit = await app.admin('post', `/certify/events/${eventId}/imports/${dry.body.data.importId}/commit`).send({});
      expect(commit.status).toBe(200);
      expect(calls).toHaveLength(3);
      expect(calls[2][0]).toBe(eventId);
      expect(calls[2][1]).toHaveLength(2);
    } finally {
      publisher.onRecordsChanged = original;
    }
  });
});

describe('retries', () => {
  it('back off: a job the store refused waits before its next attempt, and is worked once due', async () => {
    const event = await app.createEvent();
    const eventId = event.documentId;
    expect(eventId).toMatch(/^[a-z0-9]+$/);
    await createTemplate(app.strapi, eventId);
    await createRecords(app.strapi, eventId, 2);
    const knex = app.strapi.db.connection;
    const postgres = app.strapi.db.dialect.client === 'postgres';
    const queueConfig = app.strapi.config.get('plugin::certify.queue') as any;
    const retry = { ...queueConfig.retry };
    queueConfig.retry = { ...retry, baseMs: 60_000 };
    if (postgres) {
      await knex.raw(`CREATE OR REPLACE FUNCTION certify_test_refuse2() RETURNS trigger AS $$
        BEGIN IF NEW.event = '${eventId}' AND NEW.bib = '2' AND NEW.rendered_hash IS NOT NULL THEN RAISE EXCEPTION 'bib 2 refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
      await knex.raw('CREATE TRIGGER certify_test_refuse2 BEFORE UPDATE ON certify_records FOR EACH ROW EXECUTE FUNCTION certify_test_refuse2()');
    } else {
      await knex.raw(`CREATE TRIGGER certify_test_refuse2 BEFORE UPDATE ON certify_records
        WHEN NEW.event = '${eventId}' AND NEW.bib = '2' AND NEW.rendered_hash IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'bib 2 refused'); END`);
    }
    try {
      expect((await publish(eventId)).status).toBe(201);
      await drain(app.strapi);
      const job = await app.strapi.db.connection('certify_jobs').where({ event: eventId, kind: 'render', status: 'queued' }).first();
      expect(job).toBeTruthy();
      expect(job.attempts).toBe(1);
      expect(job.last_error).toMatch(/bib 2 refused/);
      // 50–100 % of the 60 s base after the first attempt.
      const wait = new Date(job.run_at).getTime() - Date.now();
      expect(wait).toBeGreaterThan(25_000);
      expect(wait).toBeLessThanOrEqual(60_000);
      // Not due: another drain leaves it alone.
      expect(await drain(app.strapi)).toBe(0);
    } finally {
      await knex.raw('DROP TRIGGER IF EXISTS certify_test_refuse2' + (postgres ? ' ON certify_records' : ''));
      queueConfig.retry = retry;
    }
    // Once due, it is worked and stored (its PDF, then its share image in the second pass).
    await app.strapi.db.connection('certify_jobs').where({ event: eventId, status: 'queued' }).update({ run_at: new Date(Date.now() - 1000) });
    expect(await drain(app.strapi)).toBe(2);
    const list = await records(eventId);
    expect(list.map((r: any) => [r.bib, r.status])).toEqual([['1', 'published'], ['2', 'published']]);
    expect(await svc(app.strapi, 'publish').current(eventId)).toMatchObject({ status: 'finished', done: 2, failed: 0 });
  });
});
