/**
 * The participant pages at the site root: the finder (/certificates/:slug) and the verify page
 * (/verify/:code, what every QR code points at). Certificates are published for real (Chromium).
 */
import { setupApp, type TestApp } from '../helpers/app';
import { createRecords, createTemplate, drain, RECORD } from '../fixtures/publish/helpers';

let app: TestApp;
let event: { documentId: string; slug: string };
let published: any[];

beforeAll(async () => {
  app = await setupApp({ CERTIFY_QUEUE_IN_PROCESS: 'false' });
  event = await app.createEvent({ plan: 'pro', name: 'Harbour 10K <2026>' });
  await createTemplate(app.strapi, event.documentId);
  await createRecords(app.strapi, event.documentId, 3, (i) => (i === 2 ? { name: '<script>alert(1)</script> Mallory' } : {}));
  expect((await app.admin('post', `/certify/events/${event.documentId}/publish`).send({})).status).toBe(201);
  await drain(app.strapi);
  published = await app.strapi.db.query(RECORD).findMany({ where: { event: event.documentId }, orderBy: { id: 'asc' } });
  expect(published.every((r) => r.status === 'published')).toBe(true);
});

afterAll(async () => {
  await app?.close();
});

describe('finder page', () => {
  it('shows the event and a search form before any search', async () => {
    const res = await app.http().get(`/certificates/${event.slug}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('Harbour 10K &lt;2026&gt;');
    expect(res.text).toContain('name="bib"');
  });

  it('finds a certificate by bib with its download, share image and verify links', async () => {
    const record = published[0];
    const res = await app.http().get(`/certificates/${event.slug}?bib=${encodeURIComponent(record.bib)}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`/api/certify/certificates/${record.verificationCode}/pdf`);
    expect(res.text).toContain(`/verify/${record.verificationCode}`);
    const pdf = await app.http().get(`/api/certify/certificates/${record.verificationCode}/pdf`).buffer(true);
    expect(pdf.status).toBe(200);
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('escapes participant data', async () => {
    const res = await app.http().get(`/certificates/${event.slug}?name=Mallory`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;');
  });

  it('says so when nothing matches', async () => {
    const res = await app.http().get(`/certificates/${event.slug}?bib=999999`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/No published certificate matches/);
  });

  it('tells participants of a locked event only that certificates are not available', async () => {
    const locked = await app.createEvent({ plan: 'trial' });
    const res = await app.http().get(`/certificates/${locked.slug}`);
    expect(res.status).toBe(404);
    expect(res.text).toMatch(/Certificates are not available for this event/);
    expect(res.text).not.toMatch(/Pro|Enterprise|Trial|plan|upgrade/i);
  });

  it('answers 404 for an unknown event', async () => {
    expect((await app.http().get('/certificates/no-such-event')).status).toBe(404);
  });
});

describe('verify page', () => {
  it('confirms a valid certificate with the participant and event', async () => {
    const record = published[1];
    const res = await app.http().get(`/verify/${record.verificationCode}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Valid certificate');
    expect(res.text).toContain(record.verificationCode);
    expect(res.text).toContain('Harbour 10K');
  });

  it('shows "corrected on" after a change is re-published, keeping the code', async () => {
    const record = published[1];
    await app.strapi.documents(RECORD as any).update({ documentId: record.documentId, data: { finishTime: '0:41:07' } as any });
    // The edit already queued a refresh of that record (the event was published), so this request
    // may join that run rather than start one.
    expect([200, 201]).toContain((await app.admin('post', `/certify/events/${event.documentId}/publish`).send({})).status);
    await drain(app.strapi);
    const res = await app.http().get(`/verify/${record.verificationCode}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Corrected on');
    expect(res.text).toContain('0:41:07');
  });

  it('answers 404 for an unknown code, without leaking anything', async () => {
    const res = await app.http().get('/verify/AAAAAAAAAAAAAAAA');
    expect(res.status).toBe(404);
    expect(res.text).toMatch(/No certificate has this verification code/);
  });
});
