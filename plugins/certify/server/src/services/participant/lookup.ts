import type { Core } from '@strapi/strapi';
import { TABLE, UID } from '../../constants';
import { FILE_UID } from '../media/files';
import { prefixUpperBound } from '../search/normalise';
import { withSqlite } from '../../utils/sqlite';

/** A certificate file as the participant routes need it (download, signed URL, share tags). */
export interface CertificateFileRow {
  id: number;
  name: string;
  url: string;
  hash: string;
  ext?: string;
  mime?: string;
  size?: number;
  width: number | null;
  height: number | null;
  provider?: string;
}

/** A published record with its current files, read in one statement. */
export interface CertificateRow {
  id: number;
  event: string;
  bib: string;
  verificationCode: string;
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  category: string | null;
  finishTime: string | null;
  certifiedAt: Date | null;
  correctedAt: Date | null;
  revokedAt: Date | null;
  revokedReason: string | null;
  /** The version of the stored certificate (its share image is made on first view until the second pass). */
  renderedHash: string | null;
  history: unknown[];
  photos: unknown[];
  pdf: CertificateFileRow;
  shareImage: CertificateFileRow | null;
}

type Row = Record<string, unknown>;

const RECORD_FIELDS = ['id', 'event', 'bib', 'verificationCode', 'name', 'firstName', 'lastName', 'category', 'finishTime', 'certifiedAt', 'correctedAt', 'revokedAt', 'revokedReason', 'renderedHash', 'history', 'photos'] as const;
/** Index entries a word's selectivity probe reads at most. */
const PROBE = 500;
const FILE_COLUMNS = ['id', 'name', 'url', 'hash', 'ext', 'mime', 'size', 'width', 'height', 'provider'] as const;

/** SQLite keeps datetimes as epoch milliseconds, PostgreSQL as timestamps. */
const toDate = (v: unknown): Date | null => {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return v;
  const d = typeof v === 'number' || /^\d+$/.test(String(v)) ? new Date(Number(v)) : new Date(String(v));
  return Number.isNaN(d.getTime()) ? null : d;
};

/** JSON columns come back parsed from PostgreSQL and as text from SQLite. */
const toList = (v: unknown): unknown[] => {
  if (Array.isArray(v)) return v;
  if (typeof v !== 'string' || !v) return [];
  try {
    const parsed = JSON.parse(v);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
};

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number(v));

const toFile = (row: Row, prefix: string): CertificateFileRow | null =>
  row[`${prefix}id`] === null || row[`${prefix}id`] === undefined
    ? null
    : {
        id: Number(row[`${prefix}id`]),
        name: String(row[`${prefix}name`] ?? ''),
        url: String(row[`${prefix}url`] ?? ''),
        hash: String(row[`${prefix}hash`] ?? ''),
        ext: str(row[`${prefix}ext`]) ?? undefined,
        mime: str(row[`${prefix}mime`]) ?? undefined,
        size: num(row[`${prefix}size`]) ?? undefined,
        width: num(row[`${prefix}width`]),
        height: num(row[`${prefix}height`]),
        provider: str(row[`${prefix}provider`]) ?? undefined,
      };

/**
 * The participant routes' reads of published certificates, each one SQL statement (the record,
 * its PDF and its share image joined), where the Query Engine's `findMany` with populate and a
 * `count` cost five statements and most of a request's CPU (bench/RESULTS.md, "Lookup"). The
 * statement text is built once; only the bindings change per request.
 */
