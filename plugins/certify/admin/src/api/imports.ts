import type { QueryArguments } from '@strapi/strapi/admin';

import type { ImportCommitResult, ImportMapping, ImportPreview } from '../../../shared/contracts/import';
import type { MappingReport, NameOrder } from '../../../shared/contracts/mapping';
import { asFailure, base, certifyApi, of, RECORD_EFFECTS } from './certifyApi';
import { unwrap } from './client';

/** The dry run changes nothing; the commit changes records. */
const importsApi = certifyApi.injectEndpoints({
  endpoints: (build) => ({
    certifyPreviewImport: build.mutation<
      ImportPreview & MappingReport,
      { eventId: string; file: File; sourceId?: string; mapping?: ImportMapping; nameOrder?: NameOrder }
    >({
      query: ({ eventId, file, sourceId, mapping, nameOrder }): QueryArguments => {
        const form = new FormData();
        form.append('file', file);
        if (sourceId) form.append('sourceId', sourceId);
        if (mapping) form.append('mapping', JSON.stringify(mapping));
        if (nameOrder) form.append('nameOrder', nameOrder);
        return { url: `${base(eventId)}/imports`, method: 'POST', data: form };
      },
      transformResponse: (body: unknown) => unwrap<ImportPreview & MappingReport>(body),
      ...asFailure,
    }),
    certifyCommitImport: build.mutation<ImportCommitResult, { eventId: string; importId: string; mapping?: ImportMapping; nameOrder?: NameOrder }>({
      query: ({ eventId, importId, mapping, nameOrder }): QueryArguments => ({
        url: `${base(eventId)}/imports/${importId}/commit`,
        method: 'POST',
        data: { ...(mapping ? { mapping } : {}), ...(nameOrder ? { nameOrder } : {}) },
      }),
      transformResponse: (body: unknown) => unwrap<ImportCommitResult>(body),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifySource', ...RECORD_EFFECTS),
      ...asFailure,
    }),
  }),
});

export const {
  useCertifyPreviewImportMutation: usePreviewImportMutation,
  useCertifyCommitImportMutation: useCommitImportMutation,
} = importsApi;
