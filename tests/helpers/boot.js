// Boots the real app (compiled host app in dist/ + the built plugin) on its own database.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { isPostgres, pgQuery, TEMPLATE_SQLITE } = require('./db');

const appDir = path.join(__dirname, '..', '..');

async function bootStrapi({ sqliteFile, pgSchema, fresh = false, env = {} } = {}) {
  const id = crypto.randomBytes(5).toString('hex');
  const publicDir = fs.mkdtempSync(path.join(os.tmpdir(), 'certify-public-'));
  fs.mkdirSync(path.join(publicDir, 'uploads'), { recursive: true });
  process.env.PUBLIC_DIR = publicDir;
  Object.assign(process.env, env);

  let schema = null;
  let dbFile = null;
  if (isPostgres()) {
    // A given schema is booted again as it is (a restart); otherwise a new one.
    schema = pgSchema ?? `t_${id}`;
    if (!pgSchema) await pgQuery(`CREATE SCHEMA "${schema}"`);
    process.env.DATABASE_CLIENT = 'postgres';
    process.env.DATABASE_SCHEMA = schema;
  } else {
    dbFile = sqliteFile ?? path.join(os.tmpdir(), `certify-test-${id}.db`);
    if (!fresh && fs.existsSync(TEMPLATE_SQLITE)) fs.copyFileSync(TEMPLATE_SQLITE, dbFile);
    process.env.DATABASE_CLIENT = 'sqlite';
    process.env.DATABASE_FILENAME = dbFile;
  }

  const { createStrapi } = require('@strapi/strapi');
  // Quiet from the start (Strapi's migration and start-up lines are info), without changing the
  // level that processes spawned by a test inherit.
  const level = process.env.TEST_LOG_LEVEL ?? 'error';
  const before = process.env.LOG_LEVEL;
  if (before === undefined) process.env.LOG_LEVEL = level;
  let strapi;
  try {
    strapi = await createStrapi({ appDir, distDir: path.join(appDir, 'dist') }).load();
  } finally {
    if (before === undefined) delete process.env.LOG_LEVEL;
  }
  strapi.log.level = level;
  await strapi.server.mount();

  const cleanup = async ({ keepDatabase = false } = {}) => {
    fs.rmSync(publicDir, { recursive: true, force: true });
    if (keepDatabase) return;
    if (schema) await pgQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    if (dbFile) for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
  };
  return { strapi, cleanup, publicDir };
}

module.exports = { bootStrapi, appDir };
