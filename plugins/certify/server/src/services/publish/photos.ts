import type { Core } from '@strapi/strapi';
import { TABLE } from '../../constants';
import { getConfig } from '../../utils';

export interface PhotoLink {
  documentId: string;
  url: string | null;
  caption: string | null;
  /** The image's media-library file: what a certificate showing this photo depends on. */
  fileId?: number | null;
}

type PhotoRow = Record<string, unknown> & { documentId: string; id: number };
type ImageRow = { id?: number; url?: string } | null;

/** The photo a certificate shows: the first link (links are kept in the organiser's order). */
export const chosenPhoto = (photos: unknown): PhotoLink | null => {
  const first = Array.isArray(photos) ? (photos[0] as PhotoLink | undefined) : undefined;
  return first?.fileId ? first : null;
};

/**
 * The event's photos tagged with a record's bib, as the JSON links stored on the record: the
 * finder shows them beside the certificate, and the first is the one on the certificate (a photo
 * marked featured, else the first by the configured order field). Photo type and fields come from
 * config.
 */
export const photoLinks = (strapi: Core.Strapi) => {
  const forBibs = async (eventId: string, bibs: string[]) => {
    const { photo } = getConfig(strapi);
    const byBib = new Map<string, PhotoLink[]>();
    if (!bibs.length || !strapi.contentTypes[photo.uid as keyof typeof strapi.contentTypes]) return byBib;
    const attributes = (strapi.contentTypes[photo.uid as keyof typeof strapi.contentTypes] as { attributes: Record<string, unknown> }).attributes;
    const featured = photo.featuredField && attributes[photo.featuredField] ? photo.featuredField : null;
    const orderField = attributes[photo.orderField] || ['createdAt', 'updatedAt', 'id'].includes(photo.orderField) ? photo.orderField : 'id';
    const photos = (await strapi.db.query(photo.uid as Parameters<typeof strapi.db.query>[0]).findMany({
      where: { [photo.eventField]: { documentId: eventId } },
      populate: { [photo.imageField]: true },
      orderBy: [...(featured ? [{ [featured]: 'desc' as const }] : []), { [orderField]: photo.order }, { id: 'asc' as const }],
    })) as PhotoRow[];
    const wanted = new Set(bibs.map(String));
    for (const p of photos) {
      const tagged = p[photo.bibsField];
      for (const bib of Array.isArray(tagged) ? tagged.map(String) : []) {
        if (!wanted.has(bib)) continue;
        const image = p[photo.imageField] as ImageRow;
        const caption = p[photo.captionField];
        byBib.set(bib, [
          ...(byBib.get(bib) ?? []),
          { documentId: p.documentId, url: image?.url ?? null, caption: caption == null ? null : String(caption), fileId: image?.id ?? null },
        ]);
      }
    }
    return byBib;
  };

  /**
   * Keeps `record.photos` current for these bibs (after a photo was tagged, changed or deleted);
   * returns the records whose links changed.
   */
  const refresh = async (eventId: string, bibs: string[]): Promise<string[]> => {
    const uniq = [...new Set(bibs.map(String))];
    if (!uniq.length) return [];
    const byBib = await forBibs(eventId, uniq);
    const changed: string[] = [];
    const records: Array<{ document_id: string; bib: string; photos: unknown }> = await strapi.db
      .connection(TABLE.record)
      .where({ event: eventId })
      .whereIn('bib', uniq)
      .select('document_id', 'bib', 'photos');
    for (const r of records) {
      const next = JSON.stringify(byBib.get(r.bib) ?? []);
      const before = typeof r.photos === 'string' ? r.photos : JSON.stringify(r.photos ?? []);
      if (before === next) continue;
      await strapi.db.connection(TABLE.record).where({ document_id: r.document_id }).update({ photos: next });
      changed.push(r.document_id);
    }
    return changed;
  };

  return { forBibs, refresh };
};
