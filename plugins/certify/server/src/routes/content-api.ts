/**
 * Public routes. `auth: false`: participants, timing partners and orchestrators are not Strapi
 * users. The finder and certificate routes apply the plan gate and what is public inside the
 * participant service (by slug or verification code); the push checks its source token (before
 * the body is read, middlewares/push-body.ts); the metrics controller checks its own bearer token;
 * a download checks its signed link (services/publish/zip.ts) and the event's plan; font files
 * are the plugin's bundled open-licence fonts.
 */
type Route = [method: 'GET' | 'POST', path: string, handler: string, policies?: string[]];

const table: Route[] = [
  ['GET', '/events/:eventId/status', 'participant.status', ['plugin::certify.plan']],
  ['GET', '/events/:slug/certificates', 'participant.find'],
  ['GET', '/certificates/:code', 'participant.verify'],
  ['GET', '/certificates/:code/pdf', 'participant.pdf'],
  ['GET', '/certificates/:code/image', 'participant.image'],
  ['GET', '/downloads/:token', 'publish.download'],
  // The built-in fonts (open licences), for the designer canvas's @font-face rules: a stylesheet's
  // font requests carry no admin token.
  ['GET', '/fonts/:pkg/:file', 'templates.fontFile'],
  ['POST', '/sources/:sourceId/push', 'proxy.push'],
  ['GET', '/health/live', 'ops.live'],
  ['GET', '/health/ready', 'ops.ready'],
  ['GET', '/metrics', 'ops.metrics'],
];

export default {
  type: 'content-api',
  routes: table.map(([method, path, handler, policies = []]) => ({ method, path, handler, config: { auth: false as const, policies } })),
};
