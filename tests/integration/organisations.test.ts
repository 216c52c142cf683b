/**
 * Organisations: organisers whose role carries the condition "Is a member of the event's
 * organisation" act only on their organisations' events, through every admin route; a Super Admin
 * and a role without the condition act on all of them.
 */
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
    it(`${who} lists, reads, changes, exports and publishes every organisation’s events`, async () => {
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
