import type { Core } from '@strapi/strapi';
import { LRUCache } from 'lru-cache';
import type { ImportedRecord } from '../../../../shared/contracts/import';
import { RECORD_DATA_FIELDS } from '../../../../shared/contracts/records';
import { UID } from '../../constants';
import { newDocumentId, newVerificationCode } from '../../utils/hash';
import { getService } from '../../utils';
import { sqliteValue, withSqlite } from '../../utils/sqlite';
import { searchName, type IndexedRecord } from '../search';
import { editedFieldsOf, type HandEditable } from '../records/edits';

type Knex = Core.Strapi['db']['connection'];

export interface ExistingRecord {
  id: number;
  documentId: string;
  bib: string;
  dataHash: string | null;
  status: string | null;
  email: string | null;
  verificationCode: string | null;
  createdAt: unknown;
  /** The normalised name words as indexed (search/normalise.ts). */
  searchName: string | null;
  /** The stored certificate fields and email, for fields a file does not carry (rows.ts `uncarried`). */
  values: Partial<ImportedRecord>;
  /** The fields edited by hand in the admin, and when (records/edits.ts); null when none are. */
  edited: { fields: HandEditable[]; at: string | null } | null;
}

export interface PlannedInsert {
  record: ImportedRecord;
  dataHash: string;
}

export interface PlannedUpdate extends PlannedInsert {
  existing: ExistingRecord;
  /** The certificate data changed (not only the email). */
  dataChanged: boolean;
  /** The record's hand-edited fields after this write (null: none left); undefined leaves them as they are. */
  editedFields?: HandEditable[] | null;
}

export interface WriteResult {
  inserted: number;
  updated: number;
  stale: number;
  documentIds: string[];
}

// Every certificate field plus the email, which is stored but never printed.
const FIELDS = [...RECORD_DATA_FIELDS, 'email'] as const;

/**
 * Writes an import's new and changed records with batched SQL in one transaction, around the
 * Document Service: one call per row is a few hundred times slower (bench/RESULTS.md, "Import"). Rows written here are
 * complete Strapi documents (documentId, timestamps, published_at, locale null) and carry the
 * verification code, data hash and search name (with its word rows) the Document Service
 * middleware would have set.
 */
