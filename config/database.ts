import path from 'path';
import type { Core } from '@strapi/strapi';

/**
 * Which database, in order:
 * - `DATABASE_URL` set: it must be a postgres:// URL, and PostgreSQL is used, whatever
 *   `DATABASE_CLIENT` says. An explicit URL is what the operator means; a `DATABASE_CLIENT=sqlite`
 *   next to it is usually a leftover (older `npm run demo` runs wrote one into `.env`), so it is
 *   overridden with a warning instead of silently winning.
 * - else `DATABASE_CLIENT=postgres`: PostgreSQL from DATABASE_HOST/PORT/NAME/USERNAME/PASSWORD.
 * - else SQLite at DATABASE_FILENAME (relative to the app root, or absolute), default .tmp/data.db.
 * DATABASE_SCHEMA selects the PostgreSQL schema (the tests give every test file its own).
 */
export const chooseClient = (url: string, client: string | undefined): 'postgres' | 'sqlite' => {
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new Error(
        `DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database), got "${url.split(':')[0]}:…". ` +
          'For SQLite, unset DATABASE_URL and set DATABASE_FILENAME.'
      );
    }
    if (client && client !== 'postgres') {
      console.warn(
        `[config] DATABASE_URL is a PostgreSQL URL, so PostgreSQL is used although DATABASE_CLIENT=${client}. ` +
          'Remove DATABASE_CLIENT (e.g. from .env) to silence this warning.'
      );
    }
    return 'postgres';
  }
  const chosen = client || 'sqlite';
  if (chosen !== 'postgres' && chosen !== 'sqlite') {
    throw new Error(`Unsupported DATABASE_CLIENT "${chosen}": Certify supports "sqlite" and "postgres".`);
  }
  return chosen;
};

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Database => {
  const url = env('DATABASE_URL', '');
  const client = chooseClient(url, env('DATABASE_CLIENT', ''));

  if (client === 'postgres') {
    return {
      connection: {
        client: 'postgres',
        connection: {
          connectionString: url || undefined,
          host: env('DATABASE_HOST', '127.0.0.1'),
          port: env.int('DATABASE_PORT', 5432),
          database: env('DATABASE_NAME', 'strapi'),
          user: env('DATABASE_USERNAME', 'postgres'),
          password: env('DATABASE_PASSWORD', ''),
          ssl: env.bool('DATABASE_SSL', false) && { rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true) },
          schema: env('DATABASE_SCHEMA', 'public'),
        },
        pool: { min: env.int('DATABASE_POOL_MIN', 0), max: env.int('DATABASE_POOL_MAX', 10) },
        acquireConnectionTimeout: env.int('DATABASE_CONNECTION_TIMEOUT', 60000),
      },
    };
  }
  const filename = env('DATABASE_FILENAME', '') || '.tmp/data.db';
  return {
    connection: {
      client: 'sqlite',
      connection: {
        filename: path.isAbsolute(filename) ? filename : path.join(__dirname, '..', '..', filename),
      },
      useNullAsDefault: true,
      acquireConnectionTimeout: env.int('DATABASE_CONNECTION_TIMEOUT', 60000),
    },
  };
};

export default config;
