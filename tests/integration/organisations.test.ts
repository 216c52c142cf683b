/**
 * Organisations: organisers whose role carries the condition "Is a member of the event's
 * organisation" act only on their organisations' events, through every admin route; a Super Admin
 * and a role without the condition act on all of them.
 * Inside one app, a template shows only media its event’s organisation may use, a record points
 * only at its own event’s template and source, and previewing a draft is a design action.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { setupApp, type TestApp } from '../helpers/app';
import adminRoutes from '../../plugins/certify/server/src/routes/admin';
import { ACTION_IDS, ORGANISATION_CONDITION } from '../../plugins/certify/shared/permissions';

jest.setTimeout(180_000);

const ALL_ACTIONS = [ACTION_IDS.read, ACTION_IDS.design, ACTION_IDS.records, ACTION_IDS.publish, ACTION_IDS.revoke];

interface EventIds {
  eventId: string;
  templateId: string;
  recordId: string;
  sourceId: string;
}

let app: TestApp;
let a: EventIds;
let b: EventIds;
let organiserA: string;
let organiserB: string;
let organiserIds: number[];
let unrestricted: string;
let superAdmin: string;

/** An event of `organisation` with one template, one record and one source (made by the test's Super Admin). */
const seedEvent = async (organisation: string): Promise<EventIds> => {
  const { documentId: eventId } = await app.createEvent({ organisation });
  const base = `/certify/events/${eventId}`;
  const template = await app.admin('post', `${base}/templates`).send({ name: 'T', design: { version: 1, elements: [] } }).expect(201);
  const record = await app.admin('post', `${base}/records`).send({ bib: '1', name: 'Ana Alvarez', finishTime: '1:00:00' }).expect(201);
  const source = await app.admin('post', `${base}/sources`).send({ name: 'Results' });
  expect(source.status).toBeLessThan(300);
  return {
    eventId,
    templateId: template.body.data.documentId,
    recordId: record.body.data.documentId,
    sourceId: (source.body.data.source ?? source.body.data).documentId,
  };
};

/** The route's path with an event's ids in place of its parameters. */
const pathFor = (route: { path: string; handler: string }, ids: EventIds) => {
  const controller = route.handler.split('.')[0];
  const itemId =
    controller === 'templates' ? ids.templateId : controller === 'sources' ? ids.sourceId : ids.recordId;
  return `/certify${route.path}`
    .replace(':eventId', ids.eventId)
    .replace(':id', itemId)
    .replace(':runId', 'run-that-does-not-matter')
    .replace(':importId', 'import-that-does-not-matter');
};

