import { promises as fs } from 'node:fs';
import type { Core } from '@strapi/strapi';
import { nameOrderSchema } from '../../../shared/contracts/mapping';
import { certifyError, getConfig, getService } from '../utils';

const eventId = (ctx: any): string => ctx.state.certifyEvent.documentId;

const parseMapping = (raw: unknown) => {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw === 'object') return raw as Record<string, string>;
  try {
    return JSON.parse(String(raw));
  } catch {
    throw certifyError.validation('mapping must be a JSON object of record field → column header, e.g. {"bib":"Bib"}');
  }
};

const parseNameOrder = (raw: unknown) => {
  if (raw === undefined || raw === null || raw === '') return null;
  const parsed = nameOrderSchema.safeParse(raw);
  if (!parsed.success) throw certifyError.validation('nameOrder must be "first-last" or "last-first"');
  return parsed.data;
};

const records = ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: any) {
    ctx.body = await getService(strapi, 'records').list(eventId(ctx), ctx.query);
  },

  async create(ctx: any) {
    ctx.status = 201;
    ctx.body = { data: await getService(strapi, 'records').create(eventId(ctx), ctx.request.body) };
  },

  async update(ctx: any) {
    ctx.body = { data: await getService(strapi, 'records').update(eventId(ctx), ctx.params.id, ctx.request.body) };
  },

  async remove(ctx: any) {
    ctx.body = { data: await getService(strapi, 'records').remove(eventId(ctx), ctx.params.id) };
  },

  async bulkDelete(ctx: any) {
    ctx.body = { data: await getService(strapi, 'records').bulkDelete(eventId(ctx), ctx.request.body) };
  },

  async exportCsv(ctx: any) {
    const slug = ctx.state.certifyEvent.slug || eventId(ctx);
    ctx.set('Content-Type', 'text/csv; charset=utf-8');
    ctx.set('Content-Disposition', `attachment; filename="records-${String(slug).replace(/[^\w.-]+/g, '-')}.csv"`);
    ctx.body = await getService(strapi, 'records').exportCsv(eventId(ctx));
  },

  /** Dry run: multipart `file` (+ optional sourceId, mapping) or JSON { csv, sourceId, mapping, format }. */
  async importPreview(ctx: any) {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const upload = ctx.request.files?.file;
    const file = Array.isArray(upload) ? upload[0] : upload;
    let buffer: Buffer;
    if (file) {
      const { maxBytes } = getConfig(strapi).import;
      // Checked before reading, so an oversized upload is never loaded into memory.
      if (file.size > maxBytes) {
        throw certifyError.validation(
          `The file is ${(file.size / 1048576).toFixed(1)} MB, over the import limit of ${(maxBytes / 1048576).toFixed(1)} MB: split it into smaller files.`,
          { limit: 'import.maxBytes', maxBytes, size: file.size }
        );
      }
      buffer = await fs.readFile(file.filepath);
    } else if (typeof body.csv === 'string') {
      buffer = Buffer.from(body.csv, 'utf8');
    } else if (Array.isArray(body.records)) {
      buffer = Buffer.from(JSON.stringify(body.records), 'utf8');
    } else {
      throw certifyError.validation('Send the results file as multipart field "file", or JSON { "csv": "<file contents>" }.');
    }
    const format = ['csv', 'json', 'auto'].includes(String(body.format)) ? (body.format as 'csv' | 'json' | 'auto') : 'auto';
    ctx.body = {
      data: await getService(strapi, 'import').preview(eventId(ctx), {
        buffer,
        sourceId: (body.sourceId as string) || null,
        mapping: parseMapping(body.mapping),
        nameOrder: parseNameOrder(body.nameOrder),
        format,
      }),
    };
  },

  async importCommit(ctx: any) {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    ctx.body = {
      data: await getService(strapi, 'import').commit(eventId(ctx), ctx.params.importId, {
        mapping: parseMapping(body.mapping),
        nameOrder: parseNameOrder(body.nameOrder),
      }),
    };
  },
});

export default records;
