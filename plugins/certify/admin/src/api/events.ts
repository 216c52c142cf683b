import type { QueryArguments } from '@strapi/strapi/admin';

import type { SetupState } from '../../../shared/contracts/events';
import { asFailure, base, certifyApi, fresh, of } from './certifyApi';
import { unwrap, type EventDetail, type EventListResponse } from './client';

const eventsApi = certifyApi.injectEndpoints({
  endpoints: (build) => ({
    certifyEvents: build.query<EventListResponse, { search?: string; page: number; pageSize: number }>({
      query: (params): QueryArguments => ({ url: '/certify/events', config: { params } }),
      transformResponse: (body: unknown) => unwrap<EventListResponse>(body),
      providesTags: ['CertifyEvent'],
      ...asFailure,
    }),
    certifyEvent: build.query<EventDetail, string>({
      query: (eventId) => base(eventId),
      transformResponse: (body: unknown) => unwrap<EventDetail>(body),
      providesTags: (_r, _e, eventId) => of(eventId, 'CertifyEvent'),
      ...asFailure,
    }),
    certifySetup: build.query<SetupState, string>({
      query: (eventId) => `${base(eventId)}/setup-state`,
      transformResponse: (body: unknown) => unwrap<SetupState>(body),
      providesTags: (_r, _e, eventId) => of(eventId, 'CertifySetup'),
      ...asFailure,
    }),
  }),
});

export const useEventsQuery = fresh(eventsApi.useCertifyEventsQuery);
export const useEventQuery = fresh(eventsApi.useCertifyEventQuery);
export const useSetupQuery = fresh(eventsApi.useCertifySetupQuery);
