/** The participant finder: GET /api/certify/events/:slug/certificates and the /certificates/:slug page. */
import { z } from 'zod';
import { publicCertificate } from './publish';

export const FINDER_PAGE_SIZE = 20;
export const FINDER_MAX_PAGE_SIZE = 50;

export const finderQuery = z.object({
  bib: z.string().trim().max(64, 'bib is at most 64 characters').optional(),
  /** Words of the name in any order, with or without accents; "Last, First" works too. */
  name: z.string().trim().max(100, 'name is at most 100 characters').optional(),
  page: z.coerce.number({ message: 'page must be a number' }).int('page must be a whole number').min(1, 'page starts at 1').default(1),
  pageSize: z.coerce
    .number({ message: 'pageSize must be a number' })
    .int('pageSize must be a whole number')
    .min(1, 'pageSize must be at least 1')
    .max(FINDER_MAX_PAGE_SIZE, `pageSize must be at most ${FINDER_MAX_PAGE_SIZE}`)
    .default(FINDER_PAGE_SIZE),
});
export type FinderQuery = z.infer<typeof finderQuery>;

export const pagination = z.object({
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  pageCount: z.number().int(),
});
export type Pagination = z.infer<typeof pagination>;

/** GET /api/certify/events/:slug/certificates?bib=…|name=…&page=… */
export const finderParams = z.object({ slug: z.string().max(200) });
export const finderResponse = z.object({
  data: z.object({ event: publicCertificate.shape.event, results: z.array(publicCertificate) }),
  meta: z.object({ pagination }),
});
export type FinderResponse = z.infer<typeof finderResponse>;
