/**
 * What participants may see, whichever way they ask (finder, verify page, participant API, the
 * files' own URLs): revoked certificates answer 410 and vanish from the finder, an event taken
 * offline shows nothing, a deleted record's files leave storage, a plan downgrade closes the files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setupApp, type TestApp } from '../helpers/app';
import { createRecords, createTemplate, drain, RECORD } from '../fixtures/publish/helpers';

let app: TestApp;
let eventId: string;
let slug: string;

beforeAll(async () => {
  // Verdicts on files are not cached, so each step below is seen at once.
  app = await setupApp({ CERTIFY_QUEUE_IN_PROCESS: 'false', CERTIFY_FILE_GATE_CACHE_MS: '0' });
  const event = await app.createEvent();
  eventId = event.documentId;
  slug = event.slug;
  await createTemplate(app.strapi, eventId);
  await createRecords(app.strapi, eventId, 4);
  expect((await app.admin('post', `/certify/events/${eventId}/publish`).send({})).status).toBe(201);
  await drain(app.strapi);
});

afterAll(async () => {
  await app?.close();
});

const record = (bib: string) =>
  app.strapi.db.query(RECORD).findOne({ where: { event: eventId, bib }, populate: { pdf: true, shareImage: true } });
const get = (url: string) => app.http().get(url);

describe('revocation', () => {
  it('revokes with a reason: 410 on verify (API and page), gone from the finder, files no longer served; reinstating restores all', async () => {
    const one = await record('1');
    const two = await record('2');
    expect((await get(one.pdf.url)).status).toBe(200);
    expect((await get(one.shareImage.url)).status).toBe(200);

    const revoked = await app.admin('post', `/certify/events/${eventId}/records/${one.documentId}/revoke`).send({ reason: 'Disqualified: course cut' });
    expect(revoked.status).toBe(200);
    expect(revoked.body.data).toMatchObject({ bib: '1', revokedReason: 'Disqualified: course cut' });
    expect(revoked.body.data.revokedAt).toBeTruthy();

    const api = await get(`/api/certify/certificates/${one.verificationCode}`);
    expect(api.status).toBe(410);
    expect(api.body.error.details).toMatchObject({ code: 'CERTIFY_CERTIFICATE_REVOKED', reason: 'Disqualified: course cut' });
    const page = await get(`/verify/${one.verificationCode}`);
    expect(page.status).toBe(410);
    expect(page.text).toMatch(/revoked/i);
    expect(page.text).toMatch(/Disqualified: course cut/);
    expect((await get(`/api/certify/certificates/${one.verificationCode}/pdf`)).status).toBe(410);
    expect((await get(one.pdf.url)).status).toBe(410);
    expect((await get(one.shareImage.url)).status).toBe(410);
    expect((await get(`/api/certify/events/${slug}/certificates?bib=1`)).body.data.results).toEqual([]);
    // Others are untouched.
    expect((await get(two.pdf.url)).status).toBe(200);
    expect((await get(`/api/certify/events/${slug}/certificates?bib=2`)).body.data.results).toHaveLength(1);

    expect((await app.admin('get', `/certify/events/${eventId}/availability`)).body.data).toMatchObject({ revoked: 1, offline: null });

    const back = await app.admin('post', `/certify/events/${eventId}/records/${one.documentId}/reinstate`).send({});
    expect(back.body.data).toMatchObject({ revokedAt: null, revokedReason: null });
    expect((await get(`/api/certify/certificates/${one.verificationCode}`)).status).toBe(200);
    expect((await get(one.pdf.url)).status).toBe(200);
    expect((await get(`/api/certify/events/${slug}/certificates?bib=1`)).body.data.results).toHaveLength(1);
  });

  it('needs a reason, and the revoke action', async () => {
    const one = await record('1');
    const empty = await app.admin('post', `/certify/events/${eventId}/records/${one.documentId}/revoke`).send({ reason: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/reason/);
    const reader = await app.adminWithActions(['plugin::certify.read', 'plugin::certify.publish']);
    expect((await app.admin('post', `/certify/events/${eventId}/records/${one.documentId}/revoke`, reader).send({ reason: 'Wrong result' })).status).toBe(403);
  });

  it('answers an unknown verification code with a code that names the certificate', async () => {
    const res = await get('/api/certify/certificates/ABCDEFGHJKLMNPQR');
    expect(res.status).toBe(404);
    expect(res.body.error.details.code).toBe('CERTIFY_CERTIFICATE_NOT_FOUND');
  });
});

describe('an event taken offline', () => {
  it('shows participants nothing until it is back online', async () => {
    const three = await record('3');
    const off = await app.admin('post', `/certify/events/${eventId}/publish/offline`).send({ reason: 'Results under review' });
    expect(off.status).toBe(200);
    expect(off.body.data.offline).toMatchObject({ reason: 'Results under review' });
    const finder = await get(`/api/certify/events/${slug}/certificates?bib=3`);
    expect(finder.status).toBe(404);
    expect(finder.body.error.message).toBe('Certificates are not available for this event.');
    expect((await get(`/certificates/${slug}?bib=3`)).status).toBe(404);
    expect((await get(`/api/certify/certificates/${three.verificationCode}`)).status).toBe(404);
    expect((await get(three.pdf.url)).status).toBe(404);

    expect((await app.admin('post', `/certify/events/${eventId}/publish/online`).send({})).body.data.offline).toBeNull();
    expect((await get(`/api/certify/events/${slug}/certificates?bib=3`)).body.data.results).toHaveLength(1);
    expect((await get(three.pdf.url)).status).toBe(200);
  });
});

describe('deleting and downgrading', () => {
  it('removes a deleted record’s files from storage', async () => {
    const four = await record('4');
    const uploads = path.join(app.strapi.dirs.static.public, 'uploads');
    const onDisk = (url: string) => fs.existsSync(path.join(uploads, path.basename(url)));
    expect(onDisk(four.pdf.url)).toBe(true);
    expect((await app.admin('delete', `/certify/events/${eventId}/records/${four.documentId}`)).status).toBe(200);
    expect(onDisk(four.pdf.url)).toBe(false);
    expect(onDisk(four.shareImage.url)).toBe(false);
    expect(await app.strapi.db.query('plugin::upload.file').findOne({ where: { id: four.pdf.id } })).toBeNull();
    expect((await get(four.pdf.url)).status).toBe(404);
  });

  it('stops serving the files when the organisation loses the plan, without naming it', async () => {
    const two = await record('2');
    expect((await get(two.pdf.url)).status).toBe(200);
    const event = await app.strapi.db.query('api::event.event').findOne({ where: { documentId: eventId }, populate: { organisation: true } });
    await app.strapi.db.query('api::organisation.organisation').update({ where: { id: event.organisation.id }, data: { plan: 'trial' } });
    try {
      const file = await get(two.pdf.url);
      expect(file.status).toBe(404);
      expect(file.text).not.toMatch(/trial|pro|plan/i);
      const verify = await get(`/api/certify/certificates/${two.verificationCode}`);
      expect(verify.status).toBe(404);
      expect(JSON.stringify(verify.body)).not.toMatch(/trial|enterprise|plan/i);
    } finally {
      await app.strapi.db.query('api::organisation.organisation').update({ where: { id: event.organisation.id }, data: { plan: 'pro' } });
    }
    expect((await get(two.pdf.url)).status).toBe(200);
  });
});

describe('GraphQL', () => {
  const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const req = app.http().post('/graphql');
    if (token) req.set('Authorization', `Bearer ${token}`);
    return req.send({ query, variables });
  };
  const FIELDS = 'code bib name category finishTime event { name slug date } issuedAt correctedAt pdfUrl imageUrl verifyUrl photos { documentId url caption } history { correctedOn }';

  it('shows exactly what the finder shows, with any token: no locked, unpublished or revoked certificate, no private field', async () => {
    const { accessKey: token } = await app.strapi.service('admin::api-token').create({ name: `ro-${Date.now()}`, type: 'read-only', lifespan: null } as any);
    const one = await record('1');
    await app.admin('post', `/certify/events/${eventId}/records/${one.documentId}/revoke`).send({ reason: 'Wrong result' });
    // An unpublished record of the same event, and a published certificate of a locked event.
    await app.strapi.documents(RECORD as any).create({ data: { event: eventId, bib: '99', name: 'Not Published' } as any });
    const locked = await app.createEvent({ plan: 'trial' });
    try {
      for (const auth of [undefined, token]) {
        const finder = await get(`/api/certify/events/${slug}/certificates?bib=2`);
        const byBib = await gql(`query($e: String!) { certifyCertificates(event: $e, bib: "2") { results { ${FIELDS} } } }`, { e: slug }, auth);
        expect(byBib.body.errors).toBeUndefined();
        expect(byBib.body.data.certifyCertificates.results).toEqual(finder.body.data.results);
        expect(Object.keys(byBib.body.data.certifyCertificates.results[0]).sort()).toEqual(Object.keys(finder.body.data.results[0]).sort());
        for (const bib of ['1', '99']) {
          const hidden = await gql(`query($e: String!, $b: String) { certifyCertificates(event: $e, bib: $b) { results { bib } } }`, { e: slug, b: bib }, auth);
          expect(hidden.body.data.certifyCertificates.results).toEqual([]);
        }
        const revoked = await gql(`query($c: String!) { certifyCertificate(code: $c) { bib } }`, { c: one.verificationCode }, auth);
        expect(revoked.body.data.certifyCertificate).toBeNull();
        expect(revoked.body.errors[0].message).toMatch(/revoked/);
        const closed = await gql(`query($e: String!) { certifyCertificates(event: $e, bib: "1") { results { bib } } }`, { e: locked.slug }, auth);
        expect(closed.body.data.certifyCertificates).toBeNull();
        expect(JSON.stringify(closed.body.errors)).not.toMatch(/trial|enterprise|plan/i);
      }
      // No field of the record type beyond the finder's can even be asked for.
      const privateField = await gql(`query($e: String!) { certifyCertificates(event: $e, bib: "2") { results { email extra verificationCode } } }`, { e: slug }, token);
      expect(privateField.status).toBe(400);
    } finally {
      await app.admin('post', `/certify/events/${eventId}/records/${one.documentId}/reinstate`).send({});
    }
  });
});
