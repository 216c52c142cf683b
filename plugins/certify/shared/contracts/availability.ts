import { z } from 'zod';

/** Body of `POST /events/:eventId/records/:id/revoke`. The reason is shown on the verify page. */
export const revokeRequest = z.object({ reason: z.string().trim().min(3, 'say why the certificate is revoked (at least 3 characters)').max(500) }).strict();
export type RevokeRequest = z.infer<typeof revokeRequest>;

/** Body of `POST /events/:eventId/publish/offline`. */
export const offlineRequest = z.object({ reason: z.string().trim().max(500).nullish() }).strict();
export type OfflineRequest = z.infer<typeof offlineRequest>;

export const revocationView = z.object({
  documentId: z.string(),
  bib: z.string(),
  revokedAt: z.string().nullable(),
  revokedReason: z.string().nullable(),
});
export type RevocationView = z.infer<typeof revocationView>;

export const availabilityState = z.object({
  eventId: z.string(),
  offline: z.object({ offlineAt: z.string(), reason: z.string().nullable() }).nullable(),
  revoked: z.number().int(),
});
export type AvailabilityState = z.infer<typeof availabilityState>;
