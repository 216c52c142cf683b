import type { Core } from '@strapi/strapi';
import { ERROR_CODES } from '../../../../shared/errors';
import type { PublicCertificate } from '../../../../shared/contracts/publish';
import type { FinderQuery, Pagination } from '../../../../shared/contracts/finder';
import type { EventView } from '../../../../shared/contracts/events';
import { LRUCache } from 'lru-cache';
import { certifyError, getConfig, getConfigPart, getService, publicUrl } from '../../utils';
import { queryWords, specificEnough } from '../search';
import { offlineError, revokedError } from '../availability';
import { createCertificateLookup, type CertificateRow } from './lookup';

type Item = Record<string, unknown>;
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

const CODE = /^[A-Z2-9]{16}$/;

/**
 * What participants see: the finder (event slug + bib or name), the verify page data, and the
 * certificate files. Only published certificates are shown, and only public fields.
 */
const participant = ({ strapi }: { strapi: Core.Strapi }) => {
  const toPublic = (record: CertificateRow, event: EventView): PublicCertificate => ({
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
    photos: (record.photos as Item[]).map((p) => ({ documentId: String(p.documentId ?? ''), url: text(p.url), caption: text(p.caption) })),
    history: (record.history as Item[]).map((h) => ({ correctedOn: String(h.replacedAt ?? '') })),
  });

  const lookup = createCertificateLookup(strapi);

  /*
   * What the participant routes learnt about an event (it exists, its plan includes Certify, its
   * certificates are online), reused for `participant.cacheMs`: on race night every request names
   * the same few events, and resolving one costs four statements through the Document Service.
   * Forgotten at once when this process changes an event, an organisation or an event's state.
   */
  type Verdict = { event: EventView; offline: boolean } | null;
  const bySlug = new LRUCache<string, Promise<Verdict>>({ max: 1000 });
  const byId = new LRUCache<string, Promise<Verdict>>({ max: 1000 });
  /** On-demand share images being made, and versions that could not be made lately. */
  const making = new Map<string, Promise<boolean>>();
  const noImage = new LRUCache<string, true>({ max: 10_000, ttl: 60_000 });
  const MAX_MAKING = 4;
  const verdict = (cache: LRUCache<string, Promise<Verdict>>, key: string, find: () => Promise<EventView | null>) => {
    const ttl = getConfigPart(strapi, 'participant').cacheMs;
    const hit = ttl > 0 ? cache.get(key) : undefined;
    if (hit) return hit;
    const fresh = (async (): Promise<Verdict> => {
      const event = await find();
      if (!event) return null;
      const availability = getService(strapi, 'availability');
      return { event, offline: Boolean(getService(strapi, 'events').lockReason(event) || (await availability.offline(event.documentId))) };
    })();
    if (ttl > 0) {
      cache.set(key, fresh, { ttl });
      fresh.catch(() => cache.delete(key));
    }
    return fresh;
  };
  /** The event as participants may see it: a locked plan or offline certificates answer the same neutral 404. */
  const publicEvent = (found: Verdict, notFound: () => Error): EventView => {
    if (!found) throw notFound();
    if (found.offline) throw offlineError();
    return found.event;
  };

  return {
    /** The event of a finder URL, or the 404 a participant is told. */
    async eventBySlug(slug: string): Promise<EventView> {
      const key = String(slug ?? '');
      const found = key ? await verdict(bySlug, key, () => getService(strapi, 'events').findBySlug(key)) : null;
      return publicEvent(found, () => certifyError.notFound(ERROR_CODES.eventNotFound, `Event "${slug}" was not found.`));
    },

    /** Forgets what was learnt about events (a change to one, its organisation or its state). */
    forgetEvents() {
      bySlug.clear();
      byId.clear();
    },

    /**
     * The record with its share image: PDFs come first and share images follow in a second pass,
     * so one asked for before that pass reached it is made now (and kept for everyone after).
     * `waitMs` bounds how long the caller waits (a page answers without the image rather than
     * keep a visitor waiting; the image route waits for it). At most MAX_MAKING are made at a time
     * by one process: on race night, when thousands of new certificates are viewed before the
     * second pass, the rest are answered without an image instead of queueing renders behind
     * each other (bench:lookup's verify page timed out at 10 s that way).
     */
    async withShareImage(record: CertificateRow, { waitMs = 30_000 }: { waitMs?: number } = {}): Promise<CertificateRow> {
      if (record.shareImage || !record.renderedHash) return record;
      // One attempt per certificate version at a time, and none again for a minute after one
      // that could not make it: on race night a page viewed by many must not render for each view.
      const key = `${record.id}:${record.renderedHash}`;
      if (noImage.get(key)) return record;
      let attempt = making.get(key);
      if (!attempt) {
        if (making.size >= MAX_MAKING) return record;
        attempt = getService(strapi, 'publish')
          .shareImageNow({ id: record.id, event: record.event, renderedHash: record.renderedHash })
          .catch((err: Error) => {
            strapi.log.warn(`[certify] making the share image of bib ${record.bib} on demand failed: ${err.message}`);
            return false;
          })
          // "Done" can also mean nothing could be made (no template applies, or the version was
          // replaced): what counts is whether the record has a share image now.
          .then(async (done: boolean) => done && Boolean((await lookup.byCode(record.verificationCode))?.shareImage))
          .then((made: boolean) => {
            if (!made) noImage.set(key, true);
            return made;
          })
          .finally(() => making.delete(key));
        making.set(key, attempt);
      }
      let timer: NodeJS.Timeout | undefined;
      const made = await Promise.race([attempt, new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), waitMs)))]);
      clearTimeout(timer);
      if (!made) return record;
      return (await lookup.byCode(record.verificationCode)) ?? record;
    },

    /**
     * Published certificates of an event by bib, or by name: every word of the query starts a
     * word of the name, accents and case aside (services/search). One page, with the total.
     */
    async find(slug: string, query: FinderQuery) {
      const event = await this.eventBySlug(slug);
      const bib = query.bib ?? '';
      const words = queryWords(query.name ?? '');
      if (!bib && !specificEnough(words)) {
        throw certifyError.validation(
          'Search by bib (?bib=123) or by name (?name=...): at least 2 letters, or 1 Chinese, Japanese or Korean character.'
        );
      }
      const { page, pageSize } = query;
      const eventView = { name: event.name, slug: event.slug, date: event.date };
      if (bib) {
        // Bibs are unique in an event: one statement answers the page and the total.
        const record = await lookup.byBib(event.documentId, bib);
        const results = record && page === 1 ? [toPublic(record, event)] : [];
        const total = record ? 1 : 0;
        return { event: eventView, results, pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) } satisfies Pagination };
      }
      const { results, total } = await lookup.byName(event.documentId, words, pageSize, (page - 1) * pageSize);
      const pagination: Pagination = { page, pageSize, total, pageCount: Math.ceil(total / pageSize) };
      return { event: eventView, results: results.map((r) => toPublic(r, event)), pagination };
    },

    async byCode(code: string) {
      const normalised = String(code ?? '').trim().toUpperCase();
      const unknown = () => certifyError.notFound(ERROR_CODES.certificateNotFound, 'No certificate has this verification code.');
      if (!CODE.test(normalised)) throw unknown();
      const record = await lookup.byCode(normalised);
      if (!record) throw unknown();
      const found = await verdict(byId, record.event, () => getService(strapi, 'events').find(record.event));
      const event = publicEvent(found, () => certifyError.notFound(ERROR_CODES.eventNotFound, 'This certificate belongs to an event that no longer exists.'));
      if (record.revokedAt) throw revokedError(record);
      return { record, event, certificate: toPublic(record, event) };
    },

    /** Event and organisation writes (through any API of this process) make the cached verdicts stale. */
    bootstrap() {
      const { event, organisation } = getConfig(strapi);
      const forget = () => this.forgetEvents();
      strapi.db.lifecycles.subscribe({
        models: [event.uid, organisation.uid],
        afterCreate: forget,
        afterCreateMany: forget,
        afterUpdate: forget,
        afterUpdateMany: forget,
        afterDelete: forget,
        afterDeleteMany: forget,
      });
    },
  };
};

export type ParticipantService = ReturnType<typeof participant>;
export default participant;
