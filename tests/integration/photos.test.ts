/**
 * The participant's photo on the published certificate: the photo tagged with the record's bib
 * (a featured one first) is in the PDF where the template's photo element is; tagging a photo
 * re-renders exactly the certificates whose photo changed; a record without a photo never gets an
 * empty frame: the element is hidden, or shows the placeholder image the organiser picked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import sharp from 'sharp';
import { PNG } from 'pngjs';
import { setupApp, type TestApp } from '../helpers/app';
import { drain, RECORD, svc } from '../fixtures/publish/helpers';

let app: TestApp;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'certify-photos-'));

beforeAll(async () => {
  app = await setupApp({ CERTIFY_QUEUE_IN_PROCESS: 'false', CERTIFY_QUEUE_RETRY_BASE_MS: '0' });
});

afterAll(async () => {
  await app?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A4 landscape, white, the photo in a 60 × 60 mm frame at (200, 50) mm. */
const design = {
  version: 1,
  elements: [
    { id: 'name', type: 'text', text: '{{name}}', x: 20, y: 20, width: 150, height: 20, fontSize: 24 },
    { id: 'photo', type: 'photo', x: 200, y: 50, width: 60, height: 60, fit: 'cover' },
  ],
};

async function uploadPhoto(name: string, rgb: { r: number; g: number; b: number }) {
  const file = path.join(tmp, name);
  await sharp({ create: { width: 900, height: 600, channels: 3, background: rgb } }).jpeg({ quality: 95 }).toFile(file);
  const [uploaded] = await app.strapi.plugin('upload').service('upload').upload({
    data: { fileInfo: { name, alternativeText: name } },
    files: { filepath: file, originalFilename: name, mimetype: 'image/jpeg', size: fs.statSync(file).size },
  });
  return uploaded;
}

const createPhoto = async (eventId: string, fileId: number, bibs: string[], featured = false) =>
  app.strapi.documents('api::photo.photo' as any).create({ data: { event: eventId, image: fileId, bibs, featured } as any });

const recordsByBib = async (eventId: string) => {
  const list = await app.strapi.db.query(RECORD).findMany({ where: { event: eventId }, populate: { pdf: true } });
  return Object.fromEntries(list.map((r: any) => [r.bib, r]));
};

/** The colour at the centre of the photo frame (mm) of a certificate's PDF, rendered at 30 dpi. */
function colourAt(pdfUrl: string, xMm: number, yMm: number) {
  const pdf = path.join(app.strapi.dirs.static.public, pdfUrl);
  const out = path.join(tmp, `page-${Date.now()}`);
  execFileSync('pdftoppm', ['-r', '30', '-png', '-singlefile', pdf, out]);
  const png = PNG.sync.read(fs.readFileSync(`${out}.png`));
  const px = Math.round((xMm / 25.4) * 30);
  const py = Math.round((yMm / 25.4) * 30);
  const i = (png.width * py + px) * 4;
  return { r: png.data[i], g: png.data[i + 1], b: png.data[i + 2] };
}

const imagesIn = (pdfUrl: string) =>
  execFileSync('pdfimages', ['-list', path.join(app.strapi.dirs.static.public, pdfUrl)], { encoding: 'utf8' })
    .split('\n')
    .slice(2)
    .filter((l) => l.trim()).length;

it('puts the tagged photo on the certificate, nothing where there is none, and re-renders exactly what a tag changes', async () => {
  const event = await app.createEvent();
  const eventId = event.documentId;
  await svc(app.strapi, 'templates').create(eventId, { name: 'With photo', design, isDefault: true });
  for (const bib of ['1', '2', '3']) {
    await app.strapi.documents(RECORD as any).create({ data: { event: eventId, bib, name: `Runner ${bib}` } as any });
  }
  const red = await uploadPhoto('red.jpg', { r: 220, g: 20, b: 20 });
  const blue = await uploadPhoto('blue.jpg', { r: 20, g: 40, b: 220 });
  const green = await uploadPhoto('green.jpg', { r: 20, g: 200, b: 40 });
  await createPhoto(eventId, red.id, ['1']);
  const bluePhoto = await createPhoto(eventId, blue.id, ['2']);
  // Two photos of bib 2: the featured one goes on the certificate.
  await createPhoto(eventId, green.id, ['2'], true);

  expect((await app.admin('post', `/certify/events/${eventId}/publish`).send({})).status).toBe(201);
  await drain(app.strapi);
  let records = await recordsByBib(eventId);
  expect(Object.values(records).map((r: any) => r.status)).toEqual(['published', 'published', 'published']);

  const centre = [230, 80] as const;
  const c1 = colourAt(records['1'].pdf.url, ...centre);
  expect(c1.r).toBeGreaterThan(170);
  expect(c1.g).toBeLessThan(80);
  const c2 = colourAt(records['2'].pdf.url, ...centre);
  expect(c2.g).toBeGreaterThan(150);
  expect(c2.r).toBeLessThan(80);
  // Bib 3 has no photo: no image in its PDF, and the frame's place is the white page.
  expect(imagesIn(records['1'].pdf.url)).toBeGreaterThanOrEqual(1);
  expect(imagesIn(records['3'].pdf.url)).toBe(0);
  expect(colourAt(records['3'].pdf.url, ...centre)).toEqual({ r: 255, g: 255, b: 255 });

  // Tagging bib 3 on the blue photo re-renders bib 3 alone (bib 2 keeps its featured green photo).
  const before = records;
  await app.strapi.documents('api::photo.photo' as any).update({ documentId: bluePhoto.documentId, data: { bibs: ['2', '3'] } as any });
  const run = await svc(app.strapi, 'publish').current(eventId);
  expect(run).toMatchObject({ trigger: 'auto', total: 1 });
  await drain(app.strapi);
  records = await recordsByBib(eventId);
  expect(records['1'].pdf.id).toBe(before['1'].pdf.id);
  expect(records['2'].pdf.id).toBe(before['2'].pdf.id);
  expect(records['3'].pdf.id).not.toBe(before['3'].pdf.id);
  const c3 = colourAt(records['3'].pdf.url, ...centre);
  expect(c3.b).toBeGreaterThan(150);
  expect(c3.r).toBeLessThan(80);
});

