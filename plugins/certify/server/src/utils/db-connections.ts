import type { Core } from '@strapi/strapi';

type Dialect = { initialize(nativeConnection: unknown): Promise<void> };
type NativeConnection = { end?: () => unknown };

/**
 * Strapi (5.54) sets each new PostgreSQL connection's search_path in the pool's afterCreate
 * without a catch: when the database drops the connection at that moment (a restart, a failover,
 * pg_terminate_backend) the rejection is unhandled, which ends a Node process, and the pool never
 * hears back about that connection. Here a failed set-up closes the connection and is logged; the
 * pool's create timeout then gives up on it and opens another, and the query waiting for it fails
 * and is retried like any other database error.
 */
export function guardConnectionSetup(strapi: Core.Strapi) {
  const dialect = strapi.db?.dialect as unknown as Dialect | undefined;
  if (!dialect || typeof dialect.initialize !== 'function' || strapi.db.dialect.client !== 'postgres') return;
  const initialize = dialect.initialize.bind(dialect);
  dialect.initialize = (nativeConnection: unknown) =>
    initialize(nativeConnection).catch((err: Error) => {
      strapi.log.warn(`[certify] a new database connection failed while being set up, closed: ${err.message}`);
      try {
        (nativeConnection as NativeConnection).end?.();
      } catch {
        /* already gone */
      }
      return new Promise<void>(() => undefined);
    });
}
