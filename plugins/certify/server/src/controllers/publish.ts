import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { getService } from '../utils';
import { parseOrThrow } from '../services/records';
import { streamCertificatesZip } from '../services/publish/zip';
import { safeName } from '../services/publish/keys';
import { certifyError } from '../utils';
import { ERROR_CODES } from '../../../shared/errors';
import { UID } from '../constants';

const publishInput = z
  .object({
    email: z.boolean().optional(),
    emailSubject: z.string().max(250).optional(),
    emailBody: z.string().max(20_000).optional(),
    attach: z.boolean().optional(),
  })
  .strict();

const publish = ({ strapi }: { strapi: Core.Strapi }) => ({
  async summary(ctx: any) {
    ctx.body = { data: await getService(strapi, 'publish').summary(ctx.state.certifyEvent.documentId) };
  },

  async start(ctx: any) {
    const input = parseOrThrow(publishInput, ctx.request.body ?? {});
    const { run, joined } = await getService(strapi, 'publish').start(ctx.state.certifyEvent.documentId, input);
    ctx.status = joined ? 200 : 201;
    ctx.body = {
      data: run,
      joined,
      message: joined
        ? 'A publish run for this event was already in progress: this request joined it instead of starting another.'
        : `Publishing ${run.total} certificate(s).`,
    };
  },

  async current(ctx: any) {
    ctx.body = { data: await getService(strapi, 'publish').current(ctx.state.certifyEvent.documentId) };
  },

  async retryFailed(ctx: any) {
    const { run, joined } = await getService(strapi, 'publish').retryFailed(ctx.state.certifyEvent.documentId);
    ctx.status = joined ? 200 : 201;
    ctx.body = { data: run, joined };
  },

  async cancel(ctx: any) {
    ctx.body = { data: await getService(strapi, 'publish').cancel(ctx.state.certifyEvent.documentId, ctx.params.runId) };
  },

  async zip(ctx: any) {
    const event = ctx.state.certifyEvent;
    const category = typeof ctx.query.category === 'string' && ctx.query.category ? ctx.query.category : undefined;
    const name = `${safeName(event.slug ?? event.name)}${category ? `-${safeName(category)}` : ''}-certificates.zip`;
    ctx.set('Content-Type', 'application/zip');
    ctx.set('Content-Disposition', `attachment; filename="${name}"`);
    ctx.body = streamCertificatesZip(strapi, event.documentId, category);
  },

  async email(ctx: any) {
    const eventId = ctx.state.certifyEvent.documentId;
    const record = await strapi.db.query(UID.record).findOne({ where: { documentId: ctx.params.id, event: eventId } });
    if (!record) throw certifyError.notFound(ERROR_CODES.eventNotFound, `Record "${ctx.params.id}" was not found in this event.`);
    const run = await getService(strapi, 'publish').current(eventId);
    const opts = (run && (await strapi.db.query(UID.publishRun).findOne({ where: { documentId: run.documentId } }))?.options) || {};
    const outcome = await getService(strapi, 'delivery').send(record.documentId, {
      subject: opts.emailSubject,
      body: opts.emailBody,
      attach: opts.attach,
    });
    ctx.body = { data: outcome };
  },
});

export default publish;
