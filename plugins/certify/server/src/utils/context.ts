import type { Core } from '@strapi/strapi';
import type { EventView } from '../../../shared/contracts/events';
import type { StoredSource } from '../services/sources';

/** Strapi's request context: koa's, whose index signature leaves every undeclared property untyped. */
type KoaContext = Parameters<Core.ControllerHandler>[0];

/** What the plugin's policy and middleware leave on `ctx.state` for the controllers. */
export interface CertifyState {
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
export interface RequestContext extends Pick<KoaContext, 'query' | 'get' | 'set' | 'status' | 'type' | 'body' | 'redirect'> {
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
