import type { Core } from '@strapi/strapi';
import { itemParams } from '../../../shared/contracts/common';
import type { EventView } from '../../../shared/contracts/events';
import {
  downloadParams,
  preflightQuery,
  publishRequest,
  publishSelection,
  runParams,
  zipQuery,
  type PublishRequest,
  type ZipLink,
} from '../../../shared/contracts/publish';
import { ERROR_CODES } from '../../../shared/errors';
import { certifyError, getService, parseOrThrow, publicBaseUrl } from '../utils';
import { routeEvent, type RequestContext } from '../utils/context';
import { streamZip, zipEntries, zipLength, zipLinks } from '../services/publish/zip';
import { readableName, safeName } from '../services/publish/keys';
import { PLUGIN_ID, UID } from '../constants';

/** Sends the event's archive: exact Content-Length when known, a file name in the event's own letters. */
const sendZip = async (strapi: Core.Strapi, ctx: RequestContext, event: EventView, category?: string) => {
  const entries = await zipEntries(strapi, event.documentId, category);
  const stem = `${event.slug ?? event.name}${category ? `-${category}` : ''}-certificates`;
  ctx.set('Content-Type', 'application/zip');
  ctx.set(
    'Content-Disposition',
    `attachment; filename="${safeName(stem, 120)}.zip"; filename*=UTF-8''${encodeURIComponent(`${readableName(stem, 120)}.zip`)}`
  );
  ctx.set('Cache-Control', 'no-store');
  const length = zipLength(entries);
  ctx.body = streamZip(strapi, entries, `event ${event.documentId}`);
  if (length !== null) ctx.length = length;
};

const publish = ({ strapi }: { strapi: Core.Strapi }) => ({
  async summary(ctx: RequestContext) {
    ctx.body = { data: await getService(strapi, 'publish').summary(routeEvent(ctx).documentId) };
  },

  /** Pre-flight of the whole event, or of the selection a publish with `only` would cover. */
  async preflight(ctx: RequestContext) {
    const q = parseOrThrow(preflightQuery, ctx.query);
    const list = (v: string | undefined) => (v ? [...new Set(v.split(/[\s,;]+/).filter(Boolean))] : undefined);
    const selection = { recordIds: list(q.recordIds), bibs: list(q.bibs), category: q.category };
    const only = selection.recordIds || selection.bibs || selection.category ? parseOrThrow(publishSelection, selection) : undefined;
    ctx.body = { data: await getService(strapi, 'publish').preflight(routeEvent(ctx).documentId, { only, limit: q.limit }) };
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

  /** The archive itself, for integrators with an admin token (the admin uses a link, below). */
  async zip(ctx: RequestContext) {
    const event = routeEvent(ctx);
    await sendZip(strapi, ctx, event, parseOrThrow(zipQuery, ctx.query).category || undefined);
  },

  /** A short-lived link the browser downloads the archive from by itself (no token, no page memory). */
  async zipLink(ctx: RequestContext) {
    const event = routeEvent(ctx);
    const category = parseOrThrow(zipQuery, ctx.request.body ?? {}).category || undefined;
    const entries = await zipEntries(strapi, event.documentId, category);
    const { token, expiresAt } = zipLinks(strapi).create({ eventId: event.documentId, category });
    const data: ZipLink = {
      url: `${publicBaseUrl(strapi)}/api/${PLUGIN_ID}/downloads/${token}`,
      expiresAt,
      certificates: entries.length,
      bytes: zipLength(entries),
    };
    ctx.body = { data };
  },

  /** GET /api/certify/downloads/:token — a link made by `zipLink`, for the event it names while it is valid. */
  async download(ctx: RequestContext) {
    const grant = zipLinks(strapi).verify(parseOrThrow(downloadParams, ctx.params).token);
    if (!grant) {
      throw certifyError.notFound(ERROR_CODES.downloadNotFound, 'This download link is not valid or has expired: ask for a new one in the Publish tab.');
    }
    // The plan is checked again: a link does not outlive a downgrade.
    const event = await getService(strapi, 'events').requireEnabled(grant.eventId);
    await sendZip(strapi, ctx, event, grant.category);
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
