import type { Core } from '@strapi/strapi';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { LRUCache } from 'lru-cache';
import { FILE_UID, FOLDER_UID, openMediaFile, readMediaFile, type MediaFile, type MediaRef } from './files';

const ROOT_FOLDER = 'Certify';

/** A rendered file on its way to the media library. */
export interface CertificateFile {
  name: string;
  mime: string;
  data: Buffer;
  /** Pixel size of an image (read from the bytes when not given). */
  size?: { width: number; height: number } | null;
  /** The image's media-library thumbnail. */
  thumbnail?: { data: Buffer; width: number; height: number } | null;
}

export type StoredFile = MediaFile & { name: string; mime: string };

/**
 * A media-library row on its way in: what the upload service's `formatFileInfo` gives, plus the
 * folder, pixel size, thumbnail format and provider; providers add `url` (and their own keys).
 */
export interface UploadRow {
  name: string;
  hash: string;
  ext?: string;
  mime: string;
  size: number;
  sizeInBytes?: number;
  path?: string | null;
  url?: string;
  width?: number;
  height?: number;
  folder?: number;
  folderPath?: string;
  formats?: Record<string, UploadRow>;
  provider?: string;
  buffer?: Buffer;
  getStream?: () => Readable;
  [providerKey: string]: unknown;
}

/**
 * Certificates in the media library: one folder per event under "Certify", files stored through
 * the upload plugin's service (so the configured provider, local or S3, receives them).
 */
