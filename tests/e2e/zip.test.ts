/**
 * The event ZIP at event size, in a real browser: 10,000 published certificates downloaded through
 * the admin's own "Download ZIP" (a signed link the browser then downloads by itself, streamed).
 *
 * Rendering 10,000 PDFs would take minutes, so the event is prepared in two steps on the demo's
 * database before its server starts (helpers/demo.ts `prepare`): a few records, among them names
 * in Polish, Japanese, Russian, Greek and German letters, are published for real (Chromium render,
 * the store step, media library); every other record then gets a file of its own made from those
 * real PDFs and is written the way the store step writes it (media service upload, file rows with
 * their folder links, the record's status, render key and pdf link). The publish summary counting
 * all 10,000 as up to date checks that shape.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import yauzl from 'yauzl';
import { BOOT_MS, openDemo, type Demo } from '../helpers/demo';
import { createTemplate, RECORD } from '../fixtures/publish/helpers';
import { certificateFileBase } from '../../plugins/certify/server/src/services/publish/keys';

const COUNT = 10_000;
/** Records published for real (rendered by Chromium): their names and the entry names they must get. */
const NAMED = [
  { bib: '1', name: 'Łukasz Żółć', entry: '1-łukasz-żółć.pdf' },
  { bib: '2', name: '山田太郎', entry: '2-山田太郎.pdf' },
  { bib: '3', name: 'Дмитрий Иванов', entry: '3-дмитрий-иванов.pdf' },
  { bib: '4', name: 'Νίκος Παπαδόπουλος', entry: '4-νίκος-παπαδόπουλος.pdf' },
  { bib: '5', name: 'Zoë Müller', entry: '5-zoë-müller.pdf' },
];
const FIRST = ['Anna', 'Jan', 'Eleni', 'Wei', 'Olga', 'Kenji', 'Sofía', 'Ahmed', 'Zofia', 'Νίκη', 'Ирина', '佐藤', 'Chloé', 'João'];
const LAST = ['Kowalska', 'Nowak', 'Georgiou', 'Zhang', 'Petrova', 'Tanaka', 'García', 'Haddad', 'Wiśniewska', 'Οικονόμου', 'Смирнова', '花子', 'Dubois', 'Silva'];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'certify-e2e-zip-'));
let demo: Demo<Prepared>;

interface Prepared {
  eventId: string;
  /** Stored file URL of each record's certificate, by bib. */
  files: Record<string, string>;
  /** Average size of the real PDFs. */
  pdfBytes: number;
  seconds: { publish: number; files: number };
}

/** Runs `fn` over `items`, `limit` at a time, results in order. */
const mapLimit = async <T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> => {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return out;
};

