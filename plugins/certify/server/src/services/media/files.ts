import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

export const FILE_UID = 'plugin::upload.file';
export const FOLDER_UID = 'plugin::upload.folder';

/** What Certify needs of a media library file (a row of `plugin::upload.file`). */
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
  /** The path of the media-library folder holding the file ("/1/4"), if in one. */
  folderPath?: string | null;
  updatedAt?: string | Date;
}

/** What reading a file needs: its URL; the rest only names it in errors. */
export type MediaRef = Pick<MediaFile, 'url'> & Partial<MediaFile>;

/** A file read into memory (template images, fonts, email attachments) may not be larger. */
export const MAX_READ_BYTES = 25 * 1024 * 1024;
/** How long a provider URL may take to answer before the read fails. */
const ANSWER_TIMEOUT_MS = 20_000;

const label = (file: MediaRef) => `"${file.name ?? file.id ?? file.url}"`;

/**
 * A media library file's bytes as a stream: from disk for the local provider (the file under the
 * public directory, and nowhere else), otherwise from the provider's URL (or `source`, a signed
 * URL of it), fetched by the server.
 * The timeout covers the answer only, so a long download (a zip of PDFs) is not cut off.
 */
export const openMediaFile = async (publicDir: string, file: MediaRef, source: string = file.url): Promise<{ stream: Readable; size: number | null }> => {
  if (!file.url) throw new Error(`media file ${label(file)} has no URL`);
  if (/^https?:\/\//i.test(file.url)) {
    const answered = new AbortController();
    const timer = setTimeout(() => answered.abort(new Error(`no answer within ${ANSWER_TIMEOUT_MS / 1000} s`)), ANSWER_TIMEOUT_MS);
    try {
      // `source`: a signed URL of a private object; errors name the file's own URL, never the signature.
      const res = await fetch(source, { signal: answered.signal, redirect: 'follow' });
      if (!res.ok || !res.body) throw new Error(`could not read media file ${label(file)} from ${file.url}: HTTP ${res.status}`);
      const length = Number(res.headers.get('content-length'));
      return { stream: Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), size: Number.isFinite(length) && length > 0 ? length : null };
    } catch (err) {
      if (answered.signal.aborted) throw new Error(`could not read media file ${label(file)} from ${file.url}: ${(answered.signal.reason as Error).message}`);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
  const root = path.resolve(publicDir);
  const full = path.resolve(root, `.${decodeURIComponent(file.url.split('?')[0])}`);
  if (!full.startsWith(root + path.sep)) throw new Error(`media file ${label(file)} points outside the public directory`);
  const stat = await fs.promises.stat(full).catch(() => null);
  if (!stat) throw new Error(`media file ${label(file)} is missing on disk (${file.url}): upload it again`);
  return { stream: fs.createReadStream(full), size: stat.size };
};

/** A media library file's bytes in memory, refused past MAX_READ_BYTES. */
export const readMediaFile = async (publicDir: string, file: MediaRef, source: string = file.url): Promise<Buffer> => {
  const tooLarge = () => new Error(`media file ${label(file)} is larger than ${MAX_READ_BYTES / 1048576} MB`);
  const { stream, size } = await openMediaFile(publicDir, file, source);
  if (size !== null && size > MAX_READ_BYTES) {
    stream.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += chunk.length;
    if (bytes > MAX_READ_BYTES) {
      stream.destroy();
      throw tooLarge();
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
};