export const createRecordWriter = (strapi: Core.Strapi) => {
  const meta = strapi.db.metadata.get(UID.record);
  const table = meta.tableName;
  const columnOf = (attr: (typeof meta.attributes)[string] | undefined) => (attr && 'columnName' in attr ? attr.columnName : undefined);
  const col = (attr: string): string => columnOf(meta.attributes[attr]) ?? attr;
  const sourceAttr = meta.attributes.source;
  const sourceJoin =
    sourceAttr?.type === 'relation' && 'joinTable' in sourceAttr && sourceAttr.joinTable && 'inverseJoinColumn' in sourceAttr.joinTable
      ? sourceAttr.joinTable
      : undefined;
  const schema = strapi.db.getSchemaName();
  const search = getService(strapi, 'search');

  const q = (trx: Knex, name: string) => (schema ? trx(name).withSchema(schema) : trx(name));

  /*
   * Multi-row INSERT (… ON CONFLICT (event, bib) DO UPDATE for changed rows) written as SQL with
   * placeholders rather than through knex's builder, which spends more time compiling 13,000
   * bindings than the database spends storing them. The syntax is shared by SQLite ≥ 3.35 and
   * PostgreSQL; the statement text is cached per batch length.
   */
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const tableRef = schema ? `${quote(schema)}.${quote(table)}` : quote(table);
  const ROW_COLUMNS = [
    ...FIELDS.map(col),
    col('dataHash'),
    col('searchName'),
    col('documentId'),
    col('event'),
    col('status'),
    col('emailStatus'),
    col('verificationCode'),
    col('createdAt'),
    col('updatedAt'),
    col('publishedAt'),
    col('locale'),
  ];
  const MERGED = [...FIELDS.map(col), col('dataHash'), col('searchName'), col('status'), col('updatedAt')];
  // Rows come back in no promised order: matched to their records by bib, unique in the event.
  const RETURNING = ` returning "id", ${quote(col('bib'))} as "bib"`;
  const rowPlaceholders = `(${ROW_COLUMNS.map(() => '?').join(',')})`;
  const sqlCache = new LRUCache<string, string>({ max: 8 });
  /** Runs one batch statement on SQLite, prepared once per connection and text (utils/sqlite.ts). */
  const sqliteRows = (trx: Knex, sql: string, bindings: unknown[]) => {
    for (let i = 0; i < bindings.length; i++) bindings[i] = sqliteValue(bindings[i]);
    return withSqlite(trx, (statement) => statement(sql).all(bindings));
  };
  const insertSql = (rows: number, upsert: boolean) => {
    const key = `${rows}:${upsert}`;
    let sql = sqlCache.get(key);
    if (!sql) {
      sql = `insert into ${tableRef} (${ROW_COLUMNS.map(quote).join(',')}) values ${Array(rows).fill(rowPlaceholders).join(',')}`;
      if (upsert) sql += ` on conflict (${quote(col('event'))}, ${quote(col('bib'))}) do update set ${MERGED.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`;
      sql += RETURNING;
      sqlCache.set(key, sql);
    }
    return sql;
  };

  /*
   * PostgreSQL: one text[] per column through unnest() instead of 11,000 scalar parameters, which
   * PostgreSQL would parse and plan per batch (measured 4x faster on this machine). Values shared
   * by the batch (event, timestamps) are single parameters, so pg serialises dates as it always does.
   */
  const isPostgres = strapi.db.dialect.client === 'postgres';
  // What loadExisting reads, in this order; the certificate fields start at FIELD_AT.
  const EXISTING_COLUMNS = ['id', ...['documentId', 'dataHash', 'status', 'verificationCode', 'createdAt', 'searchName', 'editedAt', 'editedFields', ...FIELDS].map(col)];
  const FIELD_AT = EXISTING_COLUMNS.length - FIELDS.length;
  const ARRAY_COLUMNS = [...FIELDS.map(col), col('dataHash'), col('searchName'), col('documentId'), col('status'), col('verificationCode')];
  const castOf = (column: string) => {
    const attr = Object.values(meta.attributes).find((a) => columnOf(a) === column);
    return attr?.type === 'decimal' || attr?.type === 'float' ? '::numeric' : attr?.type === 'integer' ? '::integer' : attr?.type === 'json' ? '::jsonb' : '';
  };
  const pgSql = (upsert: boolean) => {
    const key = `pg:${upsert}`;
    let sql = sqlCache.get(key);
    if (!sql) {
      const names = ARRAY_COLUMNS.map((_, i) => `c${i}`);
      sql =
        `insert into ${tableRef} (${[...ARRAY_COLUMNS, col('event'), col('emailStatus'), col('createdAt'), col('updatedAt'), col('publishedAt'), col('locale')].map(quote).join(',')}) ` +
        `select ${ARRAY_COLUMNS.map((c, i) => `u.${names[i]}${castOf(c)}`).join(', ')}, ?, ?, ?::timestamp, ?::timestamp, ?::timestamp, null ` +
        `from unnest(${ARRAY_COLUMNS.map(() => '?::text[]').join(', ')}) as u(${names.join(', ')})`;
      if (upsert) sql += ` on conflict (${quote(col('event'))}, ${quote(col('bib'))}) do update set ${MERGED.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`;
      sql += RETURNING;
      sqlCache.set(key, sql);
    }
    return sql;
  };
  const toText = (v: unknown) => (v === null || v === undefined ? null : String(v));

  /** A stored hand-edit mark; SQLite keeps datetimes as milliseconds, PostgreSQL hands back a Date. */
  const editedOf = (fields: unknown, at: unknown): ExistingRecord['edited'] => {
    const list = editedFieldsOf(fields);
    if (!list.length) return null;
    const date = at === null || at === undefined ? null : new Date(typeof at === 'string' && /^\d+$/.test(at) ? Number(at) : (at as string | number | Date));
    return { fields: list, at: date && !Number.isNaN(date.getTime()) ? date.toISOString() : null };
  };

  return {
    /** Every record of the event keyed by bib: what an import is compared with. */
    async loadExisting(eventId: string, trx: Knex = strapi.db.connection): Promise<Map<string, ExistingRecord>> {
      const query = q(trx, table)
        .select(EXISTING_COLUMNS.map((c, i) => `${c} as c${i}`))
        .where(col('event'), eventId);
      // SQLite: rows as arrays from a prepared statement, not 100,000 objects of 23 keys (the
      // garbage collector's work was most of a re-import's time: bench/RESULTS.md, "Import").
      let rows: unknown[][];
      if (isPostgres) {
        rows = ((await query) as Array<Record<string, unknown>>).map((r) => EXISTING_COLUMNS.map((_, i) => r[`c${i}`]));
      } else {
        const { sql, bindings } = query.toSQL();
        rows = await withSqlite(trx, (statement) => statement(sql).raw(true).all(bindings.map(sqliteValue)) as unknown as unknown[][]);
      }
      const map = new Map<string, ExistingRecord>();
      for (const r of rows) {
        const values: Record<string, unknown> = {};
        for (let i = 0; i < FIELDS.length; i++) values[FIELDS[i]] = r[FIELD_AT + i] ?? null;
        // Databases hand back JSON as text (SQLite) and decimals as strings (PostgreSQL).
        if (typeof values.extra === 'string') values.extra = JSON.parse(values.extra as string);
        if (values.finishSeconds !== null) values.finishSeconds = Number(values.finishSeconds);
        const bib = String(values.bib);
        map.set(bib, {
          id: r[0] as number,
          documentId: r[1] as string,
          bib,
          dataHash: (r[2] as string | null) ?? null,
          status: (r[3] as string | null) ?? null,
          email: (values.email as string | null) ?? null,
          verificationCode: (r[4] as string | null) ?? null,
          createdAt: r[5],
          searchName: (r[6] as string | null) ?? null,
          values: values as Partial<ImportedRecord>,
          edited: editedOf(r[8], r[7]),
        });
      }
      return map;
    },

    /**
     * A write session inside the caller's transaction: the importer hands it batches as the file
     * is read. New rows are inserted; changed rows are upserted on (event, bib).
     */
    open(trx: Knex, eventId: string, sourceId: number | null) {
      const now = new Date();
      const documentIds: string[] = [];
      let stale = 0;
      let inserted = 0;
      let updated = 0;

      const link = async (recordIds: number[], replace: boolean) => {
        if (!sourceJoin || !recordIds.length) return;
        if (replace) await q(trx, sourceJoin.name).whereIn(sourceJoin.joinColumn.name, recordIds).delete();
        if (sourceId === null) return;
        await q(trx, sourceJoin.name).insert(
          recordIds.map((id) => ({ [sourceJoin.joinColumn.name]: id, [sourceJoin.inverseJoinColumn.name]: sourceId }))
        );
      };

      // The search name of each row of the batch being written, by bib.
      const names = new Map<string, string>();
      // Of an update batch: the record id and search name stored before, by bib.
      const before = new Map<string, { id: number; searchName: string | null }>();
      // Word rows to write when the file is done (see `finish`), and records whose old rows go.
      const pending: IndexedRecord[] = [];
      const reindexed: number[] = [];

      // One row's values in ROW_COLUMNS order.
      const values = (record: ImportedRecord, dataHash: string, fixed: unknown[]) => {
        const out: unknown[] = [];
        for (const field of FIELDS) {
          const value = record[field];
          out.push(field === 'extra' ? (value ? JSON.stringify(value) : null) : value ?? null);
        }
        const name = searchName(record);
        names.set(String(record.bib), name);
        out.push(dataHash, name, ...fixed);
        return out;
      };

      /**
       * Links the written rows to the source and keeps their names for the index (ids as the
       * database returned them). An updated record whose name did not change keeps its word rows.
       */
      const written = async (result: any, replace: boolean) => {
        const rows = (Array.isArray(result) ? result : result.rows) as Array<{ id: number; bib: string }>;
        const ids = rows.map((r) => Number(r.id));
        await link(ids, replace);
        for (const [i, r] of rows.entries()) {
          const name = names.get(String(r.bib)) ?? '';
          const old = before.get(String(r.bib));
          // Re-created under a new id (deleted meanwhile): its old rows went with it.
          if (replace && old && old.id === ids[i]) {
            if (old.searchName === name) continue;
            reindexed.push(ids[i]);
          }
          pending.push({ id: ids[i], event: eventId, searchName: name });
        }
        names.clear();
        before.clear();
      };

      /**
       * Hand-edit marks of the updated rows that change: few rows (those edited in the admin), so
       * one statement each, outside the batched upsert which leaves the mark columns alone.
       */
      const remark = async (items: PlannedUpdate[]) => {
        for (const { existing, editedFields } of items) {
          if (editedFields === undefined) continue;
          await q(trx, table)
            .where('id', existing.id)
            .update(editedFields && editedFields.length ? { [col('editedFields')]: JSON.stringify(editedFields) } : { [col('editedFields')]: null, [col('editedAt')]: null });
        }
      };

      return {
        async insert(items: PlannedInsert[]) {
          if (!items.length) return;
          if (isPostgres) {
            const columns: Array<Array<string | null>> = ARRAY_COLUMNS.map(() => []);
            for (const { record, dataHash } of items) {
              const documentId = newDocumentId();
              documentIds.push(documentId);
              values(record, dataHash, [documentId, 'pending', newVerificationCode()]).forEach((v, i) => columns[i].push(toText(v)));
            }
            await written(await trx.raw(pgSql(false), [eventId, 'none', now, now, now, ...columns]), false);
            inserted += items.length;
            return;
          }
          const bindings: unknown[] = [];
          for (const { record, dataHash } of items) {
            const documentId = newDocumentId();
            documentIds.push(documentId);
            bindings.push(...values(record, dataHash, [documentId, eventId, 'pending', 'none', newVerificationCode(), now, now, now, null]));
          }
          await written(await sqliteRows(trx, insertSql(items.length, false), bindings), false);
          inserted += items.length;
        },

        async update(items: PlannedUpdate[]) {
          if (!items.length) return;
          if (isPostgres) {
            const columns: Array<Array<string | null>> = ARRAY_COLUMNS.map(() => []);
            for (const { record, dataHash, existing, dataChanged } of items) {
              const becameStale = dataChanged && existing.status === 'published';
              if (becameStale) stale++;
              documentIds.push(existing.documentId);
              before.set(String(existing.bib), { id: existing.id, searchName: existing.searchName });
              values(record, dataHash, [
                existing.documentId,
                becameStale ? 'stale' : existing.status ?? 'pending',
                existing.verificationCode ?? newVerificationCode(),
              ]).forEach((v, i) => columns[i].push(toText(v)));
            }
            // created_at only matters if the record was deleted meanwhile and is re-created.
            await written(await trx.raw(pgSql(true), [eventId, 'none', now, now, now, ...columns]), true);
            await remark(items);
            updated += items.length;
            return;
          }
          const bindings: unknown[] = [];
          for (const { record, dataHash, existing, dataChanged } of items) {
            const becameStale = dataChanged && existing.status === 'published';
            if (becameStale) stale++;
            documentIds.push(existing.documentId);
            before.set(String(existing.bib), { id: existing.id, searchName: existing.searchName });
            // The full row, so that were the record deleted meanwhile it is re-created whole.
            bindings.push(
              ...values(record, dataHash, [
                existing.documentId,
                eventId,
                becameStale ? 'stale' : existing.status ?? 'pending',
                'none',
                existing.verificationCode ?? newVerificationCode(),
                existing.createdAt ?? now,
                now,
                now,
                null,
              ])
            );
          }
          await written(await sqliteRows(trx, insertSql(items.length, true), bindings), true);
          await remark(items);
          updated += items.length;
        },

        /**
         * Writes the name index of everything written, still inside the transaction (a name is
         * findable the moment the import commits). Once per file and in key order: the word table's
         * b-tree is then filled front to back instead of at random places batch after batch.
         */
        async finish() {
          await search.replace(trx, reindexed, pending);
          pending.length = 0;
          reindexed.length = 0;
        },

        result(): WriteResult {
          return { inserted, updated, stale, documentIds };
        },
      };
    },
  };
};

export type RecordWriter = ReturnType<typeof createRecordWriter>;
