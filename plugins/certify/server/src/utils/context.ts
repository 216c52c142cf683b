import type { Core } from '@strapi/strapi';
import type { z } from 'zod';
import { itemParams } from '../../../shared/contracts/common';
import { parseOrThrow } from './index';
import type { EventView } from '../../../shared/contracts/events';
import type { StoredSource } from '../services/sources';
import type { AdminState } from '../services/access';

/** Strapi's request context: koa's, whose index signature leaves every undeclared property untyped. */
type KoaContext = Parameters<Core.ControllerHandler>[0];

/** What the plugin's policy and middleware leave on `ctx.state` for the controllers. */
export interface CertifyState extends AdminState {
  /** The route's event, resolved and plan-checked by `plugin::certify.plan`. */
  certifyEvent?: EventView;
  /** A proxy push's raw bytes and Content-Type, read before strapi::body (middlewares/push-body). */
  certifyPushBody?: Buffer;
  certifyPushType?: string;
  /** The proxy source whose token the push-body reader checked before reading the body. */
  certifyPushSource?: StoredSource | null;
}

/**
 * The parts of the request context the controllers use, named one by one so nothing falls back to
 * koa's index signature: route params, query and body stay unknown until parsed with a shared schema.
 */
export interface RequestContext extends Pick<KoaContext, 'query' | 'get' | 'set' | 'vary' | 'acceptsLanguages' | 'status' | 'type' | 'body' | 'length' | 'redirect'> {
  /** Set by the router; optional because Strapi's handler typings (koa's context) do not declare it. */
  params?: Record<string, string | undefined>;
  state: CertifyState;
  request: { body?: unknown; files?: KoaContext['request']['files'] };
}

/** A policy's context (Strapi's `PolicyContext` leaves params and state undeclared). */
export type PolicyContext = Core.PolicyContext & Pick<RequestContext, 'params' | 'state'>;

/** The event of an `:eventId` route. */
export const routeEvent = (ctx: Pick<RequestContext, 'state'>): EventView => {
  const event = ctx.state.certifyEvent;
  // Only a route declared without the plan policy gets here without one: a bug, not bad input.
  if (!event) throw new Error('[certify] this route has no plugin::certify.plan policy to resolve its event');
  return event;
};

/** A service owning one kind of item of an event (sources, records): create, update and remove by id. */
interface EventItems<Input, Patch> {
  create(eventId: string, input: Input): Promise<unknown>;
  update(eventId: string, id: string, patch: Patch): Promise<unknown>;
  remove(eventId: string, id: string): Promise<unknown>;
}

/**
 * The create/update/remove actions of an event's items (`/events/:eventId/<items>[/:id]`): body
 * parsed with the item's shared schemas, answers `{ data }` (201 on create).
 */
export const eventItemActions = <I extends z.ZodType, P extends z.ZodType>(
  service: () => EventItems<z.output<I>, z.output<P>>,
  schemas: { input: I; patch: P }
) => {
  const eventId = (ctx: RequestContext): string => routeEvent(ctx).documentId;
  const itemId = (ctx: RequestContext): string => parseOrThrow(itemParams, ctx.params).id;
  const actions = {
    async create(ctx: RequestContext) {
      const input = parseOrThrow(schemas.input, ctx.request.body);
      ctx.status = 201;
      ctx.body = { data: await service().create(eventId(ctx), input) };
    },
    async update(ctx: RequestContext) {
      ctx.body = { data: await service().update(eventId(ctx), itemId(ctx), parseOrThrow(schemas.patch, ctx.request.body)) };
    },
    async remove(ctx: RequestContext) {
      ctx.body = { data: await service().remove(eventId(ctx), itemId(ctx)) };
    },
  };
  return { eventId, itemId, actions };
};
