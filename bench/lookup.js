#!/usr/bin/env node
// npm run bench:lookup — what the participant side holds after a race: an event of BENCH_RECORDS
// (default 100,000) published certificates, served by `strapi start` in its own process, driven by
// autocannon from this one on 127.0.0.1. Four routes (bib lookup, name search, finder page, verify
// page), each twice: flat out with 200 connections (requests/s) and at a fixed 500 requests/s
// (latency without overload). The rate limits are raised for the run (they are measured
// separately by tests/integration/limits.test.ts). Prints requests/s, p50, p99 and max per route
// and run, errors and the server's peak RSS; then `lookup_rps: N` (bib lookup, flat out) and, last,
// `p99_ms: N` (bib lookup at 500 requests/s).
require('../tests/helpers/env');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const autocannon = require('autocannon');

const N = Number(process.env.BENCH_RECORDS) || 100_000;
const SECONDS = Number(process.env.BENCH_SECONDS) || 20;
const appDir = path.join(__dirname, '..');

const NAMES = ['Eleni Papadopoulou', 'Jan Kowalski', 'Zoë Müller', 'Дмитрий Иванов', 'Νίκος Παππάς', 'José Rodríguez', 'Li Wei', '山田 太郎', 'Seán O’Brien', 'Anna Smith'];

async function seed(dbFile) {
  const { bootStrapi } = require('../tests/helpers/boot');
  const { strapi, cleanup } = await bootStrapi({ sqliteFile: dbFile, env: { CERTIFY_QUEUE_IN_PROCESS: 'false' } });
  const org = await strapi.documents('api::organisation.organisation').create({ data: { name: 'Bench org', plan: 'pro' } });
  const slug = `bench-lookup-${Date.now()}`;
  const ev = await strapi.documents('api::event.event').create({ data: { name: 'Bench Marathon', slug, date: '2026-10-04', organisation: org.documentId } });
  const rows = ['Bib,Name,Category,Time,Rank'];
  for (let i = 1; i <= N; i++) rows.push(`${i},"${NAMES[i % NAMES.length]} ${i}",${i % 2 ? 'M40' : 'F35'},0${i % 5}:${String(i % 60).padStart(2, '0')}:00,${i}`);
  let t = Date.now();
  await strapi.plugin('certify').service('import').importNow(ev.documentId, { buffer: Buffer.from(rows.join('\n')) });
  console.log(`# imported ${N.toLocaleString('en')} records in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  // Published without rendering: one stand-in PDF for all (the routes measured never read it).
  t = Date.now();
  const knex = strapi.db.connection;
  const [file] = await strapi.db.query('plugin::upload.file').create({ data: { name: 'bench.pdf', hash: 'bench', ext: '.pdf', mime: 'application/pdf', size: 1, url: '/uploads/bench.pdf', provider: 'local' } }).then((f) => [f]);
  await knex('certify_records').where({ event: ev.documentId }).update({ status: 'published', rendered_hash: 'bench', certified_at: new Date() });
  const ids = await knex('certify_records').where({ event: ev.documentId }).select('id');
  const morph = strapi.db.metadata.get('plugin::upload.file').attributes.related.joinTable.name;
  for (let i = 0; i < ids.length; i += 500) {
    await knex(morph).insert(ids.slice(i, i + 500).map(({ id }) => ({ file_id: file.id, related_id: id, related_type: 'plugin::certify.record', field: 'pdf', order: 1 })));
  }
  const codes = (await knex('certify_records').where({ event: ev.documentId }).orderByRaw('random()').limit(2000).select('verification_code')).map((r) => r.verification_code);
  console.log(`# published (SQL) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  await strapi.destroy();
  await cleanup({ keepDatabase: true });
  return { slug, codes };
}

function startServer(dbFile, port) {
  const publicDir = fs.mkdtempSync(path.join(os.tmpdir(), 'certify-bench-public-'));
  fs.mkdirSync(path.join(publicDir, 'uploads'));
  const script = `require(${JSON.stringify(path.join(appDir, 'tests/helpers/env'))});
    const { createStrapi } = require('@strapi/strapi');
    createStrapi({ appDir: ${JSON.stringify(appDir)}, distDir: ${JSON.stringify(path.join(appDir, 'dist'))} }).start().then((s) => { s.log.level = 'error'; console.log('bench server ready'); });`;
  const child = spawn(process.execPath, ['-e', script], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: dbFile,
      PUBLIC_DIR: publicDir,
      CERTIFY_QUEUE_IN_PROCESS: 'false',
      CERTIFY_RATE_LIMIT: 'false',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const ready = new Promise((resolve, reject) => {
    const t = setInterval(() => {
      if (out.includes('bench server ready')) {
        clearInterval(t);
        resolve();
      }
    }, 200);
    child.on('exit', (code) => reject(new Error(`bench server exited (${code}): ${out.slice(-2000)}`)));
  });
  return { child, ready, publicDir };
}

const rss = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
  } catch {
    return 0;
  }
};

async function drive(url, pathFor, opts) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        duration: SECONDS,
        connections: opts.connections,
        ...(opts.rate ? { overallRate: opts.rate } : {}),
        requests: [{ setupRequest: (req) => ({ ...req, path: pathFor() }) }],
      },
      (err, result) => (err ? reject(err) : resolve(result))
    );
    instance.on('error', reject);
  });
}

async function main() {
  const dbFile = path.join(os.tmpdir(), `certify-bench-lookup-${process.pid}.db`);
  const { slug, codes } = await seed(dbFile);
  const port = 20000 + (process.pid % 20000);
  const server = startServer(dbFile, port);
  await server.ready;
  const base = `http://127.0.0.1:${port}`;
  const rand = (n) => 1 + Math.floor(Math.random() * n);
  const routes = [
    ['bib lookup', () => `/api/certify/events/${slug}/certificates?bib=${rand(N)}`],
    ['name search', () => `/api/certify/events/${slug}/certificates?name=${encodeURIComponent(`${NAMES[rand(NAMES.length) - 1].split(' ')[0]} ${rand(N)}`)}`],
    ['finder page', () => `/certificates/${slug}?bib=${rand(N)}`],
    ['verify page', () => `/verify/${codes[rand(codes.length) - 1]}`],
  ];
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rss(server.child.pid))), 250);
  const rows = [];
  try {
    for (const [name, pathFor] of routes) {
      for (const run of [{ label: 'flat out, 200 conn', connections: 200 }, { label: '500 req/s offered', connections: 50, rate: 500 }]) {
        const r = await drive(base, pathFor, run);
        rows.push({ name, run: run.label, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, errors: r.errors + r.timeouts + r.non2xx, total: r.requests.total });
        console.log(`# ${name}, ${run.label}: ${Math.round(r.requests.average)} req/s, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}`);
      }
    }
  } finally {
    clearInterval(sampler);
    process.kill(-server.child.pid, 'SIGTERM');
    fs.rmSync(server.publicDir, { recursive: true, force: true });
    for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
  }
  console.log('');
  console.log(`Lookup benchmark: ${N.toLocaleString('en')} published records, SQLite, ${SECONDS} s per run, server peak RSS ${Math.round(peak / 1048576)} MB`);
  console.log('| route | run | requests/s | p50 ms | p99 ms | max ms | errors (non-2xx, timeouts) |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.run} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.max} | ${r.errors} |`);
  console.log(`lookup_rps: ${rows[0].rps}`);
  console.log(`p99_ms: ${rows[1].p99}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
