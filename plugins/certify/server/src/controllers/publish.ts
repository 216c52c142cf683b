import type { Core } from '@strapi/strapi';
import { itemParams } from '../../../shared/contracts/common';
import { publishRequest, runParams, zipQuery, type PublishRequest } from '../../../shared/contracts/publish';
import { getService, parseOrThrow } from '../utils';
import { routeEvent, type RequestContext } from '../utils/context';
import { streamCertificatesZip } from '../services/publish/zip';
import { safeName } from '../services/publish/keys';
import { UID } from '../constants';

const publish = ({ strapi }: { strapi: Core.Strapi }) => ({
  async summary(ctx: RequestContext) {
    ctx.body = { data: await getService(strapi, 'publish').summary(routeEvent(ctx).documentId) };
  },

  async start(ctx: RequestContext) {
    const input = parseOrThrow(publishRequest, ctx.request.body ?? {});
    const { run, joined, selected } = await getService(strapi, 'publish').start(routeEvent(ctx).documentId, input);
    ctx.status = joined ? 200 : 201;
    const of = selected === undefined ? '' : ` for the ${selected} selected record(s); the others' certificates are up to date`;
    ctx.body = {
      data: run,
      joined,
      message: joined
        ? `A publish run for this event was already in progress: this request joined it instead of starting another${selected === undefined ? '' : ` (with the ${selected} selected record(s))`}.`
        : `Publishing ${run.total} certificate(s)${run.total === selected ? '' : of}.`,
    };
  },

  async current(ctx: RequestContext) {
    ctx.body = { data: await getService(strapi, 'publish').current(routeEvent(ctx).documentId) };
  },

  async retryFailed(ctx: RequestContext) {
    const { run, joined } = await getService(strapi, 'publish').retryFailed(routeEvent(ctx).documentId);
    ctx.status = joined ? 200 : 201;
    ctx.body = { data: run, joined };
  },

  async cancel(ctx: RequestContext) {
    const { runId } = parseOrThrow(runParams, ctx.params);
    ctx.body = { data: await getService(strapi, 'publish').cancel(routeEvent(ctx).documentId, runId) };
  },

  async zip(ctx: RequestContext) {
    const event = routeEvent(ctx);
    const category = parseOrThrow(zipQuery, ctx.query).category || undefined;
    const name = `${safeName(event.slug ?? event.name)}${category ? `-${safeName(category)}` : ''}-certificates.zip`;
    ctx.set('Content-Type', 'application/zip');
    ctx.set('Content-Disposition', `attachment; filename="${name}"`);
    ctx.body = streamCertificatesZip(strapi, event.documentId, category);
  },

  /** Sends one record's certificate email again, with the email options of the event's current run. */
  async email(ctx: RequestContext) {
    const eventId = routeEvent(ctx).documentId;
    const record = await getService(strapi, 'records').findOne(eventId, parseOrThrow(itemParams, ctx.params).id);
    const run = await getService(strapi, 'publish').current(eventId);
    const stored: { options?: PublishRequest | null } | null = run
      ? await strapi.db.query(UID.publishRun).findOne({ where: { documentId: run.documentId }, select: ['options'] })
      : null;
    const opts = stored?.options ?? {};
    const outcome = await getService(strapi, 'delivery').send(record.documentId, {
      subject: opts.emailSubject,
      body: opts.emailBody,
      attach: opts.attach,
    });
    ctx.body = { data: outcome };
  },
});

export default publish;
