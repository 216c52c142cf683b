import * as React from 'react';
import { adminApi, type QueryArguments } from '@strapi/strapi/admin';

import type { SetupState } from '../../../shared/contracts/events';
import type { ImportCommitResult, ImportMapping, ImportPreview } from '../../../shared/contracts/import';
import type { PublishRequest, PublishResponse, PublishSummary, RunProgress } from '../../../shared/contracts/publish';
import type { RecordListQuery, RecordListResponse, RecordView } from '../../../shared/contracts/records';
import type { SourceView, SourceWithToken } from '../../../shared/contracts/sources';
import type { FontFamily, TemplateInput } from '../../../shared/contracts/templates';
import {
  requestBlob,
  saveBlob,
  toFailure,
  unwrap,
  type ApiFailure,
  type EventDetail,
  type EventListResponse,
  type MediaFile,
  type TemplateView,
} from './client';

/*
 * Why Strapi's RTK Query `adminApi` and not @tanstack/react-query: in Strapi 5.54 `adminApi` is a
 * public export of `@strapi/strapi/admin` meant to be extended with `enhanceEndpoints` +
 * `injectEndpoints` (content-releases and review-workflows do exactly this), its store and
 * middleware are already mounted around every plugin page, and its base query goes through
 * `getFetchClient`, so token refresh and the session-expired redirect work as in the rest of the
 * admin. react-query would add a dependency, a second cache and a provider of our own for the
 * same result. The price: the store must stay serialisable, so failures are plain `ApiFailure`
 * objects, previews are cached as object URLs (revoked when their entry leaves the cache) and
 * downloads are saved inside their mutation instead of returning a Blob.
 *
 * Endpoint and tag names start with "certify" because every plugin shares this one API.
 */

const TAGS = [
  'CertifyEvent',
  'CertifySetup',
  'CertifySource',
  'CertifyRecord',
  'CertifyTemplate',
  'CertifySummary',
  'CertifyRun',
] as const;
type Tag = (typeof TAGS)[number];

const base = (eventId: string) => `/certify/events/${encodeURIComponent(eventId)}`;

/** Tags of one event, for `providesTags`/`invalidatesTags`. */
const of = (eventId: string, ...types: Tag[]) => types.map((type) => ({ type, id: eventId }));

/** What a record, import or template change makes stale: the list, the counts and the setup state. */
const RECORD_EFFECTS: Tag[] = ['CertifyRecord', 'CertifySummary', 'CertifySetup'];

const ACTIVE_RUN: RunProgress['status'][] = ['queued', 'running', 'cancelling'];
export const isRunActive = (run: RunProgress | null | undefined) => Boolean(run && ACTIVE_RUN.includes(run.status));

// The admin keeps its token in its Redux state (`useAuth` reads the same value).
const tokenOf = (state: unknown) => (state as { admin_app?: { token?: string | null } }).admin_app?.token;

/** A file the browser saves: fetched and handed to the download prompt inside the mutation. */
const download = async (state: unknown, method: 'GET' | 'POST', path: string, filename: string, body?: unknown) => {
  try {
    saveBlob(await requestBlob(tokenOf(state), method, path, body), filename);
    return { data: null };
  } catch (err) {
    return { error: toFailure(err) };
  }
};

const json = {
  transformErrorResponse: (err: unknown): ApiFailure => toFailure(err),
};

