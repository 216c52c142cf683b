#!/usr/bin/env node
// npm run bench:lookup — what the participant side holds after a race: an event of BENCH_RECORDS
// (default 100,000) published certificates, served by `strapi start` in its own process, driven
// from this one on 127.0.0.1. Four routes (bib lookup, name search, finder page, verify page),
// each: flat out with 200 connections (autocannon, opened over 2 s, and all opened at once, see
// `ramped`; requests/s), at 500 requests/s evenly paced
// (an open-loop client, latency timed from when each request was due: the latency figure), and at
// autocannon's 500 requests/s, which bursts each second (kept for comparison), after a short
// warm-up. The rate limits are off for those runs; a last step restarts the server with the
// default limits and shows one client getting 429s.
// Prints requests/s, p50, p99 and max per route and run, the server's CPU time per request (what
// the code costs, whatever else shares the cores), errors and the server's peak RSS; the same for
// the previous implementation (BENCH_BASELINE, a commit, built in a temporary directory) on bib
// lookups and verify pages, with the ratios; then `lookup_rps: N` (bib lookup, flat out) and, last,
// `p99_ms: N` (bib lookup at 500 requests/s, paced). BENCH_SEED_DB=/path.db keeps the seeded
// database for the next run; BENCH_ROUTES='bib lookup,…' measures only those; BENCH_NODE_ARGS
// passes flags (e.g. --cpu-prof) to the server; BENCH_BASELINE=none skips the previous code.
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

function startServer(dbFile, port, dir = appDir, env = {}) {
  const publicDir = fs.mkdtempSync(path.join(os.tmpdir(), 'certify-bench-public-'));
  fs.mkdirSync(path.join(publicDir, 'uploads'));
  // tests/helpers/env sets PORT=0 (tests listen on any port): the bench's port is set after it.
  const script = `require(${JSON.stringify(path.join(dir, 'tests/helpers/env'))});
    process.env.PORT = ${JSON.stringify(String(port))}; process.env.NODE_ENV = 'production';
    const { createStrapi } = require('@strapi/strapi');
    createStrapi({ appDir: ${JSON.stringify(dir)}, distDir: ${JSON.stringify(path.join(dir, 'dist'))} }).start().then((s) => { s.log.level = 'error'; console.log('bench server ready'); });
    process.on('SIGTERM', () => process.exit(0));`;
  // BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server (written as it exits).
  const nodeArgs = (process.env.BENCH_NODE_ARGS || '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '-e', script], {
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
      ...env,
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

/**
 * The previous implementation, for the comparison the benchmark prints: the tree of BENCH_BASELINE
 * (a commit; default the last one before the participant fast path) unpacked with `git archive`
 * into a temporary directory that borrows this checkout's node_modules, its plugin server and host
 * app built there. BENCH_BASELINE=none skips it.
 */
const BASELINE = process.env.BENCH_BASELINE || '4f615bc';
function prepareBaseline() {
  const { execFileSync } = require('node:child_process');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certify-bench-baseline-'));
  execFileSync('sh', ['-c', `git -C ${JSON.stringify(appDir)} archive ${BASELINE} | tar -x -C ${JSON.stringify(dir)}`]);
  fs.symlinkSync(path.join(appDir, 'node_modules'), path.join(dir, 'node_modules'));
  fs.symlinkSync(path.join(appDir, 'plugins/certify/node_modules'), path.join(dir, 'plugins/certify/node_modules'));
  execFileSync(process.execPath, [path.join(dir, 'scripts/build-plugin-server.js')], { stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(dir, 'scripts/compile-app.js')], { stdio: 'inherit' });
  return dir;
}

const rss = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
  } catch {
    return 0;
  }
};

/** CPU seconds the server process has used (user + system), from /proc. */
const cpuSeconds = (pid) => {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
};

/** `raw`: autocannon's unaggregated result, for `autocannon.aggregateResult` (see `ramped`). */
async function drive(url, pathFor, opts) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        duration: opts.seconds ?? SECONDS,
        connections: opts.connections,
        ...(opts.rate ? { overallRate: opts.rate } : {}),
        ...(opts.raw ? { skipAggregateResult: true } : {}),
        requests: [{ setupRequest: (req) => ({ ...req, path: pathFor() }) }],
      },
      (err, result) => (err ? reject(err) : resolve(result))
    );
    instance.on('error', reject);
  });
}

/**
 * Flat out with `connections` connections opened over the first `rampMs` (groups of ten, each
 * running until the common end), as visitors arrive, rather than all in the same millisecond.
 * Each route also has a run that opens all 200 at once (`drive`): Node accepts one new
 * connection per turn of its event loop (libuv 1.45+, libuv/libuv#3696), so a burst against a
 * busy server waits turn after turn to be accepted; the participant routes keep their turns short
 * (utils/turns.ts), and that run shows it (bench/RESULTS.md, "Lookup: connections opened at once").
 */
