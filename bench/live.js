#!/usr/bin/env node
// npm run bench:live — race night: results pushed through the partner route into a live event
// (published once, a proxy source, the demo template) at BENCH_LIVE_RATE finishers per second
// (default 20) for BENCH_LIVE_SECONDS (default 60), while a bulk import of BENCH_LIVE_BULK records
// (default 600, more than queue.live.maxRecords: bulk work) is queued ahead of them. For every
// finisher: the time from its push being accepted (the 200 answer) to its certificate being listed
// by the participant API (GET /api/certify/events/:slug/certificates) and its PDF downloading.
// Pushes carry BENCH_LIVE_PER_PUSH finishers each (default 5: four pushes a second).
// Set-ups, each in a process of its own: SQLite with the in-process local queue; the same with
// live priority switched off (CERTIFY_QUEUE_LIVE=false, the naive way: pushes wait behind the bulk
// work); PostgreSQL with two `npm run worker` BullMQ workers, each rendering on half the cores'
// worth of Chromium pages (CERTIFY_RENDER_PAGES overrides; BENCH_LIVE_PG=0 skips the set-up).
// Last line: `live_p95_s: N` (SQLite, local queue, live priority on).
require('../tests/helpers/env');
const crypto = require('node:crypto');
const os = require('node:os');
const path = require('node:path');
const { spawn, execSync } = require('node:child_process');

const RATE = Number(process.env.BENCH_LIVE_RATE) || 20;
const SECONDS = Number(process.env.BENCH_LIVE_SECONDS) || 60;
const BULK = Number(process.env.BENCH_LIVE_BULK ?? 600);
const PER_PUSH = Number(process.env.BENCH_LIVE_PER_PUSH) || 5;
const WAIT_S = Number(process.env.BENCH_LIVE_WAIT_S) || 400;
const POLL_MS = 200;
const PG_URL = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const quantile = (sorted, q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN);
const s1 = (ms) => Math.round(ms / 100) / 10;
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');

