import * as React from 'react';
import { useAuth, useFetchClient, isFetchError } from '@strapi/strapi/admin';

import type { EventSummary, SetupState } from '../../../shared/contracts/events';
import type { ImportCommitResult, ImportMapping, ImportPreview } from '../../../shared/contracts/import';
import type { MappingReport, NameOrder } from '../../../shared/contracts/mapping';
import type { PublishRequest, PublishResponse, PublishSummary, RunProgress } from '../../../shared/contracts/publish';
import type { RecordListQuery, RecordListResponse, RecordView } from '../../../shared/contracts/records';
import type { SourceView, SourceWithToken } from '../../../shared/contracts/sources';
import type { FontFamily, TemplateInput } from '../../../shared/contracts/templates';
import { ERROR_CODES } from '../../../shared/errors';

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
}

/** An API failure with the server's own message, code and details. */
export class CertifyApiError extends Error {
  status: number | undefined;
  code: string | undefined;
  details: Record<string, unknown>;
  constructor(message: string, status?: number, code?: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CertifyApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
  get planRequired() {
    return this.code === ERROR_CODES.planRequired;
  }
}

type ErrorBody = { error?: { message?: string; status?: number; details?: Record<string, unknown> } };

const toApiError = (err: unknown): CertifyApiError => {
  if (err instanceof CertifyApiError) return err;
  if (isFetchError(err)) {
    const body = err.response?.data as ErrorBody | undefined;
    const details = (body?.error?.details ?? {}) as Record<string, unknown>;
    const message = body?.error?.message || err.message || 'The request failed.';
    return new CertifyApiError(message, err.status, typeof details.code === 'string' ? details.code : undefined, details);
  }
  if (err instanceof Error) {
    if (err.name === 'AbortError') return new CertifyApiError('The request was cancelled.', 0, 'ABORTED');
    return new CertifyApiError(err.message);
  }
  return new CertifyApiError('The request failed.');
};

/** The message to show for any error, preferring the server's wording. */
export const errorMessage = (err: unknown): string => {
  const e = toApiError(err);
  if (e.status === 404 && /not found/i.test(e.message) && !e.code) {
    return `${e.message} (this server may not have this feature yet)`;
  }
  return e.message;
};

/** Responses come as `{ data }`; a few list endpoints return their own envelope. */
const unwrap = <T,>(body: unknown): T => {
  if (body && typeof body === 'object' && 'data' in (body as object) && !('meta' in (body as object))) {
    return (body as { data: T }).data;
  }
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

const base = (eventId: string) => `/certify/events/${encodeURIComponent(eventId)}`;

/**
 * One client over Strapi's fetch client, typed to the Certify API. Binary responses (preview
 * images, CSV and ZIP downloads) go through `fetch` with the admin token, because the fetch
 * client only parses JSON from POST and drops the server's error message for blobs.
 */
export const useCertifyApi = () => {
  const { get, post, put, del } = useFetchClient();
  const token = useAuth('Certify', (s) => s.token);

  return React.useMemo(() => {
    const call = async <T,>(p: Promise<{ data: unknown }>): Promise<T> => {
      try {
        const res = await p;
        return unwrap<T>(res.data);
      } catch (err) {
        throw toApiError(err);
      }
    };

    const binary = async (method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<Blob> => {
      const res = await fetch(`${backendURL()}${path}`, {
        method,
        signal,
        credentials: 'include',
        headers: {
          Authorization: `Bearer ${token ?? ''}`,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      if (!res.ok) {
        let parsed: ErrorBody | null = null;
        try {
          parsed = (await res.json()) as ErrorBody;
        } catch {
          parsed = null;
        }
        const details = (parsed?.error?.details ?? {}) as Record<string, unknown>;
        throw new CertifyApiError(
          parsed?.error?.message || `The server answered ${res.status} ${res.statusText}.`,
          res.status,
          typeof details.code === 'string' ? details.code : undefined,
          details
        );
      }
      return res.blob();
    };

    return {
      listEvents: (params: { search?: string; page?: number; pageSize?: number }) =>
        call<EventListResponse>(get('/certify/events', { params })),
      getEvent: (eventId: string) => call<EventDetail>(get(base(eventId))),
      setupState: (eventId: string) => call<SetupState>(get(`${base(eventId)}/setup-state`)),

      listSources: (eventId: string) => call<SourceView[]>(get(`${base(eventId)}/sources`)),
      createSource: (eventId: string, data: Partial<SourceView>) =>
        call<SourceView | SourceWithToken>(post(`${base(eventId)}/sources`, data)),
      updateSource: (eventId: string, id: string, data: Partial<SourceView>) =>
        call<SourceView>(put(`${base(eventId)}/sources/${id}`, data)),
      deleteSource: (eventId: string, id: string) => call<unknown>(del(`${base(eventId)}/sources/${id}`)),
      rotateToken: (eventId: string, id: string) =>
        call<{ token: string }>(post(`${base(eventId)}/sources/${id}/token`, {})),
      syncSource: (eventId: string, id: string) => call<unknown>(post(`${base(eventId)}/sources/${id}/sync`, {})),

      previewImport: (eventId: string, file: File, sourceId?: string, mapping?: ImportMapping, nameOrder?: NameOrder) => {
        const form = new FormData();
        form.append('file', file);
        if (sourceId) form.append('sourceId', sourceId);
        if (mapping) form.append('mapping', JSON.stringify(mapping));
        if (nameOrder) form.append('nameOrder', nameOrder);
        return call<ImportPreview & MappingReport>(post(`${base(eventId)}/imports`, form));
      },
      previewImportText: (eventId: string, csv: string, sourceId?: string, mapping?: ImportMapping) =>
        call<ImportPreview>(post(`${base(eventId)}/imports`, { csv, sourceId, mapping })),
      commitImport: (eventId: string, importId: string, mapping?: ImportMapping, nameOrder?: NameOrder) =>
        call<ImportCommitResult>(post(`${base(eventId)}/imports/${importId}/commit`, { ...(mapping ? { mapping } : {}), ...(nameOrder ? { nameOrder } : {}) })),

      listRecords: async (eventId: string, query: RecordListQuery): Promise<RecordListResponse> => {
        try {
          const res = await get(`${base(eventId)}/records`, { params: query });
          return res.data as RecordListResponse;
        } catch (err) {
          throw toApiError(err);
        }
      },
      createRecord: (eventId: string, data: Partial<RecordView>) => call<RecordView>(post(`${base(eventId)}/records`, data)),
      updateRecord: (eventId: string, id: string, data: Partial<RecordView>) =>
        call<RecordView>(put(`${base(eventId)}/records/${id}`, data)),
      deleteRecord: (eventId: string, id: string) => call<unknown>(del(`${base(eventId)}/records/${id}`)),
      bulkDeleteRecords: (eventId: string, ids: string[]) =>
        call<{ count?: number }>(post(`${base(eventId)}/records/bulk-delete`, { ids })),
      emailRecord: (eventId: string, id: string) => call<unknown>(post(`${base(eventId)}/records/${id}/email`, {})),
      exportRecords: (eventId: string) => binary('GET', `${base(eventId)}/records/export.csv`),

      listTemplates: (eventId: string) => call<TemplateView[]>(get(`${base(eventId)}/templates`)),
      getTemplate: (eventId: string, id: string) => call<TemplateView>(get(`${base(eventId)}/templates/${id}`)),
      createTemplate: (eventId: string, data: TemplateInput) => call<TemplateView>(post(`${base(eventId)}/templates`, data)),
      updateTemplate: (eventId: string, id: string, data: Partial<TemplateInput>) =>
        call<TemplateView>(put(`${base(eventId)}/templates/${id}`, data)),
      deleteTemplate: (eventId: string, id: string) => call<unknown>(del(`${base(eventId)}/templates/${id}`)),
      previewTemplate: (
        eventId: string,
        id: string,
        body: { template?: TemplateInput; recordId?: string; format: 'png' | 'pdf' },
        signal?: AbortSignal
      ) => binary('POST', `${base(eventId)}/templates/${id}/preview`, body, signal),
      listFonts: () => call<FontFamily[]>(get('/certify/fonts')),

      publishSummary: (eventId: string) => call<PublishSummary>(get(`${base(eventId)}/publish/summary`)),
      publish: async (eventId: string, body: PublishRequest): Promise<PublishResponse> => {
        try {
          const res = await post(`${base(eventId)}/publish`, body);
          return res.data as PublishResponse;
        } catch (err) {
          throw toApiError(err);
        }
      },
      currentRun: (eventId: string) => call<RunProgress | null>(get(`${base(eventId)}/publish/runs/current`)),
      cancelRun: (eventId: string, runId: string) => call<RunProgress>(post(`${base(eventId)}/publish/runs/${runId}/cancel`, {})),
      downloadZip: (eventId: string, category?: string) =>
        binary('GET', `${base(eventId)}/certificates.zip${category ? `?category=${encodeURIComponent(category)}` : ''}`),

      getMedia: (id: number | string) => call<MediaFile>(get(`/upload/files/${id}`)),
      uploadMedia: async (file: File): Promise<MediaFile> => {
        const form = new FormData();
        form.append('files', file);
        const files = await call<MediaFile[]>(post('/upload', form));
        const list = Array.isArray(files) ? files : [files as unknown as MediaFile];
        if (!list[0]) throw new CertifyApiError('The upload returned no file.');
        return list[0];
      },
    };
  }, [get, post, put, del, token]);
};

export type CertifyApi = ReturnType<typeof useCertifyApi>;

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
