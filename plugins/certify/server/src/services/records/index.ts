import { Readable } from 'node:stream';
import type { Core } from '@strapi/strapi';
import type { z } from 'zod';
import { ERROR_CODES } from '../../../../shared/errors';
import { RECORD_DATA_FIELDS, type BulkDeleteResponse, type RecordView, type recordInput, type recordListQuery, type recordPatch } from '../../../../shared/contracts/records';
import type { MediaFileView } from '../../../../shared/contracts/common';
import { UID } from '../../constants';
import { certifyError, documentData, getService } from '../../utils';
import { recordDataHash } from '../../utils/hash';
import { csvLine } from './export';
import { parseTime } from '../import/time';
import { queryWords } from '../search';
import { changedFields, editedFieldsOf, HAND_EDITABLE } from './edits';

/** A record row as the database returns it (timestamps may be Dates, media populated on request). */
export interface StoredRecord extends Omit<RecordView, 'certifiedAt' | 'correctedAt' | 'createdAt' | 'updatedAt' | 'extra'> {
  extra: Record<string, unknown> | null;
  certifiedAt: string | Date | null;
  correctedAt: string | Date | null;
  createdAt: string | Date;
  updatedAt: string | Date;
  renderedHash: string | null;
  emailedHash?: string | null;
  history?: unknown;
  photos?: unknown;
  pdf?: MediaFileView | null;
  shareImage?: MediaFileView | null;
}

type RecordData = z.output<typeof recordInput>;
type RecordChanges = z.output<typeof recordPatch>;

/** A time typed without seconds gets them computed, as an import would; a bad time is refused. */
const withFinishSeconds = <T extends RecordChanges>(data: T): T => {
  if (!('finishTime' in data) || data.finishSeconds !== undefined) return data;
  const seconds = parseTime(data.finishTime ?? null);
  if (seconds === undefined) {
    throw certifyError.validation(`finishTime: "${data.finishTime}" is not a time; use h:mm:ss, mm:ss or seconds`);
  }
  return { ...data, finishSeconds: seconds };
};

/** Columns of the CSV export: the certificate fields (email after the names), then bookkeeping; extra columns follow. */
const [bib, name, firstName, lastName, ...rest] = RECORD_DATA_FIELDS.filter((f) => f !== 'extra');
const EXPORT_COLUMNS = [bib, name, firstName, lastName, 'email', ...rest, 'status', 'verificationCode'] as const;

/** The record as the admin API returns it: without `emailedHash` and `searchName`, which never leave the server. */
const view = <T extends Record<string, unknown>>(doc: T): Omit<T, 'emailedHash' | 'searchName'> => {
  const { emailedHash: _hidden, searchName: _words, ...out } = doc;
  return out;
};

/** A JSON column's value: parsed text on SQLite, an object already on PostgreSQL. */
const jsonOf = (value: unknown): Record<string, unknown> => {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
};

/**
 * Bibs as people read them: all-digit bibs by value (shorter first, then as text, which for equal
 * lengths is numeric order without casting, so "007" stays a bib and huge bibs never overflow),
 * then the others as text. Expressions only on the event's own rows, which the (event, bib) index
 * narrows first; the page limit lets the database keep a top-N sort.
 */
const naturalBibOrder = (client: string, column: string, dir: 'asc' | 'desc') => {
  const digits =
    client === 'postgres' ? `${column} ~ '^[0-9]+$'`
    : client === 'mysql' ? `${column} REGEXP '^[0-9]+$'`
    : `(${column} <> '' AND ${column} NOT GLOB '*[^0-9]*')`;
  return [`CASE WHEN ${digits} THEN 0 ELSE 1 END ${dir}`, `CASE WHEN ${digits} THEN LENGTH(${column}) ELSE 0 END ${dir}`, `${column} ${dir}`].join(', ');
};

