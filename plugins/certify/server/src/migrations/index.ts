import type { Core } from '@strapi/strapi';

type Knex = Core.Strapi['db']['connection'];
type Db = Core.Strapi['db'];

/**
 * Schema changes Strapi's sync cannot make by itself. They run inside Strapi's migration runner
 * (once each, recorded in `strapi_migrations_internal`) before the schema is synchronised, so the
 * sync sees the data where the content types now expect it instead of dropping it.
 */
const migrations = [
  {
    // The job table held render and email jobs under the name `render-job`; it is `job` now.
    // Renaming keeps the queued work of a deployment that is upgraded in the middle of a run.
    name: 'certify::rename-render-jobs-to-jobs',
    async up(trx: Knex, db: Db) {
      const schemaName = db.getSchemaName();
      const schema = () => (schemaName ? trx.schema.withSchema(schemaName) : trx.schema);
      if (!(await schema().hasTable('certify_render_jobs')) || (await schema().hasTable('certify_jobs'))) return;
      await schema().renameTable('certify_render_jobs', 'certify_jobs');
    },
    async down() {
      throw new Error('Certify migrations are not reversible.');
    },
  },
];

export const registerMigrations = (strapi: Core.Strapi) => {
  for (const migration of migrations) strapi.db.migrations.providers.internal.register(migration);
};
