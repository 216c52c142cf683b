import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { getConfig, getService } from '../utils';
import { newVerificationCode, recordDataHash, RECORD_DATA_FIELDS } from '../utils/hash';
import { parseTime } from '../../../shared/time';
import { searchName } from '../services/search';

type Data = Record<string, unknown>;
type PhotoRow = Record<string, unknown> | null;

const NAME_FIELDS = ['name', 'firstName', 'lastName'];

/**
 * Announced by the importer once per committed import: it writes records with bulk SQL, which
 * the Document Service (and so the middlewares below) never sees.
 */
export const RECORDS_IMPORTED = 'certify.records.imported';
export interface RecordsImported {
  eventId: string;
  documentIds: string[];
}

type FileRef = { id?: number } | null | undefined;
type RecordFiles = { pdf?: FileRef; shareImage?: FileRef; history?: Array<{ pdf?: FileRef; image?: FileRef }> | null };

/** Removes a record's certificate files (with their history) from the media library and storage. */
const removeFiles = async (strapi: Core.Strapi, record: RecordFiles) => {
  const ids = new Set<number>();
  for (const f of [record.pdf, record.shareImage, ...(record.history ?? []).flatMap((h) => [h?.pdf, h?.image])]) if (f?.id) ids.add(f.id);
  const upload = strapi.plugin('upload').service('upload');
  for (const id of ids) {
    const file = await strapi.db.query('plugin::upload.file').findOne({ where: { id } });
    if (file) await upload.remove(file);
  }
};

/** Side work after a write: logged, never failing the user's write. */
const afterWrite = async (strapi: Core.Strapi, what: string, work: () => Promise<unknown>) => {
  try {
    await work();
  } catch (err) {
    strapi.log.warn(`[certify] ${what} after a write failed: ${(err as Error).message}`);
  }
};

/**
 * The one place that turns "this changed" into work on certificates. Document Service
 * middlewares keep derived record fields right (verification code, data hash) and, once an event
 * has been published, ask the publisher to re-render exactly what a record or template change
 * made stale; an import says so through one event. A photo write updates the records' links to
 * their photos and re-renders the certificates whose photo it changed. Nothing slow happens
 * inside the write itself.
 */
