/**
 * Timing partners push results with a per-source token. `auth: false` because the caller is not a
 * Strapi user: the controller checks the source token itself, then the event's plan.
 */
export default [
  {
    method: 'POST',
    path: '/sources/:sourceId/push',
    handler: 'proxy.push',
    config: { auth: false, policies: [] as string[] },
  },
];
