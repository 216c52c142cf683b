import * as React from 'react';
import { useRBAC } from '@strapi/strapi/admin';

import { PERMISSIONS } from '../../../shared/permissions';

/**
 * What the signed-in admin may do. Buttons use it to hide or disable actions; the server checks
 * the same actions on every route, so this is a courtesy, not the protection.
 */
export const useCertifyPermissions = () => {
  const perms = React.useMemo(
    () => ({ design: PERMISSIONS.design, records: PERMISSIONS.records, publish: PERMISSIONS.publish, revoke: PERMISSIONS.revoke }),
    []
  );
  const { allowedActions, isLoading } = useRBAC(perms);
  return {
    isLoading,
    canDesign: Boolean(allowedActions.canDesign),
    canRecords: Boolean(allowedActions.canRecords),
    canPublish: Boolean(allowedActions.canPublish),
    canRevoke: Boolean(allowedActions.canRevoke),
  };
};

export type CertifyPermissions = ReturnType<typeof useCertifyPermissions>;