export const registerDocumentMiddlewares = (strapi: Core.Strapi) => {
  const publish = () => getService(strapi, 'publish');

  strapi.eventHub.on(RECORDS_IMPORTED, async ({ eventId, documentIds }: RecordsImported) => {
    if (!documentIds.length) return;
    // The records are stored; a publisher hiccup must not turn a good import into an error.
    await afterWrite(strapi, 'queueing the imported records', () => publish().onRecordsChanged(eventId, documentIds));
  });

  strapi.documents.use(async (context, next) => {
    if (context.uid !== UID.record || context.action !== 'delete') return next();
    // A deleted record's certificates leave storage too (current files and earlier versions).
    const documentId = (context.params as { documentId?: string }).documentId;
    const before = documentId
      ? ((await strapi.db.query(UID.record).findOne({ where: { documentId }, populate: { pdf: true, shareImage: true } })) as RecordFiles | null)
      : null;
    const result = await next();
    // Files leave storage only once the deletion is committed: inside a bulk delete (one
    // transaction) after its commit; otherwise now, before the request is answered.
    if (before) {
      const remove = () => afterWrite(strapi, 'removing the deleted record’s files', () => removeFiles(strapi, before));
      if (strapi.db.inTransaction()) await strapi.db.transaction(async ({ onCommit }) => onCommit(remove));
      else await remove();
    }
    return result;
  });

  strapi.documents.use(async (context, next) => {
    if (context.uid !== UID.record || !['create', 'update'].includes(context.action)) return next();
    const params = context.params as { data?: Data; documentId?: string };
    let eventId: string | null = null;
    let changed = false;
    // The name search index of this record, rewritten in the write's transaction.
    let indexed: { event: string; searchName: string } | null = null;
    // A time written without its seconds (Content Manager, scripts) gets them, as an import would:
    // pace, time behind the winner and sorting read the seconds.
    const data0 = params.data;
    if (data0 && 'finishTime' in data0 && data0.finishSeconds === undefined) {
      data0.finishSeconds = parseTime(typeof data0.finishTime === 'string' ? data0.finishTime : data0.finishTime == null ? null : String(data0.finishTime)) ?? null;
    }
    if (context.action === 'create') {
      const data = (params.data ??= {});
      data.verificationCode ||= newVerificationCode();
      data.dataHash = recordDataHash(data);
      const name = searchName(data as Parameters<typeof searchName>[0]);
      data.searchName = name;
      eventId = (data.event as string | undefined) ?? null;
      if (eventId) indexed = { event: eventId, searchName: name };
      changed = true;
    } else {
      const data = params.data ?? {};
      if (RECORD_DATA_FIELDS.some((f) => f in data) || 'template' in data) {
        const current = await strapi.db.query(UID.record).findOne({ where: { documentId: params.documentId } });
        if (current) {
          data.dataHash = recordDataHash({ ...current, ...data });
          eventId = current.event;
          changed = true;
          if (NAME_FIELDS.some((f) => f in data)) {
            const name = searchName({ ...current, ...data });
            data.searchName = name;
            indexed = { event: current.event, searchName: name };
          }
        }
      }
    }
    const result = indexed
      ? await strapi.db.transaction(async ({ trx }) => {
          const written = await next();
          const id = (written as { id?: number } | null)?.id;
          if (id) await getService(strapi, 'search').index(trx, [{ id, ...indexed! }]);
          return written;
        })
      : await next();
    const documentId = (result as { documentId?: string } | null)?.documentId ?? params.documentId;
    if (changed && eventId && documentId) {
      await afterWrite(strapi, 'queueing the changed record', () => publish().onRecordsChanged(eventId!, [documentId]));
    }
    return result;
  });

  strapi.documents.use(async (context, next) => {
    if (context.uid !== UID.template || !['create', 'update'].includes(context.action)) return next();
    const result = await next();
    const eventId = (result as { event?: string } | null)?.event;
    if (eventId) await afterWrite(strapi, 'queueing the template’s records', () => publish().onTemplateChanged(eventId));
    return result;
  });

  strapi.documents.use(async (context, next) => {
    const { photo } = getConfig(strapi);
    if (context.uid !== photo.uid || !['create', 'update', 'delete'].includes(context.action)) return next();
    const params = context.params as { documentId?: string };
    const read = async (documentId: string | undefined): Promise<PhotoRow> =>
      documentId
        ? strapi.db.query(photo.uid as Parameters<typeof strapi.db.query>[0]).findOne({ where: { documentId }, populate: { [photo.eventField]: true } })
        : null;
    const before = await read(params.documentId);
    const result = await next();
    await afterWrite(strapi, 'linking photos to records', async () => {
      const after = context.action === 'delete' ? null : await read((result as { documentId?: string } | null)?.documentId ?? params.documentId);
      const byEvent = new Map<string, string[]>();
      for (const p of [before, after]) {
        const eventId = (p?.[photo.eventField] as { documentId?: string } | undefined)?.documentId;
        const tagged = p?.[photo.bibsField];
        const bibs = Array.isArray(tagged) ? tagged.map(String) : [];
        if (eventId && bibs.length) byEvent.set(eventId, [...(byEvent.get(eventId) ?? []), ...bibs]);
      }
      for (const [eventId, bibs] of byEvent) {
        // A certificate showing a photo is made again when its participant's chosen photo changed.
        const changed = await publish().refreshPhotoLinks(eventId, bibs);
        if (changed.length) await publish().onRecordsChanged(eventId, changed);
      }
    });
    return result;
  });
};
