import { adminRoute, ACTION_IDS } from '../policies';

export default [
  adminRoute('GET', '/events/:eventId/sources', 'sources.list', [ACTION_IDS.read]),
  adminRoute('POST', '/events/:eventId/sources', 'sources.create', [ACTION_IDS.design]),
  adminRoute('PUT', '/events/:eventId/sources/:id', 'sources.update', [ACTION_IDS.design]),
  adminRoute('DELETE', '/events/:eventId/sources/:id', 'sources.remove', [ACTION_IDS.design]),
  adminRoute('POST', '/events/:eventId/sources/:id/token', 'sources.rotateToken', [ACTION_IDS.design]),
  adminRoute('POST', '/events/:eventId/sources/:id/sync', 'sources.sync', [ACTION_IDS.records]),
];
