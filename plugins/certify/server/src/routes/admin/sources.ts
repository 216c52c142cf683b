import { adminRoute, ACTION_IDS } from '../policies';

export default [
  adminRoute('GET', '/events/:eventId/sources', 'sources.list', [ACTION_IDS.read]),
  adminRoute('POST', '/events/:eventId/sources', 'sources.create', [ACTION_IDS.design]),
];
