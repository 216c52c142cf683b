import type { Plan } from '../errors';

/** GET /certify/events — the event picker. */
export interface EventSummary {
  documentId: string;
  name: string;
  slug: string | null;
  date: string | null;
  location: string | null;
  organisation: { documentId: string; name: string; plan: Plan | null } | null;
  /** false when the organisation's plan does not include Certify. */
  certifyEnabled: boolean;
  lockReason: string | null;
}

export type SetupStep = 'source' | 'template' | 'records';

/** GET /certify/events/:eventId/setup-state */
export interface SetupState {
  eventId: string;
  hasSource: boolean;
  hasTemplate: boolean;
  hasRecord: boolean;
  setupComplete: boolean;
  /** The wizard's next step, null once setup is complete. */
  nextStep: SetupStep | null;
  counts: { sources: number; templates: number; records: number; published: number };
  /** Tabs the admin shows for this state. */
  tabs: Array<'overview' | 'setup' | 'certificate' | 'records' | 'publish'>;
}
