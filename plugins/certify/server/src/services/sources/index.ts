import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { DATA_ERROR_CODES } from '../../../../shared/contracts/import';
import type { ErrorCode } from '../../../../shared/errors';
import { UID } from '../../constants';
import { certifyError, getConfig, publicUrl } from '../../utils';
import { parseOrThrow } from '../records';

const feedSettings = z.object({
  url: z
    .string()
    .trim()
    .url('settings.url must be a full URL, e.g. https://timing.example.com/results.csv')
    .refine((u) => /^https?:\/\//i.test(u), 'settings.url must start with http:// or https://'),
  format: z.enum(['auto', 'csv', 'json']).default('auto'),
  intervalMinutes: z.coerce.number().int().min(0).max(24 * 60).optional(),
});

const mappingSchema = z.record(z.string(), z.string().nullable()).nullish();

export const sourceInput = z.object({
  name: z.string().trim().min(1, 'name is required').max(200),
  kind: z.enum(['upload', 'proxy', 'feed']).default('upload'),
  mapping: mappingSchema,
  settings: z.record(z.string(), z.unknown()).nullish(),
});

const sourcePatch = z
  .object({
    name: z.string().trim().min(1, 'name cannot be empty').max(200),
    mapping: mappingSchema,
    settings: z.record(z.string(), z.unknown()).nullish(),
  })
  .partial()
  .strict();

/** Fields that never leave the server. */
const SECRET_FIELDS = ['tokenHash', 'feedEtag', 'feedLastModified'];

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
    view(source: Record<string, any>) {
      const out: Record<string, any> = { ...source };
      for (const key of SECRET_FIELDS) delete out[key];
      if (source.kind === 'proxy') {
        out.pushUrl = publicUrl(strapi, `/api/certify/sources/${source.documentId}/push`);
      }
      return out;
    },

    async list(eventId: string) {
      const list = await strapi.documents(UID.source).findMany({ filters: { event: eventId }, sort: { createdAt: 'asc' } });
      return list.map((s) => this.view(s as any));
    },

    async find(eventId: string, documentId: string) {
      const source = await strapi.documents(UID.source).findFirst({ filters: { event: eventId, documentId } as any });
      if (!source) {
        throw certifyError.notFound(DATA_ERROR_CODES.sourceNotFound as unknown as ErrorCode, `Source "${documentId}" was not found in this event: reload the sources list.`);
      }
      return source as Record<string, any>;
    },

    /** Creates a source. A proxy source's token is in the answer, the only time it is shown. */
    async create(eventId: string, input: unknown) {
      const data = parseOrThrow(sourceInput, input);
      const settings = checkSettings(data.kind, data.settings);
      const token = data.kind === 'proxy' ? newToken() : null;
      const created = await strapi.documents(UID.source).create({
        data: { ...data, settings, event: eventId, ...(token?.data ?? {}) } as any,
      });
      return token ? { ...this.view(created as any), token: token.token } : this.view(created as any);
    },

    async update(eventId: string, documentId: string, input: unknown) {
      const current = await this.find(eventId, documentId);
      const patch = parseOrThrow(sourcePatch, input);
      const data: Record<string, unknown> = { ...patch };
      if ('settings' in patch) data.settings = checkSettings(current.kind, patch.settings);
      if (current.kind === 'feed' && 'settings' in patch && (patch.settings as any)?.url !== current.settings?.url) {
        // A different URL: the previous validators say nothing about it.
        data.feedEtag = null;
        data.feedLastModified = null;
      }
      const updated = await strapi.documents(UID.source).update({ documentId, data: data as any });
      return this.view(updated as any);
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
      const updated = await strapi.documents(UID.source).update({ documentId, data: data as any });
      return { ...this.view(updated as any), token };
    },

    /**
     * The proxy source a push is for, if the bearer token matches its stored hash. Compared in
     * constant time; unknown source, wrong kind and wrong token all look the same to the caller.
     */
    async authenticatePush(documentId: string, authorization: string | undefined) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      const source = documentId ? await strapi.db.query(UID.source).findOne({ where: { documentId } }) : null;
      const expected = source?.tokenHash && /^[0-9a-f]{64}$/.test(source.tokenHash) ? Buffer.from(source.tokenHash, 'hex') : randomBytes(32);
      const given = hashToken(token ?? '');
      const ok = timingSafeEqual(expected, given) && !!token && !!source?.tokenHash && source.kind === 'proxy';
      return ok ? (source as Record<string, any>) : null;
    },
  };
};

export type SourcesService = ReturnType<typeof sources>;
export default sources;
