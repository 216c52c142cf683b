import { adminRoute, ACTION_IDS } from '../policies';

export default [
  adminRoute('GET', '/events/:eventId/availability', 'availability.state', [ACTION_IDS.read]),
  adminRoute('POST', '/events/:eventId/records/:id/revoke', 'availability.revoke', [ACTION_IDS.revoke]),
  adminRoute('POST', '/events/:eventId/records/:id/reinstate', 'availability.reinstate', [ACTION_IDS.revoke]),
  adminRoute('POST', '/events/:eventId/publish/offline', 'availability.offline', [ACTION_IDS.publish]),
  adminRoute('POST', '/events/:eventId/publish/online', 'availability.online', [ACTION_IDS.publish]),
];
