/**
 * S3 storage: with S3_* set, config/plugins.ts switches the upload plugin to
 * @strapi/provider-upload-aws-s3. Against an S3-compatible server started here (s3rver), a publish
 * lands the certificates in the bucket and the download routes serve them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
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

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certify-s3-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: BUCKET }] });
  const { port } = await s3.run();
  endpoint = `http://127.0.0.1:${port}`;
  app = await setupApp({
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: endpoint,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
    S3_REGION: 'us-east-1',
    CERTIFY_QUEUE_IN_PROCESS: 'false',
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await s3?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  for (const k of ['S3_BUCKET', 'S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE']) delete process.env[k];
});

it('a publish stores the certificates in the bucket, and the download URLs serve them', async () => {
  const event = await app.createEvent();
  await createTemplate(app.strapi, event.documentId);
  await createRecords(app.strapi, event.documentId, 2);
  await app.admin('post', `/certify/events/${event.documentId}/publish`).send({});
  await drain(app.strapi);

  const records = await app.strapi.db.query(RECORD).findMany({ where: { event: event.documentId }, populate: { pdf: true, shareImage: true } });
  expect(records.every((r: any) => r.status === 'published')).toBe(true);
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  const keys = (listed.Contents ?? []).map((o) => o.Key!);
  for (const r of records) {
    expect(r.pdf.provider).toBe('aws-s3');
    expect(r.pdf.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(keys).toContain(`${r.pdf.hash}${r.pdf.ext}`);
    expect(keys).toContain(`${r.shareImage.hash}${r.shareImage.ext}`);
    expect(keys).toContain(`${r.shareImage.formats.thumbnail.hash}${r.shareImage.formats.thumbnail.ext}`);
    const direct = await fetch(r.pdf.url);
    expect(direct.status).toBe(200);
    const res = await app.http().get(`/api/certify/certificates/${r.verificationCode}/pdf`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.body.subarray(0, 5).toString()).toBe('%PDF-');
  }
  client.destroy();
});
