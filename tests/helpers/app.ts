/**
 * Integration-test harness: a booted Strapi on its own database, HTTP through supertest, and
 * helpers to create admins (with exactly the RBAC actions a test wants), organisations and events.
 */
import request from 'supertest';
import type { Core } from '@strapi/strapi';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { bootStrapi } = require('./boot');

export type Plan = 'trial' | 'payg' | 'pro' | 'enterprise';

export interface TestApp {
  strapi: Core.Strapi;
  http: () => request.Agent;
  /** Token of a super admin (every action). */
  adminToken: string;
  /** Admin with only the given Certify actions (e.g. ['plugin::certify.read']). */
  adminWithActions(actions: string[]): Promise<string>;
  /**
   * An admin user with a role of its own: the given actions, each carrying `conditions` (e.g. the
   * organisation condition), or the Super Admin role. Logged in through /admin/login.
   */
  createAdmin(opts: { actions?: string[]; conditions?: string[]; superAdmin?: boolean }): Promise<{ id: number; token: string }>;
  /** An organisation on a plan, with the given admin users as its members. */
  createOrganisation(opts?: { plan?: Plan; admins?: number[] }): Promise<{ documentId: string }>;
  /** An event, of a new organisation on `plan` (none when null) or of an existing `organisation`. */
  createEvent(opts?: { plan?: Plan | null; name?: string; slug?: string; organisation?: string }): Promise<{ documentId: string; slug: string }>;
  /** GET/POST/... on an admin route with a bearer token. */
  admin(method: 'get' | 'post' | 'put' | 'patch' | 'delete', url: string, token?: string): request.Test;
  close(): Promise<void>;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

const PASSWORD = 'Certify-Test-1234';

async function createAdminUser(strapi: Core.Strapi, roleIds: number[]) {
  const email = `${unique('admin')}@example.com`;
  await strapi.service('admin::user').create({
    email,
    firstname: 'Test',
    lastname: 'Admin',
    password: PASSWORD,
    isActive: true,
    registrationToken: null,
    roles: roleIds,
  });
  return email;
}

async function login(strapi: Core.Strapi, email: string): Promise<string> {
  const res = await request(strapi.server.httpServer).post('/admin/login').send({ email, password: PASSWORD });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.token ?? res.body.data.accessToken;
}

export async function setupApp(env: Record<string, string> = {}): Promise<TestApp> {
  const { strapi, cleanup } = await bootStrapi({ env });
  const superAdminRole = await strapi.service('admin::role').getSuperAdminWithUsersCount?.() ??
    (await strapi.service('admin::role').getSuperAdmin());
  const adminToken = await login(strapi, await createAdminUser(strapi, [superAdminRole.id]));
  const http = () => request.agent(strapi.server.httpServer);

  const app: TestApp = {
    strapi,
    http,
    adminToken,
    async adminWithActions(actions) {
      return (await app.createAdmin({ actions })).token;
    },
    async createAdmin({ actions = [], conditions = [], superAdmin = false }) {
      let roleId = superAdminRole.id;
      if (!superAdmin) {
        const role = await strapi.service('admin::role').create({ name: unique('role'), description: 'test role' });
        await strapi.service('admin::role').assignPermissions(
          role.id,
          actions.map((action) => ({ action, subject: null, properties: {}, conditions }))
        );
        roleId = role.id;
      }
      const email = await createAdminUser(strapi, [roleId]);
      const user = await strapi.db.query('admin::user').findOne({ where: { email } });
      return { id: user.id as number, token: await login(strapi, email) };
    },
    async createOrganisation({ plan = 'pro', admins = [] } = {}) {
      const org = await strapi.documents('api::organisation.organisation' as any).create({
        data: { name: unique('Org'), plan, admins } as any,
      });
      return { documentId: org.documentId as string };
    },
    async createEvent({ plan = 'pro', name, slug, organisation } = {}) {
      const org = organisation ? { documentId: organisation } : plan === null ? null : await app.createOrganisation({ plan });
      const eventSlug = slug ?? unique('event').toLowerCase();
      const event = await strapi.documents('api::event.event' as any).create({
        data: {
          name: name ?? `Race ${eventSlug}`,
          slug: eventSlug,
          date: '2026-10-04',
          location: 'Athens',
          ...(org ? { organisation: org.documentId } : {}),
        } as any,
      });
      return { documentId: event.documentId as string, slug: eventSlug };
    },
    admin(method, url, token = adminToken) {
      return http()[method](url).set('Authorization', `Bearer ${token}`);
    },
    async close() {
      await strapi.destroy();
      await cleanup();
    },
  };
  return app;
}
