import type { QueryArguments } from '@strapi/strapi/admin';

import type { SourceView, SourceWithToken } from '../../../shared/contracts/sources';
import { asFailure, base, certifyApi, fresh, of, RECORD_EFFECTS } from './certifyApi';
import { unwrap } from './client';

const sourcesApi = certifyApi.injectEndpoints({
  endpoints: (build) => ({
    certifySources: build.query<SourceView[], string>({
      query: (eventId) => `${base(eventId)}/sources`,
      transformResponse: (body: unknown) => unwrap<SourceView[]>(body),
      providesTags: (_r, _e, eventId) => of(eventId, 'CertifySource'),
      ...asFailure,
    }),
    certifySaveSource: build.mutation<SourceView | SourceWithToken, { eventId: string; id?: string; data: Partial<SourceView> }>({
      query: ({ eventId, id, data }): QueryArguments =>
        id ? { url: `${base(eventId)}/sources/${id}`, method: 'PUT', data } : { url: `${base(eventId)}/sources`, method: 'POST', data },
      transformResponse: (body: unknown) => unwrap<SourceView | SourceWithToken>(body),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifySource', 'CertifySetup'),
      ...asFailure,
    }),
    certifyDeleteSource: build.mutation<unknown, { eventId: string; id: string }>({
      query: ({ eventId, id }): QueryArguments => ({ url: `${base(eventId)}/sources/${id}`, method: 'DELETE' }),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifySource', 'CertifySetup'),
      ...asFailure,
    }),
    certifyRotateToken: build.mutation<{ token: string }, { eventId: string; id: string }>({
      query: ({ eventId, id }): QueryArguments => ({ url: `${base(eventId)}/sources/${id}/token`, method: 'POST', data: {} }),
      transformResponse: (body: unknown) => unwrap<{ token: string }>(body),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifySource'),
      ...asFailure,
    }),
    certifySyncSource: build.mutation<unknown, { eventId: string; id: string }>({
      query: ({ eventId, id }): QueryArguments => ({ url: `${base(eventId)}/sources/${id}/sync`, method: 'POST', data: {} }),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifySource', ...RECORD_EFFECTS),
      ...asFailure,
    }),
  }),
});

export const useSourcesQuery = fresh(sourcesApi.useCertifySourcesQuery);
export const {
  useCertifySaveSourceMutation: useSaveSourceMutation,
  useCertifyDeleteSourceMutation: useDeleteSourceMutation,
  useCertifyRotateTokenMutation: useRotateTokenMutation,
  useCertifySyncSourceMutation: useSyncSourceMutation,
} = sourcesApi;
