import type { Core } from '@strapi/strapi';
import { getService } from '../utils';
import { finderQuery } from '../../../shared/contracts/finder';
import { parseOrThrow } from '../services/records';

const participant = ({ strapi }: { strapi: Core.Strapi }) => ({
  async status(ctx: any) {
    const event = ctx.state.certifyEvent;
    const state = await getService(strapi, 'setup').state(event.documentId);
    ctx.body = { data: { event: { name: event.name, slug: event.slug }, published: state.counts.published } };
  },

  async find(ctx: any) {
    const { pagination, ...data } = await getService(strapi, 'participant').find(ctx.params.slug, parseOrThrow(finderQuery, ctx.query ?? {}));
    ctx.body = { data, meta: { pagination } };
  },

  async verify(ctx: any) {
    const { certificate } = await getService(strapi, 'participant').byCode(ctx.params.code);
    ctx.body = { data: certificate };
  },

  async pdf(ctx: any) {
    await sendFile(strapi, ctx, 'pdf');
  },

  async image(ctx: any) {
    await sendFile(strapi, ctx, 'shareImage');
  },
});

async function sendFile(strapi: Core.Strapi, ctx: any, field: 'pdf' | 'shareImage') {
  const { record } = await getService(strapi, 'participant').byCode(ctx.params.code);
  const file = record[field];
  if (!file) return ctx.notFound('This certificate has no share image.');
  const safeBib = String(record.bib).replace(/[^A-Za-z0-9-]/g, '_');
  ctx.set('Content-Type', file.mime);
  ctx.set('Content-Disposition', `${field === 'pdf' ? 'attachment' : 'inline'}; filename="certificate-${safeBib}${file.ext ?? ''}"`);
  ctx.set('Cache-Control', 'private, max-age=300');
  ctx.body = await getService(strapi, 'media').open(file);
}

export default participant;
