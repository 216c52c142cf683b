import * as React from 'react';

import type { SetupState } from '../../../shared/contracts/events';
import type { EventDetail } from '../api/client';
import type { CertifyPermissions } from '../hooks/usePermissions';

export interface EventContextValue {
  eventId: string;
  event: EventDetail;
  setup: SetupState;
  /** Re-read the setup state for changes made elsewhere (a partner's push); our own writes invalidate it. */
  refreshSetup: () => void;
  permissions: CertifyPermissions;
  goToTab: (tab: string) => void;
}

const EventContext = React.createContext<EventContextValue | null>(null);

export const EventProvider = EventContext.Provider;

export const useEventContext = (): EventContextValue => {
  const value = React.useContext(EventContext);
  if (!value) throw new Error('useEventContext must be used inside the event page.');
  return value;
};
