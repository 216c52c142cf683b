import { Readable } from 'node:stream';
import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../../../../shared/errors';
import { DATA_ERROR_CODES } from '../../../../shared/contracts/import';
import { UID } from '../../constants';
import { certifyError } from '../../utils';
import { recordDataHash } from '../../utils/hash';
import { csvLine } from './export';
import { parseTime } from '../import/time';

const nullableString = z.string().trim().max(255).nullish();
const nullableInt = z.coerce.number().int().nonnegative().nullish();

export const recordInput = z.object({
  bib: z.coerce.string().trim().min(1, 'bib is required').max(64),
  name: nullableString,
  firstName: nullableString,
  lastName: nullableString,
  email: z.string().trim().email('email is not a valid address').nullish().or(z.literal('')),
  category: nullableString,
  gender: nullableString,
  finishTime: nullableString,
  finishSeconds: z.coerce.number().nonnegative().nullish(),
  rankOverall: nullableInt,
  rankGender: nullableInt,
  rankCategory: nullableInt,
  extra: z.record(z.string(), z.unknown()).nullish(),
  source: z.string().nullish(),
  template: z.string().nullish(),
});
export type RecordInput = z.infer<typeof recordInput>;

const recordPatch = recordInput.partial().strict();

/** A time typed without seconds gets them computed, as an import would; a bad time is refused. */
const withFinishSeconds = <T extends { finishTime?: string | null; finishSeconds?: number | null }>(data: T): T => {
  if (!('finishTime' in data) || data.finishSeconds !== undefined) return data;
  const seconds = parseTime(data.finishTime ?? null);
  if (seconds === undefined) {
    throw certifyError.validation(`finishTime: "${data.finishTime}" is not a time; use h:mm:ss, mm:ss or seconds`);
  }
  return { ...data, finishSeconds: seconds };
};

export const parseOrThrow = <T>(schema: z.ZodType<T>, input: unknown): T => {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw certifyError.validation(
      issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '),
      { errors: issues }
    );
  }
  return parsed.data;
};

const STATUSES = ['pending', 'queued', 'published', 'stale', 'failed'] as const;
const SORTABLE = [
  'bib',
  'name',
  'lastName',
  'category',
  'gender',
  'finishSeconds',
  'rankOverall',
  'rankGender',
  'rankCategory',
  'status',
  'createdAt',
  'updatedAt',
] as const;

export const listQuery = z.object({
  search: z.string().trim().max(200).optional(),
  category: z.string().trim().max(255).optional(),
  status: z.enum(STATUSES, { message: `status must be one of ${STATUSES.join(', ')}` }).optional(),
  sort: z
    .string()
    .regex(
      new RegExp(`^(${SORTABLE.join('|')})(:(asc|desc))?$`),
      `sort must be one of ${SORTABLE.join(', ')}, optionally followed by :asc or :desc`
    )
    .optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(25),
});

const EXPORT_COLUMNS = [
  'bib',
  'name',
  'firstName',
  'lastName',
  'email',
  'category',
  'gender',
  'finishTime',
  'finishSeconds',
  'rankOverall',
  'rankGender',
  'rankCategory',
  'status',
  'verificationCode',
] as const;

