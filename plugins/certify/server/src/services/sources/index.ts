import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { z } from 'zod';
import { ERROR_CODES } from '../../../../shared/errors';
import { feedSettings, type SourceKind, type SyncStatus, type sourceInput, type sourcePatch } from '../../../../shared/contracts/sources';
import type { ImportMapping } from '../../../../shared/contracts/import';
import { UID } from '../../constants';
import { certifyError, documentData, getConfig, parseOrThrow, publicUrl } from '../../utils';

/** A source row as stored, secrets included. */
export interface StoredSource {
  id: number;
  documentId: string;
  event: string;
  name: string;
  kind: SourceKind;
  mapping: ImportMapping | null;
  settings: Record<string, unknown> | null;
  tokenHash?: string | null;
  tokenHint: string | null;
  tokenRotatedAt: string | Date | null;
  feedEtag?: string | null;
  feedLastModified?: string | null;
  lastSyncAt: string | Date | null;
  lastSyncStatus: SyncStatus | null;
  createdAt: string | Date;
  updatedAt: string | Date;
}

/** Fields that never leave the server. */
/** A source as the admin sees it: no token hash or feed validators; a proxy source's push URL. */
const view = (source: StoredSource, pushUrl: string) => {
  const { tokenHash: _hash, feedEtag: _etag, feedLastModified: _modified, ...out } = source;
  return source.kind === 'proxy' ? { ...out, pushUrl } : out;
};

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** Data sources: where an event's participant data comes from (upload, proxy push, feed pull). */
const sources = ({ strapi }: { strapi: Core.Strapi }) => {
  const checkSettings = (kind: string, settings: Record<string, unknown> | null | undefined) => {
    if (kind !== 'feed') return settings ?? null;
    const parsed = parseOrThrow(feedSettings, settings ?? {});
    return { ...(settings ?? {}), ...parsed };
  };

  const newToken = () => {
    const token = `crt_${randomBytes(32).toString('base64url')}`;
    return {
      token,
      data: { tokenHash: hashToken(token).toString('hex'), tokenHint: token.slice(-4), tokenRotatedAt: new Date() },
    };
  };

  return {
    /** A source as the admin sees it: no token hash or feed validators; proxy sources show their push URL. */
    view: (source: StoredSource) => view(source, publicUrl(strapi, `/api/certify/sources/${source.documentId}/push`)),

    async list(eventId: string) {
      const list = await strapi.documents(UID.source).findMany({ filters: { event: eventId }, sort: { createdAt: 'asc' } });
      return (list as StoredSource[]).map(this.view);
    },

    async find(eventId: string, documentId: string): Promise<StoredSource> {
      const source = (await strapi.documents(UID.source).findFirst({ filters: { event: eventId, documentId } })) as StoredSource | null;
      if (!source) {
        throw certifyError.notFound(ERROR_CODES.sourceNotFound, `Source "${documentId}" was not found in this event: reload the sources list.`);
      }
      return source;
    },

    /** Creates a source. A proxy source's token is in the answer, the only time it is shown. */
    async create(eventId: string, data: z.output<typeof sourceInput>) {
      const settings = checkSettings(data.kind, data.settings);
      const token = data.kind === 'proxy' ? newToken() : null;
      const created = await strapi.documents(UID.source).create({
        data: documentData(UID.source, { ...data, settings, event: eventId, ...(token?.data ?? {}) }),
      });
      return token ? { ...this.view(created as StoredSource), token: token.token } : this.view(created as StoredSource);
    },

    async update(eventId: string, documentId: string, patch: z.output<typeof sourcePatch>) {
      const current = await this.find(eventId, documentId);
      const data: Record<string, unknown> = { ...patch };
      if ('settings' in patch) data.settings = checkSettings(current.kind, patch.settings);
      if (current.kind === 'feed' && 'settings' in patch && patch.settings?.url !== current.settings?.url) {
        // A different URL: the previous validators say nothing about it.
        data.feedEtag = null;
        data.feedLastModified = null;
      }
      const updated = await strapi.documents(UID.source).update({ documentId, data: documentData(UID.source, data) });
      return this.view(updated as StoredSource);
    },

    /** Deletes the source; its records stay (they only lose the link to it). */
    async remove(eventId: string, documentId: string) {
      await this.find(eventId, documentId);
      await strapi.documents(UID.source).delete({ documentId });
      return { documentId };
    },

    /** New proxy token; the previous one stops working at once. */
    async rotateToken(eventId: string, documentId: string) {
      const current = await this.find(eventId, documentId);
      if (current.kind !== 'proxy') {
        throw certifyError.validation(`Source "${current.name}" is a ${current.kind} source: only proxy sources have a push token.`);
      }
      const { token, data } = newToken();
      const updated = await strapi.documents(UID.source).update({ documentId, data: documentData(UID.source, data) });
      return { ...this.view(updated as StoredSource), token };
    },

    /** Notes the outcome of a pull or push on the source (shown in the admin's sources list). */
    async recordSync(id: number, at: Date, status: SyncStatus) {
      await strapi.db.query(UID.source).update({ where: { id }, data: { lastSyncAt: at, lastSyncStatus: status } });
    },

    /**
     * The proxy source a push is for, if the bearer token matches its stored hash. Compared in
     * constant time; unknown source, wrong kind and wrong token all look the same to the caller.
     */
    async authenticatePush(documentId: string, authorization: string | undefined): Promise<StoredSource | null> {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      const source: StoredSource | null = documentId ? await strapi.db.query(UID.source).findOne({ where: { documentId } }) : null;
      const expected = source?.tokenHash && /^[0-9a-f]{64}$/.test(source.tokenHash) ? Buffer.from(source.tokenHash, 'hex') : randomBytes(32);
      const given = hashToken(token ?? '');
      const ok = timingSafeEqual(expected, given) && !!token && !!source?.tokenHash && source.kind === 'proxy';
      return ok ? source : null;
    },
  };
};

export type SourcesService = ReturnType<typeof sources>;
export default sources;