const certifyApi = adminApi.enhanceEndpoints({ addTagTypes: TAGS }).injectEndpoints({
  endpoints: (build) => ({
    // Events
    certifyEvents: build.query<EventListResponse, { search?: string; page: number; pageSize: number }>({
      query: (params): QueryArguments => ({ url: '/certify/events', config: { params } }),
      transformResponse: (body: unknown) => unwrap<EventListResponse>(body),
      providesTags: ['CertifyEvent'],
      ...json,
    }),
    certifyEvent: build.query<EventDetail, string>({
      query: (eventId) => base(eventId),
      transformResponse: (body: unknown) => unwrap<EventDetail>(body),
      providesTags: (_r, _e, eventId) => of(eventId, 'CertifyEvent'),
      ...json,
    }),
    certifySetup: build.query<SetupState, string>({
      query: (eventId) => `${base(eventId)}/setup-state`,
      transformResponse: (body: unknown) => unwrap<SetupState>(body),
      providesTags: (_r, _e, eventId) => of(eventId, 'CertifySetup'),
      ...json,
    }),

    // Sources
    certifySources: build.query<SourceView[], string>({
      query: (eventId) => `${base(eventId)}/sources`,
      transformResponse: (body: unknown) => unwrap<SourceView[]>(body),
      providesTags: (_r, _e, eventId) => of(eventId, 'CertifySource'),
      ...json,
    }),
    certifySaveSource: build.mutation<SourceView | SourceWithToken, { eventId: string; id?: string; data: Partial<SourceView> }>({
      query: ({ eventId, id, data }): QueryArguments =>
        id ? { url: `${base(eventId)}/sources/${id}`, method: 'PUT', data } : { url: `${base(eventId)}/sources`, method: 'POST', data },
      transformResponse: (body: unknown) => unwrap<SourceView | SourceWithToken>(body),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifySource', 'CertifySetup'),
      ...json,
    }),
    certifyDeleteSource: build.mutation<unknown, { eventId: string; id: string }>({
      query: ({ eventId, id }): QueryArguments => ({ url: `${base(eventId)}/sources/${id}`, method: 'DELETE' }),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifySource', 'CertifySetup'),
      ...json,
    }),
    certifyRotateToken: build.mutation<{ token: string }, { eventId: string; id: string }>({
      query: ({ eventId, id }): QueryArguments => ({ url: `${base(eventId)}/sources/${id}/token`, method: 'POST', data: {} }),
      transformResponse: (body: unknown) => unwrap<{ token: string }>(body),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifySource'),
      ...json,
    }),
    certifySyncSource: build.mutation<unknown, { eventId: string; id: string }>({
      query: ({ eventId, id }): QueryArguments => ({ url: `${base(eventId)}/sources/${id}/sync`, method: 'POST', data: {} }),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifySource', ...RECORD_EFFECTS),
      ...json,
    }),

    // Imports: the dry run changes nothing; the commit changes records.
    certifyPreviewImport: build.mutation<ImportPreview, { eventId: string; file: File; sourceId?: string; mapping?: ImportMapping }>({
      query: ({ eventId, file, sourceId, mapping }): QueryArguments => {
        const form = new FormData();
        form.append('file', file);
        if (sourceId) form.append('sourceId', sourceId);
        if (mapping) form.append('mapping', JSON.stringify(mapping));
        return { url: `${base(eventId)}/imports`, method: 'POST', data: form };
      },
      transformResponse: (body: unknown) => unwrap<ImportPreview>(body),
      ...json,
    }),
    certifyCommitImport: build.mutation<ImportCommitResult, { eventId: string; importId: string; mapping?: ImportMapping }>({
      query: ({ eventId, importId, mapping }): QueryArguments => ({
        url: `${base(eventId)}/imports/${importId}/commit`,
        method: 'POST',
        data: mapping ? { mapping } : {},
      }),
      transformResponse: (body: unknown) => unwrap<ImportCommitResult>(body),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifySource', ...RECORD_EFFECTS),
      ...json,
    }),

    // Records
    certifyRecords: build.query<RecordListResponse, { eventId: string; query: RecordListQuery }>({
      query: ({ eventId, query }): QueryArguments => ({ url: `${base(eventId)}/records`, config: { params: query } }),
      providesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyRecord'),
      ...json,
    }),
    certifySaveRecord: build.mutation<RecordView, { eventId: string; id?: string; data: Partial<RecordView> }>({
      query: ({ eventId, id, data }): QueryArguments =>
        id ? { url: `${base(eventId)}/records/${id}`, method: 'PUT', data } : { url: `${base(eventId)}/records`, method: 'POST', data },
      transformResponse: (body: unknown) => unwrap<RecordView>(body),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, ...RECORD_EFFECTS),
      ...json,
    }),
    certifyDeleteRecords: build.mutation<unknown, { eventId: string; ids: string[] }>({
      query: ({ eventId, ids }): QueryArguments =>
        ids.length === 1
          ? { url: `${base(eventId)}/records/${ids[0]}`, method: 'DELETE' }
          : { url: `${base(eventId)}/records/bulk-delete`, method: 'POST', data: { ids } },
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, ...RECORD_EFFECTS),
      ...json,
    }),
    certifyEmailRecord: build.mutation<unknown, { eventId: string; id: string }>({
      query: ({ eventId, id }): QueryArguments => ({ url: `${base(eventId)}/records/${id}/email`, method: 'POST', data: {} }),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyRecord'),
      ...json,
    }),
    certifyExportRecords: build.mutation<null, { eventId: string; filename: string }>({
      queryFn: ({ eventId, filename }, { getState }) => download(getState(), 'GET', `${base(eventId)}/records/export.csv`, filename),
    }),

    // Templates
    certifyTemplates: build.query<TemplateView[], string>({
      query: (eventId) => `${base(eventId)}/templates`,
      transformResponse: (body: unknown) => unwrap<TemplateView[]>(body),
      providesTags: (_r, _e, eventId) => of(eventId, 'CertifyTemplate'),
      ...json,
    }),
    certifyCreateTemplate: build.mutation<TemplateView, { eventId: string; data: TemplateInput }>({
      query: ({ eventId, data }): QueryArguments => ({ url: `${base(eventId)}/templates`, method: 'POST', data }),
      transformResponse: (body: unknown) => unwrap<TemplateView>(body),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyTemplate', 'CertifySummary', 'CertifySetup'),
      ...json,
    }),
    certifyUpdateTemplate: build.mutation<TemplateView, { eventId: string; id: string; data: Partial<TemplateInput> }>({
      query: ({ eventId, id, data }): QueryArguments => ({ url: `${base(eventId)}/templates/${id}`, method: 'PUT', data }),
      transformResponse: (body: unknown) => unwrap<TemplateView>(body),
      // A changed design makes its records' certificates stale.
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyTemplate', 'CertifySummary', 'CertifyRecord'),
      ...json,
    }),
    certifyDeleteTemplate: build.mutation<unknown, { eventId: string; id: string }>({
      query: ({ eventId, id }): QueryArguments => ({ url: `${base(eventId)}/templates/${id}`, method: 'DELETE' }),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyTemplate', 'CertifySummary', 'CertifySetup'),
      ...json,
    }),
    certifyFonts: build.query<FontFamily[], void>({
      query: () => '/certify/fonts',
      transformResponse: (body: unknown) => unwrap<FontFamily[]>(body),
      keepUnusedDataFor: 3600,
      ...json,
    }),
    /**
     * A server rendering as an object URL. `version` only keys the cache (a saved template's
     * `updatedAt`); `template` is an unsaved draft to render instead of the stored one.
     */
    certifyTemplatePreview: build.query<
      string,
      { eventId: string; templateId: string; template?: TemplateInput; recordId?: string; version?: string }
    >({
      queryFn: async ({ eventId, templateId, template, recordId }, { getState, signal }) => {
        try {
          const blob = await requestBlob(
            tokenOf(getState()),
            'POST',
            `${base(eventId)}/templates/${templateId}/preview`,
            { template, recordId, format: 'png' },
            signal
          );
          return { data: URL.createObjectURL(blob) };
        } catch (err) {
          return { error: toFailure(err) };
        }
      },
      keepUnusedDataFor: 30,
      async onCacheEntryAdded(_arg, { cacheDataLoaded, cacheEntryRemoved }) {
        const loaded = await cacheDataLoaded.catch(() => null);
        await cacheEntryRemoved;
        if (loaded) URL.revokeObjectURL(loaded.data);
      },
    }),
    certifyTemplatePdf: build.mutation<null, { eventId: string; templateId: string; template: TemplateInput; recordId?: string; filename: string }>({
      queryFn: ({ eventId, templateId, template, recordId, filename }, { getState }) =>
        download(getState(), 'POST', `${base(eventId)}/templates/${templateId}/preview`, filename, { template, recordId, format: 'pdf' }),
    }),

    // Publishing
    certifyPublishSummary: build.query<PublishSummary, string>({
      query: (eventId) => `${base(eventId)}/publish/summary`,
      transformResponse: (body: unknown) => unwrap<PublishSummary>(body),
      providesTags: (_r, _e, eventId) => of(eventId, 'CertifySummary'),
      ...json,
    }),
    certifyCurrentRun: build.query<RunProgress | null, string>({
      query: (eventId) => `${base(eventId)}/publish/runs/current`,
      transformResponse: (body: unknown) => {
        const run = unwrap<RunProgress | null>(body);
        return run && typeof run === 'object' && 'status' in run ? run : null;
      },
      providesTags: (_r, _e, eventId) => of(eventId, 'CertifyRun'),
      // A run that has just ended changed records, the counts and the setup state.
      async onQueryStarted(eventId, { dispatch, getCacheEntry, queryFulfilled }) {
        const before = getCacheEntry().data;
        const after = await queryFulfilled.then((r) => r.data).catch(() => undefined);
        if (after !== undefined && isRunActive(before) && !isRunActive(after)) {
          dispatch(certifyApi.util.invalidateTags(of(eventId, ...RECORD_EFFECTS)));
        }
      },
      ...json,
    }),
    certifyPublish: build.mutation<PublishResponse, { eventId: string; body: PublishRequest }>({
      // The answer is `{ data: run, joined, message }`, kept whole.
      query: ({ eventId, body }): QueryArguments => ({ url: `${base(eventId)}/publish`, method: 'POST', data: body }),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyRun'),
      ...json,
    }),
    certifyCancelRun: build.mutation<RunProgress, { eventId: string; runId: string }>({
      query: ({ eventId, runId }): QueryArguments => ({ url: `${base(eventId)}/publish/runs/${runId}/cancel`, method: 'POST', data: {} }),
      transformResponse: (body: unknown) => unwrap<RunProgress>(body),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyRun'),
      ...json,
    }),
    certifyDownloadZip: build.mutation<null, { eventId: string; category?: string; filename: string }>({
      queryFn: ({ eventId, category, filename }, { getState }) =>
        download(
          getState(),
          'GET',
          `${base(eventId)}/certificates.zip${category ? `?category=${encodeURIComponent(category)}` : ''}`,
          filename
        ),
    }),

    // Media library
    certifyMediaFile: build.query<MediaFile, number | string>({
      query: (id) => `/upload/files/${id}`,
      transformResponse: (body: unknown) => unwrap<MediaFile>(body),
      ...json,
    }),
    certifyUploadMedia: build.mutation<MediaFile, File>({
      query: (file): QueryArguments => {
        const form = new FormData();
        form.append('files', file);
        return { url: '/upload', method: 'POST', data: form };
      },
      transformResponse: (body: unknown) => {
        const files = unwrap<MediaFile[] | MediaFile>(body);
        const first = Array.isArray(files) ? files[0] : files;
        if (!first) throw new Error('The upload returned no file.');
        return first;
      },
      ...json,
    }),
  }),
});

