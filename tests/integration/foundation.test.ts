import { setupApp, type TestApp } from '../helpers/app';

let app: TestApp;

beforeAll(async () => {
  app = await setupApp();
});

afterAll(async () => {
  await app?.close();
});

describe('plan gating', () => {
  it.each(['trial', 'payg'] as const)('refuses an event whose organisation is on %s, with the code and how to upgrade', async (plan) => {
    const event = await app.createEvent({ plan });
    const res = await app.admin('get', `/certify/events/${event.documentId}/setup-state`);
    expect(res.status).toBe(403);
    expect(res.body.error.details.code).toBe('CERTIFY_PLAN_REQUIRED');
    expect(res.body.error.details.plan).toBe(plan);
    expect(res.body.error.message).toMatch(/Pro/);
    // The default hint says what to do without inventing a menu of the host's admin.
    expect(res.body.error.message).toMatch(/subscription/i);
    expect(res.body.error.message).not.toMatch(/Credits|→/);
    expect(res.body.error.details.upgrade).toBeNull();
  });

  it('tells admins of a locked event what the host configured as its upgrade hint and link', async () => {
    const key = 'plugin::certify.upgrade';
    const before = app.strapi.config.get(key);
    app.strapi.config.set(key, { text: 'Upgrade in Billing → Plans.', url: 'https://billing.example.org/plans', linkLabel: 'Open billing' });
    try {
      const event = await app.createEvent({ plan: 'trial' });
      const res = await app.admin('get', `/certify/events/${event.documentId}/setup-state`);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/is on Trial\. Upgrade in Billing → Plans\.$/);
      expect(res.body.error.details.upgrade).toEqual({ url: 'https://billing.example.org/plans', label: 'Open billing' });
    } finally {
      app.strapi.config.set(key, before);
    }
  });

  it('serves the app favicon instead of logging a 500 for it', async () => {
    const res = await app.http().get('/favicon.ico');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/image/);
  });

  it.each(['pro', 'enterprise'] as const)('allows an event whose organisation is on %s', async (plan) => {
    const event = await app.createEvent({ plan });
    const res = await app.admin('get', `/certify/events/${event.documentId}/setup-state`);
    expect(res.status).toBe(200);
    expect(res.body.data.eventId).toBe(event.documentId);
  });

  it('refuses an event without an organisation', async () => {
    const event = await app.createEvent({ plan: null });
    const res = await app.admin('get', `/certify/events/${event.documentId}/sources`);
    expect(res.status).toBe(403);
    expect(res.body.error.details.code).toBe('CERTIFY_PLAN_REQUIRED');
  });

  it('gates writes too, so nothing is stored for a locked event', async () => {
    const event = await app.createEvent({ plan: 'trial' });
    const res = await app.admin('post', `/certify/events/${event.documentId}/sources`).send({ name: 'Results', kind: 'upload' });
    expect(res.status).toBe(403);
    expect(await app.strapi.db.query('plugin::certify.source').count({ where: { event: event.documentId } })).toBe(0);
  });

  it('gates the participant content API as well', async () => {
    const locked = await app.createEvent({ plan: 'payg' });
    const open = await app.createEvent({ plan: 'pro' });
    const refused = await app.http().get(`/api/certify/events/${locked.documentId}/status`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.details.code).toBe('CERTIFY_PLAN_REQUIRED');
    expect((await app.http().get(`/api/certify/events/${open.documentId}/status`)).status).toBe(200);
  });

  it('answers 404 with a code for an unknown event', async () => {
    const res = await app.admin('get', '/certify/events/doesnotexist123/setup-state');
    expect(res.status).toBe(404);
    expect(res.body.error.details.code).toBe('CERTIFY_EVENT_NOT_FOUND');
  });

  it('lists events for the picker with whether Certify is unlocked', async () => {
    const locked = await app.createEvent({ plan: 'trial', name: 'Locked Picker Race' });
    const res = await app.admin('get', '/certify/events?search=Locked%20Picker');
    expect(res.status).toBe(200);
    const found = res.body.results.find((e: any) => e.documentId === locked.documentId);
    expect(found.certifyEnabled).toBe(false);
    expect(found.lockReason).toMatch(/Trial/);
  });
});

