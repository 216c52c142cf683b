import { promises as fs } from 'node:fs';
import type { Core } from '@strapi/strapi';
import { importCommitRequest, importParams, importPreviewRequest } from '../../../shared/contracts/import';
import { bulkDeleteRequest, recordInput, recordListQuery, recordPatch } from '../../../shared/contracts/records';
import { certifyError, getConfig, getService, parseOrThrow } from '../utils';
import { eventItemActions, routeEvent, type RequestContext } from '../utils/context';

const records = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'records');
  const { eventId, actions } = eventItemActions(service, { input: recordInput, patch: recordPatch });

  /** The uploaded results file: multipart `file`, or the JSON body's `csv` text or `records` array. */
  const importBytes = async (ctx: RequestContext, body: { csv?: string; records?: unknown[] }): Promise<Buffer> => {
    const upload = ctx.request.files?.file;
    const file = Array.isArray(upload) ? upload[0] : upload;
    if (file) {
      const { maxBytes } = getConfig(strapi).import;
      // Checked before reading, so an oversized upload is never loaded into memory.
      if (file.size > maxBytes) {
        throw certifyError.validation(
          `The file is ${(file.size / 1048576).toFixed(1)} MB, over the import limit of ${(maxBytes / 1048576).toFixed(1)} MB: split it into smaller files.`,
          { limit: 'import.maxBytes', maxBytes, size: file.size }
        );
      }
      return fs.readFile(file.filepath);
    }
    if (body.csv !== undefined) return Buffer.from(body.csv, 'utf8');
    if (body.records !== undefined) return Buffer.from(JSON.stringify(body.records), 'utf8');
    throw certifyError.validation('Send the results file as multipart field "file", or JSON { "csv": "<file contents>" }.');
  };

  return {
    async list(ctx: RequestContext) {
      ctx.body = await service().list(eventId(ctx), parseOrThrow(recordListQuery, ctx.query));
    },

    ...actions,

    async bulkDelete(ctx: RequestContext) {
      const { ids } = parseOrThrow(bulkDeleteRequest, ctx.request.body);
      ctx.body = { data: await service().bulkDelete(eventId(ctx), ids) };
    },

    async exportCsv(ctx: RequestContext) {
      const slug = routeEvent(ctx).slug || eventId(ctx);
      ctx.set('Content-Type', 'text/csv; charset=utf-8');
      ctx.set('Content-Disposition', `attachment; filename="records-${slug.replace(/[^\w.-]+/g, '-')}.csv"`);
      ctx.body = await service().exportCsv(eventId(ctx));
    },

    /** Dry run: multipart `file` (+ optional sourceId, mapping, nameOrder, handEdited, format) or JSON { csv | records, … }. */
    async importPreview(ctx: RequestContext) {
      const body = parseOrThrow(importPreviewRequest, ctx.request.body ?? {});
      const buffer = await importBytes(ctx, body);
      ctx.body = {
        data: await getService(strapi, 'import').preview(eventId(ctx), {
          buffer,
          sourceId: body.sourceId ?? null,
          mapping: body.mapping ?? null,
          nameOrder: body.nameOrder ?? null,
          handEdited: body.handEdited ?? null,
          format: body.format,
        }),
      };
    },

    async importCommit(ctx: RequestContext) {
      const { importId } = parseOrThrow(importParams, ctx.params);
      const { mapping, nameOrder, handEdited } = parseOrThrow(importCommitRequest, ctx.request.body ?? {});
      ctx.body = {
        data: await getService(strapi, 'import').commit(eventId(ctx), importId, { mapping: mapping ?? null, nameOrder: nameOrder ?? null, handEdited: handEdited ?? null }),
      };
    },
  };
};

export default records;
