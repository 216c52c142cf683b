import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { newVerificationCode, recordDataHash, RECORD_DATA_FIELDS } from '../utils/hash';

/**
 * Document Service middlewares. They keep derived record fields right (verification code, data
 * hash) and never do slow work inside the write: rendering is queued by the publisher.
 */
export const registerDocumentMiddlewares = (strapi: Core.Strapi) => {
  strapi.documents.use(async (context, next) => {
    if (context.uid !== UID.record) return next();

    if (context.action === 'create') {
      const data = ((context.params as any).data ??= {});
      data.verificationCode ||= newVerificationCode();
      data.dataHash = recordDataHash(data);
    } else if (context.action === 'update') {
      const params = context.params as any;
      const data = params.data ?? {};
      if (RECORD_DATA_FIELDS.some((f) => f in data)) {
        const current = await strapi.db.query(UID.record).findOne({ where: { documentId: params.documentId } });
        if (current) data.dataHash = recordDataHash({ ...current, ...data });
      }
    }
    return next();
  });
};
