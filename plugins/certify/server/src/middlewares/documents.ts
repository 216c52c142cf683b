import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { getConfig, getService } from '../utils';
import { newVerificationCode, recordDataHash, RECORD_DATA_FIELDS } from '../utils/hash';
import { searchName } from '../services/search';

type AnyRecord = Record<string, any>;

const NAME_FIELDS = ['name', 'firstName', 'lastName'];

/** Side work after a write: logged, never failing the user's write. */
const afterWrite = async (strapi: Core.Strapi, what: string, work: () => Promise<unknown>) => {
  try {
    await work();
  } catch (err) {
    strapi.log.warn(`[certify] ${what} after a write failed: ${(err as Error).message}`);
  }
};

/**
 * Document Service middlewares. They keep derived record fields right (verification code, data
 * hash) and never do slow work inside the write: once an event has been published, a changed
 * record or template only enqueues re-rendering, and a photo write only updates the records'
 * JSON links to their photos.
 */
export const registerDocumentMiddlewares = (strapi: Core.Strapi) => {
  strapi.documents.use(async (context, next) => {
    if (context.uid !== UID.record) return next();

    let eventId: string | null = null;
    let dataChanged = false;
    // The name search index of this record, rewritten in the write's transaction.
    let indexed: { event: string; searchName: string } | null = null;
    if (context.action === 'create') {
      const data = ((context.params as any).data ??= {});
      data.verificationCode ||= newVerificationCode();
      data.dataHash = recordDataHash(data);
      data.searchName = searchName(data);
      eventId = data.event ?? null;
      if (eventId) indexed = { event: eventId, searchName: data.searchName };
    } else if (context.action === 'update') {
      const params = context.params as any;
      const data = params.data ?? {};
      if (RECORD_DATA_FIELDS.some((f) => f in data) || 'template' in data) {
        const current = await strapi.db.query(UID.record).findOne({ where: { documentId: params.documentId } });
        if (current) {
          data.dataHash = recordDataHash({ ...current, ...data });
          eventId = current.event;
          dataChanged = true;
          if (NAME_FIELDS.some((f) => f in data)) {
            data.searchName = searchName({ ...current, ...data });
            indexed = { event: data.event ?? current.event, searchName: data.searchName };
          }
        }
      }
    }
    const result: any = indexed
      ? await strapi.db.transaction(async ({ trx }) => {
          const written: any = await next();
          if (written?.id) await getService(strapi, 'search').index(trx, [{ id: written.id, ...indexed! }]);
          return written;
        })
      : await next();
    if (context.action === 'create' && result?.documentId && eventId) {
      await afterWrite(strapi, 'queueing the new record', () =>
        getService(strapi, 'publish').onRecordsChanged(eventId!, [result.documentId])
      );
    } else if (dataChanged && eventId) {
      const documentId = (context.params as any).documentId;
      await afterWrite(strapi, 'queueing the changed record', () => getService(strapi, 'publish').onRecordsChanged(eventId!, [documentId]));
    }
    return result;
  });

  strapi.documents.use(async (context, next) => {
    if (context.uid !== UID.template || context.action !== 'update') return next();
    const result: any = await next();
    if (result?.event) {
      await afterWrite(strapi, 'queueing the template’s records', () =>
        getService(strapi, 'publish').onTemplateChanged(result.event, result.documentId)
      );
    }
    return result;
  });

  strapi.documents.use(async (context, next) => {
    const { photo } = getConfig(strapi);
    if (context.uid !== photo.uid || !['create', 'update', 'delete'].includes(context.action)) return next();
    const read = async (documentId: string | undefined): Promise<AnyRecord | null> =>
      documentId
        ? strapi.db.query(photo.uid as any).findOne({ where: { documentId }, populate: { [photo.eventField]: true } })
        : null;
    const before = await read((context.params as any).documentId);
    const result: any = await next();
    await afterWrite(strapi, 'linking photos to records', async () => {
      const after = context.action === 'delete' ? null : await read(result?.documentId ?? (context.params as any).documentId);
      const byEvent = new Map<string, string[]>();
      for (const p of [before, after]) {
        const eventId = p?.[photo.eventField]?.documentId;
        const bibs = Array.isArray(p?.[photo.bibsField]) ? p![photo.bibsField].map(String) : [];
        if (eventId && bibs.length) byEvent.set(eventId, [...(byEvent.get(eventId) ?? []), ...bibs]);
      }
      for (const [eventId, bibs] of byEvent) await getService(strapi, 'publish').refreshPhotoLinks(eventId, bibs);
    });
    return result;
  });
};
