import { adminRoute, ACTION_IDS } from './policies';

const { read, design, records, publish, revoke, settings } = ACTION_IDS;

/**
 * Every admin route: method, path, `controller.action` and the RBAC action it needs. Each gets
 * `admin::isAuthenticatedAdmin`, `plugin::certify.can` with that action (a 403 naming it when missing) and, when the path has
 * `:eventId`, the plan gate (see policies.ts).
 */
const table: Array<[Parameters<typeof adminRoute>[0], string, string, (typeof ACTION_IDS)[keyof typeof ACTION_IDS]]> = [
  // events
  ['GET', '/events', 'events.list', read],
  ['GET', '/events/:eventId', 'events.findOne', read],
  ['GET', '/events/:eventId/setup-state', 'events.setupState', read],
  // sources
  ['GET', '/events/:eventId/sources', 'sources.list', read],
  ['POST', '/events/:eventId/sources', 'sources.create', design],
  ['PUT', '/events/:eventId/sources/:id', 'sources.update', design],
  ['DELETE', '/events/:eventId/sources/:id', 'sources.remove', design],
  ['POST', '/events/:eventId/sources/:id/token', 'sources.rotateToken', design],
  ['POST', '/events/:eventId/sources/:id/sync', 'sources.sync', records],
  // templates
  ['GET', '/events/:eventId/templates', 'templates.list', read],
  ['POST', '/events/:eventId/templates', 'templates.create', design],
  ['GET', '/events/:eventId/templates/:id', 'templates.findOne', read],
  ['PUT', '/events/:eventId/templates/:id', 'templates.update', design],
  ['DELETE', '/events/:eventId/templates/:id', 'templates.delete', design],
  // A preview renders whatever design it is sent (a draft): designing, not reading. The saved
  // template as it is (the thumbnails) is reading.
  ['POST', '/events/:eventId/templates/:id/preview', 'templates.preview', design],
  ['GET', '/events/:eventId/templates/:id/preview', 'templates.previewSaved', read],
  ['GET', '/fonts', 'templates.fonts', read],
  // records
  ['GET', '/events/:eventId/records', 'records.list', read],
  ['GET', '/events/:eventId/records/export.csv', 'records.exportCsv', read],
  ['POST', '/events/:eventId/records', 'records.create', records],
  ['POST', '/events/:eventId/records/bulk-delete', 'records.bulkDelete', records],
  ['PUT', '/events/:eventId/records/:id', 'records.update', records],
  ['DELETE', '/events/:eventId/records/:id', 'records.remove', records],
  ['POST', '/events/:eventId/imports', 'records.importPreview', records],
  ['POST', '/events/:eventId/imports/:importId/commit', 'records.importCommit', records],
  // publish
  ['GET', '/events/:eventId/publish/summary', 'publish.summary', read],
  ['GET', '/events/:eventId/publish/preflight', 'publish.preflight', read],
  ['POST', '/events/:eventId/publish', 'publish.start', publish],
  ['POST', '/events/:eventId/publish/retry-failed', 'publish.retryFailed', publish],
  ['GET', '/events/:eventId/publish/runs/current', 'publish.current', read],
  ['POST', '/events/:eventId/publish/runs/:runId/cancel', 'publish.cancel', publish],
  ['GET', '/events/:eventId/certificates.zip', 'publish.zip', read],
  ['POST', '/events/:eventId/certificates.zip/link', 'publish.zipLink', read],
  ['POST', '/events/:eventId/records/:id/email', 'publish.email', publish],
  // availability
  ['GET', '/events/:eventId/availability', 'availability.state', read],
  ['POST', '/events/:eventId/records/:id/revoke', 'availability.revoke', revoke],
  ['POST', '/events/:eventId/records/:id/reinstate', 'availability.reinstate', revoke],
  ['POST', '/events/:eventId/publish/offline', 'availability.offline', publish],
  ['POST', '/events/:eventId/publish/online', 'availability.online', publish],
  // maintenance
  ['POST', '/maintenance/orphan-sweep', 'maintenance.orphanSweep', settings],
];

export default { type: 'admin', routes: table.map(([method, path, handler, action]) => adminRoute(method, path, handler, [action])) };