const eventRoutes = adminRoutes.routes.filter((r) => r.path.includes(':eventId'));
const readRoutes = eventRoutes.filter((r) => r.method === 'GET');
const send = (route: { method: string }, path: string, token: string) =>
  app.admin(route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete', path, token).send({});

beforeAll(async () => {
  app = await setupApp();
  const conditions = [ORGANISATION_CONDITION.id];
  const adminA = await app.createAdmin({ actions: ALL_ACTIONS, conditions });
  const adminB = await app.createAdmin({ actions: ALL_ACTIONS, conditions });
  organiserA = adminA.token;
  organiserB = adminB.token;
  organiserIds = [adminA.id, adminB.id];
  unrestricted = (await app.createAdmin({ actions: ALL_ACTIONS })).token;
  superAdmin = (await app.createAdmin({ superAdmin: true })).token;
  const orgA = await app.createOrganisation({ admins: [adminA.id] });
  const orgB = await app.createOrganisation({ admins: [adminB.id] });
  a = await seedEvent(orgA.documentId);
  b = await seedEvent(orgB.documentId);
});

afterAll(async () => {
  await app?.close();
});

describe('organisers with the organisation condition', () => {
  it('registers the condition with Strapi, so roles can carry it', async () => {
    const res = await app.admin('get', '/admin/permissions').expect(200);
    const ids = res.body.data.conditions.map((c: { id: string }) => c.id);
    expect(ids).toContain(ORGANISATION_CONDITION.id);
  });

  it('list only their own organisation’s events in the picker', async () => {
    const listA = await app.admin('get', '/certify/events?pageSize=100', organiserA).expect(200);
    expect(listA.body.results.map((e: { documentId: string }) => e.documentId)).toEqual([a.eventId]);
    expect(listA.body.pagination.total).toBe(1);
    const listB = await app.admin('get', '/certify/events?pageSize=100', organiserB).expect(200);
    expect(listB.body.results.map((e: { documentId: string }) => e.documentId)).toEqual([b.eventId]);
  });

  it('read everything of their own events through every read route', async () => {
    for (const route of readRoutes) {
      const res = await send(route, pathFor(route, a), organiserA);
      // The zip of an event without certificates is a 404 of its own; every other read answers.
      if (route.handler === 'publish.zip') expect([200, 404]).toContain(res.status);
      else expect({ route: route.path, status: res.status }).toEqual({ route: route.path, status: 200 });
    }
  });

  it('get 403 from every admin route of the other organisation’s event, and change nothing there', async () => {
    expect(eventRoutes.length).toBeGreaterThan(30);
    for (const [token, other] of [
      [organiserA, b],
      [organiserB, a],
    ] as const) {
      const answers = [];
      for (const route of eventRoutes) {
        const res = await send(route, pathFor(route, other), token);
        answers.push({ route: `${route.method} ${route.path}`, status: res.status, code: res.body?.error?.details?.code });
      }
      // Every route refused, and by the organisation check (not by a missing id further on).
      expect(answers.filter((x) => x.status !== 403 || x.code !== 'CERTIFY_ORGANISATION_FORBIDDEN')).toEqual([]);
    }
    // Nothing of B changed: its template, record and source are still there.
    await app.admin('get', `/certify/events/${b.eventId}/templates/${b.templateId}`).expect(200);
    const records = await app.admin('get', `/certify/events/${b.eventId}/records`).expect(200);
    expect(records.body.data.map((r: { documentId: string }) => r.documentId)).toEqual([b.recordId]);
    const sources = await app.admin('get', `/certify/events/${b.eventId}/sources`).expect(200);
    expect(JSON.stringify(sources.body)).toContain(b.sourceId);
  });

  it('are picked as members of an organisation in the Content Manager (its relation to admin users)', async () => {
    const res = await app.admin('get', '/content-manager/relations/api::organisation.organisation/admins?pageSize=100').expect(200);
    const ids = res.body.results.map((u: { id: number }) => u.id);
    expect(ids).toEqual(expect.arrayContaining(organiserIds));
  });

  it('lose access as soon as they leave the organisation', async () => {
    const admin = await app.createAdmin({ actions: [ACTION_IDS.read], conditions: [ORGANISATION_CONDITION.id] });
    const org = await app.createOrganisation({ admins: [admin.id] });
    const { documentId: eventId } = await app.createEvent({ organisation: org.documentId });
    await app.admin('get', `/certify/events/${eventId}`, admin.token).expect(200);
    await app.strapi.documents('api::organisation.organisation' as any).update({ documentId: org.documentId, data: { admins: [] } as any });
    const res = await app.admin('get', `/certify/events/${eventId}`, admin.token).expect(403);
    expect(res.body.error.message).toMatch(/not a member of the organisation/);
  });
});

describe('admins without the condition', () => {
  for (const who of ['a Super Admin', 'a role whose permissions have no condition'] as const) {
    it(`${who} lists, reads, changes and exports every organisation’s events and sees their publish state`, async () => {
      const token = who === 'a Super Admin' ? superAdmin : unrestricted;
      const list = await app.admin('get', '/certify/events?pageSize=100', token).expect(200);
      const ids = list.body.results.map((e: { documentId: string }) => e.documentId);
      expect(ids).toEqual(expect.arrayContaining([a.eventId, b.eventId]));
      for (const ev of [a, b]) {
        for (const route of readRoutes) {
          const res = await send(route, pathFor(route, ev), token);
          if (route.handler === 'publish.zip') expect([200, 404]).toContain(res.status);
          else expect({ route: route.path, status: res.status }).toEqual({ route: route.path, status: 200 });
        }
        const base = `/certify/events/${ev.eventId}`;
        await app.admin('put', `${base}/records/${ev.recordId}`, token).send({ name: `Changed by ${who}` }).expect(200);
        const csv = await app.admin('get', `${base}/records/export.csv`, token).expect(200);
        expect(csv.text).toContain(`Changed by ${who}`);
        await app.admin('get', `${base}/publish/summary`, token).expect(200);
      }
    });
  }
});

describe('isolation between events and organisations', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'certify-orgs-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** A PNG in the media library; in an event's certificate folder when `certificateOf` is given. */
  const image = async (name: string, certificateOf?: string) => {
    const data = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toBuffer();
    const media = app.strapi.plugin('certify').service('media') as any;
    if (certificateOf) return media.storeViaUpload(await media.eventFolder(certificateOf, 'Race'), name, 'image/png', data);
    const file = path.join(tmp, name);
    fs.writeFileSync(file, data);
    const [uploaded] = await app.strapi.plugin('upload').service('upload').upload({
      data: { fileInfo: { name } },
      files: { filepath: file, originalFilename: name, mimetype: 'image/png', size: data.length },
    });
    return uploaded;
  };

  const draft = (background: number | null, imageId?: number, placeholderId?: number) => ({
    name: 'Draft',
    background,
    design: {
      version: 1,
      elements: [
        ...(imageId ? [{ id: 'logo', type: 'image', fileId: imageId, x: 10, y: 10, width: 30, height: 20 }] : []),
        ...(placeholderId
          ? [{ id: 'photo', type: 'photo', fallback: 'placeholder', placeholderFileId: placeholderId, x: 50, y: 10, width: 30, height: 30 }]
          : []),
      ],
    },
  });

  it('refuses a template showing a certificate or a photo of another organisation’s event, with a clear 403', async () => {
    const othersCertificate = await image('others-certificate.png', b.eventId);
    const othersPhoto = await image('others-photo.png');
    await app.strapi.documents('api::photo.photo' as any).create({ data: { event: b.eventId, image: othersPhoto.id, bibs: ['1'] } as any });
    const base = `/certify/events/${a.eventId}/templates`;
    for (const [what, body] of [
      ['background', draft(othersCertificate.id)],
      ['image element', draft(null, othersCertificate.id)],
      ['photo as background', draft(othersPhoto.id)],
      ['photo placeholder', draft(null, undefined, othersCertificate.id)],
    ] as const) {
      for (const [route, res] of [
        ['preview', await app.admin('post', `${base}/draft/preview`, organiserA).send({ template: body, format: 'png' })],
        ['create', await app.admin('post', base, organiserA).send(body)],
        ['update', await app.admin('put', `${base}/${a.templateId}`, organiserA).send(body)],
        // Not even a Super Admin renders another organisation's certificate into this event's template.
        ['preview by a Super Admin', await app.admin('post', `${base}/draft/preview`, superAdmin).send({ template: body, format: 'png' })],
      ] as const) {
        expect({ what, route, status: res.status, code: res.body?.error?.details?.code }).toEqual({ what, route, status: 403, code: 'CERTIFY_MEDIA_FORBIDDEN' });
        expect(res.body.error.message).toMatch(/belongs to an event of another organisation/);
        const field = { 'image element': 'design.elements.0.fileId', 'photo placeholder': 'design.elements.0.placeholderFileId' }[what as string];
        expect(res.body.error.details.field).toBe(field ?? 'background');
      }
    }
  });

  it('accepts ordinary media and the certificates of its own organisation’s events', async () => {
    const logo = await image('logo.png');
    const { documentId: sibling } = await app.createEvent({ organisation: (await app.strapi.documents('api::event.event' as any).findOne({ documentId: a.eventId, populate: ['organisation'] })).organisation.documentId });
    const siblingCertificate = await image('sibling-certificate.png', sibling);
    const ownCertificate = await image('own-certificate.png', a.eventId);
    const base = `/certify/events/${a.eventId}/templates`;
    for (const body of [draft(logo.id, logo.id, logo.id), draft(siblingCertificate.id), draft(null, ownCertificate.id)]) {
      const res = await app.admin('post', `${base}/draft/preview`, organiserA).send({ template: body, format: 'png' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/image\/png/);
    }
    await app.admin('post', base, organiserA).send(draft(logo.id)).expect(201);
  });

  it('refuses a record that points at another event’s template or source, on create and on update', async () => {
    const records = `/certify/events/${a.eventId}/records`;
    for (const [field, foreign] of [
      ['template', b.templateId],
      ['source', b.sourceId],
    ] as const) {
      const created = await app.admin('post', records).send({ bib: `x-${field}`, name: 'X', [field]: foreign });
      expect(created.status).toBe(400);
      expect(created.body.error.message).toBe(`${field}: "${foreign}" is not one of this event's ${field}s; pick one of the event's own ${field}s`);
      const updated = await app.admin('put', `${records}/${a.recordId}`).send({ [field]: foreign });
      expect(updated.status).toBe(400);
      expect(updated.body.error.details.field).toBe(field);
    }
    const own = await app.admin('post', records).send({ bib: 'own-links', name: 'Own', template: a.templateId, source: a.sourceId }).expect(201);
    expect(own.body.data.documentId).toBeTruthy();
    await app.admin('put', `${records}/${a.recordId}`).send({ template: a.templateId, source: a.sourceId }).expect(200);
  });

  it('does not let a read-only role preview drafts (a design action), while it still sees saved templates', async () => {
    const reader = await app.adminWithActions([ACTION_IDS.read]);
    const base = `/certify/events/${a.eventId}/templates`;
    for (const id of ['draft', a.templateId]) {
      const res = await app.admin('post', `${base}/${id}/preview`, reader).send({ template: draft(null), format: 'png' });
      expect(res.status).toBe(403);
    }
    await app.admin('get', `${base}/${a.templateId}`, reader).expect(200);
    const saved = await app.admin('get', `${base}/${a.templateId}/preview?format=png`, reader).expect(200);
    expect(saved.headers['content-type']).toMatch(/image\/png/);
  });
});
