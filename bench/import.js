#!/usr/bin/env node
/**
 * npm run bench:import — imports a generated 100,000-row results CSV into SQLite and PostgreSQL
 * through the importer (dry run + commit: batched SQL in one transaction), and compares it with
 * the naive way (one strapi.documents(...).create per row) measured on a 1,000-row sample in the
 * same run and extrapolated linearly. Each run (database × importer/naive) is its own child
 * process, so the peak RSS reported is the importer's own.
 * The last line is `speedup: <N>x` (the smaller of the two databases' speedups).
 *
 * Options (env): BENCH_ROWS (100000), BENCH_NAIVE_ROWS (1000), BENCH_DATABASES (sqlite,postgres),
 * DATABASE_URL for PostgreSQL (default postgres://postgres@127.0.0.1:5432/test).
 */
const { fork } = require('node:child_process');
const path = require('node:path');

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const NAIVE_ROWS = Number(process.env.BENCH_NAIVE_ROWS ?? 1000);
const PG_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

const FIRST = ['Ana', 'Ben', 'Chloé', 'Dimitris', 'Eleni', 'François', 'Grace', 'Hiro', 'Ingrid', 'Jürgen', 'Kofi', 'Lena', 'Mateo', 'Nia', 'Oskar', 'Priya'];
const LAST = ['Alvarez', 'Brown', 'Chen', 'Dlamini', 'Evans', 'Fischer', 'García', 'Hassan', 'Ivanova', 'Jensen', 'Kipchoge', 'Lefèvre', 'Müller', 'Nakamura', "O'Brien", 'Papadopoulou'];
const CATS = ['M18-34', 'M35-39', 'M40-44', 'M45-49', 'M50-54', 'W18-34', 'W35-39', 'W40-44', 'W45-49', 'W50-54'];
const hms = (s) => `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;

/** A big-city marathon export: quoted "Last, First" names, an empty column, "-" for missing splits. */
function generateCsv(rows, offset = 0) {
  const lines = ['"Place (Overall)","Place (Gender)","Place (Category)","Name","Bib","Age Group","Sex","","Club","Country","5K","Half","Finish"'];
  for (let i = 0; i < rows; i++) {
    const n = i + offset;
    const finish = 7500 + ((n * 7919) % 18000);
    const sex = n % 2 ? 'W' : 'M';
    const name = `${LAST[n % LAST.length]}, ${FIRST[(n * 7) % FIRST.length]}`;
    const split5k = n % 17 === 0 ? '-' : hms(Math.round(finish / 8.44));
    lines.push(
      `"${n + 1}","${Math.floor(n / 2) + 1}","${Math.floor(n / 10) + 1}","${name.replace(/"/g, '""')}","${10000 + n}","${CATS[n % CATS.length]}","${sex}","","Club ${n % 300}","GR","${split5k}","${hms(Math.round(finish / 2.1))}","${hms(finish)}"`
    );
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

