import type { Core } from '@strapi/strapi';
import { UID } from '../../constants';
import { ERROR_CODES } from '../../../../shared/errors';
import type { EventView } from '../../../../shared/contracts/events';
import type { FinderResponse, PhotoLink, PublicCertificate } from '../../../../shared/contracts/publish';
import { certifyError, getConfig, getService } from '../../utils';
import type { StoredRecord } from '../records';

const CODE = /^[A-Z2-9]{16}$/;

/** A stored timestamp (a Date from some drivers, an ISO string from others) as ISO, or null. */
const iso = (v: string | Date | null | undefined) => (v ? new Date(v).toISOString() : null);

/**
 * What participants see: the finder (event slug + bib or name), the verify page data, and the
 * certificate files. Only published certificates are shown, and only public fields.
 */
const participant = ({ strapi }: { strapi: Core.Strapi }) => {
  const base = () => getConfig(strapi).publicUrl.replace(/\/$/, '');
  const notFound = () => certifyError.notFound(ERROR_CODES.certificateNotFound, 'No certificate has this verification code.');

  const toPublic = (record: StoredRecord, event: EventView): PublicCertificate => ({
    code: record.verificationCode,
    bib: record.bib,
    name: record.name ?? ([record.firstName, record.lastName].filter(Boolean).join(' ') || null),
    category: record.category ?? null,
    finishTime: record.finishTime ?? null,
    event: { name: event.name, slug: event.slug, date: event.date },
    issuedAt: iso(record.certifiedAt),
    correctedAt: iso(record.correctedAt),
    pdfUrl: `/api/certify/certificates/${record.verificationCode}/pdf`,
    imageUrl: record.shareImage ? `/api/certify/certificates/${record.verificationCode}/image` : null,
    verifyUrl: `${base()}/verify/${record.verificationCode}`,
    photos: Array.isArray(record.photos) ? (record.photos as PhotoLink[]) : [],
    history: (Array.isArray(record.history) ? (record.history as Array<{ replacedAt: string }>) : []).map((h) => ({
      correctedOn: h.replacedAt,
    })),
  });

  const enabledEvent = async (eventId: string) => {
    const events = getService(strapi, 'events');
    const event = await events.find(eventId);
    if (!event) throw certifyError.notFound(ERROR_CODES.certificateNotFound, 'This certificate belongs to an event that no longer exists.');
    events.assertEnabled(event);
    return event;
  };

  return {
    async find(slug: string, query: { bib?: string; name?: string }): Promise<FinderResponse> {
      const events = getService(strapi, 'events');
      const event = await events.findBySlug(slug);
      if (!event) throw certifyError.notFound(ERROR_CODES.eventNotFound, `Event "${slug}" was not found.`);
      events.assertEnabled(event);
      const bib = (query.bib ?? '').trim();
      const name = (query.name ?? '').trim();
      if (!bib && name.length < 3) {
        throw certifyError.validation('Search by bib (?bib=123) or by at least 3 letters of the name (?name=...).');
      }
      const where: Record<string, unknown> = { event: event.documentId, status: 'published', pdf: { id: { $notNull: true } } };
      if (bib) where.bib = bib.slice(0, 64);
      else where.name = { $containsi: name.slice(0, 100) };
      const records: StoredRecord[] = await strapi.db
        .query(UID.record)
        .findMany({ where, populate: { shareImage: true }, limit: 20, orderBy: { bib: 'asc' } });
      return { event: { name: event.name, slug: event.slug, date: event.date }, results: records.map((r) => toPublic(r, event)) };
    },

    async byCode(code: string) {
      const normalised = code.trim().toUpperCase();
      if (!CODE.test(normalised)) throw notFound();
      const record: StoredRecord | null = await strapi.db.query(UID.record).findOne({
        where: { verificationCode: normalised, status: 'published' },
        populate: { pdf: true, shareImage: true },
      });
      if (!record || !record.pdf) throw notFound();
      const event = await enabledEvent(record.event);
      return { record: { ...record, pdf: record.pdf }, event, certificate: toPublic(record, event) };
    },
  };
};

export type ParticipantService = ReturnType<typeof participant>;
export default participant;
