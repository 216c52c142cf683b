#!/usr/bin/env node
/**
 * npm run bench:render — 500 certificates of the demo template (A4 landscape, 300 KB JPEG
 * background, embedded fonts, six fields, QR code) to PDF and share image, with the engine the
 * plugin uses, next to the naive way measured in the same run (a new page per certificate:
 * setContent, page.pdf, page.screenshot).
 *
 *   node bench/render.js [--count 500] [--naive 40] [--long 5000]
 *
 * --naive N: certificates rendered the naive way (it runs at ~2-3/s, so a sample gives its rate).
 * --long N: also render N certificates (PDF + image) in a row and report whether memory stays
 * flat (within 10% between the first and the last tenth of the run).
 * Last line: `speedup: <N>x` (PDF + share image, certificates/s, engine over naive).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const esbuild = require('esbuild');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const COUNT = opt('count', 500);
const NAIVE = opt('naive', 40);
const LONG = opt('long', 0);

const root = path.join(__dirname, '..');
const src = path.join(root, 'plugins', 'certify', 'server', 'src', 'services');
const outfile = path.join(os.tmpdir(), `certify-bench-render-${process.pid}.js`);
esbuild.buildSync({
  stdin: {
    contents: `export * from './render/engine'; export * from './render/html'; export * from './render/chromium';
      export { demoDesign } from './templates'; export { recordContext } from './render';`,
    resolveDir: src,
    loader: 'ts',
  },
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  packages: 'external',
  logLevel: 'error',
  // The bundle lives in /tmp: resolve packages as the plugin does (its own node_modules first).
  nodePaths: [path.join(root, 'plugins', 'certify', 'node_modules'), path.join(root, 'node_modules')],
});
process.env.NODE_PATH = [path.join(root, 'plugins', 'certify', 'node_modules'), path.join(root, 'node_modules')].join(path.delimiter);
require('node:module').Module._initPaths();
const R = require(outfile);
const { chromium } = require('playwright-core');

const FIRST = ['Eleni', 'Γιώργος', 'Анна', 'Łukasz', 'Zoë', 'Nikolaos', 'Małgorzata', 'Дмитрий', 'Sophie', 'Αικατερίνη'];
const LAST = ['Papadopoulou', 'Παπαδόπουλος', 'Иванова', 'Wiśniewski', 'Müller', 'Konstantinidis', 'Brzęczyszczykiewicz', 'Смирнов', 'Martin', 'Οικονόμου'];
const records = Array.from({ length: Math.max(COUNT, LONG) }, (_, i) => ({
  documentId: `r${i}`,
  bib: String(1000 + i),
  name: `${FIRST[i % 10]} ${LAST[(i * 7) % 10]}`,
  category: ['M40', 'F35', 'M50', 'F20'][i % 4],
  finishTime: `${3 + (i % 3)}:${String(i % 60).padStart(2, '0')}:${String((i * 13) % 60).padStart(2, '0')}`,
  rankOverall: i + 1,
  rankCategory: (i % 97) + 1,
  verificationCode: `CODE${String(i).padStart(12, '0')}`,
}));
const event = { name: 'Athens Authentic Marathon', date: '2026-11-08' };
const verifyUrl = (r) => `https://certify.example.org/verify/${r.verificationCode}`;

const chromiumProcesses = () => {
  // Every descendant of this process (Chromium's browser, renderer, GPU/utility processes).
  const parents = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* exited */
    }
  }
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) if (!mine.has(pid) && mine.has(ppid)) (mine.add(pid), (grew = true));
  }
  mine.delete(process.pid);
  return [...mine];
};
const chromiumMemoryMb = () => {
  let pss = 0;
  let rss = 0;
  for (const pid of chromiumProcesses()) {
    try {
      const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      /* exited */
    }
  }
  return { pss: pss / 1024, rss: rss / 1024 };
};

