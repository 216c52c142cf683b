import { z } from 'zod';
import { documentId, eventParams } from './common';

/** Request/response shapes of the publish API and the participant API, shared by admin and server. */

export const publishSummary = z.object({
  eventId: z.string(),
  total: z.number(),
  /** Never rendered. */
  new: z.number(),
  /** Rendered, but data or template changed since. */
  changed: z.number(),
  unchanged: z.number(),
  /** No template applies to these records: they cannot be published until one does. */
  noTemplate: z.number(),
  templates: z.array(z.object({ documentId: z.string(), name: z.string(), count: z.number() })),
  /** Whether the event has been published once (automatic refresh is on from then). */
  publishedOnce: z.boolean(),
});
export type PublishSummary = z.infer<typeof publishSummary>;

export const runStatus = z.enum(['queued', 'running', 'cancelling', 'cancelled', 'finished', 'failed']);
export type RunStatus = z.infer<typeof runStatus>;

export const runProgress = z.object({
  id: z.number(),
  documentId: z.string(),
  eventId: z.string(),
  status: runStatus,
  trigger: z.string().nullable(),
  total: z.number(),
  done: z.number(),
  failed: z.number(),
  remaining: z.number(),
  /** Certificates per second since the run started. */
  ratePerSec: z.number(),
  /** Seconds until the remaining records are done at the current rate; null when unknown. */
  etaSec: z.number().nullable(),
  emails: z.object({ queued: z.number(), sent: z.number(), failed: z.number() }),
  /** PDFs first: share images follow in a second pass (`done`/`total`: the first pass is above). */
  images: z.object({ queued: z.number(), done: z.number(), failed: z.number() }),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type RunProgress = z.infer<typeof runProgress>;

/** Bibs and record ids a selection may list (an event's size cap). */
export const MAX_SELECTION = 200_000;

/**
 * Which records a publish covers, when not all of them: the listed records (`recordIds`, e.g. the
 * Records tab's selection), the listed bibs (a pasted list) and/or one category. Given together,
 * a record must match each. Of the matching records, only those whose certificate is missing or
 * out of date are rendered.
 */
export const publishSelection = z
  .object({
    recordIds: z.array(documentId).min(1, 'recordIds lists at least one record').max(MAX_SELECTION).optional(),
    bibs: z
      .array(z.string().trim().min(1, 'a bib is not empty').max(64, 'a bib is at most 64 characters'))
      .min(1, 'bibs lists at least one bib')
      .max(MAX_SELECTION)
      .optional(),
    category: z.string().trim().min(1, 'category is not empty').max(255).optional(),
  })
  .strict()
  .refine((s) => s.recordIds || s.bibs || s.category, {
    message: 'only selects records by recordIds, bibs or category: give at least one, or leave out "only" to publish the whole event',
  });
export type PublishSelection = z.infer<typeof publishSelection>;

/** The pre-flight's kinds of problem, in the order the Publish tab lists them. */
export const PREFLIGHT_KINDS = ['emptyField', 'overflow', 'missingPhoto'] as const;
export const preflightKind = z.enum(PREFLIGHT_KINDS);
export type PreflightKind = z.infer<typeof preflightKind>;

/** Records listed per kind by default, and at most (the totals always count them all). */
export const PREFLIGHT_LIMIT = 50;
export const PREFLIGHT_MAX_LIMIT = 500;

/**
 * GET /certify/events/:eventId/publish/preflight: the whole event, or the part a publish with
 * `only` would cover (bibs and record ids comma-separated).
 */
export const preflightQuery = z
  .object({
    bibs: z.string().trim().max(20_000).optional(),
    recordIds: z.string().trim().max(20_000).optional(),
    category: z.string().trim().min(1).max(255).optional(),
    limit: z.coerce.number<number | string>().int().min(1).max(PREFLIGHT_MAX_LIMIT, `limit is at most ${PREFLIGHT_MAX_LIMIT}`).default(PREFLIGHT_LIMIT),
  })
  .strict();
export type PreflightQuery = z.input<typeof preflightQuery>;

/** One record with a problem, and the template elements it concerns. */
export const preflightRecord = z.object({
  documentId: z.string(),
  bib: z.string(),
  name: z.string().nullable(),
  template: z.string(),
  elements: z.array(
    z.object({
      /** The design element, or "html" for an advanced (HTML) template. */
      elementId: z.string(),
      /** The record field the element would show empty (emptyField). */
      field: z.string().optional(),
    })
  ),
});
export type PreflightRecord = z.infer<typeof preflightRecord>;

/**
 * What the certificates about to be (re)published would show wrong: a bound field empty, text
 * too long even at the element's smallest size (estimated, see render/measure.ts), no photo in a
 * template's photo frame. Publishing anyway is the organiser's choice.
 */
export const preflightReport = z.object({
  eventId: z.string(),
  /** Records that would be (re)published, all of which were checked. */
  checked: z.number(),
  /** Records with at least one problem of any kind. */
  withProblems: z.number(),
  /** Records with at least one problem of each kind. */
  totals: z.object({ emptyField: z.number(), overflow: z.number(), missingPhoto: z.number() }),
  /** Records per field shown empty, e.g. { finishTime: 12 }. */
  emptyFields: z.record(z.string(), z.number()),
  /** The first `limit` records of each kind, in record order. */
  records: z.object({ emptyField: z.array(preflightRecord), overflow: z.array(preflightRecord), missingPhoto: z.array(preflightRecord) }),
  limit: z.number(),
});
export type PreflightReport = z.infer<typeof preflightReport>;

/** Something a rendered certificate shows wrong, kept on the record until its next render. */
export const renderWarning = z.object({
  /** Text that did not fit its element even at its smallest size (the rest of it is cut off). */
  kind: z.literal('overflow'),
  elementId: z.string(),
});
export type RenderWarning = z.infer<typeof renderWarning>;

/** POST /certify/events/:eventId/publish */
export const publishRequest = z
  .object({
    /** Publish only these records (default: the whole event). */
    only: publishSelection.optional(),
    email: z.boolean().optional(),
    /** Email subject/body templates ({{name}}, {{event}}, {{bib}}, {{url}}, {{verifyUrl}}). */
    emailSubject: z.string().max(250).optional(),
    emailBody: z.string().max(20_000).optional(),
    /** Attach the PDF (default) or only link to it. */
    attach: z.boolean().optional(),
  })
  .strict();
export type PublishRequest = z.infer<typeof publishRequest>;

export const publishResponse = z.object({
  data: runProgress,
  /** true when a run was already in progress and this request joined it. */
  joined: z.boolean(),
  message: z.string(),
});
export type PublishResponse = z.infer<typeof publishResponse>;

/** POST /certify/events/:eventId/publish/runs/:runId/cancel */
export const runParams = eventParams.extend({ runId: documentId });

/** GET /certify/events/:eventId/certificates.zip, and POST …/certificates.zip/link */
export const zipQuery = z.object({
  /** Only this category's certificates. */
  category: z.string().trim().max(255).optional(),
});

/** POST /certify/events/:eventId/certificates.zip/link: a download link the browser opens itself. */
export const zipLink = z.object({
  /** Absolute URL, valid until `expiresAt`, for this event (and category) only. */
  url: z.string(),
  expiresAt: z.string(),
  certificates: z.number(),
  /** The archive's exact size, when storage can tell it up front. */
  bytes: z.number().nullable(),
});
export type ZipLink = z.infer<typeof zipLink>;

/** GET /api/certify/downloads/:token */
export const downloadParams = z.object({ token: z.string().max(2048) });

const storedFile = z.object({ id: z.number(), name: z.string(), url: z.string() }).nullable();

export const certificateHistoryEntry = z.object({
  renderedHash: z.string().nullable(),
  certifiedAt: z.string().nullable(),
  replacedAt: z.string(),
  pdf: storedFile,
  image: storedFile,
});
export type CertificateHistoryEntry = z.infer<typeof certificateHistoryEntry>;

export const photoLink = z.object({
  documentId: z.string(),
  url: z.string().nullable(),
  caption: z.string().nullable(),
});
export type PhotoLink = z.infer<typeof photoLink>;

/** Participant content API: one certificate. */
export const publicCertificate = z.object({
  code: z.string(),
  bib: z.string(),
  name: z.string().nullable(),
  category: z.string().nullable(),
  finishTime: z.string().nullable(),
  event: z.object({ name: z.string(), slug: z.string().nullable(), date: z.string().nullable() }),
  issuedAt: z.string().nullable(),
  correctedAt: z.string().nullable(),
  pdfUrl: z.string(),
  imageUrl: z.string().nullable(),
  verifyUrl: z.string(),
  photos: z.array(photoLink),
  history: z.array(z.object({ correctedOn: z.string() })),
});
export type PublicCertificate = z.infer<typeof publicCertificate>;

/** `/certificates/:code…`: an unknown or malformed code answers 404, so any text is accepted here. */
export const certificateParams = z.object({ code: z.string().max(64) });

/** GET /api/certify/events/:eventId/status */
export const participantStatus = z.object({
  event: z.object({ name: z.string(), slug: z.string().nullable() }),
  published: z.number(),
});
export type ParticipantStatus = z.infer<typeof participantStatus>;
