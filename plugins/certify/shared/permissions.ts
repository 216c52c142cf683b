/**
 * Admin RBAC actions of Certify. One list, used by the server (registration, route policies)
 * and by the admin panel (menu link, buttons).
 */
export const PLUGIN_ID = 'certify';

export const ACTION_IDS = {
  read: 'plugin::certify.read',
  design: 'plugin::certify.design',
  records: 'plugin::certify.records',
  publish: 'plugin::certify.publish',
  revoke: 'plugin::certify.revoke',
  settings: 'plugin::certify.settings',
} as const;

/**
 * The RBAC condition Certify registers: "Is a member of the event's organisation". A role whose
 * Certify permissions carry it acts only on the events of the organisations that list the user.
 */
export const ORGANISATION_CONDITION = {
  name: 'is-organisation-member',
  plugin: PLUGIN_ID,
  id: `plugin::${PLUGIN_ID}.is-organisation-member`,
} as const;

export type CertifyAction = (typeof ACTION_IDS)[keyof typeof ACTION_IDS];

/** Shape expected by the admin permission provider's `registerMany`. */
export const ACTIONS = [
  { uid: 'read', displayName: 'Read certificates, sources, templates and records', subCategory: 'general' },
  { uid: 'design', displayName: 'Design data sources and templates', subCategory: 'design' },
  { uid: 'records', displayName: 'Manage records and import results', subCategory: 'records' },
  { uid: 'publish', displayName: 'Publish and send certificates', subCategory: 'publish' },
  { uid: 'revoke', displayName: 'Revoke and reinstate certificates', subCategory: 'publish' },
  { uid: 'settings', displayName: 'Change Certify settings', subCategory: 'settings' },
].map((action) => ({ section: 'plugins' as const, pluginName: PLUGIN_ID, ...action }));

const perm = (action: CertifyAction) => [{ action, subject: null }];

/** Permission sets for `useRBAC` / menu links in the admin panel. */
export const PERMISSIONS = {
  main: perm(ACTION_IDS.read),
  read: perm(ACTION_IDS.read),
  design: perm(ACTION_IDS.design),
  records: perm(ACTION_IDS.records),
  publish: perm(ACTION_IDS.publish),
  revoke: perm(ACTION_IDS.revoke),
  settings: perm(ACTION_IDS.settings),
};
