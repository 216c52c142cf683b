/**
 * PDFs first: a publish stores every PDF in a first pass and the share images in a second one
 * (`image` jobs of the same run); a share image asked for before it exists (the participant
 * /image route, the share page's og:image) is made then and kept.
 */
import { setupApp, type TestApp } from '../helpers/app';
import { binary, createRecords, createTemplate, JOB, RECORD, svc, waitFor, waitForFinishedRun } from '../fixtures/publish/helpers';

jest.setTimeout(600_000);

let app: TestApp;

beforeAll(async () => {
  app = await setupApp({ CERTIFY_RATE_LIMIT: 'false' });
});

afterAll(async () => {
  await app?.close();
});

const doneAt = (rows: Array<{ updatedAt: string }>) => rows.map((r) => new Date(r.updatedAt).getTime());

it('stores every PDF before the share images of the run, then every share image', async () => {
  const event = await app.createEvent();
  await createTemplate(app.strapi, event.documentId);
  await createRecords(app.strapi, event.documentId, 120);
  expect((await app.admin('post', `/certify/events/${event.documentId}/publish`).send({})).status).toBe(201);
  const run = await waitForFinishedRun(app.strapi, event.documentId);
  expect(run).toMatchObject({ total: 120, done: 120, failed: 0, images: { queued: 0, done: 120, failed: 0 } });

  const pdfJobs = await app.strapi.db.query(JOB).findMany({ where: { event: event.documentId, kind: 'render' } });
  const imageJobs = await app.strapi.db.query(JOB).findMany({ where: { event: event.documentId, kind: 'image' } });
  expect(imageJobs).toHaveLength(120);
  // Share images are claimed after the PDFs queued before them: the last PDF is stored before the last image.
  expect(Math.max(...doneAt(pdfJobs))).toBeLessThanOrEqual(Math.max(...doneAt(imageJobs)));
  const records = await app.strapi.db.query(RECORD).findMany({ where: { event: event.documentId }, populate: { pdf: true, shareImage: true } });
  expect(records.every((r: any) => r.status === 'published' && r.pdf?.mime === 'application/pdf' && r.shareImage?.mime === 'image/jpeg')).toBe(true);
  expect(records.every((r: any) => r.shareImage.formats?.thumbnail)).toBe(true);
});

/** An event's published records whose share images the second pass has not reached yet (none linked), in id order, as they were published. */
const publishedWithoutShareImages = async (count: number) => {
  const event = await app.createEvent();
  await createTemplate(app.strapi, event.documentId);
  await createRecords(app.strapi, event.documentId, count);
  await app.admin('post', `/certify/events/${event.documentId}/publish`).send({});
  await waitForFinishedRun(app.strapi, event.documentId);
  const records = await app.strapi.db.query(RECORD).findMany({ where: { event: event.documentId }, orderBy: { id: 'asc' }, populate: { shareImage: true } });
  await svc(app.strapi, 'media').attach(RECORD, records.map((r: any) => ({ id: r.id, field: 'shareImage', fileId: null })));
  return { event, records };
};

it('makes a share image asked for before the second pass on demand, and keeps it', async () => {
  const {
    event,
    records: [a, b],
  } = await publishedWithoutShareImages(2);

  const found = await app.http().get(`/api/certify/events/${event.slug}/certificates`).query({ bib: a.bib });
  expect(found.body.data.results[0].imageUrl).toBe(`/api/certify/certificates/${a.verificationCode}/image`);
  const image = await app.http().get(found.body.data.results[0].imageUrl).buffer(true).parse(binary);
  expect(image.status).toBe(200);
  expect(image.headers['content-type']).toBe('image/jpeg');
  expect((image.body as Buffer).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  const kept = await app.strapi.db.query(RECORD).findOne({ where: { id: a.id }, populate: { shareImage: true } });
  expect(kept.shareImage?.id).toBeTruthy();
  expect(kept.shareImage.id).not.toBe(a.shareImage.id);
  // Asked again: the kept file, not a new one.
  expect((await app.http().get(found.body.data.results[0].imageUrl)).status).toBe(200);
  expect((await app.strapi.db.query(RECORD).findOne({ where: { id: a.id }, populate: { shareImage: true } })).shareImage.id).toBe(kept.shareImage.id);

  // The share page: its og:image exists (with its size) by the time a link preview reads it.
  const page = await app.http().get(`/verify/${b.verificationCode}`);
  expect(page.status).toBe(200);
  const withImage = await app.strapi.db.query(RECORD).findOne({ where: { id: b.id }, populate: { shareImage: true } });
  expect(withImage.shareImage?.width).toBeGreaterThan(0);
  expect(page.text).toContain(`<meta property="og:image:width" content="${withImage.shareImage.width}"`);
});

it('makes a few share images on demand at a time, and the share page waits for one only briefly', async () => {
  const { records } = await publishedWithoutShareImages(5);

  // Share images that take long to make (renders queued behind others on race night).
  const publish = svc(app.strapi, 'publish');
  const original = publish.shareImageNow;
  const asked: number[] = [];
  const release: Array<() => void> = [];
  publish.shareImageNow = (record: { id: number }) => {
    asked.push(record.id);
    return new Promise<boolean>((resolve) => release.push(() => resolve(false)));
  };
  try {
    const started = Date.now();
    const pages = await Promise.all(records.map((r: any) => app.http().get(`/verify/${r.verificationCode}`)));
    const took = Date.now() - started;
    expect(pages.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
    // Four are being made; the fifth page did not start a fifth.
    expect(asked).toHaveLength(4);
    // The pages did not wait for the images: about five seconds at most, then answered without one.
    expect(took).toBeLessThan(9_000);
    expect(pages.every((p) => !p.text.includes('og:image:width'))).toBe(true);
  } finally {
    release.forEach((r) => r());
    publish.shareImageNow = original;
  }
});

it('a render job retried after its PDF was stored (the worker died before queuing the share image) queues the share image, not a second PDF', async () => {
  const event = await app.createEvent();
  await createTemplate(app.strapi, event.documentId);
  await createRecords(app.strapi, event.documentId, 1);
  await app.admin('post', `/certify/events/${event.documentId}/publish`).send({});
  await waitForFinishedRun(app.strapi, event.documentId);
  const record = await app.strapi.db.query(RECORD).findOne({ where: { event: event.documentId }, populate: { pdf: true, shareImage: true } });
  // As a worker killed between the PDF's commit and queuing its share image leaves it.
  await svc(app.strapi, 'media').attach(RECORD, [{ id: record.id, field: 'shareImage', fileId: null }]);
  await app.strapi.db.query(JOB).deleteMany({ where: { event: event.documentId, kind: 'image' } });

  const [jobId] = await svc(app.strapi, 'queue').enqueue(null, event.documentId, 'render', [{ recordId: record.documentId, version: record.renderedHash }]);
  const after = await waitFor(
    'the share image to be made again',
    async () => {
      const r = await app.strapi.db.query(RECORD).findOne({ where: { id: record.id }, populate: { pdf: true, shareImage: true } });
      return r.shareImage ? r : null;
    },
    120_000,
    200
  );
  expect(after.shareImage.mime).toBe('image/jpeg');
  expect(after.pdf.id).toBe(record.pdf.id); // the stored PDF was kept, not rendered again
  expect((await app.strapi.db.query(JOB).findOne({ where: { id: jobId } })).status).toBe('done');
  expect(await app.strapi.db.query(JOB).count({ where: { event: event.documentId, kind: 'image' } })).toBe(1);
});
