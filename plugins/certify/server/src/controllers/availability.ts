import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { z } from 'zod';
import { offlineRequest, revokeRequest } from '../../../shared/contracts/availability';
import { certifyError, getService } from '../utils';

type EventContext = Context & { state: { certifyEvent: { documentId: string } }; params: Record<string, string>; request: Context['request'] & { body?: unknown } };

const parse = <S extends z.ZodType>(schema: S, input: unknown): z.infer<S> => {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw certifyError.validation(problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; '), { problems });
};

/** Revoking and reinstating certificates, taking an event's certificates offline and back. */
const availability = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'availability');
  return {
    async state(ctx: EventContext) {
      ctx.body = { data: await service().state(ctx.state.certifyEvent.documentId) };
    },
    async revoke(ctx: EventContext) {
      const { reason } = parse(revokeRequest, ctx.request.body);
      ctx.body = { data: await service().revoke(ctx.state.certifyEvent.documentId, ctx.params.id, reason) };
    },
    async reinstate(ctx: EventContext) {
      ctx.body = { data: await service().reinstate(ctx.state.certifyEvent.documentId, ctx.params.id) };
    },
    async offline(ctx: EventContext) {
      const { reason } = parse(offlineRequest, ctx.request.body);
      ctx.body = { data: await service().takeOffline(ctx.state.certifyEvent.documentId, reason) };
    },
    async online(ctx: EventContext) {
      ctx.body = { data: await service().bringOnline(ctx.state.certifyEvent.documentId) };
    },
  };
};

export default availability;
