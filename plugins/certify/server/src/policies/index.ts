import type { Core } from '@strapi/strapi';
import { eventParams } from '../../../shared/contracts/common';
import { getService, parseOrThrow } from '../utils';
import type { PolicyContext } from '../utils/context';

/**
 * `plugin::certify.plan`: the route's event (`:eventId`, a documentId) must exist and its
 * organisation's plan must include Certify. Throws 404 / 403 CERTIFY_PLAN_REQUIRED, and leaves
 * the resolved event on `ctx.state.certifyEvent` for the controller.
 */
const plan = async (policyContext: PolicyContext, _config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const { eventId } = parseOrThrow(eventParams, policyContext.params);
  policyContext.state.certifyEvent = await getService(strapi, 'events').requireEnabled(eventId);
  return true;
};

export default { plan };
