#!/usr/bin/env node
// npm run bench:publish — publishes BENCH_RECORDS (default 2,000) records end to end (render with
// Chromium, media library, database) with the local driver in this process and with two bullmq
// `npm run worker` processes, then re-publishes after changing one record. Compared in the same
// run with the renderer alone (renderBatch, no storage) and with the naive way (one record per
// render call, stored one by one). Last line: `certs_per_s: <N>` (local driver).
require('../tests/helpers/env');
const crypto = require('node:crypto');
const path = require('node:path');
const fs = require('node:fs');
const { spawn } = require('node:child_process');

const N = Number(process.env.BENCH_RECORDS) || 2000;
const NAIVE = Math.min(40, N);
const RENDER_ONLY = Math.min(500, N);
// BENCH_PARTS (e.g. "local") runs a subset while tuning; the full comparison needs all of them.
const PARTS = new Set((process.env.BENCH_PARTS || 'render,naive,local,bullmq').split(','));

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
const mb = (b) => `${Math.round(b / 1048576)} MB`;
const rate = (n, ms) => Math.round((n / (ms / 1000)) * 10) / 10;
const vmHwm = (pid) => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
};

async function main() {
  const { bootStrapi } = require('../tests/helpers/boot');
  const queueName = `certify-bench-${crypto.randomBytes(3).toString('hex')}`;
  const env = { CERTIFY_QUEUE_IN_PROCESS: 'false', CERTIFY_QUEUE: 'local', CERTIFY_QUEUE_NAME: queueName };
  const { strapi, cleanup } = await bootStrapi({ env });
  strapi.log.level = 'error';
  const svc = (n) => strapi.plugin('certify').service(n);
  const org = await strapi.documents('api::organisation.organisation').create({ data: { name: 'Bench org', plan: 'pro' } });

  const makeEvent = async (label, n) => {
    const ev = await strapi.documents('api::event.event').create({
      data: { name: `Bench ${label}`, slug: `bench-${label}-${Date.now()}`, date: '2026-10-04', organisation: org.documentId },
    });
    await svc('templates').createDemo(ev.documentId);
    if (n > 2000) {
      // Many records: through the importer (seconds instead of minutes of document creates).
      const rows = ['Bib,Name,Category,Time,Rank'];
      for (let i = 1; i <= n; i++) rows.push(`${i},Runner Number ${i},${i % 2 ? 'M40' : 'F35'},0${i % 5}:${String(i % 60).padStart(2, '0')}:00,${i}`);
      await svc('import').importNow(ev.documentId, { buffer: Buffer.from(rows.join('\n')) });
      return ev.documentId;
    }
    for (let i = 1; i <= n; i++) {
      await strapi.documents('plugin::certify.record').create({
        data: { event: ev.documentId, bib: String(i), name: `Runner Number ${i}`, category: i % 2 ? 'M40' : 'F35', finishTime: `0${i % 5}:${String(i % 60).padStart(2, '0')}:00`, rankOverall: i },
      });
    }
    return ev.documentId;
  };
  // PDFs first: when the last PDF and the last share image of an event's run were stored.
  const lastDone = async (eventId, kind, since) => {
    const [row] = await strapi.db.connection('certify_jobs').where({ event: eventId, kind, status: 'done' }).max({ t: 'updated_at' });
    return row?.t ? new Date(typeof row.t === 'string' && /^\d+$/.test(row.t) ? Number(row.t) : row.t).getTime() - since : NaN;
  };
  const waitFinished = async (eventId) => {
    for (;;) {
      const p = await svc('publish').current(eventId);
      if (p && ['finished', 'cancelled', 'failed'].includes(p.status)) return p;
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  let rendererRate = NaN;
  let naiveRate = NaN;
  let localRate = NaN;
  let localMs = 0;
  let localProgress = { done: 0, failed: 0 };
  let localPeak = 0;
  let localPdfsMs = NaN;
  let localImagesMs = NaN;
  let bullPdfsMs = NaN;
  let bullImagesMs = NaN;
  let split = { renderMs: 0, storeMs: 0 };
  let republishMs = NaN;
  let afterOne = { total: 0 };
  let bullRate = NaN;
  let bullMs = 0;
  let bullProgress = { done: 0 };
  let workerPeaks = [];

  // 1. The renderer alone (no storage, no database), as bench:render measures it: all batches
  // handed to the engine at once, so every Chromium page is busy.
  const renderEvent = await makeEvent('render', PARTS.has('render') || PARTS.has('naive') ? RENDER_ONLY : 0);
  const [tpl] = await svc('templates').list(renderEvent);
  const recs = await strapi.db.query('plugin::certify.record').findMany({ where: { event: renderEvent } });
  await svc('render').renderBatch(tpl, recs.slice(0, 2).map((record) => ({ record, verifyUrl: 'http://x/verify/1' })), { image: true, imageFormat: 'jpeg' });
  let t = Date.now();
  if (PARTS.has('render')) {
    await svc('render').renderBatch(tpl, recs.map((record) => ({ record, verifyUrl: `http://x/verify/${record.verificationCode}` })), { image: true, imageFormat: 'jpeg' });
    rendererRate = rate(recs.length, Date.now() - t);
  }

  // 2. The naive way: one record per render call, stored through the upload service one by one.
  t = Date.now();
  for (const record of PARTS.has('naive') ? recs.slice(0, NAIVE) : []) {
    const [r] = await svc('render').renderBatch(tpl, [{ record, verifyUrl: 'http://x/verify/1' }], { image: true, imageFormat: 'jpeg' });
    const folder = await svc('media').eventFolder(renderEvent);
    await svc('media').storeViaUpload(folder, `naive-${record.bib}.pdf`, 'application/pdf', r.pdf);
    await svc('media').storeViaUpload(folder, `naive-${record.bib}.jpg`, 'image/jpeg', r.image);
  }
  if (PARTS.has('naive')) naiveRate = rate(NAIVE, Date.now() - t);

  // 3. Local driver, in this process.
  if (PARTS.has('local')) {
  const localEvent = await makeEvent('local', N);
  const stats = svc('publish').stats;
  Object.assign(stats, { rendered: 0, renderMs: 0, storeMs: 0 });
  peakRss = process.memoryUsage().rss;
  const queries = new Map();
  const countQuery = (q) => {
    const sql = String(q.sql).replace(/\?(, \?)+/g, '?…').replace(/in \([^)]*\)/gi, 'in (…)').slice(0, 140);
    queries.set(sql, (queries.get(sql) || 0) + 1);
  };
  if (process.env.BENCH_QUERIES) strapi.db.connection.on('query', countQuery);
  t = Date.now();
  await svc('publish').start(localEvent, {});
  await svc('queue').drain();
  localMs = Date.now() - t;
  localPdfsMs = await lastDone(localEvent, 'render', t);
  localImagesMs = await lastDone(localEvent, 'image', t);
  strapi.db.connection.off('query', countQuery);
  if (process.env.BENCH_QUERIES) {
    for (const [sql, n] of [...queries].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(String(n).padStart(6), sql);
  }
  localProgress = await svc('publish').current(localEvent);
  localRate = rate(localProgress.done, localMs);
  localPeak = peakRss;
  split = { renderMs: stats.renderMs, storeMs: stats.storeMs };

  // 4. Re-publish after changing one record.
  const [one] = await strapi.db.query('plugin::certify.record').findMany({ where: { event: localEvent }, limit: 1, orderBy: { id: 'asc' } });
  t = Date.now();
  await strapi.documents('plugin::certify.record').update({ documentId: one.documentId, data: { finishTime: '00:59:59' } });
  await svc('queue').drain();
  republishMs = Date.now() - t;
  afterOne = await svc('publish').current(localEvent);
  }

  // 5. Two bullmq workers (separate processes sharing this database and upload folder).
  if (PARTS.has('bullmq')) {
  const bullEvent = await makeEvent('bullmq', N);
  const workerEnv = { ...process.env, CERTIFY_QUEUE: 'bullmq', CERTIFY_QUEUE_NAME: queueName, CERTIFY_QUEUE_IN_PROCESS: 'false' };
  const workers = [0, 1].map(() => {
    const child = spawn(process.execPath, [path.join(__dirname, '..', 'node_modules', '.bin', 'certify-worker')], { env: workerEnv, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    return { child, ready: () => out.includes('certify worker ready'), exited: new Promise((r) => child.on('exit', r)) };
  });
  while (!workers.every((w) => w.ready())) await new Promise((r) => setTimeout(r, 200));
  process.env.CERTIFY_QUEUE = 'bullmq';
  t = Date.now();
  await svc('publish').start(bullEvent, {});
  bullProgress = await waitFinished(bullEvent);
  bullMs = Date.now() - t;
  bullPdfsMs = await lastDone(bullEvent, 'render', t);
  bullImagesMs = await lastDone(bullEvent, 'image', t);
  workerPeaks = workers.map((w) => vmHwm(w.child.pid));
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  process.env.CERTIFY_QUEUE = 'local';
  bullRate = rate(bullProgress.done, bullMs);
  }

  clearInterval(sampler);
  console.log('');
  console.log(`Publish benchmark: ${N} records, demo template (A4 landscape, JPEG background, QR), PDF + JPEG share image, SQLite`);
  console.log(`  renderer alone (renderBatch, ${RENDER_ONLY} records, no storage) : ${rendererRate} certificates/s`);
  console.log(`  naive (1 record per render, stored one by one, ${NAIVE} records)  : ${naiveRate} certificates/s`);
  console.log(`  local driver, end to end                   : ${localRate} certificates/s (${(localMs / 1000).toFixed(1)} s, ${localProgress.done} done, ${localProgress.failed} failed), peak RSS ${mb(localPeak)} (Node; Chromium extra)`);
  console.log(`    PDFs first: all PDFs downloadable after ${(localPdfsMs / 1000).toFixed(1)} s (${rate(localProgress.done, localPdfsMs)} PDFs/s), all share images after ${(localImagesMs / 1000).toFixed(1)} s`);
  console.log(`    time split (overlapping): render ${(split.renderMs / 1000).toFixed(1)} s, media library + database ${(split.storeMs / 1000).toFixed(1)} s`);
  console.log(`    end-to-end / renderer alone              : ${Math.round((localRate / rendererRate) * 100)}%  (vs naive: ${(localRate / naiveRate).toFixed(1)}x)`);
  console.log(`  two bullmq workers, end to end             : ${bullRate} certificates/s (${(bullMs / 1000).toFixed(1)} s, ${bullProgress.done} done), worker peak RSS ${workerPeaks.map(mb).join(' / ')}`);
  console.log(`    PDFs first: all PDFs downloadable after ${(bullPdfsMs / 1000).toFixed(1)} s, all share images after ${(bullImagesMs / 1000).toFixed(1)} s`);
  console.log(`  re-publish after changing one record       : ${(republishMs / 1000).toFixed(2)} s (${afterOne.total} rendered)`);
  await strapi.destroy();
  await cleanup();
  console.log(`certs_per_s: ${localRate}`);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