/** Fields the admin API never returns. */
const hidden = ['emailedHash'];
const view = <T extends Record<string, unknown> | null>(doc: T): T => {
  if (!doc) return doc;
  const out = { ...doc } as Record<string, unknown>;
  for (const key of hidden) delete out[key];
  return out as T;
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
  const duplicate = (bib: string) =>
    certifyError.conflict(
      ERROR_CODES.duplicateBib,
      `A record with bib "${bib}" already exists for this event: edit that record or use another bib.`,
      { bib }
    );

  return {
    async findByBib(eventId: string, bib: string) {
      return strapi.documents(UID.record).findFirst({ filters: { event: eventId, bib } });
    },

    async findOne(eventId: string, documentId: string) {
      const record = await strapi.documents(UID.record).findFirst({ filters: { event: eventId, documentId } as any });
      if (!record) {
        throw certifyError.notFound(
          DATA_ERROR_CODES.recordNotFound as unknown as ErrorCode,
          `Record "${documentId}" was not found in this event: it may have been deleted; reload the list.`
        );
      }
      return record;
    },

    async create(eventId: string, input: unknown) {
      const data = withFinishSeconds(parseOrThrow(recordInput, input));
      if (await this.findByBib(eventId, data.bib)) throw duplicate(data.bib);
      let created;
      try {
        created = await strapi.documents(UID.record).create({
          data: { ...data, email: data.email || null, event: eventId } as any,
        });
      } catch (err) {
        // A concurrent insert of the same bib loses at the database's unique index.
        if (await this.findByBib(eventId, data.bib)) throw duplicate(data.bib);
        throw err;
      }
      return created;
    },

    async list(eventId: string, query: unknown) {
      const q = parseOrThrow(listQuery, query ?? {});
      const filters: Record<string, unknown> = { event: eventId };
      if (q.category) filters.category = q.category;
      if (q.status) filters.status = q.status;
      if (q.search) {
        const s = q.search;
        filters.$or = [
          { bib: { $eqi: s } },
          { bib: { $startsWith: s } },
          { name: { $containsi: s } },
          { firstName: { $containsi: s } },
          { lastName: { $containsi: s } },
        ];
      }
      const [field, dir = 'asc'] = (q.sort ?? 'bib:asc').split(':');
      const page = { limit: q.pageSize, start: (q.page - 1) * q.pageSize };
      const [results, total, categories] = await Promise.all([
        field === 'bib'
          ? this.pageInBibOrder(filters, dir as 'asc' | 'desc', page)
          : strapi.documents(UID.record).findMany({ filters: filters as any, sort: [{ [field]: dir }, { id: 'asc' }] as any, ...page }),
        strapi.documents(UID.record).count({ filters: filters as any }),
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
      const meta = strapi.db.metadata.get(UID.record) as any;
      const category = meta.attributes.category.columnName;
      const rows: any[] = await strapi.db
        .getConnection(meta.tableName)
        .distinct(category)
        .where(meta.attributes.event.columnName, eventId)
        .whereNotNull(category)
        .orderBy(category);
      return rows.map((r) => r[category]);
    },

    /** Edit a record. A published record whose certificate data changes becomes stale. */
    async update(eventId: string, documentId: string, input: unknown) {
      const patch = withFinishSeconds(parseOrThrow(recordPatch, input));
      const current = (await this.findOne(eventId, documentId)) as Record<string, any>;
      if (patch.bib && patch.bib !== current.bib && (await this.findByBib(eventId, patch.bib))) throw duplicate(patch.bib);
      const data: Record<string, unknown> = { ...patch };
      if ('email' in patch) data.email = patch.email || null;
      const changed = recordDataHash({ ...current, ...data }) !== current.dataHash;
      if (changed && current.status === 'published') data.status = 'stale';
      const updated = await strapi.documents(UID.record).update({ documentId, data: data as any });
      return view(updated as any);
    },

    async remove(eventId: string, documentId: string) {
      await this.findOne(eventId, documentId);
      await strapi.documents(UID.record).delete({ documentId });
      return { documentId };
    },

    /** Deletes the given records of this event (ids of other events are ignored), all or none. */
    async bulkDelete(eventId: string, input: unknown) {
      const { ids } = parseOrThrow(
        z.object({
          ids: z
            .array(z.string().min(1))
            .min(1, 'ids must list at least one record id')
            .max(1000, 'delete at most 1,000 records at a time'),
        }),
        input
      );
      const found = await strapi.db.query(UID.record).findMany({
        where: { event: eventId, documentId: { $in: ids } },
        select: ['documentId'],
      });
      const documentIds = found.map((r: any) => r.documentId as string);
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
      const meta = strapi.db.metadata.get(UID.record) as any;
      const col = (a: string) => meta.attributes[a].columnName as string;
      const conn = () => strapi.db.getConnection(meta.tableName);
      const extraRows: any[] = await conn().select(col('extra')).where(col('event'), eventId).whereNotNull(col('extra'));
      const extraKeys: string[] = [];
      const seen = new Set<string>();
      for (const row of extraRows) {
        const extra = typeof row[col('extra')] === 'string' ? JSON.parse(row[col('extra')]) : row[col('extra')];
        for (const key of Object.keys(extra ?? {})) if (!seen.has(key)) seen.add(key), extraKeys.push(key);
      }
      const PAGE = 2000;
      async function* lines() {
        yield `\ufeff${csvLine([...EXPORT_COLUMNS, ...extraKeys])}`;
        let lastId = 0;
        for (;;) {
          const rows: any[] = await conn()
            .select('id', ...EXPORT_COLUMNS.map((c) => `${col(c)} as ${c}`), `${col('extra')} as extra`)
            .where(col('event'), eventId)
            .andWhere('id', '>', lastId)
            .orderBy('id')
            .limit(PAGE);
          if (!rows.length) return;
          let chunk = '';
          for (const row of rows) {
            const extra = (typeof row.extra === 'string' ? JSON.parse(row.extra) : row.extra) ?? {};
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
