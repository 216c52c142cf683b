import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import type { DesignDocument, TemplateRules } from '../../../../shared/contracts/templates';
import { UID } from '../../constants';
import { certifyError, getService } from '../../utils';
import { sha256, stableStringify } from '../../utils/hash';
import { parseOrThrow } from '../records';
import { fileKey, type MediaFile } from '../render/assets';
import { assetsDir } from '../render';

/** Bumped when the renderer's output changes for the same template (so certificates re-render). */
export const RENDER_VERSION = 1;

const rulesSchema = z.object({
  match: z.enum(['all', 'any']).default('all'),
  conditions: z
    .array(
      z.object({
        field: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)?$/, 'rule field must be a field name like "category" or "extra.distance"'),
        op: z.enum(['eq', 'neq', 'in', 'notIn', 'exists', 'gte', 'lte']),
        value: z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]).optional(),
      })
    )
    .max(50),
});

const fileRef = z.union([z.number().int().positive(), z.string().regex(/^[A-Za-z0-9]{1,64}$/), z.object({ id: z.number().int().positive() }).passthrough()]);

export const templateInput = z.object({
  name: z.string().trim().min(1, 'name is required').max(200),
  purpose: z.string().trim().max(64).default('finisher'),
  pageSize: z.enum(['A4', 'Letter', 'A5', 'custom']).default('A4'),
  orientation: z.enum(['landscape', 'portrait']).default('landscape'),
  widthMm: z.coerce.number().positive().max(2000).nullish(),
  heightMm: z.coerce.number().positive().max(2000).nullish(),
  mode: z.enum(['designer', 'html']).default('designer'),
  design: z.record(z.string(), z.unknown()).nullish(),
  html: z.string().max(500_000).nullish(),
  css: z.string().max(500_000).nullish(),
  rules: rulesSchema.nullish(),
  priority: z.coerce.number().int().default(0),
  isDefault: z.boolean().default(false),
  background: fileRef.nullish(),
});
const templateUpdate = templateInput.partial();

type Template = Record<string, any>;

const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));

/** Content hash of a template and its assets: what its certificates look like, nothing else. */
export const templateHash = (t: Template): string => {
  const bg = t.background;
  const background = bg && typeof bg === 'object' ? (bg.url ? fileKey(bg as MediaFile) : `id:${bg.id}`) : bg ? `id:${bg}` : null;
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

const fieldValue = (record: Template, field: string) => {
  const [head, sub] = field.split('.');
  const value = record[head];
  return sub !== undefined ? (value && typeof value === 'object' ? value[sub] : undefined) : value;
};

const matches = (rules: TemplateRules, record: Template) => {
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
  return rules.match === 'any' ? rules.conditions.some(test) : rules.conditions.every(test);
};

const hasRules = (t: Template) => Array.isArray(t.rules?.conditions) && t.rules.conditions.length > 0;
const byPriority = (a: Template, b: Template) => (Number(b.priority) || 0) - (Number(a.priority) || 0);

/** The template a record gets: its own override, then the first matching rules, then the default. */
export const pickTemplate = <T extends Template>(templates: T[], record: Template): T | null => {
  const override = record.template && typeof record.template === 'object' ? record.template.documentId : record.template;
  if (override) {
    const own = templates.find((t) => t.documentId === override);
    if (own) return own;
  }
  const ruled = templates.filter(hasRules).sort(byPriority);
  const hit = ruled.find((t) => matches(t.rules as TemplateRules, record));
  if (hit) return hit;
  const plain = templates.filter((t) => !hasRules(t)).sort(byPriority);
  return plain.find((t) => t.isDefault) ?? templates.filter((t) => t.isDefault).sort(byPriority)[0] ?? plain[0] ?? null;
};

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
    { id: 'time', type: 'text', text: 'finished in {{formatTime finishTime}}', x: 28.5, y: 106, width: 240, height: 12, fontSize: 22, color: '#1f3a5f' },
    { id: 'rank', type: 'text', text: '{{ordinal rankOverall}} overall · {{ordinal rankCategory}} in {{default category "the open category"}}', x: 28.5, y: 121, width: 240, height: 10, fontSize: 15, color: '#333333' },
    { id: 'bib', type: 'text', text: 'Bib {{bib}}', x: 28.5, y: 134, width: 240, height: 8, fontSize: 12, color: '#5b4a2e', fontFamily: 'Inter' },
    { id: 'qr', type: 'qr', x: 28, y: 160, width: 26, height: 26 },
    { id: 'verify', type: 'text', text: 'Scan to verify', x: 58, y: 176, width: 60, height: 8, fontSize: 9, color: '#5b4a2e', align: 'left', fontFamily: 'Inter' },
  ],
});

