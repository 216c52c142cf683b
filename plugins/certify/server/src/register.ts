import type { Core } from '@strapi/strapi';
import { ACTIONS, UID } from './constants';
import { registerDocumentMiddlewares } from './middlewares/documents';
import { registerMigrations } from './migrations';
import { registerCertificateFileGate } from './middlewares/certificate-files';
import { registerPushBodyReader } from './middlewares/push-body';
import { WEBHOOK_EVENTS } from './services/publish';

const register = async ({ strapi }: { strapi: Core.Strapi }) => {
  await strapi.service('admin::permission').actionProvider.registerMany(ACTIONS);

  registerMigrations(strapi);
  registerDocumentMiddlewares(strapi);
  registerCertificateFileGate(strapi);
  registerPushBodyReader(strapi);
  // Integrators can subscribe webhooks to publish events (emitted by services/publish).
  for (const [key, event] of Object.entries(WEBHOOK_EVENTS)) strapi.get('webhookStore').addAllowedEvent(`CERTIFY_${key}`, event);

  if (strapi.plugin('graphql')) {
    const extension = strapi.plugin('graphql').service('extension');
    // Internal bookkeeping is not part of the public API.
    extension.shadowCRUD(UID.job).disable();
    extension.shadowCRUD(UID.publishRun).disable();
    extension.shadowCRUD(UID.source).disable();
    extension.shadowCRUD(UID.template).disable();
    // Records are readable (finder, verify) but only written through the admin API.
    extension.shadowCRUD(UID.record).disableMutations();
    for (const field of ['email', 'emailedHash', 'emailError', 'lastError', 'history', 'dataHash', 'renderedHash', 'searchName']) {
      extension.shadowCRUD(UID.record).field(field).disable();
    }
  }
};

export default register;
