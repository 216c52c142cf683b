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
   * Hands a file to the configured provider. Certificates are in memory already, so a provider
   * that takes a buffer gets one (one write, where a stream costs several callbacks per small file);
   * otherwise the upload plugin's own path streams it.
   */
  const send = async (file: UploadRow, data: Buffer) => {
    const provider = strapi.plugin('upload').provider;
    if (typeof provider.upload === 'function') {
      file.buffer = data;
      try {
        await provider.upload(file);
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
    async findFile(ref: MediaFile | number | string | null | undefined): Promise<MediaFile | null> {
      if (ref === null || ref === undefined || ref === '') return null;
      if (typeof ref === 'object') return ref.url ? ref : this.findFile(ref.id);
      const where = typeof ref === 'number' || /^\d+$/.test(ref) ? { id: Number(ref) } : { documentId: ref };
      return (await strapi.db.query(FILE_UID).findOne({ where })) as MediaFile | null;
    },

    /** The bytes of a stored file as a stream (see `openMediaFile`). */
    async open(file: MediaRef): Promise<Readable> {
      return (await openMediaFile(strapi.dirs.static.public, file)).stream;
    },

    /** The bytes of a stored file in memory, up to MAX_READ_BYTES. */
    read(file: MediaRef): Promise<Buffer> {
      return readMediaFile(strapi.dirs.static.public, file);
    },
  };
};

export type MediaService = ReturnType<typeof media>;
export default media;
