import { attemptTokenRefresh } from '@strapi/strapi/admin';

import type { EventSummary, SetupState } from '../../../shared/contracts/events';
import type { EventStats } from '../../../shared/derived';
import type { TemplateInput } from '../../../shared/contracts/templates';
import { ERROR_CODES } from '../../../shared/errors';

/**
 * The transport under `certify.ts`: response envelopes, the one error shape, URLs and the binary
 * requests (previews, CSV, ZIP) that Strapi's JSON fetch client cannot make.
 */

/** A template as the admin API returns it. */
export interface TemplateView extends Omit<TemplateInput, 'background'> {
  id: number;
  documentId: string;
  event: string;
  background: MediaFile | null;
  version?: number;
  hash?: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface MediaFile {
  id: number;
  documentId?: string;
  name: string;
  url: string;
  mime?: string;
  width?: number | null;
  height?: number | null;
}

export interface EventListResponse {
  results: EventSummary[];
  pagination: { page: number; pageSize: number; total: number };
}

export interface EventDetail extends EventSummary {
  setup: SetupState;
  /** What the designer's example values of event-wide derived fields come from. */
  stats?: EventStats;
}

/**
 * An API failure with the server's own message, code and details. A plain object, not an Error,
 * because RTK Query keeps failures in the Redux store, which must stay serialisable.
 */
export interface ApiFailure {
  status?: number;
  message: string;
  code?: string;
  details: Record<string, unknown>;
}

type ErrorBody = { error?: { message?: string; status?: number; details?: Record<string, unknown> } };

const isRecord = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object';

/**
 * Any failure as an `ApiFailure`: what Strapi's base query returns (the body's `error`, or
 * `{ name: 'UnknownError', status }`), a thrown Error, or an ApiFailure already.
 */
export const toFailure = (err: unknown): ApiFailure => {
  if (!isRecord(err)) return { message: 'The request failed.', details: {} };
  const details = isRecord(err.details) ? err.details : {};
  const status = typeof err.status === 'number' ? err.status : undefined;
  const code = typeof err.code === 'string' ? err.code : typeof details.code === 'string' ? details.code : undefined;
  if (err.name === 'AbortError') return { status: 0, code: 'ABORTED', message: 'The request was cancelled.', details: {} };
  const message = typeof err.message === 'string' && err.message ? err.message : 'The request failed.';
  return { status, code, message, details };
};

/** The message to show for any error, preferring the server's wording. */
export const errorMessage = (err: unknown): string => {
  const e = toFailure(err);
  if (e.status === 404 && /not found/i.test(e.message) && !e.code) {
    return `${e.message} (this server may not have this feature yet)`;
  }
  return e.message;
};

export const isPlanRequired = (err: unknown) => toFailure(err).code === ERROR_CODES.planRequired;

/** The host's upgrade link a plan error carries (config `certify.upgrade.url`), if any. */
export const upgradeLink = (err: unknown): { url: string; label: string } | null => {
  const upgrade = toFailure(err).details.upgrade;
  if (!isRecord(upgrade) || typeof upgrade.url !== 'string') return null;
  return { url: upgrade.url, label: typeof upgrade.label === 'string' ? upgrade.label : 'See plans' };
};

/** Responses come as `{ data }`; a few list endpoints return their own envelope (`{ data, meta }`). */
export const unwrap = <T,>(body: unknown): T => {
  if (isRecord(body) && 'data' in body && !('meta' in body)) return body.data as T;
  return body as T;
};

// Read through a narrow cast: the admin's own `window.strapi` typing differs between the type
// check and the sdk build's declaration step.
const backendURL = () =>
  (typeof window !== 'undefined' && (window as unknown as { strapi?: { backendURL?: string } }).strapi?.backendURL) || '';

/** Absolute URL for a media file (the upload provider may return relative ones). */
export const mediaUrl = (url: string | null | undefined): string | null => {
  if (!url) return null;
  return /^(https?:|data:|blob:)/.test(url) ? url : `${backendURL()}${url}`;
};

/** Public URLs of a record's issued certificate (the participant content API). */
export const certificateUrls = (code: string) => {
  const root = `${backendURL()}/api/certify/certificates/${encodeURIComponent(code)}`;
  return { pdf: `${root}/pdf`, image: `${root}/image` };
};

const fetchBlob = (token: string | null | undefined, method: 'GET' | 'POST', path: string, body: unknown, signal?: AbortSignal) =>
  fetch(`${backendURL()}${path}`, {
    method,
    signal,
    credentials: 'include',
    headers: {
      Authorization: `Bearer ${token ?? ''}`,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });

/**
 * A request whose answer is a file. Strapi's fetch client cannot POST for a blob and replaces a
 * failed blob request's message with "Server Error", so this uses `fetch` with the admin's token
 * and reads the server's JSON error itself. An expired access token is refreshed once, as the
 * fetch client does for JSON requests.
 */
export const requestBlob = async (
  token: string | null | undefined,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  signal?: AbortSignal
): Promise<Blob> => {
  let res = await fetchBlob(token, method, path, body, signal);
  if (res.status === 401) {
    const renewed = await attemptTokenRefresh(token).catch(() => null);
    if (renewed) res = await fetchBlob(renewed, method, path, body, signal);
  }
  if (res.ok) return res.blob();
  const parsed = (await res.json().catch(() => null)) as ErrorBody | null;
  const details = parsed?.error?.details ?? {};
  const failure: ApiFailure = {
    status: res.status,
    message: parsed?.error?.message || `The server answered ${res.status} ${res.statusText}.`,
    code: typeof details.code === 'string' ? details.code : undefined,
    details,
  };
  throw failure;
};

/** Save a Blob through the browser's download prompt. */
export const saveBlob = (blob: Blob, filename: string) => {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};
