import type { Core } from '@strapi/strapi';
import archiver from 'archiver';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { UID } from '../../constants';
import { getService } from '../../utils';
import { safeName } from './keys';

/** A name for each certificate in the archive: bib + name, ASCII only, never a path, never twice. */
export const zipEntryNamer = () => {
  const used = new Set<string>();
  return (record: { bib: unknown; name?: unknown }) => {
    const stem = `${safeName(record.bib, 30)}-${safeName(record.name, 60)}`;
    let name = `${stem}.pdf`;
    for (let i = 2; used.has(name.toLowerCase()); i++) name = `${stem}-${i}.pdf`;
    used.add(name.toLowerCase());
    return name;
  };
};

/**
 * Streams a ZIP of the event's published certificates (optionally one category): files are read
 * one at a time and never held together in memory.
 */
export function streamCertificatesZip(strapi: Core.Strapi, eventId: string, category?: string) {
  const out = new PassThrough();
  const archive = archiver('zip', { zlib: { level: 1 } });
  archive.on('warning', (err) => strapi.log.warn(`[certify] zip: ${err.message}`));
  archive.on('error', (err) => out.destroy(err));
  archive.pipe(out);
  const nameFor = zipEntryNamer();
  const media = getService(strapi, 'media');

  (async () => {
    let lastId = 0;
    for (;;) {
      const where: Record<string, unknown> = { event: eventId, status: 'published', id: { $gt: lastId } };
      if (category) where.category = category;
      const page = await strapi.db.query(UID.record).findMany({ where, populate: { pdf: true }, orderBy: { id: 'asc' }, limit: 200 });
      if (!page.length) break;
      for (const record of page) {
        lastId = record.id;
        if (!record.pdf) continue;
        const stream = await media.open(record.pdf);
        const entered = once(archive, 'entry');
        archive.append(stream, { name: nameFor(record) });
        await entered;
      }
    }
    await archive.finalize();
  })().catch((err) => {
    strapi.log.error(`[certify] zip of event ${eventId}: ${err.message}`);
    archive.abort();
    out.destroy(err);
  });
  return out;
}
