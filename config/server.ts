import type { Core } from '@strapi/strapi';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  app: {
    keys: env.array('APP_KEYS', ['certifyDevKeyA==', 'certifyDevKeyB==']),
  },
  webhooks: {
    populateRelations: env.bool('WEBHOOKS_POPULATE_RELATIONS', false),
  },
  // The public folder (uploads live in <public>/uploads) can be moved, e.g. per test run.
  dirs: { public: env('PUBLIC_DIR', './public') },
});

export default config;