const media = ({ strapi }: { strapi: Core.Strapi }) => {
  // Folder ids never change; the cap only bounds a long-lived server with many events.
  const folderCache = new LRUCache<string, number>({ max: 1000 });
  let rootPath: string | null = null;
  const upload = () => strapi.plugin('upload').service('upload');

  const findOrCreateFolder = async (name: string, parentId: number | null): Promise<number> => {
    const where = { name, parent: parentId ? { id: parentId } : { id: { $null: true } } };
    const existing = await strapi.db.query(FOLDER_UID).findMany({ where, orderBy: { id: 'asc' }, limit: 1 });
    if (existing[0]) return existing[0].id;
    try {
      await strapi.plugin('upload').service('folder').create({ name, parent: parentId });
    } catch {
      // Another worker created it first: use theirs.
    }
    // Two workers may both create it; everyone settles on the oldest. A create refused because
    // another process is creating the same folder may not be visible yet (uncommitted): wait.
    for (let attempt = 0; attempt < 20; attempt++) {
      const found = await strapi.db.query(FOLDER_UID).findMany({ where, orderBy: { id: 'asc' }, limit: 1 });
      if (found[0]) return found[0].id;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`Could not create media folder "${name}"`);
  };

  // A folder's path, read once a minute rather than once a file (a moved folder changes it).
  const folderPaths = new LRUCache<number, Promise<string>>({ max: 1000, ttl: 60_000 });
  const folderPath = (folderId: number): Promise<string> => {
    const hit = folderPaths.get(folderId);
    if (hit) return hit;
    const path = strapi.plugin('upload').service('file').getFolderPath(folderId) as Promise<string>;
    path.catch(() => folderPaths.delete(folderId));
    folderPaths.set(folderId, path);
    return path;
  };

  /**
   * Certificate files are private objects where the storage has object ACLs (the S3 provider with
   * an ACL in its params, `public-read` unless configured otherwise): only Certify's gated routes
   * hand them out, as short-lived signed URLs, so revoking, deleting or a plan downgrade closes the
   * file too. Without ACLs (a bucket with "bucket owner enforced" ownership, R2) the bucket's
   * policy decides: docs/STORAGE.md. Undefined: the provider's own upload options.
   */
  const privateUploadOptions = (): Record<string, unknown> | undefined => {
    const upload = strapi.config.get('plugin::upload') as {
      provider?: string;
      providerOptions?: { s3Options?: { params?: { ACL?: string } } };
      actionOptions?: { upload?: Record<string, unknown> };
    };
    if (upload.provider !== 'aws-s3' || !upload.providerOptions?.s3Options?.params?.ACL) return undefined;
    return { ...(upload.actionOptions?.upload ?? {}), ACL: 'private' };
  };

  /**
   * Hands a file to the configured provider. Certificates are in memory already, so a provider
   * that takes a buffer gets one (one write, where a stream costs several callbacks per small file);
   * otherwise the upload plugin's own path streams it.
   */
  const send = async (file: UploadRow, data: Buffer) => {
    const provider = strapi.plugin('upload').provider;
    if (typeof provider.upload === 'function') {
      file.buffer = data;
      try {
        await provider.upload(file, privateUploadOptions());
      } finally {
        delete file.buffer;
      }
      return;
    }
    file.getStream = () => Readable.from(data);
    try {
      await strapi.plugin('upload').service('provider').upload(file);
    } finally {
      delete file.getStream;
    }
  };

  /** The join table behind one of the upload plugin's file relations, as the database layer maps it. */
  const joinTableOf = (attribute: 'folder' | 'related') => {
    const attr = strapi.db.metadata.get(FILE_UID).attributes[attribute];
    if (attr?.type !== 'relation' || !('joinTable' in attr) || !attr.joinTable) throw new Error(`The media library's file.${attribute} relation has no join table`);
    return attr.joinTable;
  };

  return {
    /** The media-library folder of an event's certificates ("Certify/<event slug or id>"). */
    async eventFolder(eventId: string, label?: string | null): Promise<number> {
      const cached = folderCache.get(eventId);
      if (cached) return cached;
      const root = await findOrCreateFolder(ROOT_FOLDER, null);
      // The event's name may change; its id (in the folder name) does not.
      const existing = await strapi.db.query(FOLDER_UID).findMany({
        where: { parent: { id: root }, name: { $endsWith: `(${eventId})` } },
        orderBy: { id: 'asc' },
        limit: 1,
      });
      const id = existing[0]?.id ?? (await findOrCreateFolder(`${label || 'event'} (${eventId})`, root));
      folderCache.set(eventId, id);
      return id;
    },

    /** The path of the "Certify" root folder (e.g. "/3"), or null before the first certificate. */
    async rootPath(): Promise<string | null> {
      if (rootPath) return rootPath;
      const folder = await strapi.db.query(FOLDER_UID).findOne({ where: { name: ROOT_FOLDER, parent: { id: { $null: true } } } });
      rootPath = (folder?.path as string | undefined) ?? null;
      return rootPath;
    },

    /**
     * Whose certificate a media file is: `null` for a file outside the "Certify" folder (any other
     * media), else the documentId of the event whose folder holds it ("" when the folder names none).
     */
    async certificateEventOf(file: { folderPath?: string | null }): Promise<string | null> {
      const root = await this.rootPath();
      const where = String(file.folderPath ?? '');
      if (!root || (where !== root && !where.startsWith(`${root}/`))) return null;
      const eventFolderPath = where.split('/').slice(0, root.split('/').length + 1).join('/');
      const folder = await strapi.db.query(FOLDER_UID).findOne({ where: { path: eventFolderPath }, select: ['name'] });
      return /\(([^()]+)\)$/.exec(String(folder?.name ?? ''))?.[1] ?? '';
    },

    async findByName(folderId: number, name: string): Promise<StoredFile[]> {
      return strapi.db.query(FILE_UID).findMany({ where: { name, folder: { id: folderId } }, orderBy: { id: 'asc' } });
    },

    /**
     * Sends a certificate file to the configured provider (local or S3) under the name the upload
     * service gives it, without the generic path's temporary copy, optimisation and responsive
     * formats (a share image is already sized; those cost more than the render itself). Returns
     * the file's row, not yet in the database: `persistMany` adds it, `discard` takes it back.
     */
    async upload(folderId: number, { name, mime, data, size, thumbnail }: CertificateFile): Promise<UploadRow> {
      const info = (await upload().formatFileInfo({ filename: name, type: mime, size: data.length }, { name })) as UploadRow;
      const fileData: UploadRow = { ...info, folder: folderId, folderPath: await folderPath(folderId) };
      if (mime.startsWith('image/')) {
        const { width, height } =
          size ?? (await strapi.plugin('upload').service('image-manipulation').getDimensions({ ...fileData, getStream: () => Readable.from(data) }));
        Object.assign(fileData, { width, height });
      }
      await send(fileData, data);
      if (thumbnail) {
        // The media library lists images by their thumbnail format, as Strapi's own upload makes it.
        const thumb: UploadRow = {
          name: `thumbnail_${fileData.name}`,
          hash: `thumbnail_${fileData.hash}`,
          ext: fileData.ext,
          mime: 'image/jpeg',
          path: fileData.path ?? null,
          width: thumbnail.width,
          height: thumbnail.height,
          size: Math.round((thumbnail.data.length / 1000) * 100) / 100,
          sizeInBytes: thumbnail.data.length,
        };
        try {
          await send(thumb, thumbnail.data);
        } catch (err) {
          await this.discard(fileData).catch(() => undefined);
          throw err;
        }
        fileData.formats = { thumbnail: thumb };
      }
      fileData.provider = (strapi.config.get('plugin::upload') as { provider: string }).provider;
      return fileData;
    },

    /**
     * Adds the rows of many uploaded files (from `upload`) at once: one insert for the rows and one
     * for their folder links, where creating them one by one costs five queries a file. Joins the
     * caller's transaction. Returns the rows in the order given.
     */
    async persistMany(files: UploadRow[]): Promise<StoredFile[]> {
      if (!files.length) return [];
      const folderLink = joinTableOf('folder');
      return strapi.db.transaction(async ({ trx }) => {
        const { ids } = await strapi.db.query(FILE_UID).createMany({ data: files.map(({ folder: _folder, ...row }) => row) });
        const rows: StoredFile[] = await strapi.db.query(FILE_UID).findMany({ where: { id: { $in: ids } } });
        const byHash = new Map(rows.map((r) => [r.hash, r]));
        const ordered = files.map((f) => byHash.get(f.hash));
        if (ordered.some((r) => !r)) throw new Error('Stored file rows could not be read back');
        // The files' order within their folder (`file_ord`) is the relation's inverse order column.
        const { name, joinColumn } = folderLink;
        const inverseJoinColumn = 'inverseJoinColumn' in folderLink ? folderLink.inverseJoinColumn : null;
        const ordColumn = 'inverseOrderColumnName' in folderLink ? folderLink.inverseOrderColumnName : undefined;
        if (!inverseJoinColumn) throw new Error("The media library's file.folder relation is not a plain join table");
        const inFolder = files.filter((f) => f.folder);
        for (const folderId of new Set(inFolder.map((f) => f.folder))) {
          const [{ max } = { max: 0 }] = !ordColumn ? [] : await trx(name).where(inverseJoinColumn.name, folderId).max({ max: ordColumn });
          let ord = Number(max ?? 0);
          const links = files.flatMap((f, i) =>
            f.folder === folderId
              ? [{ [joinColumn.name]: ordered[i]!.id, [inverseJoinColumn.name]: folderId, ...(ordColumn ? { [ordColumn]: ++ord } : {}) }]
              : []
          );
          for (let i = 0; i < links.length; i += 200) await trx(name).insert(links.slice(i, i + 200));
        }
        return ordered as StoredFile[];
      });
    },

    /**
     * Points single-media fields of `uid` entries at files (what `{ pdf: fileId }` in an update
     * does), for many entries in three queries. Joins the caller's transaction.
     */
    async attach(uid: string, links: Array<{ id: number; field: string; fileId: number | null }>) {
      if (!links.length) return;
      const related = joinTableOf('related');
      if (!('morphColumn' in related)) throw new Error("The media library's file.related relation is not polymorphic");
      const { joinColumn, morphColumn } = related;
      const idCol = morphColumn.idColumn.name;
      const typeCol = morphColumn.typeColumn.name;
      await strapi.db.transaction(async ({ trx }) => {
        for (const field of new Set(links.map((l) => l.field))) {
          const ids = links.filter((l) => l.field === field).map((l) => l.id);
          for (let i = 0; i < ids.length; i += 500) {
            await trx(related.name)
              .where({ [typeCol]: uid, field, ...(related.on ?? {}) })
              .whereIn(idCol, ids.slice(i, i + 500))
              .delete();
          }
        }
        const rows = links
          .filter((l) => l.fileId !== null)
          .map((l) => ({ [joinColumn.name]: l.fileId, [idCol]: l.id, [typeCol]: uid, ...(related.on ?? {}), field: l.field, order: 1 }));
        for (let i = 0; i < rows.length; i += 200) await trx(related.name).insert(rows.slice(i, i + 200));
      });
    },

    /** Tells the media library's listeners (webhooks) about files once their rows are committed. */
    announce(files: StoredFile[]) {
      for (const file of files) {
        // Asynchronous subscribers: a failing one is logged, not left as an unhandled rejection.
        Promise.resolve(strapi.eventHub.emit('media.create', { media: file })).catch((err: Error) =>
          strapi.log.warn(`[certify] announcing file ${file.id} failed: ${err.message}`)
        );
      }
    },

    /** Removes an uploaded file that never got its row (its record was taken by another worker). */
    async discard(fileData: Pick<UploadRow, 'formats'>) {
      const provider = strapi.plugin('upload').provider;
      for (const format of Object.values(fileData.formats ?? {})) await provider.delete(format);
      await provider.delete(fileData);
    },

    /** The generic upload path (file on disk, optimisation, formats): what the benchmark compares with. */
    async storeViaUpload(folderId: number, name: string, mime: string, data: Buffer): Promise<StoredFile> {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certify-media-'));
      const filepath = path.join(dir, crypto.randomBytes(6).toString('hex'));
      try {
        fs.writeFileSync(filepath, data);
        const [file] = await upload().upload({
          data: { fileInfo: { name, folder: folderId } },
          files: { filepath, originalFilename: name, mimetype: mime, size: data.length },
        });
        return file;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },

    /** A media library file by id, documentId, or the row itself (then as given, when it has a URL). */
    async findFile(ref: MediaFile | { id: number } | number | string | null | undefined): Promise<MediaFile | null> {
      if (ref === null || ref === undefined || ref === '') return null;
      if (typeof ref === 'object') return 'url' in ref && ref.url ? ref : this.findFile(ref.id);
      const where = typeof ref === 'number' || /^\d+$/.test(ref) ? { id: Number(ref) } : { documentId: ref };
      return (await strapi.db.query(FILE_UID).findOne({ where })) as MediaFile | null;
    },

    /**
     * A short-lived signed URL of a stored file (the S3 provider signs URLs of its bucket, valid
     * for its `params.signedUrlExpires` seconds), with response headers S3 is to send
     * (`ResponseContentDisposition`, …); null when the provider does not sign (local disk, a CDN
     * base URL): then the server reads the file itself.
     */
    async signedUrl(file: MediaRef, responseParams?: Record<string, string>): Promise<string | null> {
      if (!/^https?:\/\//i.test(file.url)) return null;
      // The provider names the object by hash and extension: a row read with fewer columns is read again.
      if (!file.hash && file.id !== undefined) file = (await this.findFile(file.id)) ?? file;
      const provider = strapi.plugin('upload').provider as { getSignedUrl?: (f: MediaRef, params?: Record<string, string>) => Promise<{ url?: string }> };
      if (typeof provider.getSignedUrl !== 'function') return null;
      const { url } = (await provider.getSignedUrl(file, responseParams)) ?? {};
      return url && url !== file.url ? url : null;
    },

    /** The bytes of a stored file as a stream (see `openMediaFile`); private objects by a signed URL. */
    async open(file: MediaRef): Promise<Readable> {
      return (await openMediaFile(strapi.dirs.static.public, file, (await this.signedUrl(file)) ?? file.url)).stream;
    },

    /** The bytes of a stored file in memory, up to MAX_READ_BYTES. */
    async read(file: MediaRef): Promise<Buffer> {
      return readMediaFile(strapi.dirs.static.public, file, (await this.signedUrl(file)) ?? file.url);
    },
  };
};

export type MediaService = ReturnType<typeof media>;
export default media;
