import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ERROR_CODES } from '../../../../shared/errors';
import { certifyError, getConfig, getService, publicUrl } from '../../utils';
import { MediaReader, fileKey, mimeOf, type MediaFile } from './assets';
import { ChromiumMissingError, findChromium } from './chromium';
import { RenderEngine, qrSvg } from './engine';
import { namesFromFileName, readSfntNames, builtinFamilies, builtinFontFile, fontFaceCss, isKnownFamily, rebaseFontCss, type CustomFont } from './fonts';
import { designFontUses, fallbackUses } from '../../../../shared/text';
import {
  compileTemplate,
  elementTexts,
  qrOptions,
  TemplateError,
  type CompiledTemplate,
  type ElementText,
  type PageInput,
  type RenderableTemplate,
  type TemplateAssets,
} from './html';
import { stableStringify } from '../../utils/hash';
import { derivedFields, loadEventStats, type EventStats } from './derived';
import { designSchema, type FontFamily } from '../../../../shared/contracts/templates';

/** What a certificate shows of a record: a stored record, or the sample when the event has none. */
export interface RenderRecord {
  documentId?: string;
  bib?: string | null;
  name?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  category?: string | null;
  gender?: string | null;
  finishTime?: string | null;
  finishSeconds?: number | string | null;
  rankOverall?: number | null;
  rankGender?: number | null;
  rankCategory?: number | null;
  status?: string | null;
  extra?: unknown;
  verificationCode?: string | null;
  certifiedAt?: string | Date | null;
  correctedAt?: string | Date | null;
}

export interface RenderItem {
  record: RenderRecord;
  verifyUrl: string;
  photo?: { data: Buffer; mime: string } | null;
}

export interface RenderResult {
  documentId: string;
  pdf?: Buffer;
  image?: Buffer;
  imageMime?: string;
  imageSize?: { width: number; height: number } | null;
  /** The share image's media-library thumbnail, when asked for. */
  thumbnail?: Buffer;
  thumbnailSize?: { width: number; height: number } | null;
  /** Text elements whose text does not fit even at their smallest size: cut off on the certificate. */
  overflow?: string[];
  error?: string;
  /** The error may pass (Chromium crashed or timed out under load): worth another attempt. */
  transient?: boolean;
}

/** A media file as templates refer to it: populated, `{ id }`, numeric id or documentId. */
type FileRef = MediaFile | { id: number } | number | string;

export type RenderTemplate = RenderableTemplate & {
  documentId?: string;
  event?: string;
  background?: FileRef | null;
  hash?: string | null;
};

const FONT_EXTS = ['.ttf', '.otf', '.woff', '.woff2'];
/** Template files (backgrounds, images, fonts) kept ready in the pool; the media reader caches more. */
const MAX_TEMPLATE_ASSETS = 64;
const FONT_FORMAT: Record<string, CustomFont['format']> = { '.ttf': 'truetype', '.otf': 'opentype', '.woff': 'woff', '.woff2': 'woff2' };

/** A record for previews when the event has none yet. */
export const SAMPLE_RECORD = {
  documentId: 'sample',
  bib: '1024',
  name: 'Eleni Papadopoulou',
  firstName: 'Eleni',
  lastName: 'Papadopoulou',
  category: 'F40',
  gender: 'F',
  finishTime: '3:41:27',
  finishSeconds: 13287,
  rankOverall: 128,
  rankGender: 23,
  rankCategory: 4,
  status: 'published',
  extra: { club: 'Athens Runners' },
  verificationCode: 'SAMPLE0000000000',
};

/** Where the plugin's bundled assets live, from the source tree or the built dist/server. */
export const assetsDir = () => {
  for (const candidate of [path.join(__dirname, '..', 'assets'), path.join(__dirname, '..', '..', 'server', 'assets'), path.join(__dirname, '..', '..', 'assets')]) {
    if (fs.existsSync(path.join(candidate, 'demo-background.jpg'))) return candidate;
  }
  return path.join(__dirname, '..', '..', 'server', 'assets');
};