/** Records: one per participant of an event, unique by (event, bib). */
const records = ({ strapi }: { strapi: Core.Strapi }) => {
  /** The records table and its column names, for the queries the Document Service cannot express. */
  const columns = () => {
    const meta = strapi.db.metadata.get(UID.record);
    const col = (attribute: string): string => {
      const attr = meta.attributes[attribute];
      return (attr && 'columnName' in attr && attr.columnName) || attribute;
    };
    return { tableName: meta.tableName, col };
  };

  const duplicate = (bib: string) =>
    certifyError.conflict(
      ERROR_CODES.duplicateBib,
      `A record with bib "${bib}" already exists for this event: edit that record or use another bib.`,
      { bib }
    );

  /** A record may point only at its own event's template and source: another event's ids are refused. */
  const checkLinks = async (eventId: string, data: { template?: string | null; source?: string | null }) => {
    for (const [field, uid, kind] of [
      ['template', UID.template, 'templates'],
      ['source', UID.source, 'sources'],
    ] as const) {
      const documentId = data[field];
      if (!documentId) continue;
      const own = await strapi.db.query(uid).findOne({ where: { documentId, event: eventId }, select: ['id'] });
      if (!own) throw certifyError.validation(`${field}: "${documentId}" is not one of this event's ${kind}; pick one of the event's own ${kind}`, { field });
    }
  };

  return {
    async findByBib(eventId: string, bib: string) {
      return strapi.documents(UID.record).findFirst({ filters: { event: eventId, bib } });
    },

    async findOne(eventId: string, documentId: string) {
      const record = await strapi.documents(UID.record).findFirst({ filters: { event: eventId, documentId } });
      if (!record) {
        throw certifyError.notFound(
          ERROR_CODES.recordNotFound,
          `Record "${documentId}" was not found in this event: it may have been deleted; reload the list.`
        );
      }
      return record;
    },

    async create(eventId: string, input: RecordData) {
      const data = withFinishSeconds(input);
      await checkLinks(eventId, data);
      if (await this.findByBib(eventId, data.bib)) throw duplicate(data.bib);
      // A record typed in by hand: every value it was given is a hand edit an import should not silently undo.
      const edited = HAND_EDITABLE.filter((f) => data[f] !== undefined && data[f] !== null && data[f] !== '');
      const mark = edited.length ? { editedAt: new Date(), editedFields: edited } : {};
      let created;
      try {
        created = await strapi.documents(UID.record).create({
          data: documentData(UID.record, { ...data, email: data.email || null, event: eventId, ...mark }),
        });
      } catch (err) {
        // A concurrent insert of the same bib loses at the database's unique index.
        if (await this.findByBib(eventId, data.bib)) throw duplicate(data.bib);
        throw err;
      }
      return created;
    },

    /** A page of the event's records. `search` matches a bib, or the name as the finder does. */
    async list(eventId: string, q: z.output<typeof recordListQuery>) {
      const where: Record<string, unknown> = { event: eventId };
      if (q.category) where.category = q.category;
      if (q.status) where.status = q.status;
      if (q.search) {
        const s = q.search;
        const words = queryWords(s);
        where.$or = [
          { bib: { $eqi: s } },
          { bib: { $startsWith: s } },
          ...(words.length ? [{ $and: getService(strapi, 'search').matching(eventId, words) }] : []),
        ];
      }
      const [field, dir = 'asc'] = (q.sort ?? 'bib:asc').split(':');
      const page = { limit: q.pageSize, start: (q.page - 1) * q.pageSize };
      const [results, total, categories] = await Promise.all([
        field === 'bib'
          ? this.pageInBibOrder(where, dir as 'asc' | 'desc', page)
          : strapi.db.query(UID.record).findMany({ where, orderBy: [{ [field]: dir }, { id: 'asc' }] as never, limit: page.limit, offset: page.start }),
        strapi.db.query(UID.record).count({ where }),
        this.categories(eventId),
      ]);
      return {
        data: results.map(view),
        meta: {
          pagination: { page: q.page, pageSize: q.pageSize, pageCount: Math.ceil(total / q.pageSize), total },
          categories,
        },
      };
    },

    /** One page of records in natural bib order: the ids by a raw ORDER BY, then their documents. */
    async pageInBibOrder(filters: Record<string, unknown>, dir: 'asc' | 'desc', page: { limit: number; start: number }) {
      const meta = strapi.db.metadata.get(UID.record) as any;
      const bib = meta.attributes.bib.columnName;
      const qb = (strapi.db.entityManager as any)
        .createQueryBuilder(UID.record)
        .init({ where: filters, select: ['id'] });
      // Paged on the knex query: a limit given to the builder makes it order by id first.
      const rows: Array<{ id: number }> = await qb
        .getKnexQuery()
        .orderByRaw(`${naturalBibOrder(strapi.db.dialect.client, bib, dir)}, id ${dir}`)
        .limit(page.limit)
        .offset(page.start);
      const ids = rows.map((r) => r.id);
      if (!ids.length) return [];
      const docs = await strapi.documents(UID.record).findMany({ filters: { id: { $in: ids } } as any, limit: ids.length });
      const byId = new Map(docs.map((d: any) => [d.id, d]));
      return ids.map((id) => byId.get(id)).filter(Boolean);
    },

    async categories(eventId: string): Promise<string[]> {
      const { tableName, col } = columns();
      const category = col('category');
      const rows: Array<Record<string, string>> = await strapi.db
        .getConnection(tableName)
        .distinct(category)
        .where(col('event'), eventId)
        .whereNotNull(category)
        .orderBy(category);
      return rows.map((r) => r[category]);
    },

    /** Edit a record. A published record whose certificate data changes becomes stale. */
    async update(eventId: string, documentId: string, changes: RecordChanges) {
      const patch = withFinishSeconds(changes);
      const current = await this.findOne(eventId, documentId);
      await checkLinks(eventId, patch);
      if (patch.bib && patch.bib !== current.bib && (await this.findByBib(eventId, patch.bib))) throw duplicate(patch.bib);
      const data: Record<string, unknown> = { ...patch };
      if ('email' in patch) data.email = patch.email || null;
      const edited = changedFields(current as Record<string, unknown>, data);
      if (edited.length) {
        data.editedAt = new Date();
        data.editedFields = [...new Set([...editedFieldsOf(current.editedFields), ...edited])];
      }
      const changed = recordDataHash({ ...current, ...data }) !== current.dataHash;
      if (changed && current.status === 'published') data.status = 'stale';
      const updated = await strapi.documents(UID.record).update({ documentId, data: documentData(UID.record, data) });
      return updated && view(updated);
    },

    async remove(eventId: string, documentId: string) {
      await this.findOne(eventId, documentId);
      await strapi.documents(UID.record).delete({ documentId });
      return { documentId };
    },

    /** Deletes the given records of this event (ids of other events are ignored), all or none. */
    async bulkDelete(eventId: string, ids: string[]): Promise<BulkDeleteResponse> {
      const found: Array<Pick<StoredRecord, 'documentId'>> = await strapi.db.query(UID.record).findMany({
        where: { event: eventId, documentId: { $in: ids } },
        select: ['documentId'],
      });
      const documentIds = found.map((r) => r.documentId);
      await strapi.db.transaction(async () => {
        for (const documentId of documentIds) await strapi.documents(UID.record).delete({ documentId });
      });
      return { deleted: documentIds.length, notFound: ids.filter((id) => !documentIds.includes(id)) };
    },

    /**
     * The event's records as CSV (UTF-8 with BOM so spreadsheet apps pick the encoding), streamed
     * page by page; extra columns follow the fixed ones. Cells that a spreadsheet would run as a
     * formula are neutralised.
     */
    async exportCsv(eventId: string): Promise<Readable> {
      const { tableName, col } = columns();
      const conn = () => strapi.db.getConnection(tableName);
      const extraRows: Array<Record<string, unknown>> = await conn().select(col('extra')).where(col('event'), eventId).whereNotNull(col('extra'));
      const extraKeys: string[] = [];
      const seen = new Set<string>();
      for (const row of extraRows) {
        for (const key of Object.keys(jsonOf(row[col('extra')]))) if (!seen.has(key)) seen.add(key), extraKeys.push(key);
      }
      const PAGE = 2000;
      async function* lines() {
        yield `\ufeff${csvLine([...EXPORT_COLUMNS, ...extraKeys])}`;
        let lastId = 0;
        for (;;) {
          const rows: Array<Record<string, unknown> & { id: number }> = await conn()
            .select('id', ...EXPORT_COLUMNS.map((c) => `${col(c)} as ${c}`), `${col('extra')} as extra`)
            .where(col('event'), eventId)
            .andWhere('id', '>', lastId)
            .orderBy('id')
            .limit(PAGE);
          if (!rows.length) return;
          let chunk = '';
          for (const row of rows) {
            const extra = jsonOf(row.extra);
            const finishSeconds = row.finishSeconds === null ? null : Number(row.finishSeconds);
            chunk += csvLine([...EXPORT_COLUMNS.map((c) => (c === 'finishSeconds' ? finishSeconds : row[c])), ...extraKeys.map((k) => extra[k])]);
          }
          yield chunk;
          lastId = rows[rows.length - 1].id;
        }
      }
      return Readable.from(lines());
    },
  };
};

export type RecordsService = ReturnType<typeof records>;
export default records;
