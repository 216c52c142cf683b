/**
 * Probes and the Prometheus scrape. `auth: false`: orchestrators call them without a Strapi user;
 * the metrics controller checks its own bearer token (certify.metrics.token).
 */
const open = (path: string, handler: string) => ({
  method: 'GET' as const,
  path,
  handler,
  config: { auth: false as const, policies: [] as string[] },
});

export default [open('/health/live', 'ops.live'), open('/health/ready', 'ops.ready'), open('/metrics', 'ops.metrics')];
