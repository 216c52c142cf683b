/**
 * Pre-flight and text that does not fit: before publishing, the organiser sees which records'
 * certificates would show a bound field empty, text too long even at its element's smallest size,
 * or a photo frame without a photo (and publishing anyway stays possible). After publishing, a
 * certificate whose text still overflowed in Chromium is flagged on its record, never cut silently.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { setupApp, type TestApp } from '../helpers/app';
import { drain, RECORD, svc } from '../fixtures/publish/helpers';

jest.setTimeout(180_000);

let app: TestApp;
let reader: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'certify-preflight-'));

beforeAll(async () => {
  app = await setupApp({ CERTIFY_QUEUE_IN_PROCESS: 'false', CERTIFY_QUEUE_RETRY_BASE_MS: '0' });
  // Pre-flight needs no more than reading the publish state.
  reader = await app.adminWithActions(['plugin::certify.read']);
});

afterAll(async () => {
  await app?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** One word of 255 letters: no space to break at. */
const LONG_NAME = 'Wolfeschlegelsteinhausenbergerdorff'.repeat(8).slice(0, 255);

/** A name element like the finisher starter's (shrinks from 44 pt down to 20 pt), a time bound as is, conditional lines. */
const design = (extra: object[] = []) => ({
  version: 1,
  fontFamily: 'Inter',
  elements: [
    { id: 'name', type: 'text', field: 'name', x: 40, y: 64, width: 217, height: 22, fontSize: 44, shrinkToFit: true, minFontSize: 20 },
    { id: 'time', type: 'text', text: 'Time: {{finishTime}}', x: 20, y: 112, width: 257, height: 14, fontSize: 24 },
    // Hidden by the template when empty: never a pre-flight problem.
    { id: 'rank', type: 'text', text: '{{#if rankOverall}}{{ordinal rankOverall}} overall{{/if}}', x: 20, y: 132, width: 257, height: 8, fontSize: 12 },
    { id: 'club', type: 'text', text: '{{#if extra.club}}for {{extra.club}}{{/if}}', x: 20, y: 142, width: 257, height: 8, fontSize: 12 },
    ...extra,
  ],
});

const createRecord = (eventId: string, data: Record<string, unknown>) =>
  app.strapi.documents(RECORD as any).create({ data: { event: eventId, ...data } as any });

const preflight = (eventId: string, query = '', token?: string) => app.admin('get', `/certify/events/${eventId}/publish/preflight${query}`, token);

const bibsOf = (list: Array<{ bib: string }>) => list.map((r) => r.bib).sort();

