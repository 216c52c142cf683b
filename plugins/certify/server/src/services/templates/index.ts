import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import type { z } from 'zod';
import { ERROR_CODES } from '../../../../shared/errors';
import {
  templateInput,
  type DesignDocument,
  type TemplateRules,
  type previewRequest,
  type templateUpdate,
} from '../../../../shared/contracts/templates';
import { UID } from '../../constants';
import { certifyError, documentData, getService, isPlainObject, parseOrThrow } from '../../utils';
import { sha256, stableStringify } from '../../utils/hash';
import { fileKey, type MediaFile } from '../render/assets';
import { assetsDir, type RenderTemplate } from '../render';
import type { RenderableTemplate } from '../render/html';
import type { StoredRecord } from '../records';

/** Bumped when the renderer's output changes for the same template (so certificates re-render). */
export const RENDER_VERSION = 1;

type TemplateData = z.output<typeof templateInput>;
type TemplateChanges = z.output<typeof templateUpdate>;

/** A template row as stored (decimals may come back as text; the background populated on request). */
export interface StoredTemplate extends Omit<TemplateData, 'background' | 'widthMm' | 'heightMm'> {
  id: number;
  documentId: string;
  event: string;
  widthMm: number | string | null;
  heightMm: number | string | null;
  background: MediaFile | null;
  version: number | null;
  hash: string | null;
}

/** What the content hash reads of a template: a stored one, or a caller's template-like object. */
type Hashable = RenderableTemplate & { background?: MediaFile | { id: number } | number | string | null };

/** What template selection reads of a template. */
export interface Selectable {
  documentId?: string;
  rules?: TemplateRules | null;
  priority?: number | string | null;
  isDefault?: boolean | null;
}

/** What template selection reads of a record: the fields rules name, and the record's own template. */
type RecordFields = Record<string, unknown> & { template?: string | { documentId?: string } | null };

const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));

/** Content hash of a template and its assets: what its certificates look like, nothing else. */
export const templateHash = (t: Hashable): string => {
  const bg = t.background;
  const background = bg && typeof bg === 'object' ? ('url' in bg && bg.url ? fileKey(bg as MediaFile) : `id:${bg.id}`) : bg ? `id:${bg}` : null;
  return sha256(
    stableStringify({
      v: RENDER_VERSION,
      pageSize: t.pageSize ?? 'A4',
      orientation: t.orientation ?? 'landscape',
      widthMm: t.pageSize === 'custom' ? num(t.widthMm) : null,
      heightMm: t.pageSize === 'custom' ? num(t.heightMm) : null,
      mode: t.mode ?? 'designer',
      design: t.mode === 'html' ? null : (t.design ?? null),
      html: t.mode === 'html' ? (t.html ?? '') : null,
      css: t.mode === 'html' ? (t.css ?? '') : null,
      background,
    })
  ).slice(0, 32);
};

const fieldValue = (record: RecordFields, field: string): unknown => {
  const [head, sub] = field.split('.');
  const value = record[head];
  if (sub === undefined) return value;
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[sub] : undefined;
};

const matches = (rules: TemplateRules, record: RecordFields) => {
  const test = (c: TemplateRules['conditions'][number]) => {
    const v = fieldValue(record, c.field);
    const s = v === null || v === undefined ? '' : String(v).trim().toLowerCase();
    const list = (Array.isArray(c.value) ? c.value : [c.value]).map((x) => String(x ?? '').trim().toLowerCase());
    switch (c.op) {
      case 'eq':
        return s === list[0];
      case 'neq':
        return s !== list[0];
      case 'in':
        return list.includes(s);
      case 'notIn':
        return !list.includes(s);
      case 'exists':
        return s !== '';
      case 'gte':
        return s !== '' && Number(v) >= Number(c.value);
      case 'lte':
        return s !== '' && Number(v) <= Number(c.value);
      default:
        return false;
    }
  };
  return (rules.match ?? 'all') === 'all' ? rules.conditions.every(test) : rules.conditions.some(test);
};

