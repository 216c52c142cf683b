import * as React from 'react';
import { useNotification } from '@strapi/strapi/admin';

import { errorMessage } from '../api/client';

/** Notifications that always carry the server's own message for failures. */
export const useNotify = () => {
  const { toggleNotification } = useNotification();
  return React.useMemo(
    () => ({
      success: (message: string) => toggleNotification({ type: 'success', message }),
      info: (message: string) => toggleNotification({ type: 'info', message }),
      error: (err: unknown, prefix?: string) =>
        toggleNotification({ type: 'danger', message: prefix ? `${prefix}: ${errorMessage(err)}` : errorMessage(err) }),
    }),
    [toggleNotification]
  );
};
