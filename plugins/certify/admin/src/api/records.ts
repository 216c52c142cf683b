import type { QueryArguments } from '@strapi/strapi/admin';

import type { RecordListQuery, RecordListResponse, RecordView } from '../../../shared/contracts/records';
import { asFailure, base, certifyApi, download, fresh, of, RECORD_EFFECTS } from './certifyApi';
import { unwrap } from './client';

const recordsApi = certifyApi.injectEndpoints({
  endpoints: (build) => ({
    certifyRecords: build.query<RecordListResponse, { eventId: string; query: RecordListQuery }>({
      query: ({ eventId, query }): QueryArguments => ({ url: `${base(eventId)}/records`, config: { params: query } }),
      providesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyRecord'),
      ...asFailure,
    }),
    certifySaveRecord: build.mutation<RecordView, { eventId: string; id?: string; data: Partial<RecordView> }>({
      query: ({ eventId, id, data }): QueryArguments =>
        id ? { url: `${base(eventId)}/records/${id}`, method: 'PUT', data } : { url: `${base(eventId)}/records`, method: 'POST', data },
      transformResponse: (body: unknown) => unwrap<RecordView>(body),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, ...RECORD_EFFECTS),
      ...asFailure,
    }),
    certifyDeleteRecords: build.mutation<unknown, { eventId: string; ids: string[] }>({
      query: ({ eventId, ids }): QueryArguments =>
        ids.length === 1
          ? { url: `${base(eventId)}/records/${ids[0]}`, method: 'DELETE' }
          : { url: `${base(eventId)}/records/bulk-delete`, method: 'POST', data: { ids } },
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, ...RECORD_EFFECTS),
      ...asFailure,
    }),
    certifyEmailRecord: build.mutation<unknown, { eventId: string; id: string }>({
      query: ({ eventId, id }): QueryArguments => ({ url: `${base(eventId)}/records/${id}/email`, method: 'POST', data: {} }),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyRecord'),
      ...asFailure,
    }),
    certifyExportRecords: build.mutation<null, { eventId: string; filename: string }>({
      queryFn: ({ eventId, filename }, { getState }) => download(getState(), 'GET', `${base(eventId)}/records/export.csv`, filename),
    }),
  }),
});

export const useRecordsQuery = fresh(recordsApi.useCertifyRecordsQuery);
export const {
  useLazyCertifyRecordsQuery: useLazyRecordsQuery,
  useCertifySaveRecordMutation: useSaveRecordMutation,
  useCertifyDeleteRecordsMutation: useDeleteRecordsMutation,
  useCertifyEmailRecordMutation: useEmailRecordMutation,
  useCertifyExportRecordsMutation: useExportRecordsMutation,
} = recordsApi;
