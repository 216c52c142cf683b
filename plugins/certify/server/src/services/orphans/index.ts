import type { Core } from '@strapi/strapi';
import fs from 'node:fs';
import path from 'node:path';
import type { OrphanSweepResult } from '../../../../shared/contracts/orphans';
import { getConfig } from '../../utils';
import { FILE_UID } from '../media/files';

/**
 * Certificate files are sent to storage before the transaction that adds their media rows (see
 * publish/store.ts); a process that dies in between (SIGKILL, power, a shutdown past its
 * deadline) leaves objects no row refers to. The sweep lists storage, keeps what any media row
 * (or one of its formats) refers to, and removes Certify's objects that nothing refers to and
 * that are older than `sweep.graceMs` (a younger one may belong to a batch about to commit).
 *
 * Certify's objects are recognised by name, since the local provider keeps every file in one
 * folder: a certificate file is `<bib>_<name>_<render key, 8 hex>_<upload suffix, 10 hex>.<ext>`
 * (publish/keys.ts `certificateFileBase`, then the upload service's hash; files stored before
 * named the record's document id and 12 hex of the key), its thumbnail the same behind
 * `thumbnail_`; a readiness probe's file is `certify-readiness-<hex>.txt`. Only such names that
 * no media row refers to are removed: another upload with such a name has its row, so it stays.
 */
const CERTIFICATE_OBJECT = /^(thumbnail_)?[a-z0-9._-]+_[0-9a-f]{8}(?:[0-9a-f]{4})?_[0-9a-f]{10}\.(pdf|jpe?g|png|webp)$/i;
const PROBE_OBJECT = /^certify-readiness-[0-9a-f]{16}\.txt$/;

export const isCertifyObject = (name: string) => CERTIFICATE_OBJECT.test(name) || PROBE_OBJECT.test(name);

interface StoredObject {
  /** The file name (hash + extension), what media rows are matched by. */
  name: string;
  /** Where it is: a path on disk, or the S3 key. */
  key: string;
  modifiedAt: Date;
}

interface Storage {
  list(): AsyncIterable<StoredObject>;
  remove(object: StoredObject): Promise<void>;
}

type Row = { hash?: string | null; ext?: string | null; url?: string | null; formats?: unknown };

/** The names a media row's objects have in storage: its own and its formats' (thumbnail, …). */
const namesOf = (row: Row): string[] => {
  const formats = (typeof row.formats === 'string' ? JSON.parse(row.formats) : row.formats) as Record<string, Row> | null;
  return [row, ...Object.values(formats ?? {})].flatMap((f) => {
    const names: string[] = [];
    if (f.hash) names.push(`${f.hash}${f.ext ?? ''}`);
    if (f.url) names.push(decodeURIComponent(String(f.url).split('?')[0].split('/').pop() ?? ''));
    return names;
  });
};

const localStorage = (uploadsDir: string): Storage => ({
  async *list() {
    const dir = await fs.promises.opendir(uploadsDir);
    for await (const entry of dir) {
      if (!entry.isFile()) continue;
      const key = path.join(uploadsDir, entry.name);
      const stat = await fs.promises.stat(key).catch(() => null);
      if (stat) yield { name: entry.name, key, modifiedAt: stat.mtime };
    }
  },
  async remove(object) {
    await fs.promises.rm(object.key, { force: true });
  },
});

interface S3Options {
  rootPath?: string;
  s3Options?: Record<string, unknown> & { params?: { Bucket?: string } };
}

/** The bucket the aws-s3 provider writes to, read with the same options. */
const s3Storage = (options: S3Options): Storage => {
  // The provider's own dependency: present wherever the aws-s3 provider is configured.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const sdk = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  const { params, ...clientOptions } = options.s3Options ?? {};
  const bucket = params?.Bucket;
  if (!bucket) throw new Error('The aws-s3 upload provider has no bucket (providerOptions.s3Options.params.Bucket)');
  const client = new sdk.S3Client(clientOptions);
  const prefix = options.rootPath ? `${options.rootPath.replace(/^\/+|\/+$/g, '')}/` : undefined;
  return {
    async *list() {
      let token: string | undefined;
      do {
        const page = await client.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) {
          if (o.Key) yield { name: o.Key.split('/').pop()!, key: o.Key, modifiedAt: o.LastModified ?? new Date() };
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
    async remove(object) {
      await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: object.key }));
    },
  };
};

const orphans = ({ strapi }: { strapi: Core.Strapi }) => {
  let sweeping: Promise<OrphanSweepResult> | null = null;

  const storage = (): Storage => {
    const upload = strapi.config.get('plugin::upload') as { provider?: string; providerOptions?: S3Options };
    if (!upload.provider || upload.provider === 'local') return localStorage(path.join(strapi.dirs.static.public, 'uploads'));
    if (upload.provider === 'aws-s3') return s3Storage(upload.providerOptions ?? {});
    throw new Error(`The orphan sweep cannot list storage of the "${upload.provider}" upload provider (local and aws-s3 are supported)`);
  };

  /** Every name a media row refers to, read in pages. */
  const referenced = async () => {
    const names = new Set<string>();
    for (let offset = 0; ; offset += 5000) {
      const rows: Row[] = await strapi.db.query(FILE_UID).findMany({ select: ['hash', 'ext', 'url', 'formats'], orderBy: { id: 'asc' }, offset, limit: 5000 });
      for (const row of rows) for (const name of namesOf(row)) names.add(name);
      if (rows.length < 5000) return names;
    }
  };

  const run = async (graceMs: number): Promise<OrphanSweepResult> => {
    const store = storage();
    const before = Date.now() - graceMs;
    // Rows are read after the listing: a file committed meanwhile is kept.
    const candidates: StoredObject[] = [];
    let scanned = 0;
    for await (const object of store.list()) {
      scanned += 1;
      if (isCertifyObject(object.name) && object.modifiedAt.getTime() <= before) candidates.push(object);
    }
    const names = await referenced();
    const removed: string[] = [];
    for (const object of candidates) {
      if (names.has(object.name)) continue;
      await store.remove(object);
      removed.push(object.name);
    }
    if (removed.length) strapi.log.info(`[certify] orphan sweep: removed ${removed.length} stored file(s) no media row refers to`);
    return { scanned, removed: removed.length, names: removed.slice(0, 100), graceMs };
  };

  return {
    /**
     * Removes Certify's stored objects that no media row refers to and that are older than
     * `graceMs` (config `sweep.graceMs` unless given). One sweep at a time per process.
     */
    sweep({ graceMs = getConfig(strapi).sweep.graceMs }: { graceMs?: number } = {}): Promise<OrphanSweepResult> {
      sweeping ??= run(graceMs).finally(() => {
        sweeping = null;
      });
      return sweeping;
    },
  };
};

export type OrphansService = ReturnType<typeof orphans>;
export default orphans;