const rulesOf = (t: Selectable): TemplateRules | null => (Array.isArray(t.rules?.conditions) && t.rules.conditions.length > 0 ? t.rules : null);
const byPriority = (a: Selectable, b: Selectable) => (Number(b.priority) || 0) - (Number(a.priority) || 0);

/** The template a record gets: its own override, then the first matching rules, then the default. */
export const pickTemplate = <T extends Selectable>(templates: T[], record: RecordFields): T | null => {
  const override = record.template && typeof record.template === 'object' ? record.template.documentId : record.template;
  if (override) {
    const own = templates.find((t) => t.documentId === override);
    if (own) return own;
  }
  const ruled = templates.filter((t) => rulesOf(t)).sort(byPriority);
  const hit = ruled.find((t) => {
    const rules = rulesOf(t);
    return rules !== null && matches(rules, record);
  });
  if (hit) return hit;
  const plain = templates.filter((t) => !rulesOf(t)).sort(byPriority);
  return plain.find((t) => t.isDefault) ?? templates.filter((t) => t.isDefault).sort(byPriority)[0] ?? plain[0] ?? null;
};

/** "12th overall · 3rd in M35-39", each part only when its fields are there. */
export const RANK_LINE =
  '{{#if rankOverall}}{{ordinal rankOverall}} overall{{/if}}' +
  '{{#if rankCategory}}{{#if rankOverall}} · {{/if}}{{ordinal rankCategory}}{{#if category}} in {{category}}{{/if}}{{/if}}';

/** The demo certificate: A4 landscape, background, a serif font, six fields and the QR code. */
export const demoDesign = (): DesignDocument => ({
  version: 1,
  backgroundFit: 'cover',
  fontFamily: 'EB Garamond',
  elements: [
    { id: 'title', type: 'text', text: 'Certificate of Completion', x: 28.5, y: 24, width: 240, height: 18, fontFamily: 'Playfair Display', fontWeight: 700, fontSize: 32, color: '#1f3a5f', letterSpacing: 0.04 },
    { id: 'event', type: 'text', text: '{{event.name}} · {{formatDate event.date "en-GB"}}', x: 28.5, y: 46, width: 240, height: 10, fontSize: 16, color: '#5b4a2e', uppercase: true, letterSpacing: 0.12 },
    { id: 'name', type: 'text', field: 'name', x: 38.5, y: 72, width: 220, height: 26, fontSize: 44, fontWeight: 600, color: '#111111', shrinkToFit: true, minFontSize: 12 },
    { id: 'line', type: 'shape', shape: 'line', x: 78.5, y: 100, width: 140, height: 1, stroke: '#b08d57', strokeWidth: 0.6 },
    // Lines whose fields are empty print nothing: no "finished in" without a time, no "overall" without a rank.
    { id: 'time', type: 'text', text: '{{#if finishTime}}finished in {{formatTime finishTime}}{{/if}}', x: 28.5, y: 106, width: 240, height: 12, fontSize: 22, color: '#1f3a5f' },
    { id: 'rank', type: 'text', text: RANK_LINE, x: 28.5, y: 121, width: 240, height: 10, fontSize: 15, color: '#333333' },
    { id: 'bib', type: 'text', text: 'Bib {{bib}}', x: 28.5, y: 134, width: 240, height: 8, fontSize: 12, color: '#5b4a2e', fontFamily: 'Inter' },
    { id: 'qr', type: 'qr', x: 28, y: 160, width: 26, height: 26 },
    { id: 'verify', type: 'text', text: 'Scan to verify', x: 58, y: 176, width: 60, height: 8, fontSize: 9, color: '#5b4a2e', align: 'left', fontFamily: 'Inter' },
  ],
});

