/**
 * S3 storage: with S3_* set, config/plugins.ts switches the upload plugin to
 * @strapi/provider-upload-aws-s3. Against an S3-compatible server started here (s3rver), a publish
 * lands the certificates in the bucket as private objects, and participants get them only through
 * Certify's gated routes, as short-lived signed URLs: revoking, taking offline, a plan downgrade
 * and deleting close the files too (docs/STORAGE.md).
 *
 * s3rver checks signatures but keeps no object ACLs, so the S3 rule the test relies on is put in
 * front of it here: an anonymous (unsigned) read of an object is refused with 403 AccessDenied
 * unless the object was stored with the `public-read` canned ACL (the x-amz-acl its PUT carried).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import yauzl from 'yauzl';
import { setupApp, type TestApp } from '../helpers/app';
import { binary, createRecords, createTemplate, drain, RECORD } from '../fixtures/publish/helpers';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const S3rver = require('s3rver');

jest.setTimeout(180_000);

const BUCKET = 'certify-test';
let app: TestApp;
let s3: any;
let dir: string;
let endpoint: string;
let client: S3Client;
let eventId: string;
/** The canned ACL each object was stored with, by request path (/bucket/key). */
const acls = new Map<string, string>();

/** S3's object ACL rule, which s3rver does not apply itself. */
const objectAcls = async (ctx: any, next: () => Promise<void>) => {
  const signed = 'authorization' in ctx.headers || 'X-Amz-Signature' in ctx.query || 'Signature' in ctx.query;
  const isObject = ctx.path.split('/').filter(Boolean).length >= 2;
  if (isObject && ctx.method === 'PUT' && signed) {
    const acl = ctx.get('x-amz-acl') || 'private';
    await next();
    if (ctx.status < 300) acls.set(ctx.path, acl);
    return;
  }
  if (isObject && (ctx.method === 'GET' || ctx.method === 'HEAD') && !signed && acls.get(ctx.path) !== 'public-read') {
    ctx.status = 403;
    ctx.type = 'application/xml';
    ctx.body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';
    return;
  }
  await next();
};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certify-s3-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: BUCKET }] });
  s3.middleware.unshift(objectAcls);
  const { port } = await s3.run();
  endpoint = `http://127.0.0.1:${port}`;
  client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  app = await setupApp({
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: endpoint,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
    S3_REGION: 'us-east-1',
    S3_SIGNED_URL_EXPIRES: '120',
    CERTIFY_QUEUE_IN_PROCESS: 'false',
    CERTIFY_PUBLIC_CACHE_MS: '0',
  });
  const event = await app.createEvent();
  eventId = event.documentId;
  await createTemplate(app.strapi, eventId);
  await createRecords(app.strapi, eventId, 3);
  await app.admin('post', `/certify/events/${eventId}/publish`).send({});
  await drain(app.strapi);
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await app?.close();
  await s3?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  for (const k of ['S3_BUCKET', 'S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE', 'S3_SIGNED_URL_EXPIRES', 'CERTIFY_PUBLIC_CACHE_MS']) {
    delete process.env[k];
  }
});

/** The contents of every entry of a zip. */
const zipEntries = (buf: Buffer) =>
  new Promise<Buffer[]>((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const bodies: Buffer[] = [];
      zip.on('entry', (entry) =>
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            bodies.push(Buffer.concat(chunks));
            zip.readEntry();
          });
        })
      );
      zip.on('end', () => resolve(bodies));
      zip.on('error', reject);
      zip.readEntry();
    });
  });

