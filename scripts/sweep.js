#!/usr/bin/env node
// `npm run sweep [-- --older-than-minutes N]`: removes Certify's stored files that no media row
// refers to (left by a process that died between storing a batch's files and committing it), then
// prints what it did as JSON. Workers also sweep at start and every CERTIFY_SWEEP_EVERY_MS.
const fs = require('node:fs');
const path = require('node:path');

const appDir = path.join(__dirname, '..');
const distDir = path.join(appDir, 'dist');

async function main() {
  const i = process.argv.indexOf('--older-than-minutes');
  const minutes = i > 0 ? Number(process.argv[i + 1]) : undefined;
  if (minutes !== undefined && !(Number.isFinite(minutes) && minutes >= 0)) {
    console.error('--older-than-minutes takes a number of minutes (0 or more), e.g. --older-than-minutes 30');
    process.exit(2);
  }
  if (!fs.existsSync(path.join(distDir, 'config')) || !fs.existsSync(path.join(appDir, 'plugins/certify/dist/server/index.js'))) {
    console.error('The app is not built: run `npm run build:server` (or `npm run build`) first.');
    process.exit(1);
  }
  const { createStrapi } = require('@strapi/strapi');
  const strapi = await createStrapi({ appDir, distDir }).load();
  strapi.log.level = 'warn';
  try {
    const result = await strapi.plugin('certify').service('orphans').sweep(minutes === undefined ? {} : { graceMs: minutes * 60_000 });
    console.log(JSON.stringify(result));
  } finally {
    await strapi.destroy();
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
