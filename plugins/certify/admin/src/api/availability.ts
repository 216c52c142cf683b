import type { QueryArguments } from '@strapi/strapi/admin';

import type { AvailabilityState, OfflineRequest, RevocationView, RevokeRequest } from '../../../shared/contracts/availability';
import { asFailure, base, certifyApi, fresh, of } from './certifyApi';
import { unwrap } from './client';

/*
 * What participants may see: revocation of single certificates and an event taken offline. The
 * verify page, the finder and the files follow this state, so a change here leaves the publish
 * counts alone and only makes the records list and the availability state stale.
 */
const availabilityApi = certifyApi.injectEndpoints({
  endpoints: (build) => ({
    certifyAvailability: build.query<AvailabilityState, string>({
      query: (eventId) => `${base(eventId)}/availability`,
      transformResponse: (body: unknown) => unwrap<AvailabilityState>(body),
      providesTags: (_r, _e, eventId) => of(eventId, 'CertifyAvailability'),
      ...asFailure,
    }),
    certifyRevokeRecord: build.mutation<RevocationView, { eventId: string; id: string } & RevokeRequest>({
      query: ({ eventId, id, reason }): QueryArguments => ({ url: `${base(eventId)}/records/${id}/revoke`, method: 'POST', data: { reason } }),
      transformResponse: (body: unknown) => unwrap<RevocationView>(body),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyRecord', 'CertifyAvailability'),
      ...asFailure,
    }),
    certifyReinstateRecord: build.mutation<RevocationView, { eventId: string; id: string }>({
      query: ({ eventId, id }): QueryArguments => ({ url: `${base(eventId)}/records/${id}/reinstate`, method: 'POST', data: {} }),
      transformResponse: (body: unknown) => unwrap<RevocationView>(body),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyRecord', 'CertifyAvailability'),
      ...asFailure,
    }),
    certifyTakeOffline: build.mutation<AvailabilityState, { eventId: string } & OfflineRequest>({
      query: ({ eventId, reason }): QueryArguments => ({ url: `${base(eventId)}/publish/offline`, method: 'POST', data: reason ? { reason } : {} }),
      transformResponse: (body: unknown) => unwrap<AvailabilityState>(body),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyAvailability'),
      ...asFailure,
    }),
    certifyBringOnline: build.mutation<AvailabilityState, { eventId: string }>({
      query: ({ eventId }): QueryArguments => ({ url: `${base(eventId)}/publish/online`, method: 'POST', data: {} }),
      transformResponse: (body: unknown) => unwrap<AvailabilityState>(body),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyAvailability'),
      ...asFailure,
    }),
  }),
});

export const useAvailabilityQuery = fresh(availabilityApi.useCertifyAvailabilityQuery);
export const {
  useCertifyRevokeRecordMutation: useRevokeRecordMutation,
  useCertifyReinstateRecordMutation: useReinstateRecordMutation,
  useCertifyTakeOfflineMutation: useTakeOfflineMutation,
  useCertifyBringOnlineMutation: useBringOnlineMutation,
} = availabilityApi;
