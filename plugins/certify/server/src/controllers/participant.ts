import type { Core } from '@strapi/strapi';
import { certificateParams } from '../../../shared/contracts/publish';
import { finderParams, finderQuery } from '../../../shared/contracts/finder';
import { ERROR_CODES } from '../../../shared/errors';
import { certifyError, getService, parseOrThrow } from '../utils';
import { routeEvent, type RequestContext } from '../utils/context';

const participant = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'participant');

  const sendFile = async (ctx: RequestContext, field: 'pdf' | 'shareImage') => {
    const found = await service().byCode(parseOrThrow(certificateParams, ctx.params).code);
    const record = field === 'shareImage' ? await service().withShareImage(found.record) : found.record;
    const file = record[field];
    if (!file) throw certifyError.notFound(ERROR_CODES.certificateNotFound, 'This certificate has no share image.');
    const safeBib = record.bib.replace(/[^A-Za-z0-9-]/g, '_');
    const type = file.mime ?? 'application/octet-stream';
    const disposition = `${field === 'pdf' ? 'attachment' : 'inline'}; filename="certificate-${safeBib}${file.ext ?? ''}"`;
    const media = getService(strapi, 'media');
    // A private object (S3): a short-lived signed URL, asked for only now that the certificate is
    // known to be public, with the same headers the stream below would have had.
    const signed = await media.signedUrl(file, { ResponseContentType: type, ResponseContentDisposition: disposition });
    if (signed) {
      ctx.set('Cache-Control', 'private, max-age=60');
      ctx.redirect(signed);
      return;
    }
    ctx.set('Content-Type', type);
    ctx.set('Content-Disposition', disposition);
    ctx.set('Cache-Control', 'private, max-age=300');
    ctx.body = await media.open(file);
  };

  return {
    async status(ctx: RequestContext) {
      const event = routeEvent(ctx);
      const state = await getService(strapi, 'setup').state(event.documentId);
      ctx.body = { data: { event: { name: event.name, slug: event.slug }, published: state.counts.published } };
    },

    async find(ctx: RequestContext) {
      const { slug } = parseOrThrow(finderParams, ctx.params);
      const { pagination, ...data } = await service().find(slug, parseOrThrow(finderQuery, ctx.query));
      ctx.body = { data, meta: { pagination } };
    },

    async verify(ctx: RequestContext) {
      const { certificate } = await service().byCode(parseOrThrow(certificateParams, ctx.params).code);
      ctx.body = { data: certificate };
    },

    async pdf(ctx: RequestContext) {
      await sendFile(ctx, 'pdf');
    },

    async image(ctx: RequestContext) {
      await sendFile(ctx, 'shareImage');
    },
  };
};

export default participant;
