import path from 'node:path';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { MediaFile } from '../media/files';

export type { MediaFile };

// Template images and fonts held decoded in memory: the same few files serve every render.
const CACHE_BYTES = 150 * 1024 * 1024;

/** Stable key of a file's current content: a new upload or replacement gets a new key. */
export const fileKey = (file: MediaFile) =>
  'f' +
  createHash('sha1')
    .update(`${file.id}:${file.hash ?? ''}:${file.size ?? ''}:${file.url}:${file.updatedAt ? new Date(file.updatedAt).toISOString() : ''}`)
    .digest('hex')
    .slice(0, 24);

/**
 * Media library files for templates, kept in a cache bounded by bytes. `load` reads one (the media
 * service's `read`: from disk, or from the provider, by a signed URL when the bucket is private).
 */
export class MediaReader {
  private cache = new LRUCache<string, Buffer>({ maxSize: CACHE_BYTES, sizeCalculation: (body) => body.length });

  constructor(private load: (file: MediaFile) => Promise<Buffer>) {}

  async read(file: MediaFile): Promise<Buffer> {
    const key = fileKey(file);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const body = await this.load(file);
    this.cache.set(key, body);
    return body;
  }
}

export const mimeOf = (file: MediaFile) => {
  if (file.mime) return file.mime;
  const ext = (file.ext ?? path.extname(file.url)).toLowerCase();
  return (
    { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.svg': 'image/svg+xml', '.gif': 'image/gif' }[
      ext
    ] ?? 'application/octet-stream'
  );
};
