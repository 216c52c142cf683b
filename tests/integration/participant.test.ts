/**
 * What participants and organisers get out of a publish: the finder (certificate + photos), the
 * verify data with corrections, the downloads, the plan gate, and the ZIP of an event.
 */
import yauzl from 'yauzl';
import { setupApp, type TestApp } from '../helpers/app';
import { binary, createTemplate, drain, RECORD } from '../fixtures/publish/helpers';

jest.setTimeout(180_000);

let app: TestApp;
let event: { documentId: string; slug: string };
const PHOTO = 'api::photo.photo';

const zipNames = (buf: Buffer) =>
  new Promise<string[]>((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const names: string[] = [];
      zip.on('entry', (e) => {
        names.push(e.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });

const create = (data: Record<string, unknown>) => app.strapi.documents(RECORD as any).create({ data: { event: event.documentId, ...data } as any });

beforeAll(async () => {
  app = await setupApp({ CERTIFY_QUEUE_IN_PROCESS: 'false' });
  event = await app.createEvent({ name: 'Finder City Run' });
  await createTemplate(app.strapi, event.documentId);
  await create({ bib: '7', name: 'Maria Georgiou', category: 'F35', finishTime: '00:45:10' });
  await create({ bib: '7/', name: 'Maria Georgiou', category: 'F35' });
  await create({ bib: '../../etc', name: '../../passwd', category: 'M40' });
  await create({ bib: '12', name: 'Ζωή Οικονόμου', category: 'M40' });
  await app.strapi.documents(PHOTO as any).create({ data: { event: event.documentId, bibs: ['7', '12'], caption: 'Finish line' } as any });
  await app.admin('post', `/certify/events/${event.documentId}/publish`).send({});
  await drain(app.strapi);
}, 180_000);

afterAll(async () => {
  await app?.close();
});

describe('finder', () => {
  it('finds a certificate by event slug and bib, with its download links and the photos of that bib', async () => {
    const res = await app.http().get(`/api/certify/events/${event.slug}/certificates?bib=7`);
    expect(res.status).toBe(200);
    expect(res.body.data.results).toHaveLength(1);
    const cert = res.body.data.results[0];
    expect(cert).toMatchObject({ bib: '7', name: 'Maria Georgiou', finishTime: '00:45:10', event: { name: 'Finder City Run' } });
    expect(cert.pdfUrl).toBe(`/api/certify/certificates/${cert.code}/pdf`);
    expect(cert.photos).toEqual([expect.objectContaining({ caption: 'Finish line' })]);
    expect(cert).not.toHaveProperty('email');
  });

  it('finds by part of the name and refuses a search too vague to be private', async () => {
    const byName = await app.http().get(`/api/certify/events/${event.slug}/certificates?name=georgiou`);
    expect(byName.body.data.results.map((c: any) => c.bib).sort()).toEqual(['7', '7/']);
    const vague = await app.http().get(`/api/certify/events/${event.slug}/certificates?name=m`);
    expect(vague.status).toBe(400);
    expect(vague.body.error.message).toMatch(/bib|2 letters/);
  });

  it('keeps photo links current when a photo is re-tagged', async () => {
    const photo = await app.strapi.documents(PHOTO as any).create({ data: { event: event.documentId, bibs: ['12'], caption: 'Bridge' } as any });
    let twelve = await app.strapi.db.query(RECORD).findOne({ where: { event: event.documentId, bib: '12' } });
    expect(twelve.photos.map((p: any) => p.caption).sort()).toEqual(['Bridge', 'Finish line']);
    await app.strapi.documents(PHOTO as any).update({ documentId: photo.documentId, data: { bibs: ['7'] } as any });
    twelve = await app.strapi.db.query(RECORD).findOne({ where: { event: event.documentId, bib: '12' } });
    const seven = await app.strapi.db.query(RECORD).findOne({ where: { event: event.documentId, bib: '7' } });
    expect(twelve.photos.map((p: any) => p.caption)).toEqual(['Finish line']);
    expect(seven.photos.map((p: any) => p.caption).sort()).toEqual(['Bridge', 'Finish line']);
  });

  it('is closed for an event whose plan does not include Certify, without naming the plan', async () => {
    const locked = await app.createEvent({ plan: 'trial' });
    const res = await app.http().get(`/api/certify/events/${locked.slug}/certificates?bib=1`);
    expect(res.status).toBe(404);
    expect(res.body.error.details.code).toBe('CERTIFY_CERTIFICATES_OFFLINE');
    expect(res.body.error.message).toBe('Certificates are not available for this event.');
    expect(JSON.stringify(res.body)).not.toMatch(/trial|pro\b|enterprise|plan/i);
  });
});

describe('verify and download', () => {
  it('verifies by code, shows the correction history, and serves the PDF and the share image', async () => {
    const record = await app.strapi.db.query(RECORD).findOne({ where: { event: event.documentId, bib: '7' } });
    let res = await app.http().get(`/api/certify/certificates/${record.verificationCode}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ code: record.verificationCode, name: 'Maria Georgiou', correctedAt: null, history: [] });
    expect(res.body.data.issuedAt).toBeTruthy();

    await app.strapi.documents(RECORD as any).update({ documentId: record.documentId, data: { finishTime: '00:44:59' } as any });
    await drain(app.strapi);
    res = await app.http().get(`/api/certify/certificates/${record.verificationCode}`);
    expect(res.body.data.finishTime).toBe('00:44:59');
    expect(res.body.data.correctedAt).toBeTruthy();
    expect(res.body.data.history).toEqual([{ correctedOn: expect.any(String) }]);

    const pdf = await app.http().get(`/api/certify/certificates/${record.verificationCode}/pdf`).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    const image = await app.http().get(`/api/certify/certificates/${record.verificationCode}/image`).buffer(true).parse(binary);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toMatch(/^image\//);
  });

  it('answers 404 for an unknown or malformed code', async () => {
    const unknown = await app.http().get('/api/certify/certificates/AAAAAAAAAAAAAAAA');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.details.code).toBe('CERTIFY_CERTIFICATE_NOT_FOUND');
    expect((await app.http().get('/api/certify/certificates/..%2F..%2Fetc')).status).toBe(404);
  });
});

describe('ZIP download', () => {
  it('lists every certificate once, named from bib and name in the participant\'s own letters (UTF-8), never a path', async () => {
    const res = await app.admin('get', `/certify/events/${event.documentId}/certificates.zip`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    // The exact size is announced up front, so the browser shows progress and detects a cut transfer.
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.headers['content-disposition']).toMatch(/filename\*=UTF-8''finder-city-run-\d*-?certificates\.zip|filename\*=UTF-8''[^;]*certificates\.zip/);
    const names = await zipNames(res.body);
    expect(names).toHaveLength(4);
    expect(new Set(names).size).toBe(4);
    for (const n of names) expect(n).toMatch(/^[\p{L}\p{N}][\p{L}\p{M}\p{N}-]*\.pdf$/u);
    expect(names.sort()).toEqual(['12-ζωή-οικονόμου.pdf', '7-maria-georgiou-2.pdf', '7-maria-georgiou.pdf', 'etc-passwd.pdf']);
  });

  it('can be limited to one category', async () => {
    const res = await app.admin('get', `/certify/events/${event.documentId}/certificates.zip?category=M40`).buffer(true).parse(binary);
    const names = await zipNames(res.body);
    expect(names).toHaveLength(2);
  });

  it('the admin\'s link downloads the same archive without a token, for that event only, and a forged link gets nothing', async () => {
    const link = await app.admin('post', `/certify/events/${event.documentId}/certificates.zip/link`).send({ category: 'M40' });
    expect(link.status).toBe(200);
    expect(link.body.data).toMatchObject({ certificates: 2, url: expect.stringMatching(/^http:\/\/[^/]+\/api\/certify\/downloads\/[\w-]+\.[\w-]+$/) });
    expect(Date.parse(link.body.data.expiresAt) - Date.now()).toBeGreaterThan(60_000);
    const path = new URL(link.body.data.url).pathname;
    const res = await app.http().get(path).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(link.body.data.bytes);
    expect(Number(res.headers['content-length'])).toBe(link.body.data.bytes);
    expect((await zipNames(res.body)).sort()).toEqual(['12-ζωή-οικονόμου.pdf', 'etc-passwd.pdf']);

    // The token names its event and category: altering either breaks the signature.
    const [payload, signature] = path.split('/').pop()!.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, c: null })).toString('base64url');
    for (const bad of [`${forged}.${signature}`, `${payload}.${signature.slice(0, -2)}xx`, 'nonsense', `${payload}`]) {
      const refused = await app.http().get(`/api/certify/downloads/${bad}`);
      expect(refused.status).toBe(404);
      expect(refused.body.error.details.code).toBe('CERTIFY_DOWNLOAD_NOT_FOUND');
    }
  });

  it('a read-only role may ask for a link; anonymous callers may not', async () => {
    const token = await app.adminWithActions(['plugin::certify.read']);
    expect((await app.admin('post', `/certify/events/${event.documentId}/certificates.zip/link`, token).send({})).status).toBe(200);
    expect((await app.http().post(`/certify/events/${event.documentId}/certificates.zip/link`).send({})).status).toBe(401);
  });
});

describe('answered ahead of the router', () => {
  // The finder and verify reads skip Strapi's router (middlewares/participant-routes.ts) but not
  // what shapes an answer: the same security headers, CORS and X-Powered-By as a routed request.
  const SHAPING = [
    'content-security-policy',
    'strict-transport-security',
    'x-frame-options',
    'x-content-type-options',
    'referrer-policy',
    'x-dns-prefetch-control',
    'x-download-options',
    'x-permitted-cross-domain-policies',
    'x-powered-by',
    'access-control-allow-origin',
    'access-control-allow-credentials',
  ];
  const shaping = (headers: Record<string, string>) => Object.fromEntries(SHAPING.map((h) => [h, headers[h]]));

  it('carries the headers a routed request gets, on the first answer and the later ones', async () => {
    const origin = { Origin: 'https://results.example.org' };
    const routed = await app.http().get('/api/certify/health/live').set(origin);
    expect(routed.status).toBe(200);
    expect(routed.headers['content-security-policy']).toBeTruthy();
    expect(routed.headers['access-control-allow-origin']).toBe('https://results.example.org');
    const expected = shaping(routed.headers);
    // Strapi adds X-Powered-By only to answers that did not throw, routed or not.
    const routedError = await app.http().get('/api/certify/events/no-such-event/status').set(origin);
    expect(routedError.status).toBeGreaterThanOrEqual(400);
    const expectedError = shaping(routedError.headers);
    expect(expectedError).toEqual({ ...expected, 'x-powered-by': undefined });
    const code = (await app.http().get(`/api/certify/events/${event.slug}/certificates?bib=12`)).body.data.results[0].code;
    for (let i = 0; i < 2; i++) {
      const finder = await app.http().get(`/api/certify/events/${event.slug}/certificates?bib=12`).set(origin);
      expect(finder.status).toBe(200);
      expect(shaping(finder.headers)).toEqual(expected);
      const verify = await app.http().get(`/api/certify/certificates/${code}`).set(origin);
      expect(shaping(verify.headers)).toEqual(expected);
      // Errors keep Strapi's error body and the same headers.
      const missing = await app.http().get('/api/certify/certificates/ABCDEFGHJKLMNPQR').set(origin);
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ data: null, error: expect.objectContaining({ status: 404, name: 'NotFoundError', details: { code: 'CERTIFY_CERTIFICATE_NOT_FOUND' } }) });
      expect(shaping(missing.headers)).toEqual(expectedError);
      // Pages set their own CSP over the default one; the rest is the same.
      const page = await app.http().get(`/verify/${code}`).set(origin);
      expect(page.status).toBe(200);
      expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'/);
      expect({ ...shaping(page.headers), 'content-security-policy': undefined }).toEqual({ ...expected, 'content-security-policy': undefined });
    }
  });
});
