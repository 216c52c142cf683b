import { PDFDocument } from 'pdf-lib';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { LRUCache } from 'lru-cache';
import { ERROR_CODES } from '../../../../shared/errors';
import { ChromiumPool, defaultPageCount, type PoolOptions } from './chromium';
import { ImageCutter, type BackgroundRaster, type CutResult } from './cutter';
import { batchDocument, canLayer, contentBand, FIT_SCRIPT, type Band, type CompiledTemplate, type TemplateAssets } from './html';

export interface EngineOptions {
  chromiumPath?: string | null;
  /** Parallel pages; 0/undefined = sized to the machine. */
  pages?: number;
  /** Certificates per Chromium print call. */
  batchSize: number;
  timeoutMs: number;
  relaunchAfter: number;
  shareImageWidth: number;
  log?: PoolOptions['log'];
}

export interface ChunkOptions {
  image?: boolean;
  /** false: share image only (rendered on first view, when the PDF already exists). */
  pdf?: boolean;
  imageFormat?: 'jpeg' | 'png';
  /** Also a media-library thumbnail (JPEG within 245 × 156 px, like Strapi's) of each share image. */
  thumbnail?: boolean;
  timeoutMs?: number;
  /** A live certificate: takes the next free page ahead of bulk batches. */
  urgent?: boolean;
}

export interface ChunkResult {
  pdfs: Buffer[];
  images: Buffer[] | null;
  /** Pixel size of every share image of the chunk. */
  imageSize: { width: number; height: number } | null;
  thumbnails?: Buffer[] | null;
  thumbnailSize?: { width: number; height: number } | null;
  /** Per page of the chunk: ids of the text elements whose text does not fit even at their smallest size. */
  overflow: string[][];
}

/** Strapi's thumbnail box (upload plugin, image-manipulation). */
export const THUMBNAIL_BOX = { width: 245, height: 156 };

export class RenderTimeoutError extends Error {
  code = ERROR_CODES.renderTimeout;
}

/**
 * Pixels one share-image capture may hold. Each capture has a fixed cost (a new compositor frame,
 * ~30 ms here), so several certificates are captured at once and cut apart by libvips on the image
 * worker. Measured: ten of the demo design's 976 × 660 bands (6.4 Mpx) beat five and eight or
 * nine; for whole A4 pages at 1,200 px, five and six per capture are equal within the noise; 25 or
 * 50 bands per capture are slower, the rasters only grow (RESULTS.md).
 */
const CAPTURE_PIXELS = Number(process.env.CERTIFY_CAPTURE_PIXELS) || 6.5e6;
const MAX_GROUP = 10;

/** How many certificates each capture holds, for `count` certificates of `rowPixels` each: groups as even as they can be. */
export const captureGroups = (count: number, rowPixels: number): number[] => {
  const most = Math.max(1, Math.min(MAX_GROUP, Math.floor(CAPTURE_PIXELS / Math.max(1, rowPixels))));
  const groups = Math.ceil(count / most);
  const size = Math.floor(count / groups);
  return Array.from({ length: groups }, (_, i) => size + (i < count % groups ? 1 : 0));
};
const SHARE_QUALITY = 82;
const LAYERED = process.env.CERTIFY_SHARE_LAYERED !== '0';

export const qrSvg = (text: string, colours: { dark: string; light: string }) =>
  QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M', color: colours });

/** Splits a printed batch into one PDF per certificate. */
export const splitPdf = async (pdf: Buffer, expected: number): Promise<Buffer[]> => {
  const src = await PDFDocument.load(pdf, { updateMetadata: false });
  const count = src.getPageCount();
  if (count !== expected) {
    throw new Error(
      `the template printed ${count} pages for ${expected} certificate(s): some content does not fit on its page; ` +
        'make the HTML fit the page size (advanced mode) or move elements inside the page'
    );
  }
  if (expected === 1) return [pdf];
  const out: Buffer[] = [];
  for (let i = 0; i < count; i += 1) {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const [copied] = await doc.copyPages(src, [i]);
    doc.addPage(copied);
    doc.setProducer('Certify (Chromium)');
    out.push(Buffer.from(await doc.save({ useObjectStreams: false, addDefaultPage: false })));
  }
  return out;
};

/** Renders prepared certificate pages to PDF and share images on a pool of reused Chromium pages. */
export class RenderEngine {
  readonly pool: ChromiumPool;
  private readonly cutter = new ImageCutter();

  constructor(readonly opts: EngineOptions) {
    this.pool = new ChromiumPool({
      executablePath: opts.chromiumPath,
      pages: opts.pages && opts.pages > 0 ? opts.pages : defaultPageCount(),
      relaunchAfter: opts.relaunchAfter,
      // Long enough for two batches of fifty at their time limit ahead of the caller, and a launch.
      waitLimitMs: Math.max(300_000, opts.timeoutMs * 12),
      log: opts.log,
    });
  }