describe('pre-flight', () => {
  let eventId: string;

  beforeAll(async () => {
    eventId = (await app.createEvent()).documentId;
    await svc(app.strapi, 'templates').create(eventId, { name: 'Finisher', design: design(), isDefault: true });
    await createRecord(eventId, { bib: '1', name: 'Anna Schmidt', finishTime: '3:41:27' });
    await createRecord(eventId, { bib: '2', name: LONG_NAME, finishTime: '4:02:10', rankOverall: 12 });
    await createRecord(eventId, { bib: '3', name: 'Jan Kowalski', finishTime: null, rankOverall: 3, extra: { club: 'Warsaw RC' } });
    // Long, but it fits once shrunk: neither listed nor flagged.
    await createRecord(eventId, { bib: '4', name: 'Maximilian Alexander von Hohenzollern-Sigmaringen', finishTime: '2:59:59' });
  });

  it('lists the 255-letter name and the empty time, and not the records that are fine', async () => {
    const res = await preflight(eventId, '', reader).expect(200);
    const report = res.body.data;
    expect(report).toMatchObject({
      eventId,
      checked: 4,
      withProblems: 2,
      totals: { emptyField: 1, overflow: 1, missingPhoto: 0 },
      emptyFields: { finishTime: 1 },
      limit: 50,
    });
    expect(report.records.emptyField).toEqual([
      expect.objectContaining({ bib: '3', name: 'Jan Kowalski', template: 'Finisher', elements: [{ elementId: 'time', field: 'finishTime' }] }),
    ]);
    expect(report.records.overflow).toEqual([expect.objectContaining({ bib: '2', name: LONG_NAME, elements: [{ elementId: 'name' }] })]);
    expect(report.records.missingPhoto).toEqual([]);
    // Each listed record carries its document id, for the link to it.
    const third = await app.strapi.db.query(RECORD).findOne({ where: { event: eventId, bib: '3' } });
    expect(report.records.emptyField[0].documentId).toBe(third.documentId);
  });

  it('checks the part of the event a publish with `only` would cover, and refuses bibs the event does not have', async () => {
    const part = (await preflight(eventId, '?bibs=1,2').expect(200)).body.data;
    expect(part).toMatchObject({ checked: 2, totals: { emptyField: 0, overflow: 1, missingPhoto: 0 } });

    const limited = (await preflight(eventId, '?limit=1').expect(200)).body.data;
    expect(limited.limit).toBe(1);

    const missing = await preflight(eventId, '?bibs=1,999').expect(400);
    expect(JSON.stringify(missing.body)).toMatch(/999/);
    const bad = await preflight(eventId, '?limit=100000').expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/limit/);
  });

  it('needs the permission to read the event', async () => {
    const outsider = await app.adminWithActions([]);
    expect((await preflight(eventId, '', outsider)).status).toBe(403);
  });

  it('lets the organiser publish anyway; the name that still overflows is flagged on its record, the others are not', async () => {
    expect((await app.admin('post', `/certify/events/${eventId}/publish`).send({})).status).toBe(201);
    await drain(app.strapi);
    const rows = await app.strapi.db.query(RECORD).findMany({ where: { event: eventId }, populate: { pdf: true }, orderBy: { id: 'asc' } });
    const byBib = Object.fromEntries(rows.map((r: any) => [r.bib, r]));
    expect(rows.map((r: any) => r.status)).toEqual(['published', 'published', 'published', 'published']);
    expect(byBib['2'].renderWarnings).toEqual([{ kind: 'overflow', elementId: 'name' }]);
    for (const bib of ['1', '3', '4']) expect(byBib[bib].renderWarnings ?? null).toBeNull();

    // The long word broke across lines (overflow-wrap) rather than running off the page in one line.
    const text = execFileSync('pdftotext', ['-layout', path.join(app.strapi.dirs.static.public, byBib['2'].pdf.url), '-'], { encoding: 'utf8' });
    const nameLines = text.split('\n').filter((l) => /Wolfeschlegel|steinhausen|bergerdorff/.test(l));
    expect(nameLines.length).toBeGreaterThanOrEqual(2);

    // The records admin API (what the Records tab shows) carries the flag.
    const list = await app.admin('get', `/certify/events/${eventId}/records?search=2`, reader).expect(200);
    const listed = list.body.data.find((r: any) => r.bib === '2');
    expect(listed.renderWarnings).toEqual([{ kind: 'overflow', elementId: 'name' }]);

    // Nothing is left to publish: nothing to check.
    expect((await preflight(eventId).expect(200)).body.data).toMatchObject({ checked: 0, totals: { emptyField: 0, overflow: 0, missingPhoto: 0 } });

    // A shorter name fits again: the next render clears the flag.
    await app.strapi.documents(RECORD as any).update({ documentId: byBib['2'].documentId, data: { name: 'Anna Long' } as any });
    await drain(app.strapi);
    const fixed = await app.strapi.db.query(RECORD).findOne({ where: { id: byBib['2'].id } });
    expect(fixed.status).toBe('published');
    expect(fixed.renderWarnings ?? null).toBeNull();
  });
});

describe('pre-flight of photos', () => {
  it('lists the records without a photo when the template has a photo frame, and none when it has not', async () => {
    const eventId = (await app.createEvent()).documentId;
    const template = await svc(app.strapi, 'templates').create(eventId, {
      name: 'With photo',
      design: design([{ id: 'portrait', type: 'photo', x: 200, y: 150, width: 40, height: 40 }]),
      isDefault: true,
    });
    await createRecord(eventId, { bib: '10', name: 'Has Photo', finishTime: '3:00:00' });
    await createRecord(eventId, { bib: '11', name: 'No Photo', finishTime: '3:10:00' });
    const file = path.join(tmp, 'photo.jpg');
    await sharp({ create: { width: 300, height: 300, channels: 3, background: { r: 200, g: 30, b: 30 } } }).jpeg().toFile(file);
    const [image] = await app.strapi.plugin('upload').service('upload').upload({
      data: { fileInfo: { name: 'photo.jpg' } },
      files: { filepath: file, originalFilename: 'photo.jpg', mimetype: 'image/jpeg', size: fs.statSync(file).size },
    });
    await app.strapi.documents('api::photo.photo' as any).create({ data: { event: eventId, image: image.id, bibs: ['10'] } as any });

    let report = (await preflight(eventId).expect(200)).body.data;
    expect(report.totals).toEqual({ emptyField: 0, overflow: 0, missingPhoto: 1 });
    expect(report.records.missingPhoto).toEqual([expect.objectContaining({ bib: '11', elements: [{ elementId: 'portrait' }] })]);

    // The same records with a template without a photo frame: nothing missing.
    await svc(app.strapi, 'templates').update(eventId, template.documentId, { design: design() });
    report = (await preflight(eventId).expect(200)).body.data;
    expect(report.totals).toEqual({ emptyField: 0, overflow: 0, missingPhoto: 0 });
    expect(bibsOf(report.records.missingPhoto)).toEqual([]);
  });
});