async function ramped(url, pathFor, { connections, seconds = SECONDS, rampMs = 2000 }) {
  const { performance } = require('node:perf_hooks');
  const groups = Math.max(1, Math.ceil(connections / 10));
  const started = performance.now();
  const runs = [];
  for (let g = 0; g < groups; g++) {
    const offset = (g * rampMs) / groups;
    const wait = started + offset - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    runs.push(drive(url, pathFor, { seconds: seconds + (rampMs - offset) / 1000, connections: Math.min(10, connections - g * 10), raw: true }));
  }
  const results = await Promise.all(runs);
  const elapsed = (performance.now() - started) / 1000;
  const all = autocannon.aggregateResult(results, { url, connections });
  // Requests/s over the whole run, the ramp included (what the server answered in that time).
  return { ...all, requests: { average: all.latency.totalCount / elapsed, total: all.latency.totalCount } };
}

/** BENCH_SEED_DB=/path.db keeps the seeded database (and its slug and codes beside it) for the next run. */
async function seeded(dbFile) {
  const keep = process.env.BENCH_SEED_DB;
  if (keep && fs.existsSync(keep) && fs.existsSync(`${keep}.json`)) {
    fs.copyFileSync(keep, dbFile);
    console.log(`# reusing the seeded database ${keep}`);
    return JSON.parse(fs.readFileSync(`${keep}.json`, 'utf8'));
  }
  const seededData = await seed(dbFile);
  if (keep) {
    fs.copyFileSync(dbFile, keep);
    fs.writeFileSync(`${keep}.json`, JSON.stringify(seededData));
  }
  return seededData;
}

/**
 * `500 req/s paced` is the latency figure: an open-loop client sends one request every 2 ms
 * whatever the answers do, and times each from when it was due to be sent (a stalled client does
 * not hide a stalled server). autocannon's own rate mode (`overallRate`) is not that: each of its
 * connections sends its share of the second back to back as soon as the second starts, so all 50
 * connections burst together at every second's tick; its row is kept for comparison.
 */
const RUNS = [
  { label: 'flat out, 200 conn', connections: 200, ramped: true },
  { label: 'flat out, 200 conn opened at once', connections: 200 },
  { label: '500 req/s paced', paced: true, rate: 500 },
  { label: '500 req/s autocannon (bursts each second)', connections: 50, rate: 500 },
];

/** An open-loop client: `rate` requests a second, evenly spaced, each timed from when it was due. */
async function paced(url, pathFor, { rate, seconds = SECONDS }) {
  const http = require('node:http');
  const { performance } = require('node:perf_hooks');
  const { hostname, port } = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const total = rate * seconds;
  const interval = 1000 / rate;
  const latencies = [];
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  let settled = 0;
  const start = performance.now();
  await new Promise((resolve) => {
    const finish = () => ++settled === total && resolve();
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        const due = start + sent * interval;
        sent++;
        const req = http.get({ agent, hostname, port, path: pathFor() }, (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if (res.statusCode < 200 || res.statusCode >= 300) non2xx++;
            finish();
          });
        });
        req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
        req.on('error', () => {
          errors++;
          finish();
        });
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  const elapsed = (performance.now() - start) / 1000;
  return {
    requests: { average: latencies.length / elapsed, total: latencies.length },
    latency: { p50: at(0.5), p99: at(0.99), max: Math.round(sorted[sorted.length - 1] ?? 0) },
    errors,
    non2xx,
    timeouts: 0,
  };
}

/** Drives one server through the given routes (after a short warm-up that is not counted). */
async function measureServer(server, base, routes) {
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rss(server.child.pid))), 250);
  const rows = [];
  try {
    for (const [, pathFor] of routes) await drive(base, pathFor, { connections: 20, seconds: 2 });
    for (const [name, pathFor] of routes) {
      for (const run of RUNS) {
        const cpu0 = cpuSeconds(server.child.pid);
        const r = run.paced ? await paced(base, pathFor, run) : run.ramped ? await ramped(base, pathFor, run) : await drive(base, pathFor, run);
        // Server CPU per answered request: what the code costs, whatever else shares the cores.
        const cpuMs = r.requests.total ? ((cpuSeconds(server.child.pid) - cpu0) * 1000) / r.requests.total : 0;
        // autocannon's `errors` include its timeouts.
        const row = { name, run: run.label, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, errors: r.errors + r.non2xx, total: r.requests.total, cpuMs };
        console.log(`# ${name}, ${run.label}: ${row.rps} req/s, p99 ${r.latency.p99} ms, ${cpuMs.toFixed(2)} ms server CPU per request, non-2xx ${r.non2xx}, errors ${r.errors} (of which timeouts ${r.timeouts})`);
        rows.push(row);
        await settle(base);
      }
    }
  } finally {
    clearInterval(sampler);
  }
  return { rows, peak };
}