/** Certificate templates of an event. */
const templates = ({ strapi }: { strapi: Core.Strapi }) => {
  const renderer = () => getService(strapi, 'render');

  const findOwn = async (eventId: string, documentId: string): Promise<StoredTemplate> => {
    const t = (await strapi.documents(UID.template).findOne({ documentId, populate: { background: true } })) as StoredTemplate | null;
    if (!t || t.event !== eventId) {
      throw certifyError.notFound(ERROR_CODES.templateNotFound, `Template ${documentId} does not exist in this event.`, { templateId: documentId });
    }
    return t;
  };

  const checkBackground = async (id: TemplateChanges['background']) => {
    if (id === null || id === undefined) return null;
    const where = typeof id === 'number' || /^\d+$/.test(id) ? { id: Number(id) } : { documentId: id };
    const file: MediaFile | null = await strapi.db.query('plugin::upload.file').findOne({ where });
    if (!file) throw certifyError.validation(`background: media file ${id} does not exist; upload the image to the media library first`, { field: 'background' });
    if (!String(file.mime ?? '').startsWith('image/')) throw certifyError.validation(`background: "${file.name}" is not an image (${file.mime})`, { field: 'background' });
    return file;
  };

  /**
   * The media a template shows (background, image elements, photo placeholders) must be media its event's
   * organisation may use: not another organisation's certificates or participants' photos.
   */
  const checkMedia = async (eventId: string, t: { background?: RenderTemplate['background']; design?: unknown }) => {
    const media = getService(strapi, 'media');
    const access = getService(strapi, 'access');
    const background = await media.findFile(t.background);
    if (background) await access.assertMediaUsable(eventId, background, 'background');
    // A draft's design is checked element by element when it is compiled, after this.
    const elements: unknown[] = isPlainObject(t.design) && Array.isArray(t.design.elements) ? t.design.elements : [];
    for (const [i, el] of elements.entries()) {
      if (!isPlainObject(el)) continue;
      // An image element's file, and a photo element's placeholder for records without a photo.
      for (const key of ['fileId', 'placeholderFileId'] as const) {
        const ref = el[key];
        if (typeof ref !== 'number' && typeof ref !== 'string') continue;
        const file = await media.findFile(ref);
        if (file) await access.assertMediaUsable(eventId, file, `design.elements.${i}.${key}`);
      }
    }
  };

  /** Validates the whole template as it will be stored: schema, design, Handlebars, fonts. */
  const validate = async (data: RenderTemplate) => {
    if (data.pageSize === 'custom' && !(Number(data.widthMm) > 0 && Number(data.heightMm) > 0)) {
      throw certifyError.validation('widthMm and heightMm are required (in millimetres) for a custom page size', { field: 'widthMm' });
    }
    await renderer().check({ ...data, background: null });
  };

  /** A designer template always has a design document, if only an empty one. */
  const normalise = <T extends { mode?: string; design?: TemplateData['design'] }>(data: T): T =>
    data.mode === 'designer' && !data.design ? { ...data, design: { version: 1, elements: [] } } : data;

  return {
    hash: templateHash,
    pickTemplate,
    demoDesign,

    async list(eventId: string): Promise<StoredTemplate[]> {
      return (await strapi.documents(UID.template).findMany({
        filters: { event: eventId },
        sort: [{ priority: 'desc' }, { createdAt: 'asc' }],
        populate: { background: true },
      })) as StoredTemplate[];
    },

    async findOne(eventId: string, documentId: string) {
      return findOwn(eventId, documentId);
    },

    async create(eventId: string, input: TemplateData) {
      const data = normalise(input);
      await validate(data);
      const background = await checkBackground(data.background);
      await checkMedia(eventId, { ...data, background });
      // One write with its hash: the Document Service middleware sees one change, not two.
      const created = await strapi.documents(UID.template).create({
        data: documentData(UID.template, {
          ...data,
          background: background?.id ?? null,
          hash: templateHash({ ...data, background }),
          event: eventId,
          version: 1,
        }),
        populate: { background: true },
      });
      return created as StoredTemplate;
    },

    async update(eventId: string, documentId: string, patch: TemplateChanges) {
      const existing = await findOwn(eventId, documentId);
      const merged = normalise({
        name: existing.name,
        purpose: existing.purpose,
        pageSize: existing.pageSize,
        orientation: existing.orientation,
        widthMm: num(existing.widthMm),
        heightMm: num(existing.heightMm),
        mode: existing.mode,
        design: existing.design,
        html: existing.html,
        css: existing.css,
        rules: existing.rules,
        priority: existing.priority,
        isDefault: existing.isDefault,
        ...patch,
      });
      await validate(merged);
      const background = 'background' in patch ? await checkBackground(patch.background) : (existing.background ?? null);
      await checkMedia(eventId, { ...merged, background });
      const saved = await strapi.documents(UID.template).update({
        documentId,
        data: documentData(UID.template, {
          ...merged,
          background: background?.id ?? null,
          hash: templateHash({ ...merged, background }),
          version: (Number(existing.version) || 1) + 1,
        }),
        populate: { background: true },
      });
      return saved as StoredTemplate;
    },

    async delete(eventId: string, documentId: string) {
      await findOwn(eventId, documentId);
      // Records pinned to this template lose the relation with it and fall back to rules/default.
      await strapi.documents(UID.template).delete({ documentId });
      return { documentId };
    },

    /** Preview bytes for a saved template, or for an unsaved draft (`id` "draft" or a body `template`). */
    async preview(eventId: string, documentId: string, body: z.output<typeof previewRequest>) {
      const { template, record } = await this.previewSubject(eventId, documentId, body);
      await checkMedia(eventId, template);
      return renderer().preview(template, record, body.format === 'pdf' ? 'pdf' : 'png');
    },

    /** What the designer's canvas shows for the preview's record: each text element's output and the fonts (render `texts`). */
    async texts(eventId: string, documentId: string, body: z.output<typeof previewRequest>) {
      const { template, record } = await this.previewSubject(eventId, documentId, body);
      return renderer().texts(template, record);
    },

    /** The template (saved, or the draft laid over it) and the record a preview shows. */
    async previewSubject(eventId: string, documentId: string, body: z.output<typeof previewRequest>) {
      let template: RenderTemplate;
      if (body.template) {
        const draft = body.template;
        const base = documentId !== 'draft' ? await findOwn(eventId, documentId) : {};
        const background = 'background' in draft ? await checkBackground(draft.background) : undefined;
        template = { ...base, ...normalise({ mode: 'designer', ...draft }), event: eventId, ...(background !== undefined ? { background } : {}) };
      } else {
        if (documentId === 'draft') throw certifyError.validation('template is required to preview a draft', { field: 'template' });
        template = await findOwn(eventId, documentId);
      }
      let record: StoredRecord | null;
      if (body.recordId) {
        record = (await strapi.documents(UID.record).findOne({ documentId: body.recordId })) as StoredRecord | null;
        if (!record || record.event !== eventId) {
          throw certifyError.validation(`record ${body.recordId} does not exist in this event`, { field: 'recordId' });
        }
      } else {
        record = (await strapi.documents(UID.record).findFirst({ filters: { event: eventId }, sort: [{ createdAt: 'asc' }] })) as StoredRecord | null;
      }
      return { template, record };
    },

    /** Creates the demo template for an event, uploading the demo background once. */
    async createDemo(eventId: string, name = 'Finisher certificate') {
      let file: MediaFile | null = await strapi.db.query('plugin::upload.file').findOne({ where: { name: 'certify-demo-background.jpg' } });
      if (!file) {
        const tmp = path.join(os.tmpdir(), `certify-demo-${process.pid}-${Date.now()}.jpg`);
        fs.copyFileSync(path.join(assetsDir(), 'demo-background.jpg'), tmp);
        try {
          const [uploaded]: MediaFile[] = await strapi.plugin('upload').service('upload').upload({
            data: { fileInfo: { name: 'certify-demo-background.jpg', alternativeText: 'Certify demo background' } },
            files: { filepath: tmp, originalFilename: 'certify-demo-background.jpg', mimetype: 'image/jpeg', size: fs.statSync(tmp).size },
          });
          file = uploaded;
        } finally {
          fs.rmSync(tmp, { force: true });
        }
      }
      return this.create(eventId, parseOrThrow(templateInput, { name, design: demoDesign(), background: file.id, isDefault: true }));
    },
  };
};

export type TemplatesService = ReturnType<typeof templates>;
export default templates;