describe('RBAC', () => {
  it('registers the Certify actions with the admin permission provider', () => {
    const provider = app.strapi.service('admin::permission').actionProvider;
    for (const action of ['read', 'design', 'records', 'publish', 'settings']) {
      expect(provider.get(`plugin::certify.${action}`)).toBeTruthy();
    }
  });

  it('a role without publish gets 403 from the publish API, while read works', async () => {
    const event = await app.createEvent({ plan: 'pro' });
    const token = await app.adminWithActions(['plugin::certify.read']);
    expect((await app.admin('get', `/certify/events/${event.documentId}/setup-state`, token)).status).toBe(200);
    expect((await app.admin('post', `/certify/events/${event.documentId}/publish`, token)).status).toBe(403);
    expect((await app.admin('post', `/certify/events/${event.documentId}/sources`, token).send({ name: 'x' })).status).toBe(403);
    expect((await app.admin('post', `/certify/events/${event.documentId}/records`, token).send({ bib: '1' })).status).toBe(403);
  });

  it('the 403 names the permission that is missing and where to add it', async () => {
    const event = await app.createEvent({ plan: 'pro' });
    const token = await app.adminWithActions(['plugin::certify.read']);
    const res = await app.admin('post', `/certify/events/${event.documentId}/publish`, token);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/needs the Certify permission "Publish and send certificates" \(plugin::certify\.publish\)/);
    expect(res.body.error.message).toMatch(/Settings → Roles/);
    expect(res.body.error.message).not.toMatch(/Policy Failed/);
    expect(res.body.error.details).toMatchObject({ code: 'CERTIFY_PERMISSION_REQUIRED', actions: ['plugin::certify.publish'] });
    const design = await app.admin('post', `/certify/events/${event.documentId}/sources`, token).send({ name: 'x' });
    expect(design.body.error.details.actions).toEqual(['plugin::certify.design']);
  });

  it('a role without read cannot see the event list', async () => {
    const token = await app.adminWithActions(['plugin::certify.records']);
    expect((await app.admin('get', '/certify/events', token)).status).toBe(403);
  });

  it('anonymous requests to admin routes are refused', async () => {
    const event = await app.createEvent({ plan: 'pro' });
    const res = await app.http().get(`/certify/events/${event.documentId}/setup-state`);
    expect(res.status).toBe(401);
  });
});

describe('setup state', () => {
  it('walks source → template → records, then switches the tabs', async () => {
    const event = await app.createEvent({ plan: 'pro' });
    const url = `/certify/events/${event.documentId}/setup-state`;

    let state = (await app.admin('get', url)).body.data;
    expect(state).toMatchObject({ hasSource: false, hasTemplate: false, hasRecord: false, setupComplete: false, nextStep: 'source' });
    expect(state.tabs).toEqual(['overview', 'setup']);

    expect((await app.admin('post', `/certify/events/${event.documentId}/sources`).send({ name: 'Results', kind: 'upload' })).status).toBe(201);
    state = (await app.admin('get', url)).body.data;
    expect(state).toMatchObject({ hasSource: true, nextStep: 'template', setupComplete: false });

    expect((await app.admin('post', `/certify/events/${event.documentId}/templates`).send({ name: 'Finisher' })).status).toBe(201);
    state = (await app.admin('get', url)).body.data;
    expect(state).toMatchObject({ hasTemplate: true, nextStep: 'records', setupComplete: false });

    expect((await app.admin('post', `/certify/events/${event.documentId}/records`).send({ bib: '101', name: 'Eleni Papadopoulou' })).status).toBe(201);
    state = (await app.admin('get', url)).body.data;
    expect(state).toMatchObject({ hasRecord: true, setupComplete: true, nextStep: null });
    expect(state.tabs).toEqual(['overview', 'certificate', 'records', 'publish']);
  });

  it('counts only the event\'s own sources, templates and records', async () => {
    const a = await app.createEvent({ plan: 'pro' });
    const b = await app.createEvent({ plan: 'pro' });
    await app.admin('post', `/certify/events/${a.documentId}/sources`).send({ name: 'A' });
    const state = (await app.admin('get', `/certify/events/${b.documentId}/setup-state`)).body.data;
    expect(state.hasSource).toBe(false);
  });
});