it('never re-renders certificates of a template without a photo element when photos are tagged', async () => {
  const event = await app.createEvent();
  const eventId = event.documentId;
  await svc(app.strapi, 'templates').create(eventId, { name: 'Plain', design: { version: 1, elements: [design.elements[0]] }, isDefault: true });
  await app.strapi.documents(RECORD as any).create({ data: { event: eventId, bib: '1', name: 'Runner 1' } as any });
  expect((await app.admin('post', `/certify/events/${eventId}/publish`).send({})).status).toBe(201);
  await drain(app.strapi);
  const before = (await recordsByBib(eventId))['1'];
  const photo = await uploadPhoto('plain.jpg', { r: 120, g: 120, b: 120 });
  await createPhoto(eventId, photo.id, ['1']);
  const after = (await recordsByBib(eventId))['1'];
  // The finder shows the photo beside the certificate, but the certificate itself is current.
  expect(after.photos).toHaveLength(1);
  expect(after.renderedHash).toBe(before.renderedHash);
  expect((await app.admin('get', `/certify/events/${eventId}/publish/summary`)).body.data).toMatchObject({ unchanged: 1, changed: 0 });
});

it('gives a record without a photo the template’s fallback: no element at all, or the organiser’s placeholder', async () => {
  const placeholder = await uploadPhoto('placeholder.jpg', { r: 240, g: 200, b: 20 });
  const red = await uploadPhoto('red-fallback.jpg', { r: 220, g: 20, b: 20 });
  const photoWith = (fallback: Record<string, unknown>) => ({ ...design, elements: [design.elements[0], { ...design.elements[1], ...fallback }] });
  const centre = [230, 80] as const;

  // A placeholder fallback without its image is refused, naming the element.
  const probe = await app.createEvent();
  const refused = await app.admin('post', `/certify/events/${probe.documentId}/templates`).send({ name: 'No image', design: photoWith({ fallback: 'placeholder' }) });
  expect(refused.status).toBe(400);
  expect(refused.body.error.details.problems).toEqual([expect.objectContaining({ elementId: 'photo', message: expect.stringMatching(/placeholder image/) })]);

  const publishWith = async (fallback: Record<string, unknown>) => {
    const { documentId: eventId } = await app.createEvent();
    const created = await app.admin('post', `/certify/events/${eventId}/templates`).send({ name: 'Fallback', design: photoWith(fallback), isDefault: true });
    expect(created.status).toBe(201);
    for (const bib of ['1', '2']) await app.strapi.documents(RECORD as any).create({ data: { event: eventId, bib, name: `Runner ${bib}` } as any });
    await createPhoto(eventId, red.id, ['1']);
    expect((await app.admin('post', `/certify/events/${eventId}/publish`).send({})).status).toBe(201);
    await drain(app.strapi);
    const records = await recordsByBib(eventId);
    expect(Object.values(records).map((r: any) => r.status)).toEqual(['published', 'published']);
    return records;
  };

  // "hide" (also what a design without a fallback gets): no image object, the page shows through.
  const hidden = await publishWith({ fallback: 'hide', borderWidth: 3, borderColor: '#000000' });
  expect(imagesIn(hidden['2'].pdf.url)).toBe(0);
  expect(colourAt(hidden['2'].pdf.url, ...centre)).toEqual({ r: 255, g: 255, b: 255 });
  // …and no border either: a frame's edge is white too.
  expect(colourAt(hidden['2'].pdf.url, 201, 80)).toEqual({ r: 255, g: 255, b: 255 });
  expect(colourAt(hidden['1'].pdf.url, ...centre).r).toBeGreaterThan(170);

  // "placeholder": the organiser's image fills the frame; a record with a photo still shows its own.
  const shown = await publishWith({ fallback: 'placeholder', placeholderFileId: placeholder.id });
  expect(imagesIn(shown['2'].pdf.url)).toBe(1);
  const yellow = colourAt(shown['2'].pdf.url, ...centre);
  expect(yellow.r).toBeGreaterThan(200);
  expect(yellow.g).toBeGreaterThan(160);
  expect(yellow.b).toBeLessThan(80);
  const own = colourAt(shown['1'].pdf.url, ...centre);
  expect(own.r).toBeGreaterThan(170);
  expect(own.g).toBeLessThan(80);
  // The placeholder sits in the frame only: outside it the page is white.
  expect(colourAt(shown['2'].pdf.url, 190, 80)).toEqual({ r: 255, g: 255, b: 255 });
});
