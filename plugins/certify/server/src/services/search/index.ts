import type { Core } from '@strapi/strapi';
import { TABLE } from '../../constants';
import { prefixUpperBound, queryWords, searchName } from './normalise';
import { withSqlite } from '../../utils/sqlite';

export { queryWords, searchName, specificEnough } from './normalise';

/** What the index needs of a record: its row id, event and `searchName`. */
export interface IndexedRecord {
  id: number;
  event: string;
  searchName: string;
}

type Knex = any;

const BATCH = 1000;

/*
 * Name search. Each record's `searchName` (its normalised name words, space-separated) is also
 * split into rows of `certify_record_words` (event, word, record id), whose primary key answers
 * "a word of this event starting with X" as an index range scan; a query of several words is one
 * such range per word, intersected. The table's rows go with their record (ON DELETE CASCADE).
 *
 * Why not `' ' || search_name LIKE '% muller%'` on the records table: no btree helps a pattern
 * with a leading wildcard, so every search reads the event's whole table. Measured on this 2-core
 * machine with 100,000 records in one event (page of 20 + total; bench/RESULTS.md, "Name
 * search"): LIKE took 43–83 ms on SQLite and 38–84 ms on PostgreSQL for every query, matching or
 * not; the word table 0.9 ms (SQLite) and 5.8 ms (PostgreSQL) for a name that matches nothing,
 * and 12–21 ms on SQLite for words matching 5,000 records, where ordering and counting the matches
 * is the cost (PostgreSQL then costs the same either way). pg_trgm would need an extension not
 * every host has, and another path for SQLite.
 */
