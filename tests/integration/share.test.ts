/**
 * The verify URL is the page people share: Open Graph and Twitter card tags with absolute URLs and
 * the share image's size, a title saying what was achieved, LinkedIn's add-to-profile link with
 * its parameters, copy link and share buttons allowed by the page's CSP, and caching headers.
 */
import crypto from 'node:crypto';
import { setupApp, type TestApp } from '../helpers/app';
import { createRecords, createTemplate, drain, RECORD } from '../fixtures/publish/helpers';

let app: TestApp;
let record: any;

beforeAll(async () => {
  app = await setupApp({ CERTIFY_QUEUE_IN_PROCESS: 'false', CERTIFY_PUBLIC_URL: 'https://certificates.example.org' });
  const event = await app.createEvent({ name: 'Athens Marathon' });
  await createTemplate(app.strapi, event.documentId);
  await createRecords(app.strapi, event.documentId, 1, () => ({ name: 'Eleni Papadopoulou', finishTime: '03:41:07' }));
  await app.admin('post', `/certify/events/${event.documentId}/publish`).send({});
  await drain(app.strapi);
  record = await app.strapi.db.query(RECORD).findOne({ where: { event: event.documentId }, populate: { shareImage: true } });
});

afterAll(async () => {
  await app?.close();
});

const meta = (html: string, key: string) => {
  const m = new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)"`).exec(html);
  return m ? m[1].replace(/&amp;/g, '&').replace(/&#x3D;/g, '=') : null;
};

it('carries Open Graph and Twitter card tags with absolute URLs and the image size', async () => {
  const res = await app.http().get(`/verify/${record.verificationCode}`);
  expect(res.status).toBe(200);
  const html = res.text;
  expect(meta(html, 'og:title')).toBe('Eleni Papadopoulou finished Athens Marathon in 03:41:07');
  expect(meta(html, 'og:url')).toBe(`https://certificates.example.org/verify/${record.verificationCode}`);
  expect(meta(html, 'og:image')).toBe(`https://certificates.example.org/api/certify/certificates/${record.verificationCode}/image`);
  expect(meta(html, 'og:image:width')).toBe(String(record.shareImage.width));
  expect(meta(html, 'og:image:height')).toBe(String(record.shareImage.height));
  expect(meta(html, 'twitter:card')).toBe('summary_large_image');
  expect(meta(html, 'twitter:image')).toBe(meta(html, 'og:image'));
  expect(html).toMatch(/<title>Eleni Papadopoulou finished Athens Marathon in 03:41:07<\/title>/);
});

it('links to LinkedIn’s add-certification form with the certificate’s details', async () => {
  const html = (await app.http().get(`/verify/${record.verificationCode}`)).text;
  const href = /id="linkedin" href="([^"]+)"/.exec(html)![1].replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
  const url = new URL(href);
  expect(url.origin + url.pathname).toBe('https://www.linkedin.com/profile/add');
  const p = Object.fromEntries(url.searchParams);
  const issued = new Date(record.certifiedAt);
  expect(p).toMatchObject({
    startTask: 'CERTIFICATION_NAME',
    name: 'Athens Marathon — finisher certificate',
    issueYear: String(issued.getUTCFullYear()),
    issueMonth: String(issued.getUTCMonth() + 1),
    certUrl: `https://certificates.example.org/verify/${record.verificationCode}`,
    certId: record.verificationCode,
  });
  expect(p.organizationName).toBeTruthy();
});

it('allows exactly its own copy/share script, and answers a revalidation with 304', async () => {
  const res = await app.http().get(`/verify/${record.verificationCode}`);
  const script = /<script>([\s\S]*?)<\/script>/.exec(res.text)![1];
  const hash = crypto.createHash('sha256').update(script).digest('base64');
  expect(res.headers['content-security-policy']).toContain(`script-src 'sha256-${hash}'`);
  expect(res.text).toMatch(/id="copy-link"/);
  expect(res.text).toMatch(/id="native-share"/);
  expect(res.headers['cache-control']).toMatch(/public, max-age=60/);
  const again = await app.http().get(`/verify/${record.verificationCode}`).set('If-None-Match', res.headers.etag);
  expect(again.status).toBe(304);
});
