import { PDFDocument } from 'pdf-lib';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { ChromiumPool, defaultPageCount, type PoolOptions } from './chromium';
import { batchDocument, FIT_SCRIPT, type CompiledTemplate, type TemplateAssets } from './html';

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
  imageFormat?: 'jpeg' | 'png';
  timeoutMs?: number;
}

export interface ChunkResult {
  pdfs: Buffer[];
  images: Buffer[] | null;
}

export class RenderTimeoutError extends Error {
  code = 'CERTIFY_RENDER_TIMEOUT';
}

/**
 * Certificates captured per screenshot for the share image. One capture costs ~30 ms whatever its
 * size up to a few megapixels (a compositor frame), so five stacked certificates per capture, cut
 * apart by libvips off the main thread, is ~2x cheaper per image than one capture each; larger
 * groups stop paying off because the JPEG decode/encode grows with them (bench/RESULTS.md).
 */
export const SHARE_GROUP = 5;
const SHARE_QUALITY = 82;

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

  constructor(readonly opts: EngineOptions) {
    this.pool = new ChromiumPool({
      executablePath: opts.chromiumPath,
      pages: opts.pages && opts.pages > 0 ? opts.pages : defaultPageCount(),
      relaunchAfter: opts.relaunchAfter,
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
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs;
    const slot = await this.pool.acquire();
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
    const group = opts.image ? Math.min(SHARE_GROUP, pages.length) : 1;
    const viewportHeight = Math.ceil(pageHeight * group);
    const viewport = `${width}x${viewportHeight}`;
    if (slot.viewport !== viewport) {
      await slot.page.setViewportSize({ width, height: viewportHeight });
      slot.viewport = viewport;
    }
    await slot.page.setContent(batchDocument(compiled, pages, assets, width), { waitUntil: 'load', timeout: timeoutMs });
    await slot.page.evaluate(`document.fonts.ready.then(() => ${FIT_SCRIPT})`);
    const pdf = await slot.page.pdf({ preferCSSPageSize: true, printBackground: true });
    const images = opts.image ? await this.capture(slot, pages.length, pageHeight, group, opts.imageFormat ?? 'jpeg') : null;
    const pdfs = await splitPdf(pdf, pages.length);
    return { pdfs, images };
  }

  private async capture(
    slot: Awaited<ReturnType<ChromiumPool['acquire']>>,
    count: number,
    pageHeight: number,
    group: number,
    format: 'jpeg' | 'png'
  ): Promise<Buffer[]> {
    const width = this.opts.shareImageWidth;
    const height = Math.floor(pageHeight);
    if (count === 1) {
      const shot = await slot.cdp.send('Page.captureScreenshot', {
        format,
        ...(format === 'jpeg' ? { quality: SHARE_QUALITY } : {}),
        clip: { x: 0, y: 0, width, height, scale: 1 },
        captureBeyondViewport: false,
        optimizeForSpeed: true,
      });
      return [Buffer.from(shot.data, 'base64')];
    }
    const out: Buffer[] = new Array(count);
    const cuts: Array<Promise<void>> = [];
    for (let first = 0; first < count; first += group) {
      const scrolled = Number(await slot.page.evaluate(`(window.scrollTo(0, ${Math.floor(first * pageHeight)}), window.scrollY)`));
      const shot = await slot.cdp.send('Page.captureScreenshot', {
        format: 'jpeg',
        quality: 92,
        captureBeyondViewport: false,
        optimizeForSpeed: true,
      });
      const n = Math.min(group, count - first);
      // Cutting runs in libvips' threads while Chromium captures the next group.
      cuts.push(
        (async () => {
          const { data, info } = await sharp(Buffer.from(shot.data, 'base64')).raw().toBuffer({ resolveWithObject: true });
          await Promise.all(
            Array.from({ length: n }, async (_, j) => {
              const top = Math.min(Math.max(0, Math.round((first + j) * pageHeight - scrolled)), info.height - height);
              const img = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).extract({
                left: 0,
                top,
                width: Math.min(width, info.width),
                height,
              });
              out[first + j] = await (format === 'png' ? img.png() : img.jpeg({ quality: SHARE_QUALITY })).toBuffer();
            })
          );
        })()
      );
    }
    await Promise.all(cuts);
    return out;
  }

  async close() {
    await this.pool.close();
  }
}
