import { z } from 'zod';
import { PLANS } from '../errors';

/** An event of the host app as Certify sees it (field names mapped through the plugin config). */
export const eventView = z.object({
  documentId: z.string(),
  name: z.string(),
  slug: z.string().nullable(),
  date: z.string().nullable(),
  location: z.string().nullable(),
  /** Race distance in km (config `event.distanceField`), for pace fields; null when the event has none. */
  distanceKm: z.number().positive().nullable().optional(),
  organisation: z.object({ documentId: z.string(), name: z.string(), plan: z.enum(PLANS).nullable() }).nullable(),
});
export type EventView = z.infer<typeof eventView>;

/** GET /certify/events — the event picker. */
export const eventSummary = eventView.extend({
  /** false when the organisation's plan does not include Certify. */
  certifyEnabled: z.boolean(),
  lockReason: z.string().nullable(),
});
export type EventSummary = z.infer<typeof eventSummary>;

export const eventListQuery = z.object({
  search: z.string().trim().max(200, 'search is at most 200 characters').optional(),
  page: z.coerce.number<number | string>().int().min(1, 'page starts at 1').default(1),
  pageSize: z.coerce.number<number | string>().int().min(1).max(100, 'pageSize is at most 100').default(25),
});
export type EventListQuery = z.input<typeof eventListQuery>;

export const eventListResponse = z.object({
  results: z.array(eventSummary),
  pagination: z.object({ page: z.number(), pageSize: z.number(), total: z.number() }),
});
export type EventListResponse = z.infer<typeof eventListResponse>;

export const setupStep = z.enum(['source', 'template', 'records']);
export type SetupStep = z.infer<typeof setupStep>;

/** GET /certify/events/:eventId/setup-state */
export const setupState = z.object({
  eventId: z.string(),
  hasSource: z.boolean(),
  hasTemplate: z.boolean(),
  hasRecord: z.boolean(),
  setupComplete: z.boolean(),
  /** The wizard's next step, null once setup is complete. */
  nextStep: setupStep.nullable(),
  counts: z.object({ sources: z.number(), templates: z.number(), records: z.number(), published: z.number() }),
  /** Tabs the admin shows for this state. */
  tabs: z.array(z.enum(['overview', 'setup', 'certificate', 'records', 'publish'])),
});
export type SetupState = z.infer<typeof setupState>;

/** GET /certify/events/:eventId */
/** The figures event-wide derived fields come from (shared/derived.ts `EventStats`). */
export const eventStats = z.object({ winnerSeconds: z.number().nullable(), finishers: z.number(), distanceKm: z.number().nullable() });

export const eventDetail = eventView.extend({ setup: setupState, stats: eventStats.optional() });
export type EventDetail = z.infer<typeof eventDetail>;
