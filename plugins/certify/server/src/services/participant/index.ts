import type { Core } from '@strapi/strapi';
import { UID } from '../../constants';
import { ERROR_CODES } from '../../../../shared/errors';
import type { PublicCertificate } from '../../../../shared/contracts/publish';
import type { FinderQuery, Pagination } from '../../../../shared/contracts/finder';
import type { EventView } from '../../../../shared/contracts/events';
import { certifyError, getService, publicUrl } from '../../utils';
import { queryWords, specificEnough } from '../search';

type AnyRecord = Record<string, any>;

const CODE = /^[A-Z2-9]{16}$/;

/**
 * What participants see: the finder (event slug + bib or name), the verify page data, and the
 * certificate files. Only published certificates are shown, and only public fields.
 */
const participant = ({ strapi }: { strapi: Core.Strapi }) => {
  const toPublic = (record: AnyRecord, event: EventView): PublicCertificate => ({
    code: record.verificationCode,
    bib: record.bib,
    name: record.name ?? ([record.firstName, record.lastName].filter(Boolean).join(' ') || null),
    category: record.category ?? null,
    finishTime: record.finishTime ?? null,
    event: { name: event.name, slug: event.slug, date: event.date },
    issuedAt: record.certifiedAt ? new Date(record.certifiedAt).toISOString() : null,
    correctedAt: record.correctedAt ? new Date(record.correctedAt).toISOString() : null,
    pdfUrl: `/api/certify/certificates/${record.verificationCode}/pdf`,
    // A rendered certificate's share image is made on first view when the second pass has not yet.
    imageUrl: record.shareImage || record.renderedHash ? `/api/certify/certificates/${record.verificationCode}/image` : null,
    verifyUrl: publicUrl(strapi, `/verify/${record.verificationCode}`),
    photos: (Array.isArray(record.photos) ? record.photos : []).map((p: AnyRecord) => ({ documentId: p.documentId, url: p.url ?? null, caption: p.caption ?? null })),
    history: (Array.isArray(record.history) ? record.history : []).map((h: AnyRecord) => ({ correctedOn: h.replacedAt })),
  });

  const enabledEvent = async (eventId: string) => {
    const events = getService(strapi, 'events');
    const event = await events.find(eventId);
    if (!event) throw certifyError.notFound(ERROR_CODES.eventNotFound, 'This certificate belongs to an event that no longer exists.');
    await getService(strapi, 'availability').assertEventPublic(event);
    return event;
  };

  return {
    /**
     * The record with its share image: PDFs come first and share images follow in a second pass,
     * so one asked for before that pass reached it is made now (and kept for everyone after).
     */
    async withShareImage<T extends AnyRecord>(record: T): Promise<T> {
      if (record.shareImage || !record.renderedHash) return record;
      try {
        return ((await getService(strapi, 'publish').shareImageNow(record as unknown as { documentId: string; event: string; renderedHash: string })) as T | null) ?? record;
      } catch (err) {
        strapi.log.warn(`[certify] making the share image of bib ${record.bib} on demand failed: ${(err as Error).message}`);
        return record;
      }
    },

    /**
     * Published certificates of an event by bib, or by name: every word of the query starts a
     * word of the name, accents and case aside (services/search). One page, with the total.
     */
    async find(slug: string, query: FinderQuery) {
      const events = getService(strapi, 'events');
      const event = await events.findBySlug(String(slug ?? ''));
      if (!event) throw certifyError.notFound(ERROR_CODES.eventNotFound, `Event "${slug}" was not found.`);
      await getService(strapi, 'availability').assertEventPublic(event);
      const bib = query.bib ?? '';
      const words = queryWords(query.name ?? '');
      if (!bib && !specificEnough(words)) {
        throw certifyError.validation(
          'Search by bib (?bib=123) or by name (?name=...): at least 2 letters, or 1 Chinese, Japanese or Korean character.'
        );
      }
      const where: AnyRecord = { event: event.documentId, status: 'published', revokedAt: { $null: true }, pdf: { id: { $notNull: true } } };
      if (bib) where.bib = bib;
      else where.$and = getService(strapi, 'search').matching(event.documentId, words);
      const { page, pageSize } = query;
      const [records, total] = await Promise.all([
        strapi.db.query(UID.record).findMany({
          where,
          populate: { shareImage: true },
          limit: pageSize,
          offset: (page - 1) * pageSize,
          orderBy: [{ bib: 'asc' }, { id: 'asc' }],
        }),
        strapi.db.query(UID.record).count({ where }),
      ]);
      const pagination: Pagination = { page, pageSize, total, pageCount: Math.ceil(total / pageSize) };
      return {
        event: { name: event.name, slug: event.slug, date: event.date },
        results: records.map((r: AnyRecord) => toPublic(r, event)),
        pagination,
      };
    },

    async byCode(code: string) {
      const normalised = String(code ?? '').trim().toUpperCase();
      if (!CODE.test(normalised)) throw certifyError.notFound(ERROR_CODES.certificateNotFound, 'No certificate has this verification code.');
      const record = await strapi.db.query(UID.record).findOne({
        where: { verificationCode: normalised, status: 'published' },
        populate: { pdf: true, shareImage: true },
      });
      if (!record || !record.pdf) throw certifyError.notFound(ERROR_CODES.certificateNotFound, 'No certificate has this verification code.');
      const event = await enabledEvent(record.event);
      await getService(strapi, 'availability').assertPublic(record);
      return { record, event, certificate: toPublic(record, event) };
    },
  };
};

export type ParticipantService = ReturnType<typeof participant>;
export default participant;
