import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Core } from '@strapi/strapi';
import archiver from 'archiver';
import { UID } from '../../constants';
import { getService } from '../../utils';
import { readableName } from './keys';

/** A name for each certificate in the archive: bib + name in the participant's letters, never a path, never twice. */
export const zipEntryNamer = () => {
  const used = new Set<string>();
  return (record: { bib: unknown; name?: unknown }) => {
    const stem = `${readableName(record.bib, 30)}-${readableName(record.name, 60)}`;
    let name = `${stem}.pdf`;
    for (let i = 2; used.has(name); i++) name = `${stem}-${i}.pdf`;
    used.add(name);
    return name;
  };
};

interface ZipEntry {
  name: string;
  file: { url: string; id: number };
  /** Exact bytes, when storage can tell them without reading the file (local disk). */
  bytes: number | null;
}

/*
 * The archive's exact length, so the browser shows real progress and a broken transfer is
 * detected. Entries are STOREd (PDFs are compressed already; deflating them again cost CPU and
 * saved about 1%), each written as: local header (30 bytes + name), data, data descriptor (16),
 * and in the central directory 46 bytes + name; then the 22-byte end record. Past 4 GiB or
 * 65,535 entries the archive needs ZIP64 records, whose size this does not predict: then the
 * length is left unsaid (chunked transfer), as it is when storage cannot say a file's size.
 */
const ZIP32_LIMIT = 0xffffffff;
export const zipLength = (entries: ZipEntry[]): number | null => {
  let total = 22;
  for (const e of entries) {
    if (e.bytes === null) return null;
    const name = Buffer.byteLength(e.name);
    total += 30 + name + e.bytes + 16 + 46 + name;
  }
  return total >= ZIP32_LIMIT || entries.length >= 0xffff ? null : total;
};

/** The published certificates of an event (optionally one category), named, with their sizes where known. */
export async function zipEntries(strapi: Core.Strapi, eventId: string, category?: string): Promise<ZipEntry[]> {
  const nameFor = zipEntryNamer();
  const publicDir = path.resolve(strapi.dirs.static.public);
  const entries: ZipEntry[] = [];
  let lastId = 0;
  for (;;) {
    const where: Record<string, unknown> = { event: eventId, status: 'published', id: { $gt: lastId } };
    if (category) where.category = category;
    const page = await strapi.db.query(UID.record).findMany({
      where,
      select: ['id', 'bib', 'name'],
      // hash and ext name the object in the bucket (what a signed URL of a private object needs).
      populate: { pdf: { select: ['id', 'url', 'hash', 'ext'] } },
      orderBy: { id: 'asc' },
      limit: 1000,
    });
    if (!page.length) break;
    for (const record of page) {
      lastId = record.id;
      if (!record.pdf?.url) continue;
      const url: string = record.pdf.url;
      // Local storage: the file's size from the disk; a remote object's only by asking for it.
      const local = /^https?:\/\//i.test(url) ? null : path.resolve(publicDir, `.${decodeURIComponent(url.split('?')[0])}`);
      const bytes = local && local.startsWith(publicDir + path.sep) ? await fs.stat(local).then((s) => s.size, () => null) : null;
      entries.push({ name: nameFor(record), file: record.pdf, bytes });
    }
  }
  return entries;
}

/** Streams a ZIP of these entries, reading the files one at a time (never held together in memory). */
export function streamZip(strapi: Core.Strapi, entries: ZipEntry[], label: string) {
  const out = new PassThrough();
  const archive = archiver('zip', { store: true });
  archive.on('warning', (err) => strapi.log.warn(`[certify] zip: ${err.message}`));
  archive.on('error', (err) => out.destroy(err));
  archive.pipe(out);
  const media = getService(strapi, 'media');
  (async () => {
    for (const entry of entries) {
      const stream = await media.open(entry.file);
      const entered = once(archive, 'entry');
      archive.append(stream, { name: entry.name });
      await entered;
    }
    await archive.finalize();
  })().catch((err) => {
    strapi.log.error(`[certify] zip of ${label}: ${err.message}`);
    archive.abort();
    out.destroy(err);
  });
  return out;
}

/*
 * Download links. The admin cannot hand a browser download its bearer token, and fetching the
 * archive into the page's memory fails at event size (2.2 GB for 25,755 certificates). So the
 * admin asks for a link signed for one event and category, valid a few minutes, and the browser
 * downloads it natively, streamed, with its size known.
 */
export const ZIP_LINK_TTL_MS = 5 * 60_000;

interface ZipGrant {
  eventId: string;
  category?: string;
  expires: number;
}

const linkKey = (strapi: Core.Strapi): Buffer => {
  const secret = String(strapi.config.get('admin.auth.secret') ?? '') || (strapi.config.get('server.app.keys') as string[] | undefined)?.join(',') || '';
  if (!secret) throw new Error('[certify] download links need admin.auth.secret or server.app.keys to be set');
  return createHmac('sha256', secret).update('certify:zip-link').digest();
};

const sign = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

export const zipLinks = (strapi: Core.Strapi) => ({
  create(grant: Omit<ZipGrant, 'expires'>, now = Date.now()): { token: string; expiresAt: string } {
    const expires = now + ZIP_LINK_TTL_MS;
    const payload = Buffer.from(JSON.stringify({ e: grant.eventId, c: grant.category ?? null, x: expires })).toString('base64url');
    return { token: `${payload}.${sign(linkKey(strapi), payload)}`, expiresAt: new Date(expires).toISOString() };
  },

  /** The grant of a valid, unexpired token; null for anything else (forged, altered, expired, malformed). */
  verify(token: string, now = Date.now()): ZipGrant | null {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return null;
    const expected = Buffer.from(sign(linkKey(strapi), payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const { e, c, x } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      if (typeof e !== 'string' || typeof x !== 'number' || x < now) return null;
      return { eventId: e, category: typeof c === 'string' ? c : undefined, expires: x };
    } catch {
      return null;
    }
  },
});
