import type { Core } from '@strapi/strapi';
import createHttpError from 'http-errors';
import { UID, TABLE } from '../../constants';
import { ERROR_CODES } from '../../../../shared/errors';
import { certifyError, getService } from '../../utils';

type RecordRow = { id: number; documentId: string; event: string; bib: string; status: string; revokedAt?: string | Date | null; revokedReason?: string | null };

/** 410: the certificate existed and was revoked (participants and verifiers are told so). */
export const revokedError = (record: { revokedAt?: string | Date | null; revokedReason?: string | null }) => {
  const on = record.revokedAt ? new Date(record.revokedAt).toISOString().slice(0, 10) : null;
  return createHttpError(410, `This certificate was revoked${on ? ` on ${on}` : ''}${record.revokedReason ? `: ${record.revokedReason}` : '.'}`, {
    details: { code: ERROR_CODES.certificateRevoked, revokedAt: record.revokedAt ?? null, reason: record.revokedReason ?? null },
  });
};

/** Participants of an event whose certificates were taken offline see no more than this. */
export const offlineError = () =>
  certifyError.notFound(ERROR_CODES.certificatesOffline, 'Certificates are not available for this event.');

/**
 * What participants may see: an organiser revokes and reinstates single certificates (a
 * disqualified runner, a wrong result) and takes an event's certificates offline and back. The
 * finder, the verify page, the participant API, GraphQL and the certificate files all ask here.
 */
const availability = ({ strapi }: { strapi: Core.Strapi }) => {
  const findRecord = async (eventId: string, documentId: string) => {
    const record = (await strapi.db.query(UID.record).findOne({ where: { documentId, event: eventId } })) as RecordRow | null;
    if (!record) throw certifyError.notFound(ERROR_CODES.recordNotFound, `Record "${documentId}" was not found in this event.`);
    return record;
  };

  const view = (r: RecordRow) => ({ documentId: r.documentId, bib: r.bib, revokedAt: r.revokedAt ? new Date(r.revokedAt).toISOString() : null, revokedReason: r.revokedReason ?? null });

  return {
    /** `reason` as parsed by the shared `revokeRequest` schema. */
    async revoke(eventId: string, documentId: string, reason: string) {
      const text = reason.trim();
      const record = await findRecord(eventId, documentId);
      await strapi.db.connection(TABLE.record).where({ id: record.id }).update({ revoked_at: new Date(), revoked_reason: text, updated_at: new Date() });
      return view(await findRecord(eventId, documentId));
    },

    async reinstate(eventId: string, documentId: string) {
      const record = await findRecord(eventId, documentId);
      await strapi.db.connection(TABLE.record).where({ id: record.id }).update({ revoked_at: null, revoked_reason: null, updated_at: new Date() });
      return view(await findRecord(eventId, documentId));
    },

    /** Since when (and why) an event's certificates are offline, or null. */
    async offline(eventId: string): Promise<{ offlineAt: string; reason: string | null } | null> {
      const row = await strapi.db.connection(TABLE.eventState).where({ event: eventId }).whereNotNull('offline_at').first();
      return row ? { offlineAt: new Date(row.offline_at).toISOString(), reason: row.offline_reason ?? null } : null;
    },

    async takeOffline(eventId: string, reason?: string | null) {
      const now = new Date();
      const data = { offline_at: now, offline_reason: reason ? String(reason).slice(0, 500) : null, updated_at: now };
      const changed = await strapi.db.connection(TABLE.eventState).where({ event: eventId }).update(data);
      if (!changed) await strapi.db.query(UID.eventState).create({ data: { event: eventId, offlineAt: now, offlineReason: data.offline_reason } });
      getService(strapi, 'participant').forgetEvents();
      return this.state(eventId);
    },

    async bringOnline(eventId: string) {
      await strapi.db.connection(TABLE.eventState).where({ event: eventId }).update({ offline_at: null, offline_reason: null, updated_at: new Date() });
      getService(strapi, 'participant').forgetEvents();
      return this.state(eventId);
    },

    async state(eventId: string) {
      const [row] = await strapi.db.connection(TABLE.record).where({ event: eventId }).whereNotNull('revoked_at').count<Array<{ n: number | string }>>({ n: '*' });
      return { eventId, offline: await this.offline(eventId), revoked: Number(row?.n ?? 0) };
    },
  };
};

export type AvailabilityService = ReturnType<typeof availability>;
export default availability;
