import type { Core } from '@strapi/strapi';
import { LRUCache } from 'lru-cache';

type Knex = Core.Strapi['db']['connection'];

/** The part of a better-sqlite3 statement used here. */
export interface PreparedStatement {
  all(...bindings: unknown[]): Array<Record<string, unknown>>;
  run(...bindings: unknown[]): { changes: number };
  /** Rows as arrays in column order instead of objects (no per-row key lookups, less garbage). */
  raw(toggle?: boolean): PreparedStatement;
}

type NativeConnection = { prepare(sql: string): PreparedStatement };
type ConnectionClient = { acquireConnection(): Promise<NativeConnection>; releaseConnection(conn: NativeConnection): unknown };

/*
 * knex hands better-sqlite3 each statement as new text: better-sqlite3 compiles it again, and knex
 * first walks the SQL once per placeholder to fit the bindings in. For a five-table join (the
 * participant lookup) and for an import's multi-row inserts (13,000 bindings a statement) those two
 * were the largest costs after SQLite's own work (CPU profiles in bench/RESULTS.md). Statements
 * run here are compiled once per connection and SQL text, and bound directly.
 */
const prepared = new WeakMap<NativeConnection, LRUCache<string, PreparedStatement>>();

const statementOf = (conn: NativeConnection, sql: string): PreparedStatement => {
  let statements = prepared.get(conn);
  // Bounded: an import's last batch of each file has its own length, hence its own text.
  if (!statements) prepared.set(conn, (statements = new LRUCache({ max: 64 })));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = conn.prepare(sql)));
  return statement;
};

/** Bindings as knex's better-sqlite3 dialect passes them: dates as epoch milliseconds, booleans as 0/1. */
export const sqliteValue = (value: unknown): unknown =>
  value instanceof Date ? value.valueOf() : typeof value === 'boolean' ? Number(value) : value;

/**
 * Runs `use` with prepared statements of SQLite's own connection: the transaction's when `db` is a
 * knex transaction (its statements then belong to it), else the pool's, released afterwards.
 * `use` is synchronous, as better-sqlite3 is. SQLite only: PostgreSQL goes through knex.
 */
export async function withSqlite<T>(db: Knex, use: (statement: (sql: string) => PreparedStatement) => T): Promise<T> {
  const client = (db as unknown as { client: ConnectionClient }).client;
  const conn = await client.acquireConnection();
  try {
    return use((sql) => statementOf(conn, sql));
  } finally {
    await client.releaseConnection(conn);
  }
}
