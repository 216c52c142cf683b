import type { Core } from '@strapi/strapi';
import { ACTIONS } from './constants';
import { registerDocumentMiddlewares } from './middlewares/documents';
import { registerMigrations } from './migrations';
import { registerGraphql } from './graphql';
import { registerCertificateFileGate } from './middlewares/certificate-files';
import { registerImportBodyLimit, registerPushBodyReader } from './middlewares/push-body';
import { registerRateLimits } from './middlewares/rate-limit';
import { registerParticipantRoutes } from './middlewares/participant-routes';
import { WEBHOOK_EVENTS } from './services/publish';
import { guardConnectionSetup } from './utils/db-connections';

const register = async ({ strapi }: { strapi: Core.Strapi }) => {
  guardConnectionSetup(strapi);
  await strapi.service('admin::permission').actionProvider.registerMany(ACTIONS);

  registerMigrations(strapi);
  registerDocumentMiddlewares(strapi);
  registerCertificateFileGate(strapi);
  registerRateLimits(strapi);
  registerParticipantRoutes(strapi);
  registerPushBodyReader(strapi);
  registerImportBodyLimit(strapi);
  // Integrators can subscribe webhooks to publish events (emitted by services/publish).
  for (const [key, event] of Object.entries(WEBHOOK_EVENTS)) strapi.get('webhookStore').addAllowedEvent(`CERTIFY_${key}`, event);

  registerGraphql(strapi);
};

export default register;
