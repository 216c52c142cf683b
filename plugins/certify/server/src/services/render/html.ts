import { PAGE_SIZES_MM, designSchema, type DesignDocument, type ElementText, type TemplateProblem, type TextElement } from '../../../../shared/contracts/templates';
import { hbs } from './helpers';
import { checkDesign, checkHandlebars, checkHtml, textSource } from './design';
import { ASSET_ORIGIN, DEFAULT_FAMILY, fontFaceCss, fontStack, isKnownFamily, type CustomFont } from './fonts';
export type { ElementText };
import { designFontUses, fallbackUses, TEXT_DEFAULTS } from '../../../../shared/text';

/** What the HTML builder needs of a template (a stored one or an unsaved draft). */
export interface RenderableTemplate {
  pageSize?: string | null;
  orientation?: string | null;
  widthMm?: number | string | null;
  heightMm?: number | string | null;
  mode?: string | null;
  design?: unknown;
  html?: string | null;
  css?: string | null;
}

/** Asset keys (served under ASSET_ORIGIN/asset/<key>) the server resolved for a template. */
export interface TemplateAssets {
  background?: string | null;
  /** Media file id (as given in the design) → asset key. */
  images: Record<string, string>;
  customFonts: CustomFont[];
}

/** One certificate's data, with what the server built for it. */
export interface PageInput {
  context: Record<string, unknown>;
  qrSvg: string;
  /** Asset key of the participant's photo. */
  photoKey?: string | null;
}

export class TemplateError extends Error {
  constructor(
    message: string,
    public problems: TemplateProblem[]
  ) {
    super(message);
  }
}

const MM_PER_PX = 25.4 / 96;

export const pageDimensions = (t: RenderableTemplate): { widthMm: number; heightMm: number } => {
  let w: number;
  let h: number;
  if (t.pageSize === 'custom') {
    w = Number(t.widthMm);
    h = Number(t.heightMm);
    if (!(w > 0 && h > 0)) {
      throw new TemplateError('a custom page size needs widthMm and heightMm', [
        { elementId: 'page', message: 'set widthMm and heightMm (millimetres) for a custom page size' },
      ]);
    }
    return { widthMm: w, heightMm: h };
  }
  [w, h] = PAGE_SIZES_MM[(t.pageSize as keyof typeof PAGE_SIZES_MM) ?? 'A4'] ?? PAGE_SIZES_MM.A4;
  return t.orientation === 'portrait' ? { widthMm: w, heightMm: h } : { widthMm: h, heightMm: w };
};

const escapeHtml = (s: string) => hbs.Utils.escapeExpression(s);
const fmt = (n: number) => String(Math.round(n * 1000) / 1000);
const assetUrl = (key: string) => `${ASSET_ORIGIN}/asset/${key}`;

const boxStyle = (el: { x: number; y: number; width: number; height: number; rotation?: number; z?: number; opacity?: number }) =>
  `left:${fmt(el.x)}mm;top:${fmt(el.y)}mm;width:${fmt(el.width)}mm;height:${fmt(el.height)}mm;` +
  (el.z !== undefined ? `z-index:${el.z};` : '') +
  (el.rotation ? `transform:rotate(${fmt(el.rotation)}deg);` : '') +
  (el.opacity !== undefined ? `opacity:${el.opacity};` : '');

const qrColour = (c: string | undefined, fallback: string) => (c === undefined ? fallback : c === 'transparent' ? '#0000' : c);
export const qrOptions = (design: DesignDocument | null) => {
  const qr = design?.elements.find((e) => e.type === 'qr') as { color?: string; background?: string } | undefined;
  return { dark: qrColour(qr?.color, '#000000'), light: qrColour(qr?.background, '#ffffff') };
};

/** A template prepared once (validated, compiled) and then applied to many records. */
export interface CompiledTemplate {
  widthMm: number;
  heightMm: number;
  design: DesignDocument | null;
  /** Builds one certificate's page; throws (with the element) for a record the template cannot render. */
  page(input: PageInput, assets: TemplateAssets): { html: string; text: string };
  /** Font families/weights the template uses, for @font-face. */
  fontUses(assets: TemplateAssets): Array<{ family: string; weight: number; italic: boolean }>;
  css: string;
}

/** Validates and compiles a template; throws TemplateError listing every problem with its element. */
export const compileTemplate = (t: RenderableTemplate, customFonts: CustomFont[] = []): CompiledTemplate => {
  const { widthMm, heightMm } = pageDimensions(t);
  if (t.mode === 'html') return compileHtml(t, widthMm, heightMm);
  return compileDesign(t, widthMm, heightMm, customFonts);
};

