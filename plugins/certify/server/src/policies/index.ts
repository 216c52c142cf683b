import type { Core } from '@strapi/strapi';
import { eventParams } from '../../../shared/contracts/common';
import type { CertifyAction } from '../../../shared/permissions';
import { getService, parseOrThrow } from '../utils';
import type { PolicyContext } from '../utils/context';

/**
 * `plugin::certify.plan`: the route's event (`:eventId`, a documentId) must exist, the admin must
 * be allowed to act on it (on admin routes, whose config names the route's RBAC `actions`: the
 * organisation condition, see services/access) and its organisation's plan must include Certify.
 * Throws 404, 403 CERTIFY_ORGANISATION_FORBIDDEN or 403 CERTIFY_PLAN_REQUIRED, and leaves the
 * resolved event on `ctx.state.certifyEvent` for the controller.
 */
const plan = async (policyContext: PolicyContext, config: { actions?: CertifyAction[] } | undefined, { strapi }: { strapi: Core.Strapi }) => {
  const { eventId } = parseOrThrow(eventParams, policyContext.params);
  const events = getService(strapi, 'events');
  const event = await events.require(eventId);
  // Membership first: someone else's event tells a non-member nothing about its plan.
  if (config?.actions) getService(strapi, 'access').assertEvent(policyContext.state, config.actions, event);
  events.assertEnabled(event);
  policyContext.state.certifyEvent = event;
  return true;
};

export default { plan };
