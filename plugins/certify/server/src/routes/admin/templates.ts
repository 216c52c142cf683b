import { adminRoute, ACTION_IDS } from '../policies';

export default [
  adminRoute('GET', '/events/:eventId/templates', 'templates.list', [ACTION_IDS.read]),
  adminRoute('POST', '/events/:eventId/templates', 'templates.create', [ACTION_IDS.design]),
];