/** An event of COUNT records, each with a published certificate of its own (see the header). */
async function prepare(strapi: Core.Strapi): Promise<Prepared> {
  const svc = (name: string) => strapi.plugin('certify').service(name) as any;
  const started = Date.now();
  const org = await strapi.documents('api::organisation.organisation' as any).create({ data: { name: 'Ten Thousand Club', plan: 'pro' } as any });
  const event = await strapi.documents('api::event.event' as any).create({
    data: { name: 'Kraków Ten Thousand 2026', slug: 'krakow-ten-thousand-2026', date: '2026-10-04', location: 'Kraków', organisation: org.documentId } as any,
  });
  const eventId = event.documentId as string;
  // The demo design without its background photo: ~30 kB certificates instead of ~385 kB keep the
  // 10,000-entry archive (what is tested) at a few hundred MB, and the test fast on CI.
  await createTemplate(strapi, eventId, { background: null });

  const rows = ['Bib,Name,Category,Time'];
  for (let i = 1; i <= COUNT; i++) {
    const name = NAMED[i - 1]?.name ?? `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
    rows.push(`${i},${name},${i % 2 ? 'M40' : 'F35'},${1 + (i % 3)}:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}`);
  }
  const source = await svc('sources').create(eventId, { name: 'Results (CSV)', kind: 'upload' });
  await svc('import').importNow(eventId, { buffer: Buffer.from(rows.join('\n')), sourceId: source.documentId });
  expect(await strapi.db.query(RECORD as any).count({ where: { event: eventId } })).toBe(COUNT);

  // A few certificates made for real: rendered by Chromium and stored by the publish pipeline.
  await svc('publish').start(eventId, { only: { bibs: NAMED.map((n) => n.bib) } });
  await svc('queue').drain();
  const publishedAt = Date.now();
  const table = strapi.db.metadata.get(RECORD as any).tableName;
  const real = await strapi.db.query(RECORD as any).findMany({ where: { event: eventId, status: 'published' }, populate: { pdf: true }, orderBy: { id: 'asc' } });
  expect(real.map((r: any) => r.bib)).toEqual(NAMED.map((n) => n.bib));
  const publicDir = strapi.dirs.static.public;
  const pdfs = real.map((r: any) => fs.readFileSync(path.join(publicDir, r.pdf.url)));
  for (const pdf of pdfs) expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const pdfBytes = Math.round(pdfs.reduce((n, p) => n + p.length, 0) / pdfs.length);

  // Every other record: a file of its own (a real PDF with the record's bib in a trailing PDF
  // comment, so no two files are alike), written as store.ts writes a rendered batch.
  const media = svc('media');
  const publish = svc('publish');
  const [template] = await svc('templates').list(eventId);
  const folderId = await media.eventFolder(eventId, event.slug);
  const rest = await strapi.db.query(RECORD as any).findMany({
    where: { event: eventId, status: { $ne: 'published' } },
    select: ['id', 'documentId', 'bib', 'name', 'dataHash', 'photos'],
    orderBy: { id: 'asc' },
  });
  const now = new Date();
  for (let i = 0; i < rest.length; i += 500) {
    const part = await mapLimit(rest.slice(i, i + 500), 8, async (record: any, k) => {
      const key = publish.renderKey(record, template);
      const data = Buffer.concat([pdfs[(i + k) % pdfs.length], Buffer.from(`% certify e2e: certificate of bib ${record.bib}\n`)]);
      return { record, key, upload: await media.upload(folderId, { name: `${certificateFileBase(record, key)}.pdf`, mime: 'application/pdf', data }) };
    });
    await strapi.db.transaction(async ({ trx }) => {
      for (const { record, key } of part) {
        await trx(table).where({ id: record.id }).update({
          rendered_hash: key,
          status: 'published',
          certified_at: now,
          history: '[]',
          photos: '[]',
          last_error: null,
          updated_at: now,
        });
      }
      const files = await media.persistMany(part.map((p) => p.upload));
      await media.attach(
        RECORD,
        part.flatMap((p, k) => [
          { id: p.record.id, field: 'pdf', fileId: files[k].id },
          { id: p.record.id, field: 'shareImage', fileId: null },
        ])
      );
    });
  }
  // What the publish step would say of them: every certificate up to date.
  const summary = await publish.summary(eventId);
  expect(summary).toMatchObject({ total: COUNT, unchanged: COUNT, new: 0, changed: 0 });

  const stored = await strapi.db.query(RECORD as any).findMany({ where: { event: eventId }, select: ['bib'], populate: { pdf: { select: ['url'] } } });
  const files = Object.fromEntries(stored.map((r: any) => [r.bib, r.pdf.url]));
  expect(Object.keys(files)).toHaveLength(COUNT);
  return { eventId, files, pdfBytes, seconds: { publish: (publishedAt - started) / 1000, files: (Date.now() - publishedAt) / 1000 } };
}

/** Peak resident memory of a process so far, in MB. */
const peakMb = (pid: number) => Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

const openZip = (file: string) =>
  new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: false }, (err, zip) => (err || !zip ? reject(err) : resolve(zip)))
  );

/** Every entry of the central directory, names as raw bytes. */
const listEntries = (zip: yauzl.ZipFile) =>
  new Promise<yauzl.Entry[]>((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      entries.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });

const readEntry = (zip: yauzl.ZipFile, entry: yauzl.Entry) =>
  new Promise<Buffer>((resolve, reject) =>
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(err);
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
      stream.on('error', reject);
    })
  );

beforeAll(async () => {
  const started = Date.now();
  demo = await openDemo({ prepare });
  const { seconds, pdfBytes } = demo.prepared;
  process.stdout.write(
    `[zip e2e] set-up ${((Date.now() - started) / 1000).toFixed(1)} s (real publish of ${NAMED.length}: ${seconds.publish.toFixed(1)} s, ` +
      `${COUNT - NAMED.length} stored certificates of ~${Math.round(pdfBytes / 1024)} KB: ${seconds.files.toFixed(1)} s)\n`
  );
}, BOOT_MS);

afterAll(async () => {
  await demo?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the event ZIP of 10,000 certificates from the admin', () => {
  it('downloads through the Publish tab’s Download ZIP with the announced size, every entry named in UTF-8 and holding its stored PDF', async () => {
    const { page, base, pid, publicDir, prepared } = demo;
    await page.goto(`${base}/admin/plugins/certify/events/${prepared.eventId}?tab=publish`);
    const button = page.getByRole('button', { name: 'Download ZIP' });
    await button.waitFor({ timeout: 60_000 });

    const memoryBefore = peakMb(pid);
    const linkAnswer = page.waitForResponse((r) => r.url().endsWith('/certificates.zip/link'), { timeout: 60_000 });
    const zipAnswer = page.waitForResponse((r) => r.url().startsWith(`${base}/api/certify/downloads/`), { timeout: 60_000 });
    const downloading = page.waitForEvent('download', { timeout: 60_000 });
    const clicked = Date.now();
    await button.click();
    const link = (await (await linkAnswer).json()).data;
    const response = await zipAnswer;
    const download = await downloading;
    // Resolves once the browser has the whole file (a failed or cut transfer rejects).
    const failure = await download.failure();
    expect(failure).toBeNull();
    await download.path();
    const seconds = (Date.now() - clicked) / 1000;
    const file = path.join(tmp, download.suggestedFilename());
    const saving = Date.now();
    await download.saveAs(file);
    const savedIn = (Date.now() - saving) / 1000;
    await download.delete();

    expect(response.status()).toBe(200);
    const announced = Number(await response.headerValue('content-length'));
    const size = fs.statSync(file).size;
    const memoryAfter = peakMb(pid);
    process.stdout.write(
      `[zip e2e] ${link.certificates} certificates, ${(size / 1048576).toFixed(0)} MB downloaded in ${seconds.toFixed(1)} s ` +
        `(${(size / 1048576 / seconds).toFixed(0)} MB/s), saved in ${savedIn.toFixed(1)} s; server peak RSS ${memoryBefore} MB before, ${memoryAfter} MB after\n`
    );
    expect(download.suggestedFilename()).toBe('krakow-ten-thousand-2026-certificates.zip');
    expect(link.certificates).toBe(COUNT);
    expect(announced).toBeGreaterThan(0);
    expect(size).toBe(announced);
    expect(link.bytes).toBe(announced);
    // Streamed, never held: the server grows by far less than the archive.
    expect((memoryAfter - memoryBefore) * 1048576).toBeLessThan(Math.min(size / 2, 400 * 1048576));

    const zip = await openZip(file);
    try {
      expect(zip.entryCount).toBeGreaterThanOrEqual(COUNT);
      const entries = await listEntries(zip);
      expect(entries).toHaveLength(zip.entryCount);
      // Names as bytes: valid UTF-8, flagged as UTF-8 (general purpose bit 11) wherever they are
      // not plain ASCII (archiver flags only those; ASCII reads the same in the ZIP's old CP437).
      const utf8 = new TextDecoder('utf-8', { fatal: true });
      const byName = new Map<string, yauzl.Entry>();
      let flagged = 0;
      for (const e of entries) {
        const name = utf8.decode(e.fileName as unknown as Buffer);
        if (/^[\x20-\x7e]*$/.test(name)) expect(name).toMatch(/^[a-z0-9-]+\.pdf$/);
        else {
          expect({ name, utf8: (e.generalPurposeBitFlag & 0x800) === 0x800 }).toEqual({ name, utf8: true });
          flagged++;
        }
        byName.set(name, e);
      }
      expect(flagged).toBeGreaterThan(COUNT / 2);
      // One entry per record, named from its bib and name.
      const bibs = [...byName.keys()].map((n) => Number(/^(\d+)-/.exec(n)?.[1]));
      expect(new Set(bibs).size).toBe(COUNT);
      expect(Math.min(...bibs)).toBe(1);
      expect(Math.max(...bibs)).toBe(COUNT);
      for (const { entry } of NAMED) expect(byName.has(entry)).toBe(true);
      expect([...byName.keys()].some((n) => n.includes('łukasz'))).toBe(true);
      expect([...byName.keys()].some((n) => n.includes('山田'))).toBe(true);

      // A sample of entries holds exactly the stored file of its record.
      const step = Math.floor(entries.length / 40);
      const sample = new Set([...NAMED.map((n) => byName.get(n.entry)!), ...entries.filter((_, i) => i % step === 0), entries[entries.length - 1]]);
      const fd = fs.openSync(file, 'r');
      for (const entry of sample) {
        const name = utf8.decode(entry.fileName as unknown as Buffer);
        // The local header says the same: its signature, the UTF-8 flag and the name's bytes.
        const local = Buffer.alloc(30 + entry.fileName.length);
        fs.readSync(fd, local, 0, local.length, entry.relativeOffsetOfLocalHeader);
        expect(local.readUInt32LE(0)).toBe(0x04034b50);
        expect(local.readUInt16LE(6) & 0x800).toBe(entry.generalPurposeBitFlag & 0x800);
        expect(local.subarray(30).equals(entry.fileName as unknown as Buffer)).toBe(true);
        const bib = /^(\d+)-/.exec(name)![1];
        const bytes = await readEntry(zip, entry);
        expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
        const stored = fs.readFileSync(path.join(publicDir, prepared.files[bib]));
        expect(bytes.equals(stored)).toBe(true);
      }
      fs.closeSync(fd);
    } finally {
      zip.close();
    }
  }, 15 * 60_000);
});