describe('records', () => {
  it('keeps (event, bib) unique: a second 101 is refused with a clear message', async () => {
    const event = await app.createEvent({ plan: 'pro' });
    const url = `/certify/events/${event.documentId}/records`;
    expect((await app.admin('post', url).send({ bib: '101', name: 'A' })).status).toBe(201);
    const dup = await app.admin('post', url).send({ bib: '101', name: 'B' });
    expect(dup.status).toBe(400);
    expect(dup.body.error.details.code).toBe('CERTIFY_DUPLICATE_BIB');
    expect(dup.body.error.message).toMatch(/101/);
    expect(await app.strapi.db.query('plugin::certify.record').count({ where: { event: event.documentId } })).toBe(1);
  });

  it('lets the same bib exist in two events', async () => {
    const a = await app.createEvent({ plan: 'pro' });
    const b = await app.createEvent({ plan: 'pro' });
    expect((await app.admin('post', `/certify/events/${a.documentId}/records`).send({ bib: '7' })).status).toBe(201);
    expect((await app.admin('post', `/certify/events/${b.documentId}/records`).send({ bib: '7' })).status).toBe(201);
  });

  it('the database itself refuses a duplicate (event, bib), even bypassing the service', async () => {
    const event = await app.createEvent({ plan: 'pro' });
    const q = app.strapi.db.query('plugin::certify.record');
    await q.create({ data: { event: event.documentId, bib: '55', documentId: 'dupcheck1' } });
    const error = await q.create({ data: { event: event.documentId, bib: '55', documentId: 'dupcheck2' } }).then(
      () => null,
      (err: Error) => err
    );
    expect(String(error?.message)).toMatch(/unique|duplicate/i);
  });

  it('gives every record an unguessable verification code and a data hash', async () => {
    const event = await app.createEvent({ plan: 'pro' });
    const res = await app.admin('post', `/certify/events/${event.documentId}/records`).send({ bib: '9', name: 'Ada' });
    expect(res.body.data.verificationCode).toMatch(/^[A-Z2-9]{16}$/);
    expect(res.body.data.dataHash).toMatch(/^[0-9a-f]{32}$/);
  });

  it('rejects a record without a bib, saying what to fix', async () => {
    const event = await app.createEvent({ plan: 'pro' });
    const res = await app.admin('post', `/certify/events/${event.documentId}/records`).send({ name: 'No Bib' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/bib/);
  });
});

describe('internal types stay internal', () => {
  it('hides render jobs and publish runs from the Content Manager', async () => {
    const res = await app.admin('get', '/content-manager/content-types');
    expect(res.status).toBe(200);
    const byUid = Object.fromEntries(res.body.data.map((ct: any) => [ct.uid, ct]));
    for (const uid of ['plugin::certify.job', 'plugin::certify.publish-run', 'plugin::certify.record']) {
      expect(byUid[uid]?.isDisplayed).toBe(false);
    }
    expect(byUid['api::event.event'].isDisplayed).toBe(true);
  });

  it('keeps every Certify content type out of the GraphQL schema; participants query certificates only', async () => {
    const { accessKey: token } = await app.strapi.service('admin::api-token').create({
      name: `gql-${Date.now()}`,
      type: 'full-access',
      lifespan: null,
    } as any);
    const typeNames = async (names: string[]) => {
      const query = `{ ${names.map((n, i) => `t${i}: __type(name: "${n}") { name }`).join(' ')} mutation: __schema { mutationType { fields { name } } queryType { fields { name } } } }`;
      const res = await app.http().post('/graphql').set('Authorization', `Bearer ${token}`).send({ query });
      expect(res.status).toBe(200);
      return res.body.data;
    };
    const data = await typeNames(['CertifyRenderJob', 'CertifyPublishRun', 'CertifySource', 'CertifyTemplate', 'CertifyRecord']);
    expect(data.t0).toBeNull();
    expect(data.t1).toBeNull();
    expect(data.t2).toBeNull();
    expect(data.t3).toBeNull();
    expect(data.t4).toBeNull();
    const mutations = data.mutation.mutationType.fields.map((f: any) => f.name);
    expect(mutations.some((m: string) => /certify/i.test(m))).toBe(false);
    const queries = data.mutation.queryType.fields.map((f: any) => f.name);
    expect(queries.filter((q: string) => /certify/i.test(q)).sort()).toEqual(['certifyCertificate', 'certifyCertificates']);
  });
});
