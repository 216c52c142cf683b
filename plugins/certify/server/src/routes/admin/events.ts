import { adminRoute, ACTION_IDS } from '../policies';

export default [
  adminRoute('GET', '/events', 'events.list', [ACTION_IDS.read]),
  adminRoute('GET', '/events/:eventId', 'events.findOne', [ACTION_IDS.read]),
  adminRoute('GET', '/events/:eventId/setup-state', 'events.setupState', [ACTION_IDS.read]),
];