const search = ({ strapi }: { strapi: Core.Strapi }) => {
  const isPostgres = () => strapi.db.dialect.client === 'postgres';
  const recordColumn = (attr: string): string => (strapi.db.metadata.get('plugin::certify.record') as any).attributes[attr].columnName;

  /**
   * Word rows, written with one statement per batch (knex's builder is slow on many bindings), in
   * the primary key's order (event, word, record): each batch then lands in one stretch of the
   * b-tree rather than in a thousand random pages.
   */
  const insertWords = async (trx: Knex, rows: IndexedRecord[]) => {
    const triples: Array<[number, string, string]> = [];
    for (const row of rows) {
      if (!row.searchName) continue;
      for (const word of row.searchName.split(' ')) triples.push([row.id, row.event, word]);
    }
    triples.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : a[0] - b[0]));
    const ids = triples.map((t) => t[0]);
    const events = triples.map((t) => t[1]);
    const words = triples.map((t) => t[2]);
    if (isPostgres()) {
      for (let i = 0; i < ids.length; i += 10 * BATCH) {
        await trx.raw(
          `insert into ${TABLE.recordWords} (record_id, event, word) select * from unnest(?::integer[], ?::text[], ?::text[]) on conflict do nothing`,
          [ids.slice(i, i + 10 * BATCH), events.slice(i, i + 10 * BATCH), words.slice(i, i + 10 * BATCH)]
        );
      }
      return;
    }
    for (let i = 0; i < ids.length; i += BATCH) {
      const n = Math.min(BATCH, ids.length - i);
      const bindings: unknown[] = [];
      for (let j = i; j < i + n; j++) bindings.push(ids[j], events[j], words[j]);
      await withSqlite(trx, (statement) =>
        statement(`insert into ${TABLE.recordWords} (record_id, event, word) values ${Array(n).fill('(?,?,?)').join(',')} on conflict do nothing`).run(bindings)
      );
    }
  };

  const service = {
    /** The words a query is looked up by (see normalise.ts). */
    queryWords,

    /**
     * Replaces the word rows of these records inside the caller's transaction. Every write of a
     * record's name calls this with the `searchName` it stored (Document Service middleware,
     * importer, backfill). `fresh`: the records were inserted by this transaction.
     */
    async index(trx: Knex, rows: IndexedRecord[], { fresh = false }: { fresh?: boolean } = {}) {
      // Rows just inserted have no words yet: skipping the delete saves a lookup per row.
      if (!fresh) {
        for (let i = 0; i < rows.length; i += BATCH) {
          await trx(TABLE.recordWords).whereIn('record_id', rows.slice(i, i + BATCH).map((r) => r.id)).delete();
        }
      }
      await insertWords(trx, rows);
    },

    /**
     * The index of a whole import, inside its transaction: the old rows of `changed` go, then the
     * rows of `rows` (new records and renamed ones) are written in key order.
     */
    async replace(trx: Knex, changed: number[], rows: IndexedRecord[]) {
      for (let i = 0; i < changed.length; i += BATCH) {
        await trx(TABLE.recordWords).whereIn('record_id', changed.slice(i, i + BATCH)).delete();
      }
      await insertWords(trx, rows);
    },

    /**
     * Query Engine conditions on a record's `id`: one per query word, each "some word of the
     * record starts with it". Use them inside `$and`.
     */
    matching(eventId: string, words: string[]) {
      return words.map((word) => ({
        id: {
          $in: strapi.db
            .getConnection(TABLE.recordWords)
            .select('record_id')
            .where('event', eventId)
            .andWhere('word', '>=', word)
            .andWhere('word', '<', prefixUpperBound(word)),
        },
      }));
    },

    async ensureTable() {
      const schema = strapi.db.getSchemaConnection();
      if (await schema.hasTable(TABLE.recordWords)) return false;
      if (!isPostgres()) {
        // SQLite: WITHOUT ROWID stores the rows in the primary key's own b-tree instead of a rowid
        // table plus that index, so each word is written once (knex's builder cannot say it).
        // Measured in bench:import (100,000 rows): the word rows' share of the commit fell by half.
        await strapi.db.connection.raw(
          `create table ${TABLE.recordWords} (record_id integer not null references ${TABLE.record}(id) on delete cascade, event varchar(255) not null, word varchar(64) not null, primary key (event, word, record_id)) without rowid`
        );
        await strapi.db.connection.raw(`create index ${TABLE.recordWords}_record_idx on ${TABLE.recordWords} (record_id)`);
        return true;
      }
      await schema.createTable(TABLE.recordWords, (t: any) => {
        t.integer('record_id').unsigned().notNullable().references('id').inTable(TABLE.record).onDelete('CASCADE');
        t.string('event', 255).notNullable();
        // Code point order, so the prefix range is right whatever the database's default collation.
        t.specificType('word', 'varchar(64) collate "C"').notNullable();
        t.primary(['event', 'word', 'record_id']);
        t.index(['record_id'], `${TABLE.recordWords}_record_idx`);
      });
      return true;
    },

    /**
     * Fills `searchName` and the word rows of records written before they existed (all records
     * when the word table is new), in batches of 1,000 each in its own transaction, so a large
     * table is indexed without one long lock and an interrupted boot resumes where it stopped.
     */
    async backfill({ all = false } = {}) {
      const [name, firstName, lastName, event, column] = ['name', 'firstName', 'lastName', 'event', 'searchName'].map(recordColumn);
      let lastId = 0;
      let done = 0;
      for (;;) {
        const query = strapi.db
          .getConnection(TABLE.record)
          .select('id', `${event} as event`, `${name} as name`, `${firstName} as firstName`, `${lastName} as lastName`)
          .where('id', '>', lastId)
          .orderBy('id')
          .limit(BATCH);
        const rows: any[] = await (all ? query : query.whereNull(column));
        if (!rows.length) break;
        const indexed = rows.map((r) => ({ id: Number(r.id), event: String(r.event), searchName: searchName(r) }));
        await strapi.db.transaction(async ({ trx }) => {
          await this.setColumn(trx, indexed);
          await this.index(trx, indexed);
        });
        lastId = indexed[indexed.length - 1].id;
        done += rows.length;
      }
      return done;
    },

    /** Stores `searchName` on many rows with one statement. */
    async setColumn(trx: Knex, rows: IndexedRecord[]) {
      const column = recordColumn('searchName');
      if (!rows.length) return;
      if (isPostgres()) {
        await trx.raw(
          `update ${TABLE.record} as r set ${column} = u.s from unnest(?::integer[], ?::text[]) as u(id, s) where r.id = u.id`,
          [rows.map((r) => r.id), rows.map((r) => r.searchName)]
        );
        return;
      }
      await trx.raw(
        `with u(id, s) as (values ${rows.map(() => '(?,?)').join(',')}) update ${TABLE.record} set ${column} = (select s from u where u.id = ${TABLE.record}.id) where id in (select id from u)`,
        rows.flatMap((r) => [r.id, r.searchName])
      );
    },

    async bootstrap() {
      const created = await this.ensureTable();
      const filled = await this.backfill({ all: created });
      if (filled) strapi.log.info(`[certify] indexed the names of ${filled} records for search`);
    },
  };
  return service;
};

export type SearchService = ReturnType<typeof search>;
export default search;