/** One set-up, in this process: boot, prepare the live event, push, measure. Prints one JSON line. */
async function child(setup) {
  const { bootStrapi } = require('../tests/helpers/boot');
  const bull = setup === 'pg-bullmq';
  const queueName = `certify-live-${crypto.randomBytes(3).toString('hex')}`;
  const env = {
    CERTIFY_RATE_LIMIT: 'false',
    CERTIFY_QUEUE: bull ? 'bullmq' : 'local',
    CERTIFY_QUEUE_NAME: queueName,
    CERTIFY_QUEUE_IN_PROCESS: bull ? 'false' : 'true',
    CERTIFY_QUEUE_LIVE: setup === 'sqlite-naive' ? 'false' : 'true',
  };
  const { strapi, cleanup } = await bootStrapi({ env });
  strapi.log.level = 'error';
  const server = strapi.server.httpServer;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const svc = (n) => strapi.plugin('certify').service(n);

  const workers = [];
  if (bull) {
    // The machine's cores shared between the two workers' Chromium pages (one page per core, as
    // docs/PRODUCTION.md sizes a machine): two pages each on two cores ran four renders on two
    // cores, and the live results waited for a core (p95 5.9 s against 2.7 s, RESULTS.md).
    const pages = process.env.CERTIFY_RENDER_PAGES ?? String(Math.max(1, Math.floor(os.cpus().length / 2)));
    const workerEnv = { ...process.env, CERTIFY_QUEUE_IN_PROCESS: 'false', CERTIFY_RENDER_PAGES: pages };
    // One after the other: two processes syncing one schema at once can trip over each other.
    for (let i = 0; i < 2; i++) {
      const proc = spawn(process.execPath, [path.join(__dirname, '..', 'node_modules', '.bin', 'certify-worker')], { env: workerEnv, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      let code = null;
      proc.stdout.on('data', (d) => (out += d));
      const worker = { proc, ready: () => out.includes('certify worker ready'), exited: new Promise((r) => proc.on('exit', (c) => r((code = c ?? -1)))) };
      workers.push(worker);
      while (!worker.ready()) {
        if (code !== null) throw new Error(`worker ${i + 1} exited with ${code} before it was ready: ${out.slice(-500)}`);
        await sleep(200);
      }
    }
  }

  const org = await strapi.documents('api::organisation.organisation').create({ data: { name: 'Live bench org', plan: 'pro' } });
  const slug = `live-${setup}-${Date.now()}`;
  const event = await strapi.documents('api::event.event').create({ data: { name: 'Race night', slug, date: '2026-10-04', organisation: org.documentId } });
  const eventId = event.documentId;
  await svc('templates').createDemo(eventId);
  const source = await svc('sources').create(eventId, { name: 'Timing partner', kind: 'proxy' });
  const pushUrl = `${base}/api/certify/sources/${source.documentId}/push`;
  const header = 'Bib,Name,Category,Time';
  const row = (bib, name) => `${bib},${name},${bib % 2 ? 'M40' : 'F35'},0${bib % 5}:${String(bib % 60).padStart(2, '0')}:00`;
  const push = async (rows) => {
    const res = await fetch(pushUrl, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${source.token}` }, body: [header, ...rows].join('\n') });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`push answered ${res.status}: ${body.slice(0, 300)}`);
  };
  const waitRun = async () => {
    for (;;) {
      const p = await svc('publish').current(eventId);
      if (p && ['finished', 'cancelled', 'failed'].includes(p.status)) return p;
      await sleep(250);
    }
  };

  // Live: the first finisher, published once.
  await push([row(1, 'First Finisher')]);
  await svc('publish').start(eventId, {});
  await waitRun();

  // Bulk work queued ahead of the live results: a file of the whole field (more than the live limit).
  if (BULK > 0) await push(Array.from({ length: BULK }, (_, k) => row(100_000 + k, `Field Runner ${k}`)));
  const bulkIds = (await strapi.db.query('plugin::certify.record').findMany({ where: { event: eventId, bib: { $in: Array.from({ length: BULK }, (_, k) => String(100_000 + k)) } }, select: ['documentId'] })).map((r) => r.documentId);
  const bulkQueued = async () => {
    let n = 0;
    for (let i = 0; i < bulkIds.length; i += 500) n += Number((await strapi.db.connection('certify_jobs').whereIn('record_id', bulkIds.slice(i, i + 500)).whereIn('status', ['queued', 'running']).count({ n: '*' }))[0].n);
    return n;
  };

  // Finishers: pushed open-loop at RATE per second; watched per second of pushing ("cohort", a
  // word of the name, so one finder query by name lists the cohort's certificates).
  const finishers = [];
  const pushMs = [];
  const cohorts = new Map();
  let pushErrors = 0;
  const started = Date.now();
  const total = RATE * SECONDS;
  let nextBib = 2;
  const pushes = [];
  let downloadErrors = 0;
  let pollErrors = 0;
  let downloaded = 0;
  const watch = async (until) => {
    while (Date.now() < until) {
      const open = [...cohorts].filter(([, list]) => [...list.values()].some((f) => !f.seenAt));
      if (!open.length && pushes.length >= total / PER_PUSH && finishers.length + pushErrors >= total) return;
      await Promise.all(
        open.map(async ([cohort, list]) => {
          for (let page = 1; page <= Math.ceil(list.size / 50); page++) {
            let data;
            try {
              const res = await fetch(`${base}/api/certify/events/${slug}/certificates?name=${cohort}&pageSize=50&page=${page}`);
              if (res.status !== 200) continue;
              ({ data } = await res.json());
            } catch {
              pollErrors += 1; // a connection reset under load: asked again on the next round
              continue;
            }
            const now = Date.now();
            for (const c of data.results) {
              const f = list.get(c.bib);
              if (!f || f.seenAt) continue;
              f.seenAt = now;
              // The PDF must download, not only be listed.
              fetch(`${base}${c.pdfUrl}`).then(
                async (pdf) => {
                  const bytes = Buffer.from(await pdf.arrayBuffer());
                  if (pdf.status === 200 && bytes.subarray(0, 4).toString() === '%PDF') downloaded += 1;
                  else downloadErrors += 1;
                },
                () => (downloadErrors += 1)
              );
            }
          }
        })
      );
      await sleep(POLL_MS);
    }
  };
  // Watched from the first push on (a certificate is timed when the poll first lists it).
  const watcher = watch(started + SECONDS * 1000 + WAIT_S * 1000);
  for (let sent = 0; sent < total; sent += PER_PUSH) {
    const due = started + (sent / RATE) * 1000;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    const cohort = `Cohort${String(Math.floor((due - started) / 1000)).padStart(4, '0')}`;
    const batch = [];
    for (let k = 0; k < PER_PUSH && sent + k < total; k++) batch.push({ bib: String(nextBib++), cohort, acceptedAt: 0, seenAt: 0 });
    const t0 = Date.now();
    pushes.push(
      push(batch.map((f) => row(Number(f.bib), `${f.cohort} Runner ${f.bib}`))).then(
        () => {
          const now = Date.now();
          pushMs.push(now - t0);
          for (const f of batch) {
            f.acceptedAt = now;
            finishers.push(f);
            const list = cohorts.get(f.cohort) ?? new Map();
            list.set(f.bib, f);
            cohorts.set(f.cohort, list);
          }
        },
        () => (pushErrors += batch.length)
      )
    );
  }

  await Promise.all(pushes);
  const pushedFor = Date.now() - started;
  const bulkOpenAtEnd = await bulkQueued();
  await watcher;
  await sleep(1000);

  const latencies = finishers.filter((f) => f.seenAt).map((f) => f.seenAt - f.acceptedAt).sort((a, b) => a - b);
  const pushSorted = pushMs.sort((a, b) => a - b);
  const result = {
    setup,
    finishers: total,
    accepted: finishers.length,
    seen: latencies.length,
    downloaded,
    downloadErrors,
    pushErrors,
    pollErrors,
    pushedForS: s1(pushedFor),
    p50: s1(quantile(latencies, 0.5)),
    p95: s1(quantile(latencies, 0.95)),
    max: s1(latencies[latencies.length - 1] ?? NaN),
    pushP50Ms: quantile(pushSorted, 0.5),
    pushP95Ms: quantile(pushSorted, 0.95),
    bulkQueuedWhenPushesEnded: bulkOpenAtEnd,
    load: load(),
  };
  for (const w of workers) w.proc.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  await strapi.destroy();
  await cleanup();
  console.log(`BENCH_LIVE_RESULT ${JSON.stringify(result)}`);
  process.exit(0);
}

function runChild(setup, extraEnv = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [__filename], { env: { ...process.env, ...extraEnv, BENCH_LIVE_CHILD: setup }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    proc.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_LIVE_RESULT '));
      if (line) resolve(JSON.parse(line.slice('BENCH_LIVE_RESULT '.length)));
      else reject(new Error(`set-up ${setup} exited with ${code} and no result`));
    });
  });
}

async function main() {
  if (process.env.BENCH_LIVE_CHILD) return child(process.env.BENCH_LIVE_CHILD);
  const machine = `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'cpu'}`;
  const loadBefore = (() => {
    try {
      return execSync('uptime').toString().trim();
    } catch {
      return load();
    }
  })();
  const sets = (process.env.BENCH_LIVE_SETUPS || `sqlite-live,sqlite-naive${process.env.BENCH_LIVE_PG === '0' ? '' : ',pg-bullmq'}`).split(',');
  const results = [];
  for (const setup of sets) {
    const env = setup === 'pg-bullmq' ? { DATABASE_URL: PG_URL, DATABASE_CLIENT: 'postgres' } : { DATABASE_URL: '', DATABASE_CLIENT: 'sqlite' };
    try {
      results.push(await runChild(setup, env));
    } catch (err) {
      console.error(err.message);
      results.push({ setup, error: err.message });
    }
  }
  console.log('');
  console.log(`Live benchmark: ${RATE} finishers/s for ${SECONDS} s through the partner push route (${PER_PUSH} per push), ${BULK} bulk records queued first; ${machine}`);
  console.log(`  load before: ${loadBefore}`);
  console.log('  set-up         finishers  listed+PDF  p50 s  p95 s  max s  push p50/p95 ms  bulk still queued at end  load (1/5/15 min) after');
  for (const r of results) {
    if (r.error) {
      console.log(`  ${r.setup.padEnd(14)} failed: ${r.error}`);
      continue;
    }
    console.log(
      `  ${r.setup.padEnd(14)} ${String(r.finishers).padStart(9)}  ${String(`${r.seen}/${r.downloaded}`).padStart(10)}  ${String(r.p50).padStart(5)}  ${String(r.p95).padStart(5)}  ${String(r.max).padStart(5)}  ${`${r.pushP50Ms}/${r.pushP95Ms}`.padStart(15)}  ${String(r.bulkQueuedWhenPushesEnded).padStart(24)}  ${r.load}` +
        (r.pushErrors || r.downloadErrors ? `  (${r.pushErrors} push errors, ${r.downloadErrors} download errors)` : '')
    );
  }
  console.log('  sqlite-live: local queue, live lane + express Chromium page; sqlite-naive: CERTIFY_QUEUE_LIVE=false (arrival order); pg-bullmq: PostgreSQL, two `npm run worker` BullMQ workers (Chromium pages: half the cores each)');
  const main = results.find((r) => r.setup === 'sqlite-live');
  console.log(`live_p95_s: ${main && !main.error ? main.p95 : 'NaN'}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