/** Samples peak memory while `fn` runs. */
const measure = async (label, count, fn) => {
  const peak = { node: 0, chromePss: 0, chromeRss: 0 };
  const sample = () => {
    peak.node = Math.max(peak.node, process.memoryUsage().rss / 1048576);
    const c = chromiumMemoryMb();
    peak.chromePss = Math.max(peak.chromePss, c.pss);
    peak.chromeRss = Math.max(peak.chromeRss, c.rss);
  };
  // Once a second: each sample walks /proc and every Chromium process's smaps_rollup on the thread
  // that drives Chromium; every 200 ms that took ~12% of the share-image pass's rate (measured).
  const timer = setInterval(sample, 1000);
  const t0 = process.hrtime.bigint();
  await fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  clearInterval(timer);
  sample();
  const row = { label, count, ms, perSec: (count * 1000) / ms, perCert: ms / count, ...peak };
  console.log(
    `${label.padEnd(44)} ${String(count).padStart(5)} certs  ${row.perSec.toFixed(1).padStart(6)}/s  ${row.perCert
      .toFixed(1)
      .padStart(6)} ms/cert  peak RSS node ${peak.node.toFixed(0)} MB, chromium PSS ${peak.chromePss.toFixed(0)} MB (RSS ${peak.chromeRss.toFixed(0)} MB)`
  );
  return row;
};

const background = fs.readFileSync(path.join(root, 'plugins', 'certify', 'server', 'assets', 'demo-background.jpg'));

async function engineRun(engine, compiled, assets, list, image, secondPass = false) {
  const size = engine.opts.batchSize;
  const chunks = [];
  for (let i = 0; i < list.length; i += size) chunks.push(list.slice(i, i + size));
  const colours = R.qrOptions(compiled.design);
  let bytes = 0;
  await Promise.all(
    chunks.map(async (chunk) => {
      const pages = [];
      for (const r of chunk) {
        const qrSvg = await R.qrSvg(verifyUrl(r), colours);
        pages.push(compiled.page({ context: R.recordContext(r, event, verifyUrl(r)), qrSvg }, assets));
      }
      // secondPass: what publish's share-image pass asks for (no PDF, a thumbnail per image).
      const out = await engine.renderChunk(compiled, pages, assets, secondPass ? { image: true, pdf: false, thumbnail: true } : { image });
      if (out.pdfs.length !== (secondPass ? 0 : chunk.length) || (image && out.images.length !== chunk.length)) throw new Error('missing output');
      for (const b of out.pdfs) bytes += b.length;
      if (image) for (const b of out.images) bytes += b.length;
    })
  );
  return bytes;
}

async function naiveRun(compiled, assets, list, executablePath) {
  // The straightforward way: a fresh page per certificate, assets by URL, pdf() then screenshot().
  const browser = await chromium.launch({ executablePath, args: R.LAUNCH_ARGS, headless: true });
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1200, height: 849 } });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.includes('/asset/')) return route.fulfill({ body: background, contentType: 'image/jpeg' });
    if (url.includes('/fonts/')) {
      const [pkg, file] = url.split('/fonts/')[1].split('/');
      return route.fulfill({ body: fs.readFileSync(require.resolve(`@fontsource/${pkg}/files/${file}`)), contentType: 'font/woff2' });
    }
    return route.abort();
  });
  const colours = R.qrOptions(compiled.design);
  for (const r of list) {
    const page = await context.newPage();
    const qrSvg = await R.qrSvg(verifyUrl(r), colours);
    const one = compiled.page({ context: R.recordContext(r, event, verifyUrl(r)), qrSvg }, assets);
    await page.setContent(R.batchDocument(compiled, [one], assets, 1200), { waitUntil: 'load' });
    await page.pdf({ preferCSSPageSize: true, printBackground: true });
    await page.screenshot({ type: 'jpeg', quality: 82 });
    await page.close();
  }
  await browser.close();
}