async function child(database, phase) {
  require('../tests/helpers/env');
  const { bootStrapi } = require('../tests/helpers/boot');
  const fmtMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
  const { strapi, cleanup } = await bootStrapi({ fresh: true });
  try {
    const makeEvent = async (name) => {
      const org = await strapi.documents('api::organisation.organisation').create({ data: { name: `Bench ${name}`, plan: 'pro' } });
      const ev = await strapi.documents('api::event.event').create({
        data: { name: `Bench ${name}`, slug: `bench-${name}-${Date.now()}`, date: '2026-10-04', organisation: org.documentId },
      });
      return ev.documentId;
    };
    const importer = strapi.plugin('certify').service('import');
    const rssAfterBoot = fmtMb();
    // Read like an uploaded file: the bytes, not the generator's intermediate strings.
    const csv = require('node:fs').readFileSync(process.env.BENCH_CSV_FILE);

    if (phase === 'naive') {
      // The naive way, in its own process on an empty table (its best case: each create's
      // unique-code check scans the records table, so it only slows down as records accumulate).
      const naiveEvent = await makeEvent('naive');
      const sample = generateCsv(NAIVE_ROWS, 500_000);
      const Papa = require('papaparse');
      const t = process.hrtime.bigint();
      const parsed = Papa.parse(sample.toString('utf8'), { header: true, skipEmptyLines: true }).data;
      for (const row of parsed) {
        const [last, first] = row.Name.split(',').map((s) => s.trim());
        await strapi.documents('plugin::certify.record').create({
          data: {
            event: naiveEvent,
            bib: row.Bib,
            name: `${first} ${last}`,
            firstName: first,
            lastName: last,
            category: row['Age Group'],
            gender: row.Sex === 'W' ? 'F' : 'M',
            finishTime: row.Finish,
            rankOverall: Number(row['Place (Overall)']),
            rankGender: Number(row['Place (Gender)']),
            rankCategory: Number(row['Place (Category)']),
            extra: { Club: row.Club, Country: row.Country, '5K': row['5K'], Half: row.Half },
          },
        });
      }
      const naiveMs = Number(process.hrtime.bigint() - t) / 1e6;

      process.send({ database, phase, naiveRows: NAIVE_ROWS, naiveMs, naiveRowsPerSec: NAIVE_ROWS / (naiveMs / 1000) });
      return;
    }

    // The importer: dry run, then commit.
    const eventId = await makeEvent('bulk');
    let t = process.hrtime.bigint();
    let cpu = process.cpuUsage();
    if (process.env.BENCH_MARKS) console.log(`# mark preview ${process.hrtime.bigint() / 1000n}`);
    const preview = await importer.preview(eventId, { buffer: csv });
    const previewMs = Number(process.hrtime.bigint() - t) / 1e6;
    const previewCpu = process.cpuUsage(cpu);
    const trace = (stage) => (global.gc && process.env.BENCH_TRACE && global.gc(), 0) ||
      process.env.BENCH_TRACE && console.log(`# ${stage}: rss ${fmtMb()} MB peak, heap used ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB, rss now ${Math.round(process.memoryUsage().rss / 1048576)} MB`);
    trace('after dry run');
    t = process.hrtime.bigint();
    cpu = process.cpuUsage();
    if (process.env.BENCH_MARKS) console.log(`# mark commit ${process.hrtime.bigint() / 1000n}`);
    const committed = await importer.commit(eventId, preview.importId);
    const commitMs = Number(process.hrtime.bigint() - t) / 1e6;
    const commitCpu = process.cpuUsage(cpu);
    if (process.env.BENCH_MARKS) console.log(`# mark end ${process.hrtime.bigint() / 1000n}`);
    // CPU time (user + system) of the process: less moved by other work on the machine than the clock.
    const cpuMs = (c) => Math.round((c.user + c.system) / 1000);
    console.log(`# ${database}: cpu dry run ${cpuMs(previewCpu)} ms (user ${Math.round(previewCpu.user / 1000)}), commit ${cpuMs(commitCpu)} ms (user ${Math.round(commitCpu.user / 1000)})`);
    trace('after commit');
    const stored = await strapi.db.query('plugin::certify.record').count({ where: { event: eventId } });
    if (stored !== ROWS || committed.counts.new !== ROWS) throw new Error(`expected ${ROWS} records, stored ${stored}`);
    const peakRssMb = fmtMb();

    // Re-import of the same file: nothing to write.
    t = process.hrtime.bigint();
    if (process.env.BENCH_MARKS) console.log(`# mark reimport ${process.hrtime.bigint() / 1000n}`);
    const again = await importer.importNow(eventId, { buffer: csv });
    const reimportMs = Number(process.hrtime.bigint() - t) / 1e6;
    if (process.env.BENCH_MARKS) console.log(`# mark reimported ${process.hrtime.bigint() / 1000n}`);
    if (again.counts.unchanged !== ROWS) throw new Error('re-import changed records');

    const bulkMs = previewMs + commitMs;
    process.send({
      database,
      phase,
      rows: ROWS,
      previewMs,
      commitMs,
      bulkMs,
      bulkRowsPerSec: ROWS / (bulkMs / 1000),
      reimportMs,
      rssAfterBootMb: rssAfterBoot,
      peakRssMb,
    });
  } finally {
    await strapi.destroy();
    await cleanup();
  }
}

function runChild(database, csvFile, phase) {
  const env = { ...process.env, BENCH_CSV_FILE: csvFile };
  delete env.DATABASE_CLIENT;
  delete env.DATABASE_SCHEMA;
  delete env.DATABASE_FILENAME;
  if (database === 'postgres') env.DATABASE_URL = PG_URL;
  else delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    let result = null;
    const proc = fork(__filename, ['--child', database, phase], { env, execArgv: [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    proc.on('message', (m) => (result = m));
    proc.on('exit', (code) => (result ? resolve(result) : reject(new Error(`${database} run exited with ${code}`))));
  });
}

async function main() {
  const databases = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',').map((s) => s.trim()).filter(Boolean);
  const results = [];
  const csvFile = path.join(require('node:os').tmpdir(), `certify-bench-import-${process.pid}.csv`);
  require('node:fs').writeFileSync(csvFile, generateCsv(ROWS));
  console.log(`# generated ${ROWS.toLocaleString('en')} rows (${(require('node:fs').statSync(csvFile).size / 1048576).toFixed(1)} MB, marathon-export layout)`);
  for (const db of databases) {
    console.log(`# ${db}: importing ${ROWS.toLocaleString('en')} rows, naive sample ${NAIVE_ROWS.toLocaleString('en')} rows …`);
    try {
      const bulk = await runChild(db, csvFile, 'bulk');
      const naive = await runChild(db, csvFile, 'naive');
      const naiveExtrapolatedMs = (naive.naiveMs / naive.naiveRows) * bulk.rows;
      results.push({ ...bulk, ...naive, naiveExtrapolatedMs, speedup: naiveExtrapolatedMs / bulk.bulkMs });
    } catch (err) {
      console.log(`# ${db}: skipped (${err.message})`);
    }
  }
  require('node:fs').rmSync(csvFile, { force: true });
  if (!results.length) throw new Error('no database could be benchmarked');
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  console.log('');
  console.log('| database | rows | dry run | commit | total | rows/s | re-import (unchanged) | RSS after boot | peak RSS | naive rows/s (sample) | naive, extrapolated | speedup |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.database} | ${r.rows.toLocaleString('en')} | ${s(r.previewMs)} | ${s(r.commitMs)} | ${s(r.bulkMs)} | ${Math.round(r.bulkRowsPerSec).toLocaleString('en')} | ${s(r.reimportMs)} | ${r.rssAfterBootMb} MB | ${r.peakRssMb} MB | ${Math.round(r.naiveRowsPerSec)} (${r.naiveRows} rows in ${s(r.naiveMs)}) | ${s(r.naiveExtrapolatedMs)} | ${r.speedup.toFixed(1)}x |`
    );
  }
  const speedup = Math.min(...results.map((r) => r.speedup));
  console.log(`speedup: ${speedup.toFixed(1)}x`);
}

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]).then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    }
  );
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