/** Waits until the server has worked off what an overloaded run left queued (up to a minute). */
async function settle(base) {
  for (let i = 0; i < 60; i++) {
    const t = Date.now();
    const ok = await fetch(`${base}/_health`, { signal: AbortSignal.timeout(5000) }).then((r) => r.ok, () => false);
    if (ok && Date.now() - t < 50) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function stopServer(server) {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  process.kill(-server.child.pid, 'SIGTERM');
  await exited;
  fs.rmSync(server.publicDir, { recursive: true, force: true });
}

const table = (rows) => {
  console.log('| route | run | requests/s | p50 ms | p99 ms | max ms | server CPU ms/request | errors (timeouts, non-2xx) |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.run} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.max} | ${r.cpuMs.toFixed(2)} | ${r.errors} |`);
};

/** The limits as configured by default (finder: 120 a minute per IP): one client asks 150 times. */
async function showLimits(dbFile, port, slug) {
  const server = startServer(dbFile, port, appDir, { CERTIFY_RATE_LIMIT: 'true' });
  await server.ready;
  const statuses = new Map();
  let retryAfter = null;
  try {
    for (let i = 1; i <= 150; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/api/certify/events/${slug}/certificates?bib=${i}`);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 429) retryAfter ??= res.headers.get('retry-after');
      await res.arrayBuffer();
    }
  } finally {
    await stopServer(server);
  }
  console.log(`Limits on (the defaults: finder 120 requests a minute per IP): 150 bib lookups from one client answered ${[...statuses].map(([s, n]) => `${n} × ${s}`).join(', ')}; the first 429 said Retry-After: ${retryAfter} s.`);
}

async function main() {
  const dbFile = path.join(os.tmpdir(), `certify-bench-lookup-${process.pid}.db`);
  const { slug, codes } = await seeded(dbFile);
  const port = 20000 + (process.pid % 20000);
  const base = `http://127.0.0.1:${port}`;
  const rand = (n) => 1 + Math.floor(Math.random() * n);
  const routes = [
    ['bib lookup', () => `/api/certify/events/${slug}/certificates?bib=${rand(N)}`],
    ['name search', () => `/api/certify/events/${slug}/certificates?name=${encodeURIComponent(`${NAMES[rand(NAMES.length) - 1].split(' ')[0]} ${rand(N)}`)}`],
    ['finder page', () => `/certificates/${slug}?bib=${rand(N)}`],
    ['verify page', () => `/verify/${codes[rand(codes.length) - 1]}`],
  ];
  const only = process.env.BENCH_ROUTES ? process.env.BENCH_ROUTES.split(',') : null;
  let baseline = null;
  let current;
  try {
    if (BASELINE !== 'none') {
      // The previous implementation first, on the same database, for bib lookups and verify pages.
      const dir = prepareBaseline();
      try {
        const server = startServer(dbFile, port, dir);
        await server.ready;
        try {
          baseline = await measureServer(server, base, routes.filter(([n]) => n === 'bib lookup' || n === 'verify page'));
        } finally {
          await stopServer(server);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    const server = startServer(dbFile, port);
    await server.ready;
    try {
      current = await measureServer(server, base, routes.filter(([n]) => !only || only.includes(n)));
    } finally {
      await stopServer(server);
    }
    if (!only) await showLimits(dbFile, port, slug);
  } finally {
    for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
  }
  console.log('');
  console.log(`Lookup benchmark: ${N.toLocaleString('en')} published records, SQLite, ${SECONDS} s per run, rate limits raised (off), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`Server peak RSS ${Math.round(current.peak / 1048576)} MB`);
  table(current.rows);
  if (baseline) {
    console.log('');
    console.log(`Previous implementation (${BASELINE}, same run, same database): server peak RSS ${Math.round(baseline.peak / 1048576)} MB`);
    table(baseline.rows);
    for (const row of baseline.rows) {
      const now = current.rows.find((r) => r.name === row.name && r.run === row.run);
      if (now) console.log(`# ${row.name}, ${row.run}: ${(now.rps / row.rps).toFixed(1)}x the requests/s, p99 ${row.p99} → ${now.p99} ms, server CPU per request ${row.cpuMs.toFixed(2)} → ${now.cpuMs.toFixed(2)} ms`);
    }
  }
  const bib = (label) => current.rows.find((r) => r.name === 'bib lookup' && r.run === label);
  console.log(`lookup_rps: ${bib('flat out, 200 conn')?.rps ?? 'n/a'}`);
  console.log(`p99_ms_autocannon_bursts: ${bib('500 req/s autocannon (bursts each second)')?.p99 ?? 'n/a'}`);
  console.log(`p99_ms: ${bib('500 req/s paced')?.p99 ?? 'n/a'}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