/**
 * Event data can change behind the admin's back (a partner's push, a scheduled feed, another
 * organiser), so a screen that mounts reads it again while showing what is cached.
 */
type QueryOptions = { skip?: boolean; pollingInterval?: number };
const fresh =
  <A, R>(hook: (arg: A, options?: QueryOptions & { refetchOnMountOrArgChange?: boolean }) => R) =>
  (arg: A, options: QueryOptions = {}): R =>
    hook(arg, { ...options, refetchOnMountOrArgChange: true });

export const useEventsQuery = fresh(certifyApi.useCertifyEventsQuery);
export const useEventQuery = fresh(certifyApi.useCertifyEventQuery);
export const useSetupQuery = fresh(certifyApi.useCertifySetupQuery);
export const useSourcesQuery = fresh(certifyApi.useCertifySourcesQuery);
export const useRecordsQuery = fresh(certifyApi.useCertifyRecordsQuery);
export const useTemplatesQuery = fresh(certifyApi.useCertifyTemplatesQuery);
export const usePublishSummaryQuery = fresh(certifyApi.useCertifyPublishSummaryQuery);
const useCurrentRunQuery = fresh(certifyApi.useCertifyCurrentRunQuery);

export const {
  useCertifySaveSourceMutation: useSaveSourceMutation,
  useCertifyDeleteSourceMutation: useDeleteSourceMutation,
  useCertifyRotateTokenMutation: useRotateTokenMutation,
  useCertifySyncSourceMutation: useSyncSourceMutation,
  useCertifyPreviewImportMutation: usePreviewImportMutation,
  useCertifyCommitImportMutation: useCommitImportMutation,
  useLazyCertifyRecordsQuery: useLazyRecordsQuery,
  useCertifySaveRecordMutation: useSaveRecordMutation,
  useCertifyDeleteRecordsMutation: useDeleteRecordsMutation,
  useCertifyEmailRecordMutation: useEmailRecordMutation,
  useCertifyExportRecordsMutation: useExportRecordsMutation,
  useCertifyCreateTemplateMutation: useCreateTemplateMutation,
  useCertifyUpdateTemplateMutation: useUpdateTemplateMutation,
  useCertifyDeleteTemplateMutation: useDeleteTemplateMutation,
  useCertifyFontsQuery: useFontsQuery,
  useCertifyTemplatePreviewQuery: useTemplatePreviewQuery,
  useCertifyTemplatePdfMutation: useTemplatePdfMutation,
  useCertifyPublishMutation: usePublishMutation,
  useCertifyCancelRunMutation: useCancelRunMutation,
  useCertifyDownloadZipMutation: useDownloadZipMutation,
  useCertifyMediaFileQuery: useMediaFileQuery,
  useCertifyUploadMediaMutation: useUploadMediaMutation,
} = certifyApi;

const RUN_POLL_MS = 1500;

/** The event's current or last publish run, polled only while it is active. */
export const useRunProgressQuery = (eventId: string, { skip = false }: { skip?: boolean } = {}) => {
  const [active, setActive] = React.useState(false);
  const result = useCurrentRunQuery(eventId, { skip, pollingInterval: active ? RUN_POLL_MS : 0 });
  const nowActive = !skip && isRunActive(result.data);
  React.useEffect(() => setActive(nowActive), [nowActive]);
  return { ...result, active: nowActive };
};

