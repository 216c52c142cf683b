/** Request/response shapes of the publish API, shared by admin and server. */

export interface PublishSummary {
  eventId: string;
  total: number;
  /** Never rendered. */
  new: number;
  /** Rendered, but data or template changed since. */
  changed: number;
  unchanged: number;
  /** No template applies to these records: they cannot be published until one does. */
  noTemplate: number;
  templates: Array<{ documentId: string; name: string; count: number }>;
  /** Whether the event has been published once (automatic refresh is on from then). */
  publishedOnce: boolean;
}

export type RunStatus = 'queued' | 'running' | 'cancelling' | 'cancelled' | 'finished' | 'failed';

export interface RunProgress {
  id: number;
  documentId: string;
  eventId: string;
  status: RunStatus;
  trigger: string | null;
  total: number;
  done: number;
  failed: number;
  remaining: number;
  /** Certificates per second since the run started. */
  ratePerSec: number;
  /** Seconds until the remaining records are done at the current rate; null when unknown. */
  etaSec: number | null;
  emails: { queued: number; sent: number; failed: number };
  startedAt: string | null;
  finishedAt: string | null;
}

export interface PublishRequest {
  email?: boolean;
  /** Email subject/body templates ({{name}}, {{event}}, {{bib}}, {{url}}, {{verifyUrl}}). */
  emailSubject?: string;
  emailBody?: string;
  /** Attach the PDF (default) or only link to it. */
  attach?: boolean;
}

export interface PublishResponse {
  data: RunProgress;
  /** true when a run was already in progress and this request joined it. */
  joined: boolean;
  message: string;
}

export interface CertificateHistoryEntry {
  renderedHash: string | null;
  certifiedAt: string | null;
  replacedAt: string;
  pdf: { id: number; name: string; url: string } | null;
  image: { id: number; name: string; url: string } | null;
}

export interface PhotoLink {
  documentId: string;
  url: string | null;
  caption: string | null;
}

/** Participant content API: one certificate. */
export interface PublicCertificate {
  code: string;
  bib: string;
  name: string | null;
  category: string | null;
  finishTime: string | null;
  event: { name: string; slug: string | null; date: string | null };
  issuedAt: string | null;
  correctedAt: string | null;
  pdfUrl: string;
  imageUrl: string | null;
  verifyUrl: string;
  photos: PhotoLink[];
  history: Array<{ correctedOn: string }>;
}
