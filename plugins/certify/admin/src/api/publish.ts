import * as React from 'react';
import type { QueryArguments } from '@strapi/strapi/admin';

import type { PreflightReport, PublishRequest, PublishSelection, PublishResponse, PublishSummary, RunProgress, ZipLink } from '../../../shared/contracts/publish';
import { asFailure, base, certifyApi, fresh, of, RECORD_EFFECTS } from './certifyApi';
import { unwrap } from './client';

const ACTIVE_RUN: RunProgress['status'][] = ['queued', 'running', 'cancelling'];
export const isRunActive = (run: RunProgress | null | undefined) => Boolean(run && ACTIVE_RUN.includes(run.status));

/** A publish selection as the pre-flight route's query (lists comma-separated). */
const preflightSearch = (only: PublishSelection | null | undefined) => {
  if (!only) return '';
  const q = new URLSearchParams();
  if (only.bibs) q.set('bibs', only.bibs.join(','));
  if (only.recordIds) q.set('recordIds', only.recordIds.join(','));
  if (only.category) q.set('category', only.category);
  return `?${q.toString()}`;
};

const publishApi = certifyApi.injectEndpoints({
  endpoints: (build) => ({
    certifyPublishSummary: build.query<PublishSummary, string>({
      query: (eventId) => `${base(eventId)}/publish/summary`,
      transformResponse: (body: unknown) => unwrap<PublishSummary>(body),
      providesTags: (_r, _e, eventId) => of(eventId, 'CertifySummary'),
      ...asFailure,
    }),
    /** What the certificates about to be published would show wrong: the whole event, or a selection. */
    certifyPreflight: build.query<PreflightReport, { eventId: string; only?: PublishSelection | null }>({
      query: ({ eventId, only }) => `${base(eventId)}/publish/preflight${preflightSearch(only)}`,
      transformResponse: (body: unknown) => unwrap<PreflightReport>(body),
      // Changes with the records and templates, like the counts.
      providesTags: (_r, _e, { eventId }) => of(eventId, 'CertifySummary', 'CertifyTemplate'),
      ...asFailure,
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
          dispatch(publishApi.util.invalidateTags(of(eventId, ...RECORD_EFFECTS)));
        }
      },
      ...asFailure,
    }),
    certifyPublish: build.mutation<PublishResponse, { eventId: string; body: PublishRequest }>({
      // The answer is `{ data: run, joined, message }`, kept whole.
      query: ({ eventId, body }): QueryArguments => ({ url: `${base(eventId)}/publish`, method: 'POST', data: body }),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyRun'),
      ...asFailure,
    }),
    certifyRetryFailed: build.mutation<PublishResponse, { eventId: string }>({
      // A retry is a publish run: the answer is `{ data: run, joined }`, kept whole like publish's.
      query: ({ eventId }): QueryArguments => ({ url: `${base(eventId)}/publish/retry-failed`, method: 'POST', data: {} }),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyRun'),
      ...asFailure,
    }),
    certifyCancelRun: build.mutation<RunProgress, { eventId: string; runId: string }>({
      query: ({ eventId, runId }): QueryArguments => ({ url: `${base(eventId)}/publish/runs/${runId}/cancel`, method: 'POST', data: {} }),
      transformResponse: (body: unknown) => unwrap<RunProgress>(body),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyRun'),
      ...asFailure,
    }),
    /** A signed link to the archive; the browser then downloads it by itself (streamed, not into the page). */
    certifyZipLink: build.mutation<ZipLink, { eventId: string; category?: string }>({
      query: ({ eventId, category }): QueryArguments => ({
        url: `${base(eventId)}/certificates.zip/link`,
        method: 'POST',
        data: category ? { category } : {},
      }),
      transformResponse: (body: unknown) => unwrap<ZipLink>(body),
      ...asFailure,
    }),
  }),
});

export const usePublishSummaryQuery = fresh(publishApi.useCertifyPublishSummaryQuery);
export const usePreflightQuery = fresh(publishApi.useCertifyPreflightQuery);
const useCurrentRunQuery = fresh(publishApi.useCertifyCurrentRunQuery);
export const {
  useCertifyPublishMutation: usePublishMutation,
  useCertifyRetryFailedMutation: useRetryFailedMutation,
  useCertifyCancelRunMutation: useCancelRunMutation,
  useCertifyZipLinkMutation: useZipLinkMutation,
} = publishApi;

const RUN_POLL_MS = 1500;

/** The event's current or last publish run, polled only while it is active. */
export const useRunProgressQuery = (eventId: string, { skip = false }: { skip?: boolean } = {}) => {
  const [active, setActive] = React.useState(false);
  const result = useCurrentRunQuery(eventId, { skip, pollingInterval: active ? RUN_POLL_MS : 0 });
  const nowActive = !skip && isRunActive(result.data);
  React.useEffect(() => setActive(nowActive), [nowActive]);
  return { ...result, active: nowActive };
};