(async () => {
  const executablePath = R.findChromium();
  const compiled = R.compileTemplate({ pageSize: 'A4', orientation: 'landscape', mode: 'designer', design: R.demoDesign() });
  const assets = { background: 'demo-bg', images: {}, customFonts: [] };
  const engine = new R.RenderEngine({
    chromiumPath: executablePath,
    pages: Number(process.env.CERTIFY_RENDER_PAGES ?? 2),
    batchSize: Number(process.env.CERTIFY_RENDER_BATCH ?? 50),
    timeoutMs: 120_000,
    relaunchAfter: 1e9,
    shareImageWidth: 1200,
  });
  engine.pool.assets.set('demo-bg', { body: background, type: 'image/jpeg' });
  console.log(
    `render benchmark: ${COUNT} certificates, demo template (A4 landscape, ${Math.round(background.length / 1024)} KB JPEG background, ` +
      `EB Garamond/Playfair/Inter, 6 fields, QR), ${engine.pool.size} pages × ${engine.opts.batchSize} per print call, ${os.cpus().length} cores, Node ${process.version}`
  );
  // Warm-up: launch, first page, font subsets in the cache (excluded from every figure).
  await engineRun(engine, compiled, assets, records.slice(0, 10), true);

  const pdfOnly = await measure('engine: PDF only', COUNT, () => engineRun(engine, compiled, assets, records.slice(0, COUNT), false));
  const both = await measure('engine: PDF + share image (JPEG 1200 px)', COUNT, () =>
    engineRun(engine, compiled, assets, records.slice(0, COUNT), true)
  );
  const second = await measure('engine: share image + thumbnail, no PDF', COUNT, () =>
    engineRun(engine, compiled, assets, records.slice(0, COUNT), true, true)
  );
  // The designer's preview: one certificate on a warm pool, PNG and PDF.
  const previewMs = { png: [], pdf: [], share: [] };
  for (let i = 0; i < 5; i += 1) {
    for (const kind of ['png', 'pdf', 'share']) {
      const t = process.hrtime.bigint();
      const r = records[i];
      const page = compiled.page({ context: R.recordContext(r, event, verifyUrl(r)), qrSvg: await R.qrSvg(verifyUrl(r), R.qrOptions(compiled.design)) }, assets);
      const opts = { png: { image: true, imageFormat: 'png', pdf: false }, pdf: {}, share: { image: true, pdf: false } }[kind];
      await engine.renderChunk(compiled, [page], assets, opts);
      previewMs[kind].push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `one certificate, warm (median of 5): preview PNG ${median(previewMs.png).toFixed(0)} ms, preview PDF ${median(previewMs.pdf).toFixed(0)} ms, ` +
      `share image on first view (JPEG, no PDF) ${median(previewMs.share).toFixed(0)} ms`
  );
  await engine.close();

  const naive = await measure(`naive: new page, setContent, pdf, screenshot`, NAIVE, () =>
    naiveRun(compiled, assets, records.slice(0, NAIVE), executablePath)
  );

  if (LONG > 0) {
    // By default no recycling inside the run: this measures whether memory grows at all.
    // --recycle N measures what the product does: Chromium relaunched every N certificates
    // (certify.render.relaunchAfter, default 2,000).
    const RECYCLE = opt('recycle', 0);
    const long = new R.RenderEngine({ ...engine.opts, relaunchAfter: RECYCLE > 0 ? RECYCLE : LONG + 1 });
    long.pool.assets.set('demo-bg', { body: background, type: 'image/jpeg' });
    const samples = [];
    const step = Math.max(250, Math.floor(LONG / 20));
    const t0 = Date.now();
    for (let done = 0; done < LONG; done += step) {
      const list = Array.from({ length: Math.min(step, LONG - done) }, (_, i) => records[(done + i) % records.length]);
      await engineRun(long, compiled, assets, list, true);
      const c = chromiumMemoryMb();
      samples.push({ done: done + list.length, node: process.memoryUsage().rss / 1048576, chrome: c.pss });
    }
    const secs = (Date.now() - t0) / 1000;
    await long.close();
    const tenth = Math.max(1, Math.floor(samples.length / 10));
    const avg = (xs, k) => xs.reduce((a, s) => a + s[k], 0) / xs.length;
    // Skip the first sample (caches filling), then compare the early level with the late one.
    const early = samples.slice(1, 1 + tenth * 2);
    const late = samples.slice(-tenth * 2);
    const total = (xs) => avg(xs, 'node') + avg(xs, 'chrome');
    const drift = (total(late) - total(early)) / total(early);
    console.log(`long run: ${LONG} certificates (PDF + image) in ${secs.toFixed(0)} s, ${(LONG / secs).toFixed(1)}/s, ${RECYCLE > 0 ? `Chromium relaunched every ${RECYCLE}` : 'no relaunch'}`);
    console.log(`  memory (node RSS + chromium PSS, MB) every ${step}: ${samples.map((s) => Math.round(s.node + s.chrome)).join(' ')}`);
    console.log(`  drift early→late: ${(drift * 100).toFixed(1)}% (${Math.abs(drift) <= 0.1 ? 'flat within 10%' : 'NOT flat'})`);
  }

  fs.rmSync(outfile, { force: true });
  fs.rmSync(`${outfile}.map`, { force: true });
  console.log(`PDF only: ${pdfOnly.perSec.toFixed(1)}/s; share-image pass: ${second.perSec.toFixed(1)}/s; PDF + share image: ${both.perSec.toFixed(1)}/s vs naive ${naive.perSec.toFixed(2)}/s`);
  console.log(`speedup: ${(both.perSec / naive.perSec).toFixed(1)}x`);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
