/**
 * Upgrading a database written before the job table was renamed (`certify_render_jobs` →
 * `certify_jobs`): the migration runs before Strapi's schema sync, so queued work survives the
 * upgrade instead of being dropped with the old table.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { bootStrapi } = require('../helpers/boot');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { isPostgres, pgQuery } = require('../helpers/db');

it('keeps the queued jobs of a database from before the job table was renamed', async () => {
  const pg = isPostgres();
  const id = crypto.randomBytes(4).toString('hex');
  const sqliteFile = pg ? undefined : path.join(os.tmpdir(), `certify-migrate-${id}.db`);
  const pgSchema = pg ? `t_mig_${id}` : undefined;
  if (pgSchema) await pgQuery(`CREATE SCHEMA "${pgSchema}"`);

  const env = { CERTIFY_QUEUE_IN_PROCESS: 'false' };
  let { strapi, cleanup } = await bootStrapi({ sqliteFile, pgSchema, env });
  const now = new Date();
  await strapi.db.connection('certify_jobs').insert({
    document_id: `mig${id}`, event: 'ev-before', run: null, kind: 'render', record_id: 'rec-before', version: 'v1',
    key: `render:rec-before:v1:${id}`, status: 'queued', attempts: 0, created_at: now, updated_at: now,
  });
  // Make the database what an earlier version left: the old table, tracked in Strapi's stored schema, no migration run.
  await strapi.db.connection.schema.renameTable('certify_jobs', 'certify_render_jobs');
  const stored = await strapi.db.connection('strapi_database_schema').first();
  const text = (typeof stored.schema === 'string' ? stored.schema : JSON.stringify(stored.schema)).replace(/certify_jobs/g, 'certify_render_jobs');
  await strapi.db.connection('strapi_database_schema').where({ id: stored.id }).update({ schema: pg ? JSON.parse(text) : text });
  await strapi.db.connection('strapi_migrations_internal').where({ name: 'certify::rename-render-jobs-to-jobs' }).del();
  await strapi.destroy();
  await cleanup({ keepDatabase: true });

  ({ strapi, cleanup } = await bootStrapi({ sqliteFile, pgSchema, env, fresh: true }));
  try {
    const jobs = await strapi.db.connection('certify_jobs').where({ key: `render:rec-before:v1:${id}` });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: 'queued', record_id: 'rec-before' });
    expect(await strapi.db.connection.schema.hasTable('certify_render_jobs')).toBe(false);
    // The queue works the migrated table.
    expect(await strapi.plugin('certify').service('queue').openJobs('none')).toBe(0);
  } finally {
    await strapi.destroy();
    await cleanup();
    if (pgSchema) await pgQuery(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
  }
});
