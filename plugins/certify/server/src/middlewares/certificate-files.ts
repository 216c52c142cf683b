import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { UID, TABLE } from '../constants';
import { getService } from '../utils';

type Verdict = { status: 200 } | { status: 404 | 410; message: string };

const NOT_PUBLIC: Verdict = { status: 404, message: 'Not Found' };
/** How long a file's verdict is reused: revoking or deleting takes effect within this. */
const VERDICT_TTL_MS = Number(process.env.CERTIFY_FILE_GATE_CACHE_MS ?? 10_000);
const CACHE_MAX = 10_000;

/**
 * Certificate files are media-library files under the "Certify" folder, served by the upload
 * plugin at `/uploads/...` like any other file. This gate answers for them first: a file is
 * served only while the finder would show its certificate (the current file of a published,
 * unrevoked record of an event whose certificates are online and whose plan includes Certify).
 * Other media pass through untouched. With S3, files are served by the bucket: see
 * docs/STORAGE.md for the private-bucket set-up.
 */
export const registerCertificateFileGate = (strapi: Core.Strapi) => {
  const verdicts = new Map<string, { at: number; verdict: Verdict }>();

  const judge = async (hash: string): Promise<Verdict | null> => {
    const files = strapi.db.metadata.get('plugin::upload.file');
    const file = await strapi.db.connection(files.tableName).where({ hash }).first('id', 'folder_path');
    const root = await getService(strapi, 'media').rootPath();
    if (!file || !root || !String(file.folder_path ?? '').startsWith(`${root}/`)) return null;
    const morph = (files.attributes.related as unknown as { joinTable: { name: string } }).joinTable.name;
    const link = await strapi.db
      .connection(morph)
      .where({ file_id: file.id, related_type: UID.record })
      .whereIn('field', ['pdf', 'shareImage'])
      .first('related_id');
    if (!link) return NOT_PUBLIC; // an earlier version, or a file no record uses
    const record = await strapi.db.connection(TABLE.record).where({ id: link.related_id }).first('event', 'status', 'revoked_at');
    if (!record || record.status !== 'published') return NOT_PUBLIC;
    if (record.revoked_at) return { status: 410, message: 'This certificate was revoked.' };
    if (await getService(strapi, 'availability').offline(record.event)) return NOT_PUBLIC;
    const event = await getService(strapi, 'events').find(record.event);
    if (!event || getService(strapi, 'events').lockReason(event)) return NOT_PUBLIC;
    return { status: 200 };
  };

  const verdictFor = async (hash: string) => {
    const hit = verdicts.get(hash);
    if (hit && Date.now() - hit.at < VERDICT_TTL_MS) return hit.verdict;
    const verdict = await judge(hash);
    if (verdicts.size >= CACHE_MAX) verdicts.delete(verdicts.keys().next().value!);
    if (verdict) verdicts.set(hash, { at: Date.now(), verdict });
    return verdict;
  };

  strapi.server.use(async (ctx: Context, next: Next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !ctx.path.startsWith('/uploads/')) return next();
    let name: string;
    try {
      name = decodeURIComponent(ctx.path.slice('/uploads/'.length));
    } catch {
      return next();
    }
    // A share image's thumbnail is gated with its image.
    const hash = name.replace(/^thumbnail_/, '').replace(/\.[A-Za-z0-9]+$/, '');
    const verdict = await verdictFor(hash);
    if (!verdict) return next();
    if (verdict.status !== 200) {
      ctx.status = verdict.status;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = verdict.message;
      return;
    }
    await next();
    // Short enough for revocation to reach a CDN's copies soon.
    if (ctx.status === 200) ctx.set('Cache-Control', 'public, max-age=60');
  });
};