/** Certificate templates of an event. */
const templates = ({ strapi }: { strapi: Core.Strapi }) => {
  const renderer = () => getService(strapi, 'render');

  const findOwn = async (eventId: string, documentId: string) => {
    const t = await strapi.documents(UID.template).findOne({ documentId, populate: { background: true } });
    if (!t || (t as Template).event !== eventId) {
      throw new errors.NotFoundError(`Template ${documentId} does not exist in this event.`, { code: 'CERTIFY_TEMPLATE_NOT_FOUND', templateId: documentId });
    }
    return t as Template;
  };

  const checkBackground = async (ref: unknown) => {
    if (ref === null || ref === undefined) return null;
    const id = typeof ref === 'object' ? (ref as { id: number }).id : ref;
    const where = typeof id === 'number' || /^\d+$/.test(String(id)) ? { id: Number(id) } : { documentId: String(id) };
    const file = await strapi.db.query('plugin::upload.file').findOne({ where });
    if (!file) throw certifyError.validation(`background: media file ${id} does not exist; upload the image to the media library first`, { field: 'background' });
    if (!String(file.mime ?? '').startsWith('image/')) throw certifyError.validation(`background: "${file.name}" is not an image (${file.mime})`, { field: 'background' });
    return file as MediaFile & { id: number };
  };

  /** Validates the whole template as it will be stored: schema, design, Handlebars, fonts. */
  const validate = async (data: Template) => {
    if (data.pageSize === 'custom' && !(Number(data.widthMm) > 0 && Number(data.heightMm) > 0)) {
      throw certifyError.validation('widthMm and heightMm are required (in millimetres) for a custom page size', { field: 'widthMm' });
    }
    await renderer().check({ ...data, background: null });
  };

  const normalise = (data: Template) => {
    const out: Template = { ...data };
    if (out.mode === 'designer' && !out.design) out.design = { version: 1, elements: [] };
    return out;
  };

  return {
    hash: templateHash,
    pickTemplate,
    demoDesign,

    async list(eventId: string) {
      return strapi.documents(UID.template).findMany({
        filters: { event: eventId },
        sort: [{ priority: 'desc' }, { createdAt: 'asc' }],
        populate: { background: true },
      });
    },

    async findOne(eventId: string, documentId: string) {
      return findOwn(eventId, documentId);
    },

    async create(eventId: string, input: unknown) {
      const data = normalise(parseOrThrow(templateInput, input));
      await validate(data);
      const background = await checkBackground(data.background);
      // One write with its hash: the Document Service middleware sees one change, not two.
      const created = await strapi.documents(UID.template).create({
        data: { ...data, background: background?.id ?? null, hash: templateHash({ ...data, background }), event: eventId, version: 1 } as any,
        populate: { background: true },
      });
      return created as Template;
    },

    async update(eventId: string, documentId: string, input: unknown) {
      const existing = await findOwn(eventId, documentId);
      const patch = parseOrThrow(templateUpdate, input);
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
      const saved = await strapi.documents(UID.template).update({
        documentId,
        data: { ...merged, background: background?.id ?? null, hash: templateHash({ ...merged, background }), version: (Number(existing.version) || 1) + 1 } as any,
        populate: { background: true },
      });
      return saved as Template;
    },

    async delete(eventId: string, documentId: string) {
      await findOwn(eventId, documentId);
      // Records pinned to this template lose the relation with it and fall back to rules/default.
      await strapi.documents(UID.template).delete({ documentId });
      return { documentId };
    },

    /** Preview bytes for a saved template, or for an unsaved draft (`id` "draft" or a body `template`). */
    async preview(eventId: string, documentId: string, input: unknown) {
      const body = parseOrThrow(
        z.object({ recordId: z.string().max(64).nullish(), format: z.enum(['png', 'pdf']).default('png'), template: z.record(z.string(), z.unknown()).nullish() }),
        input ?? {}
      );
      let template: Template;
      if (body.template) {
        const base = documentId !== 'draft' ? await findOwn(eventId, documentId) : {};
        const draft = parseOrThrow(templateInput.partial(), body.template);
        template = { ...base, ...normalise({ mode: 'designer', ...draft }), event: eventId };
        if ('background' in draft) {
          const id = await checkBackground(draft.background);
          template.background = id;
        }
      } else {
        if (documentId === 'draft') throw certifyError.validation('template is required to preview a draft', { field: 'template' });
        template = await findOwn(eventId, documentId);
      }
      let record = null;
      if (body.recordId) {
        record = await strapi.documents(UID.record).findOne({ documentId: body.recordId });
        if (!record || (record as Template).event !== eventId) {
          throw certifyError.validation(`record ${body.recordId} does not exist in this event`, { field: 'recordId' });
        }
      } else {
        record = await strapi.documents(UID.record).findFirst({ filters: { event: eventId }, sort: [{ createdAt: 'asc' }] });
      }
      return renderer().preview(template as any, record as Template | null, body.format);
    },

    /** Creates the demo template for an event, uploading the demo background once. */
    async createDemo(eventId: string, name = 'Finisher certificate') {
      let file = await strapi.db.query('plugin::upload.file').findOne({ where: { name: 'certify-demo-background.jpg' } });
      if (!file) {
        const tmp = path.join(os.tmpdir(), `certify-demo-${process.pid}-${Date.now()}.jpg`);
        fs.copyFileSync(path.join(assetsDir(), 'demo-background.jpg'), tmp);
        try {
          const [uploaded] = await strapi.plugin('upload').service('upload').upload({
            data: { fileInfo: { name: 'certify-demo-background.jpg', alternativeText: 'Certify demo background' } },
            files: { filepath: tmp, originalFilename: 'certify-demo-background.jpg', mimetype: 'image/jpeg', size: fs.statSync(tmp).size },
          });
          file = uploaded;
        } finally {
          fs.rmSync(tmp, { force: true });
        }
      }
      return this.create(eventId, { name, design: demoDesign(), background: file.id, isDefault: true });
    },
  };
};

export type TemplatesService = ReturnType<typeof templates>;
export default templates;
