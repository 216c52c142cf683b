#!/usr/bin/env node
/**
 * npm test: the unit and integration tests on SQLite (the plugin server is built once before, by
 * `pretest`). With CERTIFY_TEST_POSTGRES_URL set (a postgres:// URL), the integration tests also
 * run on PostgreSQL at the same time, in a second jest process: on two cores the two databases
 * take about the time of one. `DATABASE_URL=postgres://… npm test` runs everything on PostgreSQL
 * alone. Arguments after `--` go to both jest runs. Prints one summary line per database and
 * exits non-zero if either run failed.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const args = process.argv.slice(2);
const jest = require.resolve('jest/bin/jest');
const alsoPostgres = process.env.CERTIFY_TEST_POSTGRES_URL;
const onPostgres = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '') || process.env.DATABASE_CLIENT === 'postgres';

function run(label, projects, env) {
  const out = path.join(os.tmpdir(), `certify-test-${label.toLowerCase()}-${process.pid}.json`);
  const child = spawn(process.execPath, [jest, '--selectProjects', ...projects, '--json', `--outputFile=${out}`, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Side by side, each line says which run it belongs to.
  const prefix = alsoPostgres ? `[${label}] ` : '';
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${prefix}${line}\n`));
  }
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      let summary = `${label}: no results (jest exited with ${code})`;
      try {
        const r = JSON.parse(fs.readFileSync(out, 'utf8'));
        summary = `${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`;
        fs.rmSync(out, { force: true });
      } catch {
        // jest stopped before writing its results: the summary says so.
      }
      resolve({ code: code ?? 1, summary });
    });
  });
}

async function main() {
  const base = { ...process.env };
  const runs = [];
  if (onPostgres) {
    runs.push(run('PostgreSQL', ['unit', 'integration'], base));
  } else {
    const sqlite = { ...base, DATABASE_CLIENT: 'sqlite' };
    delete sqlite.DATABASE_URL;
    delete sqlite.CERTIFY_REDIS_URL;
    runs.push(run('SQLite', ['unit', 'integration'], sqlite));
    if (alsoPostgres) {
      const pg = { ...base, DATABASE_URL: alsoPostgres, CERTIFY_REDIS_URL: base.CERTIFY_REDIS_URL ?? base.REDIS_URL ?? '' };
      if (!pg.CERTIFY_REDIS_URL) delete pg.CERTIFY_REDIS_URL;
      delete pg.DATABASE_CLIENT;
      runs.push(run('PostgreSQL', ['integration'], pg));
    }
  }
  const results = await Promise.all(runs);
  for (const r of results) console.log(r.summary);
  process.exit(results.some((r) => r.code !== 0) ? 1 : 0);
}

main();