const record = (bib: string) => app.strapi.db.query(RECORD).findOne({ where: { event: eventId, bib }, populate: { pdf: true, shareImage: true } });
const keys = async () => ((await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key!);
const anonymous = (url: string) => fetch(url).then(async (res) => ({ status: res.status, body: Buffer.from(await res.arrayBuffer()) }));
/** The gated route's answer: a redirect to a signed URL while the certificate is public. */
const gated = (code: string, kind: 'pdf' | 'image' = 'pdf') => app.http().get(`/api/certify/certificates/${code}/${kind}`).redirects(0);

it('stores the certificates in the bucket as private objects; the download routes redirect to short-lived signed URLs', async () => {
  const records = await app.strapi.db.query(RECORD).findMany({ where: { event: eventId }, populate: { pdf: true, shareImage: true } });
  expect(records).toHaveLength(3);
  const stored = await keys();
  for (const r of records) {
    expect(r.status).toBe('published');
    expect(r.pdf.provider).toBe('aws-s3');
    expect(r.pdf.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    for (const file of [r.pdf, r.shareImage, r.shareImage.formats.thumbnail]) {
      expect(stored).toContain(`${file.hash}${file.ext}`);
      expect(acls.get(`/${BUCKET}/${file.hash}${file.ext}`)).toBe('private');
      // The bucket's own URL is no download link.
      expect((await anonymous(file.url)).status).toBe(403);
    }

    const pdf = await gated(r.verificationCode);
    expect(pdf.status).toBe(302);
    const signed = new URL(pdf.headers.location);
    expect(signed.origin).toBe(endpoint);
    expect(signed.pathname).toBe(`/${BUCKET}/${r.pdf.hash}${r.pdf.ext}`);
    expect(signed.searchParams.get('X-Amz-Expires')).toBe('120');
    expect(pdf.headers['cache-control']).toBe('private, max-age=60');
    const download = await fetch(signed);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="certificate-${r.bib}.pdf"`);
    expect(Buffer.from(await download.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

    const image = await gated(r.verificationCode, 'image');
    expect(image.status).toBe(302);
    const shown = await fetch(image.headers.location);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-type')).toBe('image/jpeg');
  }
});

it('hands out only gated URLs: finder, verify page, share tags and GraphQL', async () => {
  const one = await record('1');
  const finder = await app.http().get(`/api/certify/events/${(await app.strapi.db.query('api::event.event').findOne({ where: { documentId: eventId } })).slug}/certificates?bib=1`);
  expect(finder.status).toBe(200);
  const page = await app.http().get(`/verify/${one.verificationCode}`);
  expect(page.status).toBe(200);
  const gql = await app
    .http()
    .post('/graphql')
    .send({ query: 'query ($code: String!) { certifyCertificate(code: $code) { pdfUrl imageUrl } }', variables: { code: one.verificationCode } });
  expect(gql.body.data.certifyCertificate).toEqual({
    pdfUrl: `/api/certify/certificates/${one.verificationCode}/pdf`,
    imageUrl: `/api/certify/certificates/${one.verificationCode}/image`,
  });
  for (const text of [JSON.stringify(finder.body), page.text, JSON.stringify(gql.body)]) {
    expect(text).toContain(`/api/certify/certificates/${one.verificationCode}/pdf`);
    expect(text).not.toContain(endpoint);
    expect(text).not.toContain(one.pdf.hash);
  }
  expect(page.text).toMatch(new RegExp(`<meta property="og:image" content="http://[^"]+/api/certify/certificates/${one.verificationCode}/image">`));
});

it('revoking closes the file (410 at the gate, the object stays private); reinstating opens it again', async () => {
  const one = await record('1');
  expect((await app.admin('post', `/certify/events/${eventId}/records/${one.documentId}/revoke`).send({ reason: 'Wrong result' })).status).toBe(200);
  const revoked = await gated(one.verificationCode);
  expect(revoked.status).toBe(410);
  expect(revoked.headers.location).toBeUndefined();
  expect(revoked.body.error.details.code).toBe('CERTIFY_CERTIFICATE_REVOKED');
  expect((await gated(one.verificationCode, 'image')).status).toBe(410);
  expect((await anonymous(one.pdf.url)).status).toBe(403);
  expect((await anonymous(one.shareImage.url)).status).toBe(403);

  expect((await app.admin('post', `/certify/events/${eventId}/records/${one.documentId}/reinstate`).send({})).status).toBe(200);
  const back = await gated(one.verificationCode);
  expect(back.status).toBe(302);
  expect((await anonymous(back.headers.location)).body.subarray(0, 5).toString()).toBe('%PDF-');
});

it('a plan downgrade and taking the event offline close the files without naming the plan', async () => {
  const two = await record('2');
  const event = await app.strapi.db.query('api::event.event').findOne({ where: { documentId: eventId }, populate: { organisation: true } });
  await app.strapi.db.query('api::organisation.organisation').update({ where: { id: event.organisation.id }, data: { plan: 'trial' } });
  try {
    const closed = await gated(two.verificationCode);
    expect(closed.status).toBe(404);
    expect(closed.headers.location).toBeUndefined();
    expect(JSON.stringify(closed.body)).not.toMatch(/trial|pro|plan/i);
  } finally {
    await app.strapi.db.query('api::organisation.organisation').update({ where: { id: event.organisation.id }, data: { plan: 'pro' } });
  }
  expect((await gated(two.verificationCode)).status).toBe(302);

  expect((await app.admin('post', `/certify/events/${eventId}/publish/offline`).send({ reason: 'Results under review' })).status).toBe(200);
  try {
    expect((await gated(two.verificationCode)).status).toBe(404);
  } finally {
    await app.admin('post', `/certify/events/${eventId}/publish/online`).send({});
  }
  expect((await gated(two.verificationCode)).status).toBe(302);
});

it('the organiser’s zip of all certificates reads the private objects', async () => {
  const res = await app.admin('get', `/certify/events/${eventId}/certificates.zip`).buffer(true).parse(binary);
  expect(res.status).toBe(200);
  const entries = await zipEntries(res.body);
  expect(entries).toHaveLength(3);
  for (const body of entries) expect(body.subarray(0, 5).toString()).toBe('%PDF-');
});

it('deleting a record removes its objects from the bucket; the gate answers 404', async () => {
  const three = await record('3');
  const files = [three.pdf, three.shareImage, three.shareImage.formats.thumbnail].map((f: any) => `${f.hash}${f.ext}`);
  const signedBefore = (await gated(three.verificationCode)).headers.location;
  expect((await app.admin('delete', `/certify/events/${eventId}/records/${three.documentId}`)).status).toBe(200);
  const gone = await gated(three.verificationCode);
  expect(gone.status).toBe(404);
  expect(gone.body.error.details.code).toBe('CERTIFY_CERTIFICATE_NOT_FOUND');
  const left = await keys();
  for (const key of files) expect(left).not.toContain(key);
  // Even a signed URL handed out before the deletion finds nothing.
  expect((await anonymous(signedBefore)).status).toBe(404);
});
