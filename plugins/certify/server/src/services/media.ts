import type { Core } from '@strapi/strapi';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';

const FILE_UID = 'plugin::upload.file';
const FOLDER_UID = 'plugin::upload.folder';
const ROOT_FOLDER = 'Certify';

export interface StoredFile {
  id: number;
  name: string;
  url: string;
  mime: string;
  size?: number;
  provider?: string;
}

/**
 * Certificates in the media library: one folder per event under "Certify", files stored through
 * the upload plugin's service (so the configured provider, local or S3, receives them).
 */
const media = ({ strapi }: { strapi: Core.Strapi }) => {
  const folderCache = new Map<string, number>();
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
     * Stores a certificate file in the media library: the upload service names it and the
     * configured provider (local or S3) receives it, without the generic path's temporary copy,
     * optimisation and responsive formats (a share image is already sized; those cost more than
     * the render itself).
     */
    async store(folderId: number, name: string, mime: string, data: Buffer): Promise<StoredFile> {
      const info = await upload().formatFileInfo({ filename: name, type: mime, size: data.length }, { name, folder: folderId });
      const fileData: Record<string, any> = { ...info, getStream: () => Readable.from(data) };
      if (mime.startsWith('image/')) {
        const { width, height } = await strapi.plugin('upload').service('image-manipulation').getDimensions(fileData);
        Object.assign(fileData, { width, height });
      }
      await strapi.plugin('upload').service('provider').upload(fileData);
      delete fileData.getStream;
      fileData.provider = (strapi.config.get('plugin::upload') as { provider: string }).provider;
      const file = await strapi.db.query(FILE_UID).create({ data: fileData });
      strapi.eventHub.emit('media.create', { media: file });
      return file;
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

    async remove(fileId: number) {
      const file = await strapi.db.query(FILE_UID).findOne({ where: { id: fileId } });
      if (file) await upload().remove(file);
    },

    async countInFolder(folderId: number) {
      return strapi.db.query(FILE_UID).count({ where: { folder: { id: folderId } } });
    },

    /** The bytes of a stored file, streamed from local disk or from the provider's URL. */
    async open(file: { url: string; provider?: string }): Promise<Readable> {
      if (/^https?:\/\//.test(file.url)) {
        const res = await fetch(file.url);
        if (!res.ok || !res.body) throw new Error(`Could not read ${file.url}: HTTP ${res.status}`);
        return Readable.fromWeb(res.body as any);
      }
      const publicDir = strapi.dirs.static.public;
      const full = path.resolve(publicDir, `.${file.url}`);
      if (!full.startsWith(path.resolve(publicDir) + path.sep)) throw new Error('File path escapes the public folder');
      return fs.createReadStream(full);
    },

    async read(file: { url: string; provider?: string }): Promise<Buffer> {
      const chunks: Buffer[] = [];
      for await (const chunk of await this.open(file)) chunks.push(Buffer.from(chunk));
      return Buffer.concat(chunks);
    },
  };
};

export type MediaService = ReturnType<typeof media>;
export default media;
