import { ACTION_IDS, type CertifyAction } from '../../../shared/permissions';

/**
 * Policies of an admin route: authenticated admin, RBAC action(s), and (for event routes) the
 * event gate: the admin may act on the event's organisation with those actions, and its plan
 * includes Certify.
 */
export const adminPolicies = (actions: CertifyAction[], { event = true } = {}) => [
  'admin::isAuthenticatedAdmin',
  { name: 'plugin::certify.can', config: { actions } },
  ...(event ? [{ name: 'plugin::certify.plan', config: { actions } }] : []),
];

/** Admin route helper: `route('GET', '/events/:eventId/x', 'ctrl.action', [ACTION_IDS.read])`. */
export const adminRoute = (
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  handler: string,
  actions: CertifyAction[],
  opts: { event?: boolean } = {}
) => ({
  method,
  path,
  handler,
  config: { policies: adminPolicies(actions, { event: opts.event ?? path.includes(':eventId') }) },
});

export { ACTION_IDS };