  /**
   * Renders up to `batchSize` pages in one print call. Throws for the whole chunk (timeout,
   * overflowing template); a crashed browser is relaunched and the chunk retried once.
   */
  async renderChunk(
    compiled: CompiledTemplate,
    pages: Array<{ html: string; text: string }>,
    assets: TemplateAssets,
    opts: ChunkOptions = {}
  ): Promise<ChunkResult> {
    try {
      return await this.attempt(compiled, pages, assets, opts);
    } catch (err) {
      if (err instanceof RenderTimeoutError || !/closed|crash|disconnected|Target/i.test(String((err as Error).message))) throw err;
      this.opts.log?.warn(`[certify] render retried after a browser failure: ${(err as Error).message.split('\n')[0]}`);
      return this.attempt(compiled, pages, assets, opts);
    }
  }

  private async attempt(
    compiled: CompiledTemplate,
    pages: Array<{ html: string; text: string }>,
    assets: TemplateAssets,
    opts: ChunkOptions
  ): Promise<ChunkResult> {
    // The limit is for ten certificates: a batch of fifty on a busy machine is not a template
    // that never settles.
    const timeoutMs = (opts.timeoutMs ?? this.opts.timeoutMs) * Math.max(1, Math.ceil(pages.length / 10));
    const slot = await this.pool.acquire(opts.urgent);
    let timer: NodeJS.Timeout | undefined;
    const work = this.work(slot, compiled, pages, assets, opts, timeoutMs);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new RenderTimeoutError(
              `rendering took longer than ${timeoutMs} ms and was stopped: simplify the template (very large or ` +
                'complex HTML/CSS, huge images) or raise certify.render.timeoutMs'
            )
          ),
        timeoutMs
      );
    });
    try {
      const result = await Promise.race([work, timeout]);
      await this.pool.release(slot, { certificates: pages.length });
      return result;
    } catch (err) {
      work.catch(() => undefined);
      await this.pool.release(slot, { broken: true });
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private async work(
    slot: Awaited<ReturnType<ChromiumPool['acquire']>>,
    compiled: CompiledTemplate,
    pages: Array<{ html: string; text: string }>,
    assets: TemplateAssets,
    opts: ChunkOptions,
    timeoutMs: number
  ): Promise<ChunkResult> {
    const width = this.opts.shareImageWidth;
    const pageHeight = (width * compiled.heightMm) / compiled.widthMm;
    const layered = !!opts.image && (opts.imageFormat ?? 'jpeg') === 'jpeg' && LAYERED && canLayer(compiled, assets);
    // Layered: the screen shows only the band of each page that the design draws on.
    const band = layered ? contentBand(compiled.design!, compiled.widthMm, compiled.heightMm, width) : null;
    const rowHeight = band ? band.height : pageHeight;
    const viewportWidth = band ? band.width : width;
    const groups = opts.image ? captureGroups(pages.length, viewportWidth * rowHeight) : [1];
    const viewportHeight = Math.ceil(rowHeight * Math.max(...groups));
    const viewport = `${viewportWidth}x${viewportHeight}`;
    if (slot.viewport !== viewport) {
      await slot.page.setViewportSize({ width: viewportWidth, height: viewportHeight });
      slot.viewport = viewport;
    }
    const t = [performance.now()];
    await slot.page.setContent(batchDocument(compiled, pages, assets, width, { layered, band }), { waitUntil: 'load', timeout: timeoutMs });
    t.push(performance.now());
    const fitted = (await slot.page.evaluate(`document.fonts.ready.then(() => ${FIT_SCRIPT})`)) as { overflow?: Array<[number, string]> } | null;
    const overflow: string[][] = pages.map(() => []);
    for (const [index, id] of fitted?.overflow ?? []) overflow[index]?.push(id);
    t.push(performance.now());
    const pdf = opts.pdf === false ? null : await slot.page.pdf({ preferCSSPageSize: true, printBackground: true });
    t.push(performance.now());
    let shots: Awaited<ReturnType<RenderEngine['capture']>> | null = null;
    if (opts.image) {
      const base = layered ? await this.backgroundRaster(compiled, assets, width, Math.floor(pageHeight)) : null;
      shots = await this.capture(slot, pages.length, pageHeight, groups, opts.imageFormat ?? 'jpeg', base, !!opts.thumbnail, band);
    }
    const images = shots?.images ?? null;
    t.push(performance.now());
    const pdfs = pdf ? await splitPdf(pdf, pages.length) : [];
    t.push(performance.now());
    if (process.env.CERTIFY_RENDER_PROFILE) {
      const names = ['setContent', 'fit', 'pdf', 'image', 'split'];
      console.log(`[render] ${pages.length} pages${layered ? ' (layered)' : ''}: ${names.map((n, i) => `${n} ${(t[i + 1] - t[i]).toFixed(0)}`).join(', ')} ms`);
    }
    return {
      pdfs,
      images,
      imageSize: images ? { width, height: Math.floor(pageHeight) } : null,
      thumbnails: shots?.thumbnails ?? null,
      thumbnailSize: shots?.thumbnailSize ?? null,
      overflow,
    };
  }

  private rasters = new LRUCache<string, Promise<BackgroundRaster>>({ max: 8 });

  /** The page background at share-image size, decoded once per template background. */
  private backgroundRaster(compiled: CompiledTemplate, assets: TemplateAssets, width: number, height: number): Promise<BackgroundRaster> {
    const design = compiled.design!;
    const fit = design.backgroundFit ?? 'cover';
    const colour = design.backgroundColor && design.backgroundColor !== 'transparent' ? design.backgroundColor : '#ffffff';
    const key = `${assets.background}/${width}x${height}/${fit}/${colour}`;
    let raster = this.rasters.get(key);
    if (!raster) {
      const asset = this.pool.assets.get(assets.background!);
      if (!asset) return Promise.reject(new Error('the background image is not loaded'));
      // Same geometry as CSS `center / cover|contain` and `100% 100%` on the page.
      raster = sharp(asset.body)
        .resize(width, height, { fit: fit === 'stretch' ? 'fill' : fit, position: 'centre', background: colour })
        .flatten({ background: colour })
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true })
        .then(({ data, info }) => ({ key, data, width: info.width, height: info.height, channels: info.channels }));
      raster.catch(() => this.rasters.delete(key));
      this.rasters.set(key, raster);
    }
    return raster;
  }

  private async capture(
    slot: Awaited<ReturnType<ChromiumPool['acquire']>>,
    count: number,
    pageHeight: number,
    groups: number[],
    format: 'jpeg' | 'png',
    base: BackgroundRaster | null,
    thumbnail = false,
    band: Band | null = null
  ): Promise<CutResult> {
    const width = this.opts.shareImageWidth;
    const height = Math.floor(pageHeight);
    // Each certificate's share in the capture: its band (laid over the background where the band
    // lies on the page), or the whole page.
    const row = band ? band.height : pageHeight;
    const part = band ? { width: band.width, height: band.height, at: { left: band.left, top: band.top } } : { width, height, at: null };
    if (count === 1 && !base && !thumbnail) {
      const shot = await slot.cdp.send('Page.captureScreenshot', {
        format,
        ...(format === 'jpeg' ? { quality: SHARE_QUALITY } : {}),
        clip: { x: 0, y: 0, width, height, scale: 1 },
        captureBeyondViewport: false,
        optimizeForSpeed: true,
      });
      return { images: [Buffer.from(shot.data, 'base64')], thumbnails: null, thumbnailSize: null };
    }
    const out: Buffer[] = new Array(count);
    const thumbs: Buffer[] | null = thumbnail ? new Array(count) : null;
    let thumbnailSize: CutResult['thumbnailSize'] = null;
    const cuts: Array<Promise<void>> = [];
    for (let g = 0, first = 0; g < groups.length; first += groups[g], g += 1) {
      const scrolled = Number(await slot.page.evaluate(`(window.scrollTo(0, ${Math.floor(first * row)}), window.scrollY)`));
      const tc = performance.now();
      // Layered: a sparse transparent PNG (text, QR, shapes) compresses and decodes far faster
      // than the full-colour page; the background is added from the raster made once.
      const shot = await slot.cdp.send('Page.captureScreenshot', {
        ...(base ? { format: 'png' } : { format: 'jpeg', quality: 92 }),
        captureBeyondViewport: false,
        optimizeForSpeed: true,
      });
      const n = groups[g];
      if (process.env.CERTIFY_RENDER_PROFILE) console.log(`[capture] ${n}: ${(performance.now() - tc).toFixed(0)} ms`);
      // Cut on the image worker while Chromium captures the next group.
      const tops = Array.from({ length: n }, (_, j) => Math.round((first + j) * row - scrolled));
      cuts.push(
        this.cutter
          .cut({
            shot: shot.data,
            tops,
            ...part,
            format,
            quality: SHARE_QUALITY,
            base,
            thumbnail: thumbnail ? THUMBNAIL_BOX : null,
          })
          .then((r) => {
            r.images.forEach((img, j) => (out[first + j] = img));
            r.thumbnails?.forEach((img, j) => (thumbs![first + j] = img));
            thumbnailSize ??= r.thumbnailSize;
          })
      );
    }
    await Promise.all(cuts);
    return { images: out, thumbnails: thumbs, thumbnailSize };
  }

  async close() {
    await this.cutter.close();
    await this.pool.close();
  }
}
