import { Worker } from 'node:worker_threads';

/**
 * The content layer (RGBA, straight alpha as Chromium's PNG gives it) laid over the background,
 * its `width` × `height` pixels from row `top` of the layer at (`left`, `down`) of the background.
 * The layer is mostly transparent, so copying the background and blending only the covered pixels
 * costs a few milliseconds, several times less than a general-purpose composite. Self-contained:
 * the cutter's worker runs this function's source.
 */
export const blendOver = (
  base: { data: Uint8Array; width: number; height: number },
  layer: Uint8Array,
  layerWidth: number,
  layerChannels: number,
  top: number,
  width: number,
  height: number,
  left = 0,
  down = 0
): Buffer => {
  const out = Buffer.from(base.data);
  const w = Math.min(width, base.width - left);
  const h = Math.min(height, base.height - down);
  for (let y = 0; y < h; y += 1) {
    let li = (top + y) * layerWidth * layerChannels;
    let oi = ((down + y) * base.width + left) * 3;
    for (let x = 0; x < w; x += 1, li += layerChannels, oi += 3) {
      const a = layerChannels === 4 ? layer[li + 3] : 255;
      if (a === 0) continue;
      if (a === 255) {
        out[oi] = layer[li];
        out[oi + 1] = layer[li + 1];
        out[oi + 2] = layer[li + 2];
      } else {
        const b = 255 - a;
        out[oi] = (layer[li] * a + out[oi] * b + 127) / 255;
        out[oi + 1] = (layer[li + 1] * a + out[oi + 1] * b + 127) / 255;
        out[oi + 2] = (layer[li + 2] * a + out[oi + 2] * b + 127) / 255;
      }
    }
  }
  return out;
};

export interface Raster {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

/** A template's background at share-image size; `key` names it across calls (sent once). */
export interface BackgroundRaster extends Raster {
  key: string;
}

export interface CutRequest {
  /** The capture (PNG or JPEG), base64 as the DevTools protocol returns it. */
  shot: string;
  /** Top edge of each certificate in the capture, in pixels (clamped to the capture). */
  tops: number[];
  /** Size of each certificate's part of the capture. */
  width: number;
  height: number;
  /** Layered: where that part lies on the background (the images are the background's size). */
  at?: { left: number; top: number } | null;
  format: 'jpeg' | 'png';
  quality: number;
  /** Background the (transparent) capture is laid over; none: the capture is the full page. */
  base?: BackgroundRaster | null;
  /** Also a small JPEG of each image fitting this box (the media library's thumbnail). */
  thumbnail?: { width: number; height: number } | null;
}

export interface CutResult {
  images: Buffer[];
  thumbnails: Buffer[] | null;
  thumbnailSize: { width: number; height: number } | null;
}

// Plain JavaScript run by the worker thread: decode a capture, cut it into certificates (laying
// each over the background when the capture is the content layer only), encode each one.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const sharp = require(workerData.sharpPath);
const blendOver = (${blendOver.toString()});
const bases = new Map();
async function cut({ shot, tops, width, height, at, format, quality, baseKey, thumbnail }) {
  const base = baseKey ? bases.get(baseKey) : null;
  if (baseKey && !base) throw new Error('the background raster was not sent to the image worker');
  const { data, info } = await sharp(Buffer.from(shot, 'base64')).raw().toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  let thumbnailSize = null;
  const cuts = await Promise.all(tops.map(async (wanted) => {
    const top = Math.min(Math.max(0, wanted), info.height - height);
    const region = { left: 0, top, width: Math.min(width, info.width), height };
    const flat = base ? blendOver(base, data, info.width, info.channels, top, region.width, height, at ? at.left : 0, at ? at.top : 0) : null;
    // Two pipelines from the same pixels cost less than one cloned pipeline (measured: 6.3 vs 9 ms).
    const source = () => (flat ? sharp(flat, { raw: { width: base.width, height: base.height, channels: 3 } }) : sharp(data, { raw }).extract(region));
    const img = source();
    const thumb = thumbnail
      ? source().resize({ ...thumbnail, fit: 'inside' }).jpeg({ quality: 80 }).toBuffer({ resolveWithObject: true })
      : null;
    const out = await (format === 'png' ? img.png() : img.jpeg({ quality, optimiseCoding: false })).toBuffer();
    const small = thumb ? await thumb : null;
    if (small) thumbnailSize = { width: small.info.width, height: small.info.height };
    return { image: new Uint8Array(out), thumbnail: small ? new Uint8Array(small.data) : null };
  }));
  return {
    images: cuts.map((c) => c.image),
    thumbnails: thumbnail ? cuts.map((c) => c.thumbnail) : null,
    thumbnailSize,
  };
}
parentPort.on('message', (msg) => {
  if (msg.type === 'base') {
    bases.set(msg.key, msg.raster);
    while (bases.size > 8) bases.delete(bases.keys().next().value);
    return;
  }
  cut(msg).then(
    (result) => parentPort.postMessage({ id: msg.id, result }),
    (err) => parentPort.postMessage({ id: msg.id, error: String((err && err.message) || err) })
  );
});
`;

/**
 * Cuts share images out of captures on a worker thread. The rasters involved are large (a capture
 * of five certificates decodes to ~20 MB, each certificate to 3 MB); made on the main thread, they
 * made V8 run a full collection of Strapi's whole heap every few certificates. On a thread of its
 * own the same bytes only meet a tiny heap, and the main thread stays free to drive Chromium.
 */
export class ImageCutter {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (result: CutResult) => void; reject: (err: Error) => void }>();
  private readonly sentBases = new Set<string>();

  private start(): Worker {
    if (this.worker) return this.worker;
    const sharpPath = require.resolve('sharp');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { sharpPath } });
    worker.unref();
    const fail = (err: Error) => {
      if (this.worker === worker) {
        this.worker = null;
        this.sentBases.clear();
      }
      for (const [, p] of this.pending) p.reject(err);
      this.pending.clear();
    };
    const buf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    type Reply = { id: number; error?: string; result?: { images: Uint8Array[]; thumbnails: Uint8Array[] | null; thumbnailSize: CutResult['thumbnailSize'] } };
    worker.on('message', (msg: Reply) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      const r = msg.result;
      if (msg.error || !r) p.reject(new Error(`share image: ${msg.error ?? 'no output'}`));
      else p.resolve({ images: r.images.map(buf), thumbnails: r.thumbnails?.map(buf) ?? null, thumbnailSize: r.thumbnailSize });
      if (!this.pending.size) worker.unref();
    });
    worker.on('error', (err) => fail(err));
    worker.on('exit', (code) => fail(new Error(`the image worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  cut(req: CutRequest): Promise<CutResult> {
    const worker = this.start();
    const { base, ...rest } = req;
    if (base && !this.sentBases.has(base.key)) {
      const { data, width, height } = base;
      worker.postMessage({ type: 'base', key: base.key, raster: { data: new Uint8Array(data), width, height } });
      this.sentBases.add(base.key);
      while (this.sentBases.size > 8) this.sentBases.delete(this.sentBases.values().next().value as string);
    }
    const id = ++this.seq;
    return new Promise<CutResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, ...rest, baseKey: base?.key ?? null });
    });
  }

  async close() {
    const worker = this.worker;
    this.worker = null;
    this.sentBases.clear();
    if (worker) await worker.terminate();
  }
}