/** What a template shows of a record: its certificate fields, the event and the certificate. */
export const recordContext = (record: RenderRecord, event: Record<string, unknown>, verifyUrl: string, stats: EventStats | null = null) => ({
  ...derivedFields(record, stats),
  bib: record.bib ?? '',
  name: record.name ?? ([record.firstName, record.lastName].filter(Boolean).join(' ') || ''),
  firstName: record.firstName ?? '',
  lastName: record.lastName ?? '',
  category: record.category ?? '',
  gender: record.gender ?? '',
  finishTime: record.finishTime ?? '',
  finishSeconds: record.finishSeconds === null || record.finishSeconds === undefined ? '' : Number(record.finishSeconds),
  rankOverall: record.rankOverall ?? '',
  rankGender: record.rankGender ?? '',
  rankCategory: record.rankCategory ?? '',
  status: record.status ?? '',
  extra: record.extra && typeof record.extra === 'object' ? record.extra : {},
  event,
  certificate: {
    verifyUrl,
    code: record.verificationCode ?? '',
    issuedAt: record.certifiedAt ?? new Date().toISOString(),
    correctedAt: record.correctedAt ?? '',
  },
});

const renderer = ({ strapi }: { strapi: Core.Strapi }) => {
  let engine: RenderEngine | null = null;
  let reader: MediaReader | null = null;
  const compiledCache = new Map<string, CompiledTemplate>();
  const templateKeys = new Set<string>();
  const eventCache = new Map<string, { at: number; value: Record<string, unknown> }>();
  let fontsCache: { at: number; fonts: CustomFont[]; files: Map<string, MediaFile> } | null = null;

  const config = () => getConfig(strapi);
  const getEngine = () => {
    if (!engine) {
      const cfg = config();
      engine = new RenderEngine({
        chromiumPath: cfg.chromiumPath,
        pages: cfg.render.pages,
        batchSize: cfg.render.batchSize,
        timeoutMs: cfg.render.timeoutMs,
        relaunchAfter: cfg.render.relaunchAfter,
        shareImageWidth: cfg.render.shareImageWidth,
        log: strapi.log,
      });
    }
    return engine;
  };
  const getReader = () => (reader ??= new MediaReader((file) => getService(strapi, 'media').read(file)));

  const findFile = async (ref: FileRef | null | undefined): Promise<MediaFile | null> => {
    if (ref === null || ref === undefined || ref === '') return null;
    if (typeof ref === 'object') return 'url' in ref && ref.url ? ref : findFile(ref.id);
    const where = typeof ref === 'number' || /^\d+$/.test(ref) ? { id: Number(ref) } : { documentId: ref };
    return (await strapi.db.query('plugin::upload.file').findOne({ where })) as MediaFile | null;
  };

  /** Uploaded fonts of the media library, by family name (re-read at most every 30 s). */
  const customFonts = async () => {
    if (fontsCache && Date.now() - fontsCache.at < 30_000) return fontsCache;
    const files = (await strapi.db.query('plugin::upload.file').findMany({
      where: { ext: { $in: [...FONT_EXTS, ...FONT_EXTS.map((e) => e.toUpperCase())] } },
      limit: 500,
    })) as MediaFile[];
    const fonts: CustomFont[] = [];
    const byKey = new Map<string, MediaFile>();
    for (const file of files) {
      const ext = (file.ext ?? path.extname(file.name ?? '')).toLowerCase();
      let names = null;
      if (ext === '.ttf' || ext === '.otf') {
        try {
          names = readSfntNames(await getReader().read(file));
        } catch (err) {
          strapi.log.warn(`[certify] font "${file.name}" could not be read: ${(err as Error).message}`);
          continue;
        }
      }
      names ??= namesFromFileName(file.name ?? `font-${file.id}`);
      const assetKey = fileKey(file);
      byKey.set(assetKey, file);
      fonts.push({ ...names, assetKey, format: FONT_FORMAT[ext] ?? 'truetype' });
    }
    fontsCache = { at: Date.now(), fonts, files: byKey };
    return fontsCache;
  };

  const eventData = async (eventId: string | undefined): Promise<Record<string, unknown>> => {
    if (!eventId) return {};
    const hit = eventCache.get(eventId);
    if (hit && Date.now() - hit.at < 30_000) return hit.value;
    const event = await getService(strapi, 'events').find(eventId);
    const value = event ? { name: event.name, date: event.date ?? '', slug: event.slug ?? '', location: event.location ?? '' } : {};
    eventCache.set(eventId, { at: Date.now(), value });
    return value;
  };

  /** Puts the template's files (background, images, fonts it uses) where the pages can load them. */
  const templateAssets = async (template: RenderTemplate, compiled: CompiledTemplate, fonts: CustomFont[], fontFiles: Map<string, MediaFile>) => {
    const pool = getEngine().pool;
    const assets: TemplateAssets = { background: null, images: {}, customFonts: [] };
    const put = async (file: MediaFile) => {
      const key = fileKey(file);
      if (!pool.assets.has(key)) pool.assets.set(key, { body: await getReader().read(file), type: mimeOf(file) });
      // Most recently used last; the oldest template files leave the pool beyond the cap.
      templateKeys.delete(key);
      templateKeys.add(key);
      for (const old of templateKeys) {
        if (templateKeys.size <= MAX_TEMPLATE_ASSETS) break;
        templateKeys.delete(old);
        pool.assets.delete(old);
      }
      return key;
    };
    const background = await findFile(template.background);
    if (template.background && !background) throw new TemplateError('the background image no longer exists in the media library', [{ elementId: 'background', message: 'pick another background image' }]);
    if (background) assets.background = await put(background);
    for (const el of compiled.design?.elements ?? []) {
      // Images, and the placeholder a photo frame shows for records without a photo.
      const fileId = el.type === 'image' ? el.fileId : el.type === 'photo' && el.fallback === 'placeholder' ? el.placeholderFileId : undefined;
      if (fileId === undefined) continue;
      const file = await findFile(fileId);
      if (!file) throw new TemplateError(`${el.type} ${el.id}: media file ${fileId} does not exist`, [{ elementId: el.id, message: `media file ${fileId} does not exist: pick another image` }]);
      assets.images[String(fileId)] = await put(file);
    }
    const used = new Set(compiled.fontUses({ ...assets, customFonts: fonts }).map((u) => u.family.toLowerCase()));
    for (const font of fonts) {
      if (!used.has(font.family.toLowerCase())) continue;
      const file = fontFiles.get(font.assetKey);
      if (file) await put(file);
      assets.customFonts.push(font);
    }
    return assets;
  };

  const compile = (template: RenderTemplate, fonts: CustomFont[]) => {
    const key = createHash('sha1')
      .update(
        stableStringify({
          p: template.pageSize,
          o: template.orientation,
          w: template.widthMm,
          h: template.heightMm,
          m: template.mode,
          d: template.design,
          html: template.html,
          css: template.css,
          f: fonts.map((f) => f.family + f.assetKey),
        })
      )
      .digest('hex');
    let compiled = compiledCache.get(key);
    if (!compiled) {
      compiled = compileTemplate(template, fonts);
      compiledCache.set(key, compiled);
      if (compiledCache.size > 50) compiledCache.delete(compiledCache.keys().next().value as string);
    }
    return compiled;
  };

  const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
  /** The verify URL a preview's QR code (and `certificate.verifyUrl`) shows. */
  const previewVerifyUrl = (rec: RenderRecord) => publicUrl(strapi, `/verify/${rec.verificationCode ?? 'SAMPLE'}`);

  const service = {
    /** Nothing slow: Chromium starts on the first render. Warns early when it is not installed. */
    bootstrap() {
      try {
        findChromium(config().chromiumPath);
      } catch (err) {
        strapi.log.warn(`[certify] ${message(err)} (${ERROR_CODES.chromiumMissing}; the app runs, rendering waits for Chromium)`);
      }
    },

    async destroy() {
      const e = engine;
      engine = null;
      await e?.close();
    },

    /** What templates see as `event` (name, date, slug, location), cached for 30 s. */
    eventContext: (eventId: string) => eventData(eventId),

    /** The engine (tests and benchmarks reach the pool through it). */
    engine: () => getEngine(),

    /** Fonts a design can use: built-in families and uploaded fonts. */
    async fonts(): Promise<FontFamily[]> {
      const custom = await customFonts();
      const families = new Map<string, FontFamily>();
      for (const f of custom.fonts) {
        const entry = families.get(f.family) ?? { family: f.family, category: 'display', source: 'custom', weights: [], italic: false, scripts: [] };
        if (!entry.weights.includes(f.weight)) entry.weights.push(f.weight);
        entry.italic ||= f.italic;
        families.set(f.family, entry);
      }
      return [...builtinFamilies(), ...[...families.values()].filter((f) => !isKnownFamily(f.family))];
    },

    /** Compiles a template, throwing a 400 that lists each problem with its element and position. */
    async check(template: RenderTemplate) {
      const { fonts } = await customFonts();
      try {
        return compile(template, fonts);
      } catch (err) {
        if (err instanceof TemplateError) {
          throw certifyError.validation(`The template has ${err.problems.length} problem(s): ${err.problems.map((p) => `${p.elementId}${p.line ? ` (line ${p.line}${p.column ? `, column ${p.column}` : ''})` : ''}: ${p.message}`).join('; ')}`, { problems: err.problems });
        }
        throw err;
      }
    },

    /**
     * Renders certificates: one result per item, same order. A record the template cannot render
     * gets `error`; so does every item when the template itself is broken or Chromium is missing
     * (the message says what to fix), so a caller's loop never has to catch.
     * `image: true` adds the share image (JPEG, 1200 px); `pdf: false` skips the PDF, for a share
     * image made on first view rather than at publish time (see bench/RESULTS.md).
     */
    async renderBatch(
      template: RenderTemplate,
      items: RenderItem[],
      opts: {
        image?: boolean;
        pdf?: boolean;
        thumbnail?: boolean;
        timeoutMs?: number;
        imageFormat?: 'jpeg' | 'png';
        /** The event's figures for event-wide derived fields (derived.ts); looked up when not given. */
        eventStats?: EventStats | null;
        /** A live certificate: takes the next free page (or the express page) ahead of bulk batches. */
        urgent?: boolean;
      } = {}
    ): Promise<RenderResult[]> {
      const results: RenderResult[] = items.map((item) => ({ documentId: String(item.record?.documentId ?? '') }));
      if (!items.length) return results;
      const failAll = (error: string) => results.map((r) => (r.error ? r : { ...r, error }));
      let compiled: CompiledTemplate;
      let assets: TemplateAssets;
      let context: Record<string, unknown>;
      let stats: EventStats | null = null;
      try {
        findChromium(config().chromiumPath);
        const { fonts, files } = await customFonts();
        compiled = compile(template, fonts);
        assets = await templateAssets(template, compiled, fonts, files);
        context = await eventData(template.event);
        stats = opts.eventStats !== undefined ? opts.eventStats : template.event ? await loadEventStats(strapi, template.event) : null;
      } catch (err) {
        if (err instanceof ChromiumMissingError) return failAll(`${err.code}: ${err.message}`);
        if (err instanceof TemplateError) return failAll(`template problem: ${err.problems.map((p) => `${p.elementId}: ${p.message}`).join('; ')}`);
        return failAll(message(err));
      }
      const eng = getEngine();
      const colours = qrOptions(compiled.design);
      const photoKeys: string[] = [];
      const pages: Array<{ index: number; page: { html: string; text: string } }> = [];
      for (let i = 0; i < items.length; i += 1) {
        const item = items[i];
        try {
          if (!item.verifyUrl) throw new Error('verifyUrl is missing');
          const input: PageInput = {
            context: recordContext(item.record ?? {}, context, item.verifyUrl, stats),
            qrSvg: await qrSvg(item.verifyUrl, colours),
          };
          if (item.photo?.data?.length) {
            const key = `p${createHash('sha1').update(item.photo.data).digest('hex').slice(0, 24)}`;
            eng.pool.assets.set(key, { body: item.photo.data, type: item.photo.mime || 'image/jpeg' });
            photoKeys.push(key);
            input.photoKey = key;
          }
          pages.push({ index: i, page: compiled.page(input, assets) });
        } catch (err) {
          results[i].error = err instanceof TemplateError ? `template problem: ${err.message}` : message(err);
        }
      }
      const size = Math.max(1, config().render.batchSize);
      const chunks: Array<typeof pages> = [];
      for (let i = 0; i < pages.length; i += size) chunks.push(pages.slice(i, i + size));
      try {
        await Promise.all(
          chunks.map(async (chunk) => {
            try {
              const out = await eng.renderChunk(
                compiled,
                chunk.map((c) => c.page),
                assets,
                { image: opts.image, pdf: opts.pdf, thumbnail: opts.thumbnail, imageFormat: opts.imageFormat, timeoutMs: opts.timeoutMs, urgent: opts.urgent }
              );
              chunk.forEach((c, j) => {
                if (out.pdfs[j]) results[c.index].pdf = out.pdfs[j];
                results[c.index].overflow = out.overflow[j] ?? [];
                if (out.images) {
                  results[c.index].image = out.images[j];
                  results[c.index].imageMime = opts.imageFormat === 'png' ? 'image/png' : 'image/jpeg';
                  results[c.index].imageSize = out.imageSize;
                  if (out.thumbnails?.[j]) {
                    results[c.index].thumbnail = out.thumbnails[j];
                    results[c.index].thumbnailSize = out.thumbnailSize;
                  }
                }
              });
            } catch (err) {
              const missing = err instanceof ChromiumMissingError;
              const text = missing ? `${err.code}: ${err.message}` : message(err).split('\n')[0];
              for (const c of chunk) Object.assign(results[c.index], { error: text, transient: !missing });
            }
          })
        );
      } finally {
        for (const key of photoKeys) eng.pool.assets.delete(key);
      }
      return results;
    },

    /** One certificate for the designer: PNG or PDF bytes, or a 400 that says what is wrong. */
    async preview(template: RenderTemplate, record: RenderRecord | null, format: 'png' | 'pdf') {
      try {
        findChromium(config().chromiumPath);
      } catch (err) {
        throw new errors.ApplicationError(message(err), { code: ERROR_CODES.chromiumMissing });
      }
      await service.check(template);
      const rec = record ?? SAMPLE_RECORD;
      const verifyUrl = previewVerifyUrl(rec);
      let photo: RenderItem['photo'] = null;
      if (!record) {
        const sample = path.join(assetsDir(), 'sample-photo.jpg');
        if (fs.existsSync(sample)) photo = { data: fs.readFileSync(sample), mime: 'image/jpeg' };
      }
      const [result] = await service.renderBatch(template, [{ record: rec, verifyUrl, photo }], {
        image: format === 'png',
        pdf: format === 'pdf',
        imageFormat: 'png',
        timeoutMs: Math.min(config().render.timeoutMs, 15_000),
      });
      if (result.error) {
        throw certifyError.validation(`The preview could not be rendered: ${result.error}`, { problems: [{ elementId: 'template', message: result.error }] });
      }
      return format === 'png' ? { body: result.image!, type: 'image/png' } : { body: result.pdf!, type: 'application/pdf' };
    },

    /**
     * What the designer's canvas shows for the preview's record (or the sample record): each text
     * element's output from the renderer's own Handlebars and context (html.ts `elementTexts`), and
     * the renderer's @font-face rules for the fonts the design uses, pointing at the plugin's public
     * font route (`/api/certify/fonts/…`) and, for uploaded fonts, at their media library URL. No
     * Chromium: cheap enough to follow typing.
     */
    async texts(template: RenderTemplate, record: RenderRecord | null): Promise<{ elements: Record<string, ElementText>; fontCss: string }> {
      if (template.mode === 'html') return { elements: {}, fontCss: '' };
      const parsed = designSchema.safeParse(template.design ?? { version: 1, elements: [] });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw certifyError.validation(`the design is invalid: ${issue.path.join('.')}: ${issue.message}`, { field: 'template.design' });
      }
      const design = parsed.data;
      const rec = record ?? SAMPLE_RECORD;
      const stats = template.event ? await loadEventStats(strapi, template.event) : null;
      const context = recordContext(rec, await eventData(template.event), previewVerifyUrl(rec), stats);
      const elements = elementTexts(design, context);
      const { fonts, files } = await customFonts();
      const uses = designFontUses(design);
      const shown = Object.values(elements).map((e) => ('html' in e ? e.html : '')).join(' ');
      const css = fontFaceCss([...uses, ...fallbackUses(uses, shown)], fonts);
      const prefix = strapi.config.get('api.rest.prefix', '/api') as string;
      const fontCss = rebaseFontCss(css, `${prefix}/certify/fonts`, (key) => files.get(key)?.url ?? null);
      return { elements, fontCss };
    },

    /** Bytes of a built-in font file for pages outside the renderer (the admin's canvas), or null. */
    fontFile(pkg: string, file: string) {
      return builtinFontFile(pkg, file);
    },

    /** Forget cached fonts/events (after an upload, in tests). */
    invalidate() {
      fontsCache = null;
      eventCache.clear();
    },

  };
  return service;
};

export type RendererService = ReturnType<typeof renderer>;
export default renderer;
