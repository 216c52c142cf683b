// Which database the integration tests run on: PostgreSQL when DATABASE_URL (or
// DATABASE_CLIENT=postgres) says so, SQLite otherwise. Each test file gets its own database
// (a SQLite file, or a PostgreSQL schema) so files can run in parallel.
const os = require('node:os');
const path = require('node:path');

const isPostgres = () =>
  process.env.DATABASE_CLIENT === 'postgres' || /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '');

const pgConfig = () => {
  const { Client } = require('pg');
  return new Client(
    process.env.DATABASE_URL
      ? { connectionString: process.env.DATABASE_URL }
      : {
          host: process.env.DATABASE_HOST ?? '127.0.0.1',
          port: Number(process.env.DATABASE_PORT ?? 5432),
          database: process.env.DATABASE_NAME ?? 'test',
          user: process.env.DATABASE_USERNAME ?? 'postgres',
          password: process.env.DATABASE_PASSWORD ?? '',
        }
  );
};

const pgQuery = async (sql) => {
  const client = pgConfig();
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
};

const TEMPLATE_SQLITE = path.join(os.tmpdir(), `certify-test-template-${process.env.CERTIFY_TEST_RUN ?? 'local'}.db`);

module.exports = { isPostgres, pgQuery, TEMPLATE_SQLITE };
