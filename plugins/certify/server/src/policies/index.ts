import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

/**
 * `plugin::certify.plan`: the route's event (`:eventId`, a documentId) must exist and its
 * organisation's plan must include Certify. Throws 404 / 403 CERTIFY_PLAN_REQUIRED, and leaves
 * the resolved event on `ctx.state.certifyEvent` for the controller.
 */
const plan = async (policyContext: any, _config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const eventId = policyContext.params?.eventId;
  const event = await getService(strapi, 'events').requireEnabled(eventId);
  policyContext.state.certifyEvent = event;
  return true;
};

export default { plan };
