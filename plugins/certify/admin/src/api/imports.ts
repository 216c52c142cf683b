import type { QueryArguments } from '@strapi/strapi/admin';

import type { HandEditedChoice, ImportCommitResult, ImportMapping, ImportPreview } from '../../../shared/contracts/import';
import type { MappingReport, NameOrder } from '../../../shared/contracts/mapping';
import { asFailure, base, certifyApi, of, RECORD_EFFECTS } from './certifyApi';
import { unwrap } from './client';

/** The dry run changes nothing; the commit changes records. */
const importsApi = certifyApi.injectEndpoints({
  endpoints: (build) => ({
    certifyPreviewImport: build.mutation<
      ImportPreview & MappingReport,
      { eventId: string; file: File; sourceId?: string; mapping?: ImportMapping; nameOrder?: NameOrder; handEdited?: HandEditedChoice }
    >({
      query: ({ eventId, file, sourceId, mapping, nameOrder, handEdited }): QueryArguments => {
        const form = new FormData();
        form.append('file', file);
        if (sourceId) form.append('sourceId', sourceId);
        if (mapping) form.append('mapping', JSON.stringify(mapping));
        if (nameOrder) form.append('nameOrder', nameOrder);
        if (handEdited) form.append('handEdited', handEdited);
        return { url: `${base(eventId)}/imports`, method: 'POST', data: form };
      },
      transformResponse: (body: unknown) => unwrap<ImportPreview & MappingReport>(body),
      ...asFailure,
    }),
    certifyCommitImport: build.mutation<
      ImportCommitResult,
      { eventId: string; importId: string; mapping?: ImportMapping; nameOrder?: NameOrder; handEdited?: HandEditedChoice }
    >({
      query: ({ eventId, importId, mapping, nameOrder, handEdited }): QueryArguments => ({
        url: `${base(eventId)}/imports/${importId}/commit`,
        method: 'POST',
        data: { ...(mapping ? { mapping } : {}), ...(nameOrder ? { nameOrder } : {}), ...(handEdited ? { handEdited } : {}) },
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
