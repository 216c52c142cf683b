import { z } from 'zod';

/**
 * Pieces every contract uses. Request schemas parse what a client sends (types by `z.input`, so
 * fields with a default stay optional for the sender); response schemas describe what the server
 * answers (types by `z.infer`), and the admin may parse answers with them.
 */

/** A Strapi documentId in a URL or a body. Not a strict format: an unknown id answers 404, not 400. */
export const documentId = z
  .string()
  .trim()
  .min(1, 'an id is required')
  .max(64, 'an id is at most 64 characters');

/** `:eventId` in every event route (the plan policy resolves it). */
export const eventParams = z.object({ eventId: documentId });
/** `:eventId/…/:id` routes. */
export const itemParams = eventParams.extend({ id: documentId });

/** A media-library file as a document returns it (populated relation). */
export const mediaFile = z.looseObject({
  id: z.number(),
  documentId: z.string().optional(),
  name: z.string(),
  url: z.string(),
  mime: z.string().optional(),
  ext: z.string().nullish(),
  width: z.number().nullish(),
  height: z.number().nullish(),
});
export type MediaFileView = z.infer<typeof mediaFile>;

/** `{ documentId }` answered by deletes. */
export const deletedResponse = z.object({ documentId: z.string() });
export type DeletedResponse = z.infer<typeof deletedResponse>;