const compileHtml = (t: RenderableTemplate, widthMm: number, heightMm: number): CompiledTemplate => {
  const source = t.html ?? '';
  if (!source.trim()) {
    throw new TemplateError('the HTML template is empty', [{ elementId: 'html', message: 'write the certificate HTML, or switch to the designer' }]);
  }
  const problems = checkHtml(source);
  const css = t.css ?? '';
  if (/<\/style/i.test(css)) problems.push({ elementId: 'css', message: 'the CSS may not contain "</style"' });
  if (problems.length) throw new TemplateError(problems[0].message, problems);
  const render = hbs.compile(source, { strict: false });
  return {
    widthMm,
    heightMm,
    design: null,
    css,
    page(input, assets) {
      const ctx = {
        ...input.context,
        qr: input.qrSvg,
        assets: {
          background: assets.background ? assetUrl(assets.background) : '',
          photo: input.photoKey ? assetUrl(input.photoKey) : '',
          images: Object.fromEntries(Object.entries(assets.images).map(([id, key]) => [id, assetUrl(key)])),
        },
      };
      let html: string;
      try {
        html = render(ctx);
      } catch (err) {
        throw new TemplateError(`html: ${(err as Error).message}`, [{ elementId: 'html', message: (err as Error).message }]);
      }
      return { html: pageOpen(assets, null) + html + '</section>', text: html };
    },
    fontUses(assets) {
      const haystack = `${css}\n${source}`;
      const families = new Set<string>([DEFAULT_FAMILY]);
      for (const m of haystack.matchAll(/font-family\s*:\s*([^;}"]+)/gi)) {
        for (const name of m[1].split(',')) {
          const family = name.trim().replace(/^['"]|['"]$/g, '');
          if (family && isKnownFamily(family, assets.customFonts)) families.add(family);
        }
      }
      return [...families].flatMap((family) => [
        { family, weight: 400, italic: false },
        { family, weight: 700, italic: false },
        { family, weight: 400, italic: true },
      ]);
    },
  };
};

const pageOpen = (assets: TemplateAssets, design: DesignDocument | null) => {
  const fit = design?.backgroundFit === 'contain' ? 'contain' : design?.backgroundFit === 'stretch' ? '100% 100%' : 'cover';
  const bg = assets.background ? `background:url(${assetUrl(assets.background)}) center/${fit} no-repeat;` : '';
  const colour = design?.backgroundColor ? `background-color:${design.backgroundColor};` : '';
  return `<section class="certify-page" style="${bg}${colour}">`;
};

/** A text element's Handlebars, compiled in the certificates' own environment (helpers.ts). */
const compileText = (el: TextElement) => hbs.compile(textSource(el), { strict: false });

/** One text element's output for a record; a helper that throws names the element. */
const renderText = (elementId: string, template: HandlebarsTemplateDelegate, context: Record<string, unknown>): string => {
  try {
    return template(context);
  } catch (err) {
    throw new TemplateError(`${elementId}: ${(err as Error).message}`, [{ elementId, message: (err as Error).message }]);
  }
};

/**
 * What each text element of a design shows for one record, element by element, exactly as the
 * certificate prints it (Handlebars output: HTML with record values escaped). An element that
 * cannot render gets its problem instead, and the others still show: the designer's canvas calls
 * this while someone is typing a half-written `{{`.
 */
export const elementTexts = (design: DesignDocument, context: Record<string, unknown>): Record<string, ElementText> => {
  const out: Record<string, ElementText> = {};
  for (const el of design.elements) {
    if (el.type !== 'text') continue;
    const problems = checkHandlebars(textSource(el), el.id);
    if (problems.length) {
      out[el.id] = { error: problems[0].message };
      continue;
    }
    try {
      out[el.id] = { html: renderText(el.id, compileText(el), context) };
    } catch (err) {
      out[el.id] = { error: err instanceof TemplateError ? err.problems[0].message : (err as Error).message };
    }
  }
  return out;
};

const compileDesign = (t: RenderableTemplate, widthMm: number, heightMm: number, customFonts: CustomFont[]): CompiledTemplate => {
  const parsed = designSchema.safeParse(t.design ?? { version: 1, elements: [] });
  if (!parsed.success) {
    const problems: TemplateProblem[] = parsed.error.issues.map((i) => {
      const idx = i.path[0] === 'elements' && typeof i.path[1] === 'number' ? i.path[1] : -1;
      const elements = (t.design as { elements?: unknown } | null)?.elements;
      const el: unknown = idx >= 0 && Array.isArray(elements) ? elements[idx] : undefined;
      const id = el && typeof el === 'object' && 'id' in el ? el.id : undefined;
      return { elementId: typeof id === 'string' ? id : idx >= 0 ? `#${idx}` : 'design', message: `${i.path.join('.')}: ${i.message}` };
    });
    throw new TemplateError(`the design is invalid: ${problems[0].message}`, problems);
  }
  const design = parsed.data;
  const problems = checkDesign(design);
  for (const el of design.elements) {
    if (el.type === 'text' && el.fontFamily && !isKnownFamily(el.fontFamily, customFonts)) {
      problems.push({ elementId: el.id, message: `unknown font "${el.fontFamily}": pick one from GET /certify/fonts or upload it to the media library` });
    }
  }
  if (design.fontFamily && !isKnownFamily(design.fontFamily, customFonts)) {
    problems.push({ elementId: 'design', message: `unknown font "${design.fontFamily}"` });
  }
  if (problems.length) throw new TemplateError(`${problems[0].elementId}: ${problems[0].message}`, problems);

  const elements = [...design.elements].sort((a, b) => (a.z ?? 0) - (b.z ?? 0));
  const texts = new Map<string, HandlebarsTemplateDelegate>();
  for (const el of elements) if (el.type === 'text') texts.set(el.id, compileText(el));
  const defaultFamily = design.fontFamily ?? DEFAULT_FAMILY;

  return {
    widthMm,
    heightMm,
    design,
    css: '',
    page(input, assets) {
      const parts: string[] = [pageOpen(assets, design)];
      const text: string[] = [];
      for (const el of elements) {
        const box = boxStyle(el);
        switch (el.type) {
          case 'text': {
            const value = renderText(el.id, texts.get(el.id)!, input.context);
            text.push(value);
            const size = el.fontSize ?? TEXT_DEFAULTS.fontSize;
            const h = el.align === 'left' ? 'flex-start' : el.align === 'right' ? 'flex-end' : 'center';
            const v = el.verticalAlign === 'top' ? 'flex-start' : el.verticalAlign === 'bottom' ? 'flex-end' : 'center';
            const style =
              box +
              `align-items:${h};justify-content:${v};text-align:${el.align ?? 'center'};` +
              `font-family:${fontStack(el.fontFamily ?? defaultFamily)};font-weight:${el.fontWeight ?? TEXT_DEFAULTS.fontWeight};` +
              `font-size:${fmt(size)}pt;color:${el.color ?? TEXT_DEFAULTS.color};` +
              (el.italic ? 'font-style:italic;' : '') +
              (el.letterSpacing ? `letter-spacing:${el.letterSpacing}em;` : '') +
              (el.lineHeight ? `line-height:${el.lineHeight};` : '') +
              (el.uppercase ? 'text-transform:uppercase;' : '');
            const fit = el.shrinkToFit ? ` fit" data-size="${fmt(size)}" data-min="${fmt(el.minFontSize ?? Math.min(size, 6))}` : '';
            const wrap = el.wrap && !el.shrinkToFit ? ' wrap' : '';
            // The value is Handlebars output: record values inside it are already escaped.
            // data-id: the fit step reports overflowing elements by id (ids are [A-Za-z0-9_-]).
            parts.push(`<div class="e t${wrap}${fit}" data-id="${el.id}" style="${style}"><span dir="${el.direction ?? 'auto'}">${value}</span></div>`);
            break;
          }
          case 'image': {
            const key = assets.images[String(el.fileId)];
            if (key) parts.push(`<img class="e" alt="" src="${assetUrl(key)}" style="${box}object-fit:${el.fit ?? 'contain'}">`);
            break;
          }
          case 'qr':
            parts.push(`<div class="e q" style="${box}">${input.qrSvg}</div>`);
            break;
          case 'photo': {
            // No photo: the organiser's placeholder in the same frame, else no element at all (never an empty frame).
            const placeholder = el.fallback === 'placeholder' && el.placeholderFileId !== undefined ? assets.images[String(el.placeholderFileId)] : undefined;
            const key = input.photoKey || placeholder;
            if (!key) break;
            const frame =
              (el.borderRadius ? `border-radius:${fmt(el.borderRadius)}mm;` : '') +
              (el.borderWidth ? `border:${fmt(el.borderWidth)}mm solid ${el.borderColor ?? '#ffffff'};` : '');
            parts.push(`<div class="e ph" style="${box}${frame}"><img alt="" src="${assetUrl(key)}" style="object-fit:${el.fit ?? 'cover'}"></div>`);
            break;
          }
          case 'shape': {
            const stroke = el.strokeWidth ?? 0.5;
            const style =
              el.shape === 'line'
                ? `${box}height:${fmt(stroke)}mm;background:${el.stroke ?? el.fill ?? '#000000'};`
                : `${box}background:${el.fill ?? 'transparent'};` +
                  (el.stroke ? `border:${fmt(stroke)}mm solid ${el.stroke};` : '') +
                  (el.shape === 'ellipse' ? 'border-radius:50%;' : el.borderRadius ? `border-radius:${fmt(el.borderRadius)}mm;` : '');
            parts.push(`<div class="e" style="${style}"></div>`);
            break;
          }
          default:
            break;
        }
      }
      parts.push('</section>');
      return { html: parts.join(''), text: text.join(' ') };
    },
    fontUses() {
      return designFontUses(design);
    },
  };
};

/** Whether the share image can be the page's content laid over a background raster made once. */
export const canLayer = (compiled: CompiledTemplate, assets: TemplateAssets) => !!compiled.design && !!assets.background;

/** A rectangle of the share image, in whole pixels. */
export interface Band {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Where a design can draw on its page, in share-image pixels: the union of its elements' boxes
 * (a turned box by its bounding box, a line by its stroke) with two pixels to spare for edge
 * smoothing. Every element is absolutely placed and clipped to its own box, so nothing is drawn
 * outside it; layered share images capture only this band and lay it over the background raster.
 */
export const contentBand = (design: DesignDocument, widthMm: number, heightMm: number, shareWidth: number): Band => {
  const scale = shareWidth / widthMm;
  const pageHeight = Math.floor(heightMm * scale);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const el of design.elements) {
    const h = el.type === 'shape' && el.shape === 'line' ? Math.max(el.height, el.strokeWidth ?? 0.5) : el.height;
    const turn = ((el.rotation ?? 0) * Math.PI) / 180;
    const cos = Math.abs(Math.cos(turn));
    const sin = Math.abs(Math.sin(turn));
    const halfW = (el.width * cos + h * sin) / 2;
    const halfH = (el.width * sin + h * cos) / 2;
    const cx = el.x + el.width / 2;
    const cy = el.y + h / 2;
    x0 = Math.min(x0, cx - halfW);
    x1 = Math.max(x1, cx + halfW);
    y0 = Math.min(y0, cy - halfH);
    y1 = Math.max(y1, cy + halfH);
  }
  if (!(x1 > x0 && y1 > y0)) return { left: 0, top: 0, width: 1, height: 1 };
  const left = Math.min(shareWidth - 1, Math.max(0, Math.floor(x0 * scale) - 2));
  const top = Math.min(pageHeight - 1, Math.max(0, Math.floor(y0 * scale) - 2));
  const right = Math.max(left + 1, Math.min(shareWidth, Math.ceil(x1 * scale) + 2));
  const bottom = Math.max(top + 1, Math.min(pageHeight, Math.ceil(y1 * scale) + 2));
  return { left, top, width: right - left, height: bottom - top };
};

/** Pixel width of a page at 96 dpi. */
export const pageWidthPx = (widthMm: number) => widthMm / MM_PER_PX;

/**
 * On screen, only each page's band, the bands stacked one under the other from the top-left
 * corner: page k's band starts at k × band height (a flex column, so the negative margins add up
 * instead of collapsing). `zoom` turns the pixel offsets into the zoomed body's CSS pixels.
 */
const bandCss = (band: Band, pageHeightCssPx: number, zoom: number) => {
  const below = pageHeightCssPx - (band.top + band.height) / zoom;
  return (
    '@media screen{body{display:flex;flex-direction:column;align-items:flex-start}' +
    `.certify-page{flex:none;margin:${-band.top / zoom}px 0 ${-below}px ${-band.left / zoom}px}}`
  );
};

/**
 * The document for a batch of certificates: one fixed-size section per certificate, each exactly
 * one printed page. On screen (the share image) the page is zoomed to `shareWidth` pixels.
 */
export const batchDocument = (
  compiled: CompiledTemplate,
  pages: Array<{ html: string; text: string }>,
  assets: TemplateAssets,
  shareWidth: number,
  { layered = false, band }: { layered?: boolean; band?: Band | null } = {}
): string => {
  const { widthMm: w, heightMm: h } = compiled;
  const uses = compiled.fontUses(assets);
  const allText = pages.map((p) => p.text).join(' ');
  const zoom = shareWidth / pageWidthPx(w);
  const css =
    `@page{size:${fmt(w)}mm ${fmt(h)}mm;margin:0}` +
    'html,body{margin:0;padding:0;background:#fff}' +
    'body{-webkit-print-color-adjust:exact;print-color-adjust:exact;font-family:' +
    fontStack(DEFAULT_FAMILY) +
    '}' +
    `.certify-page{position:relative;width:${fmt(w)}mm;height:${fmt(h)}mm;overflow:hidden;break-after:page;contain:strict}` +
    '.certify-page:last-child{break-after:auto}' +
    `@media screen{body{zoom:${zoom}}}` +
    '.e{position:absolute;box-sizing:border-box;margin:0}' +
    `.t{display:flex;flex-direction:column;overflow:hidden;line-height:${TEXT_DEFAULTS.lineHeight}}` +
    // A word longer than its line breaks (a 255-letter name) instead of running out of the box.
    '.t>span{white-space:pre;max-width:none;overflow-wrap:anywhere}' +
    '.t.wrap>span{white-space:pre-wrap;max-width:100%}' +
    '.q svg{display:block;width:100%;height:100%}' +
    '.ph{overflow:hidden}.ph img,img.e{display:block}.ph img{width:100%;height:100%}' +
    // Layered share images: the screen shows only what differs per certificate, on transparency.
    (layered ? '@media screen{html,body{background:transparent}.certify-page{background:none!important}}' : '') +
    (layered && band ? bandCss(band, h / MM_PER_PX, zoom) : '');
  const fonts = fontFaceCss([...uses, ...fallbackUses(uses, allText)], assets.customFonts);
  return (
    '<!doctype html><html><head><meta charset="utf-8"><title>Certificate</title>' +
    `<style>${fonts}\n${css}</style>` +
    (compiled.css ? `<style>${compiled.css}</style>` : '') +
    `</head><body>${pages.map((p) => p.html).join('')}</body></html>`
  );
};

/**
 * Shrink-to-fit, run in the page by the renderer (page scripts are off; this is the server's own
 * code): a text box whose content overflows gets a smaller font size, down to its minimum, then
 * wraps, breaking words too long for a line. Measuring in the browser uses the real shaping of
 * the real font, which no estimate does.
 *
 * Then every text box is checked: text that still does not fit (a single-line element too narrow
 * for its value, a wrapped one too short) would be cut off by the box, so it is reported, never
 * cut silently: `overflow` lists [page index, element id] pairs. A box's line height may exceed
 * it by a fifth of the font size (the space above and below the letters) before that counts.
 */
export const FIT_SCRIPT = `(() => {
  let changed = 0;
  for (const box of document.querySelectorAll('.t.fit')) {
    const span = box.firstElementChild;
    if (!span) continue;
    let size = parseFloat(box.dataset.size);
    const min = parseFloat(box.dataset.min);
    for (let i = 0; i < 4; i += 1) {
      const ratio = Math.min(box.clientWidth / Math.max(span.offsetWidth, 1), box.clientHeight / Math.max(span.offsetHeight, 1));
      if (ratio >= 1) break;
      const next = Math.max(min, Math.floor(size * ratio * 0.98 * 100) / 100);
      if (next >= size) break;
      size = next;
      span.style.fontSize = size + 'pt';
      changed += 1;
    }
    if (span.offsetWidth > box.clientWidth) { span.style.whiteSpace = 'pre-wrap'; span.style.maxWidth = '100%'; }
  }
  const overflow = [];
  const pages = Array.from(document.querySelectorAll('.certify-page'));
  pages.forEach((page, index) => {
    for (const box of page.querySelectorAll('.t[data-id]')) {
      const span = box.firstElementChild;
      if (!span || !span.textContent.trim()) continue;
      const slack = parseFloat(getComputedStyle(span).fontSize) * 0.2;
      if (span.offsetWidth > box.clientWidth + 1 || span.offsetHeight > box.clientHeight + Math.max(1, slack)) overflow.push([index, box.dataset.id]);
    }
  });
  return { changed, overflow };
})()`;
