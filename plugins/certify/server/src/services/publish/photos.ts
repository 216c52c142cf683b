import type { Core } from '@strapi/strapi';
import { TABLE } from '../../constants';
import { getConfig } from '../../utils';

export interface PhotoLink {
  documentId: string;
  url: string | null;
  caption: string | null;
}

type PhotoRow = Record<string, unknown> & { documentId: string };

/**
 * The event's photos tagged with a record's bib, as the JSON links stored on the record (the
 * finder shows them beside the certificate). The photo type and its fields come from config.
 */
export const photoLinks = (strapi: Core.Strapi) => {
  const forBibs = async (eventId: string, bibs: string[]) => {
    const { photo } = getConfig(strapi);
    const byBib = new Map<string, PhotoLink[]>();
    if (!bibs.length || !strapi.contentTypes[photo.uid as keyof typeof strapi.contentTypes]) return byBib;
    const photos = (await strapi.db.query(photo.uid as Parameters<typeof strapi.db.query>[0]).findMany({
      where: { [photo.eventField]: { documentId: eventId } },
      populate: { [photo.imageField]: true },
    })) as PhotoRow[];
    const wanted = new Set(bibs.map(String));
    for (const p of photos) {
      const tagged = p[photo.bibsField];
      for (const bib of Array.isArray(tagged) ? tagged.map(String) : []) {
        if (!wanted.has(bib)) continue;
        const image = p[photo.imageField] as { url?: string } | null;
        const caption = p[photo.captionField];
        byBib.set(bib, [...(byBib.get(bib) ?? []), { documentId: p.documentId, url: image?.url ?? null, caption: caption == null ? null : String(caption) }]);
      }
    }
    return byBib;
  };

  /** Keeps `record.photos` current for these bibs (after a photo was tagged, changed or deleted). */
  const refresh = async (eventId: string, bibs: string[]) => {
    const uniq = [...new Set(bibs.map(String))];
    if (!uniq.length) return;
    const byBib = await forBibs(eventId, uniq);
    for (const bib of uniq) {
      await strapi.db.connection(TABLE.record).where({ event: eventId, bib }).update({ photos: JSON.stringify(byBib.get(bib) ?? []) });
    }
  };

  return { forBibs, refresh };
};
