import type { Core } from '@strapi/strapi';
import { UID } from '../../constants';
import { ERROR_CODES } from '../../../../shared/errors';
import type { PublicCertificate } from '../../../../shared/contracts/publish';
import { certifyError, getConfig, getService } from '../../utils';
import type { ResolvedEvent } from '../events';

type AnyRecord = Record<string, any>;

const CODE = /^[A-Z2-9]{16}$/;

/**
 * What participants see: the finder (event slug + bib or name), the verify page data, and the
 * certificate files. Only published certificates are shown, and only public fields.
 */
const participant = ({ strapi }: { strapi: Core.Strapi }) => {
  const base = () => getConfig(strapi).publicUrl.replace(/\/$/, '');

  const toPublic = (record: AnyRecord, event: ResolvedEvent): PublicCertificate => ({
    code: record.verificationCode,
    bib: record.bib,
    name: record.name ?? ([record.firstName, record.lastName].filter(Boolean).join(' ') || null),
    category: record.category ?? null,
    finishTime: record.finishTime ?? null,
    event: { name: event.name, slug: event.slug, date: event.date },
    issuedAt: record.certifiedAt ? new Date(record.certifiedAt).toISOString() : null,
    correctedAt: record.correctedAt ? new Date(record.correctedAt).toISOString() : null,
    pdfUrl: `/api/certify/certificates/${record.verificationCode}/pdf`,
    imageUrl: record.shareImage ? `/api/certify/certificates/${record.verificationCode}/image` : null,
    verifyUrl: `${base()}/verify/${record.verificationCode}`,
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
    async find(slug: string, query: { bib?: string; name?: string }) {
      const events = getService(strapi, 'events');
      const event = await events.findBySlug(String(slug ?? ''));
      if (!event) throw certifyError.notFound(ERROR_CODES.eventNotFound, `Event "${slug}" was not found.`);
      await getService(strapi, 'availability').assertEventPublic(event);
      const bib = String(query.bib ?? '').trim();
      const name = String(query.name ?? '').trim();
      if (!bib && name.length < 3) {
        throw certifyError.validation('Search by bib (?bib=123) or by at least 3 letters of the name (?name=...).');
      }
      const where: AnyRecord = { event: event.documentId, status: 'published', revokedAt: { $null: true }, pdf: { id: { $notNull: true } } };
      if (bib) where.bib = bib.slice(0, 64);
      else where.name = { $containsi: name.slice(0, 100) };
      const records = await strapi.db.query(UID.record).findMany({ where, populate: { shareImage: true }, limit: 20, orderBy: { bib: 'asc' } });
      return { event: { name: event.name, slug: event.slug, date: event.date }, results: records.map((r: AnyRecord) => toPublic(r, event)) };
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
