import { adminRoute, ACTION_IDS } from '../policies';

export default [
  adminRoute('GET', '/events/:eventId/publish/summary', 'publish.summary', [ACTION_IDS.read]),
  adminRoute('POST', '/events/:eventId/publish', 'publish.start', [ACTION_IDS.publish]),
  adminRoute('POST', '/events/:eventId/publish/retry-failed', 'publish.retryFailed', [ACTION_IDS.publish]),
  adminRoute('GET', '/events/:eventId/publish/runs/current', 'publish.current', [ACTION_IDS.read]),
  adminRoute('POST', '/events/:eventId/publish/runs/:runId/cancel', 'publish.cancel', [ACTION_IDS.publish]),
  adminRoute('GET', '/events/:eventId/certificates.zip', 'publish.zip', [ACTION_IDS.read]),
  adminRoute('POST', '/events/:eventId/records/:id/email', 'publish.email', [ACTION_IDS.publish]),
];
