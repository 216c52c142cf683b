#!/usr/bin/env node
/**
 * npm run bench:search — name search on 100,000 published records of one event, on SQLite and
 * PostgreSQL: imports a generated results file through the importer (which fills `searchName`
 * and the word table), then times the finder's query (`participant.find`: a page of 20 + the
 * total) and the admin's Records search for a set of names, against the same page + total done
 * with `' ' || search_name LIKE '% word%'` on the records table (the approach the word table
 * replaced). Each database runs in its own child process.
 *
 * Options (env): BENCH_ROWS (100000), BENCH_RUNS (30 per query), BENCH_DATABASES (sqlite,postgres),
 * DATABASE_URL for PostgreSQL (default postgres://postgres@127.0.0.1:5432/test).
 */
const { fork } = require('node:child_process');

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const PG_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

const FIRST = ['James', 'Mary', 'John', 'Maria', 'Michael', 'Anna', 'David', 'Elena', 'José', 'Marco', 'Eleni', 'Nikos', 'Дмитрий', 'Ольга', 'Νίκος', 'Ζωή', 'Zoë', 'François', 'Jürgen', 'Søren', 'Wei', 'Li', 'Hiro', 'Kofi', 'Priya', 'Mateo', 'Lena', 'Oskar', 'Ana', 'Ben'];
const STEMS = ['Smith', 'Müller', 'Rodríguez', 'García', 'Papadopoulou', 'Иванов', 'Παπαδόπουλος', 'Nakamura', 'O\u2019Brien', 'Dlamini', 'Kowalski', 'Jensen'];
const SYL = ['ka', 'lo', 'mi', 'ter', 'son', 'ber', 'an', 'ri', 'vo', 'dal', 'sen', 'ko', 'ni', 'sto', 'ra'];
// 3,000 surnames, Zipf-distributed (the most common ≈ 2% of runners), plus a few Japanese names.
const SURNAMES = [...STEMS, ...Array.from({ length: 3000 - STEMS.length }, (_, i) => {
  const a = SYL[i % SYL.length], b = SYL[Math.floor(i / SYL.length) % SYL.length], c = SYL[Math.floor(i / 225) % SYL.length];
  return (a + b + c).replace(/^./, (x) => x.toUpperCase());
})];
const weights = SURNAMES.map((_, i) => 1 / Math.pow(i + 1, 0.8));
const cumulative = [];
weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
const pick = (u) => SURNAMES[cumulative.findIndex((c) => c >= u * cumulative[cumulative.length - 1])];

function generateCsv(rows) {
  const lines = ['Bib,Name'];
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < rows; i++) {
    const name = i % 50 === 0 ? ['山田太郎', '李娜', '김민준', '田中花子'][i % 4] : `${pick(rand())}, ${FIRST[Math.floor(rand() * FIRST.length)]}`;
    lines.push(`${10000 + i},"${name}"`);
  }
  return lines.join('\n');
}

const QUERIES = ['smith', 'muller', 'jose rodriguez', 'Papadopoulou, Eleni', 'νίκος', 'дмитрий', 'li', 'ma', '山田', 'zzzz'];

async function child(database) {
  require('../tests/helpers/env');
  const { bootStrapi } = require('../tests/helpers/boot');
  const { strapi, cleanup } = await bootStrapi({ fresh: true });
  const svc = (n) => strapi.plugin('certify').service(n);
  try {
    const org = await strapi.documents('api::organisation.organisation').create({ data: { name: 'Bench', plan: 'pro' } });
    const ev = await strapi.documents('api::event.event').create({ data: { name: 'Bench', slug: `bench-${Date.now()}`, date: '2026-10-04', organisation: org.documentId } });
    const buffer = Buffer.from(generateCsv(ROWS), 'utf8');
    let t = Date.now();
    const preview = await svc('import').preview(ev.documentId, { buffer, sourceId: null, mapping: null, format: 'csv' });
    await svc('import').commit(ev.documentId, preview.importId, { mapping: null });
    const importMs = Date.now() - t;
    const conn = strapi.db.connection;
    const words = Number((await conn('certify_record_words').count({ n: '*' }))[0].n);
    // Published the quick way: every record shares one stored PDF.
    const [file] = await conn('files').insert({ name: 'c.pdf', hash: 'c', ext: '.pdf', mime: 'application/pdf', size: 1, url: '/c.pdf', provider: 'local', document_id: 'benchpdf', created_at: new Date(), updated_at: new Date(), published_at: new Date() }).returning('id');
    await conn('certify_records').update({ status: 'published' });
    await conn.raw(`insert into files_related_mph (file_id, related_id, related_type, field, "order") select ?, id, 'plugin::certify.record', 'pdf', 1 from certify_records`, [file.id ?? file]);
    if (database === 'postgres') await conn.raw('vacuum analyze');
    else await conn.raw('analyze');

    const time = async (fn) => {
      await fn();
      const ms = [];
      for (let i = 0; i < RUNS; i++) {
        const s = process.hrtime.bigint();
        await fn();
        ms.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
      ms.sort((a, b) => a - b);
      return { mean: ms.reduce((a, b) => a + b, 0) / ms.length, p95: ms[Math.floor(ms.length * 0.95) - 1] };
    };
    const like = async (q) => {
      const terms = svc('search').queryWords(q);
      const base = () => conn('certify_records').where({ event: ev.documentId, status: 'published' }).andWhere((b) => { for (const w of terms) b.andWhereRaw(`(' ' || search_name) like ?`, [`% ${w}%`]); });
      const [page, count] = await Promise.all([base().select('id', 'bib').orderBy('bib').limit(20), base().count({ n: '*' })]);
      return { page, total: Number(count[0].n) };
    };
    const rows = [];
    for (const q of QUERIES) {
      const found = await svc('participant').find(ev.slug, { name: q, page: 1, pageSize: 20 });
      const finder = await time(() => svc('participant').find(ev.slug, { name: q, page: 1, pageSize: 20 }));
      const admin = await time(() => svc('records').list(ev.documentId, { search: q, pageSize: 25 }));
      const scan = await time(() => like(q));
      rows.push({ q, total: found.pagination.total, finder, admin, scan });
    }
    process.send({ database, importMs, words, rows });
  } finally {
    await strapi.destroy();
    await cleanup();
  }
}

async function main() {
  const databases = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',');
  const ms = (t) => `${t.mean.toFixed(1)} / ${t.p95.toFixed(1)}`;
  console.log(`name search on ${ROWS.toLocaleString('en')} published records of one event; ${RUNS} runs per query; mean / p95 ms`);
  for (const database of databases) {
    const env = { ...process.env, BENCH_CHILD: database, ...(database === 'postgres' ? { DATABASE_URL: PG_URL } : { DATABASE_URL: '' }) };
    const result = await new Promise((resolve, reject) => {
      const p = fork(__filename, [], { env });
      let msg;
      p.on('message', (m) => (msg = m));
      p.on('exit', (code) => (code === 0 && msg ? resolve(msg) : reject(new Error(`${database} run exited with ${code}`))));
    });
    console.log(`\n${database}: import ${(result.importMs / 1000).toFixed(1)} s, ${result.words.toLocaleString('en')} word rows`);
    console.log('| query | total | finder (word table) | admin search | LIKE scan |');
    console.log('|---|---|---|---|---|');
    for (const r of result.rows) console.log(`| ${r.q} | ${r.total} | ${ms(r.finder)} | ${ms(r.admin)} | ${ms(r.scan)} |`);
  }
}

if (process.env.BENCH_CHILD) child(process.env.BENCH_CHILD).then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
else main().catch((err) => { console.error(err); process.exit(1); });