export const createCertificateLookup = (strapi: Core.Strapi) => {
  type Statements = {
    byBib: string;
    byCode: string;
    /** Page and total of the records whose name words start with each query word, for n words. */
    byName: (n: number) => { page: string; total: string };
    /** Up to PROBE index entries of one word prefix: how selective a query word is. */
    probe: string;
  };
  let sql: Statements | null = null;

  const statements = (): Statements => {
    if (sql) return sql;
    const files = strapi.db.metadata.get(FILE_UID);
    const related = files.attributes.related as unknown as {
      joinTable: { name: string; joinColumn: { name: string }; morphColumn: { idColumn: { name: string }; typeColumn: { name: string } } };
    };
    const { name: morph, joinColumn, morphColumn } = related.joinTable;
    const col = (attr: string) =>
      (strapi.db.metadata.get(UID.record).attributes[attr] as unknown as { columnName?: string } | undefined)?.columnName ??
      attr.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const recordColumns = RECORD_FIELDS.map((attr) => `r.${col(attr)} as "${attr}"`);
    const fileColumns = (alias: string) => FILE_COLUMNS.map((c) => `${alias}.${c} as "${alias}_${c}"`);
    const link = (alias: string, field: string) =>
      `${morph} ${alias}l on ${alias}l.${morphColumn.idColumn.name} = r.id and ${alias}l.${morphColumn.typeColumn.name} = '${UID.record}' and ${alias}l.field = '${field}'`;
    const select = (from: string) => `select ${[...recordColumns, ...fileColumns('pdf'), ...fileColumns('img')].join(', ')}
      from ${from}
      join ${link('pdf', 'pdf')}
      join ${files.tableName} pdf on pdf.id = pdfl.${joinColumn.name}
      left join ${link('img', 'shareImage')}
      left join ${files.tableName} img on img.id = imgl.${joinColumn.name}
      where r.${col('status')} = 'published'`;
    const base = select(`${TABLE.record} r`);
    const shown = `r.${col('status')} = 'published' and r.${col('revokedAt')} is null`;
    /*
     * The records having, for each query word, a name word starting with it: the word table's
     * index range of the most selective word (first binding), each further word checked per
     * candidate through the table's record index (a handful of rows), not as a second range.
     */
    const matches = (n: number) =>
      `select distinct w0.record_id as id from ${TABLE.recordWords} w0 where w0.event = ? and w0.word >= ? and w0.word < ?` +
      Array.from({ length: n - 1 }, (_, i) => {
        const w = `w${i + 1}`;
        return ` and exists (select 1 from ${TABLE.recordWords} ${w} where ${w}.record_id = w0.record_id and ${w}.word >= ? and ${w}.word < ?)`;
      }).join('');
    const byName = new Map<number, { page: string; total: string }>();
    sql = {
      byBib: `${base} and r.${col('event')} = ? and r.${col('bib')} = ? and r.${col('revokedAt')} is null limit 1`,
      byCode: `${base} and r.${col('verificationCode')} = ? limit 1`,
      byName: (n) => {
        let text = byName.get(n);
        if (!text) {
          text = {
            page: `with m as (${matches(n)}) ${select(`m join ${TABLE.record} r on r.id = m.id`)} and r.${col('revokedAt')} is null order by r.${col('bib')}, r.id limit ? offset ?`,
            total: `with m as (${matches(n)}) select count(*) as n from m join ${TABLE.record} r on r.id = m.id
              where ${shown} and exists (select 1 from ${link('pdf', 'pdf').replace(' on ', ' where ')})`,
          };
          byName.set(n, text);
        }
        return text;
      },
      probe: `select count(*) as n from (select 1 from ${TABLE.recordWords} where event = ? and word >= ? and word < ? limit ${PROBE}) p`,
    };
    return sql;
  };

  // SQLite: statements prepared once per connection (utils/sqlite.ts); PostgreSQL plans are cheap by comparison.
  const rows = async (text: string, bindings: unknown[]): Promise<Row[]> => {
    if (strapi.db.dialect.client === 'postgres') return ((await strapi.db.connection.raw(text, bindings)) as { rows: Row[] }).rows;
    return withSqlite(strapi.db.connection, (statement) => statement(text).all(...bindings) as Row[]);
  };

  const read = (row: Row): CertificateRow => ({
    id: Number(row.id),
    event: String(row.event),
    bib: String(row.bib),
    verificationCode: String(row.verificationCode),
    name: str(row.name),
    firstName: str(row.firstName),
    lastName: str(row.lastName),
    category: str(row.category),
    finishTime: str(row.finishTime),
    certifiedAt: toDate(row.certifiedAt),
    correctedAt: toDate(row.correctedAt),
    revokedAt: toDate(row.revokedAt),
    revokedReason: str(row.revokedReason),
    renderedHash: str(row.renderedHash),
    history: toList(row.history),
    photos: toList(row.photos),
    pdf: toFile(row, 'pdf_')!,
    shareImage: toFile(row, 'img_'),
  });

  const first = async (text: string, bindings: unknown[]): Promise<CertificateRow | null> => {
    const [row] = await rows(text, bindings);
    return row ? read(row) : null;
  };

  return {
    /**
     * Published, unrevoked certificates of an event whose name has, for every query word (as
     * services/search normalises them), a word starting with it: one page in bib order, and the
     * total.
     */
    async byName(eventId: string, words: string[], limit: number, offset: number): Promise<{ results: CertificateRow[]; total: number }> {
      const { byName, probe } = statements();
      // The most selective word drives the search (a common first name may match a tenth of the event).
      const ranked =
        words.length < 2
          ? words
          : (await Promise.all(words.map(async (w) => ({ w, n: Number((await rows(probe, [eventId, w, prefixUpperBound(w)]))[0]?.n ?? 0) }))))
              .sort((a, b) => a.n - b.n)
              .map(({ w }) => w);
      const [first, ...rest] = ranked;
      const bindings = [eventId, first, prefixUpperBound(first), ...rest.flatMap((w) => [w, prefixUpperBound(w)])];
      const text = byName(ranked.length);
      const [page, [count]] = await Promise.all([rows(text.page, [...bindings, limit, offset]), rows(text.total, bindings)]);
      return { results: page.map(read), total: Number(count?.n ?? 0) };
    },

    /** The published, unrevoked certificate of this bib in this event (bibs are unique per event). */
    byBib: (eventId: string, bib: string) => first(statements().byBib, [eventId, bib]),
    /** The published certificate with this verification code, revoked or not (a revoked one answers 410). */
    byCode: (code: string) => first(statements().byCode, [code]),
  };
};

export type CertificateLookup = ReturnType<typeof createCertificateLookup>;
