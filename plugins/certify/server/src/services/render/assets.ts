import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';

/** What the renderer needs of a media library file. */
export interface MediaFile {
  id: number;
  documentId?: string;
  name?: string;
  url: string;
  mime?: string;
  ext?: string;
  hash?: string;
  size?: number;
  provider?: string;
  updatedAt?: string | Date;
}

const MAX_BYTES = 25 * 1024 * 1024;
const CACHE_BYTES = 150 * 1024 * 1024;

/** Stable key of a file's current content: a new upload or replacement gets a new key. */
export const fileKey = (file: MediaFile) =>
  'f' +
  createHash('sha1')
    .update(`${file.id}:${file.hash ?? ''}:${file.size ?? ''}:${file.url}:${file.updatedAt ? new Date(file.updatedAt).toISOString() : ''}`)
    .digest('hex')
    .slice(0, 24);

/**
 * Reads media library files for templates: from disk for the local provider (the file under the
 * public directory), otherwise over HTTP(S) from the provider's URL, fetched by the server (the
 * browser never fetches anything). Kept in a bounded in-memory cache.
 */
export class MediaReader {
  private cache = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private publicDir: string) {}

  async read(file: MediaFile): Promise<Buffer> {
    const key = fileKey(file);
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const body = await this.load(file);
    this.cache.set(key, body);
    this.bytes += body.length;
    for (const [k, v] of this.cache) {
      if (this.bytes <= CACHE_BYTES) break;
      this.cache.delete(k);
      this.bytes -= v.length;
    }
    return body;
  }

  private async load(file: MediaFile): Promise<Buffer> {
    if (!file.url) throw new Error(`media file ${file.id} has no URL`);
    if (/^https?:\/\//i.test(file.url)) {
      const res = await fetch(file.url, { signal: AbortSignal.timeout(20_000), redirect: 'follow' });
      if (!res.ok) throw new Error(`could not read media file "${file.name ?? file.id}" from ${file.url}: HTTP ${res.status}`);
      const body = Buffer.from(await res.arrayBuffer());
      if (body.length > MAX_BYTES) throw new Error(`media file "${file.name ?? file.id}" is larger than 25 MB`);
      return body;
    }
    // Local provider: "/uploads/x.jpg" under the public directory, and nowhere else.
    const root = path.resolve(this.publicDir);
    const full = path.resolve(root, `.${decodeURIComponent(file.url.split('?')[0])}`);
    if (!full.startsWith(root + path.sep)) throw new Error(`media file ${file.id} points outside the public directory`);
    const stat = await fs.stat(full).catch(() => null);
    if (!stat) throw new Error(`media file "${file.name ?? file.id}" is missing on disk (${file.url}): upload it again`);
    if (stat.size > MAX_BYTES) throw new Error(`media file "${file.name ?? file.id}" is larger than 25 MB`);
    return fs.readFile(full);
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
