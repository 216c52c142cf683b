import type { Core } from '@strapi/strapi';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Middlewares => [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  'strapi::query',
  // JSON bodies up to Certify's import limit, so a results file sent as JSON ({ "csv": … } or
  // { "records": […] }) has the same limit as an uploaded file (README, "Configuration").
  { name: 'strapi::body', config: { jsonLimit: env.int('CERTIFY_IMPORT_MAX_BYTES', 50 * 1024 * 1024) } },
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];

export default config;
