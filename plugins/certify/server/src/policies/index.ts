import type { Core } from '@strapi/strapi';
import { eventParams } from '../../../shared/contracts/common';
import { ACTIONS, type CertifyAction } from '../../../shared/permissions';
import { ERROR_CODES } from '../../../shared/errors';
import { certifyError, getService, parseOrThrow } from '../utils';
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

/**
 * `plugin::certify.can`: the admin's roles grant every RBAC action the route needs. Unlike
 * `admin::hasPermissions` ("Policy Failed"), the 403 names the missing permission, so the admin
 * knows what to ask for.
 */
const can = (policyContext: PolicyContext, config: { actions?: CertifyAction[] } | undefined) => {
  const ability = (policyContext.state as { userAbility?: { can(action: string): boolean } }).userAbility;
  const missing = (config?.actions ?? []).filter((action) => !ability?.can(action));
  if (!missing.length) return true;
  const names = missing.map((action) => {
    const label = ACTIONS.find((a) => `plugin::${a.pluginName}.${a.uid}` === action)?.displayName ?? action;
    return `"${label}" (${action})`;
  });
  throw certifyError.forbidden(
    ERROR_CODES.permissionRequired,
    `This needs the Certify permission ${names.join(' and ')}, which your role does not have: ask an administrator to add it in Settings → Roles → Plugins → Certify.`,
    { actions: missing }
  );
};

export default { plan, can };
