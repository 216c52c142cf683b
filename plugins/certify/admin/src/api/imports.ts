import type { QueryArguments } from '@strapi/strapi/admin';

import type { ImportCommitResult, ImportMapping, ImportPreview } from '../../../shared/contracts/import';
import { asFailure, base, certifyApi, of, RECORD_EFFECTS } from './certifyApi';
import { unwrap } from './client';

/** The dry run changes nothing; the commit changes records. */
const importsApi = certifyApi.injectEndpoints({
  endpoints: (build) => ({
    certifyPreviewImport: build.mutation<ImportPreview, { eventId: string; file: File; sourceId?: string; mapping?: ImportMapping }>({
      query: ({ eventId, file, sourceId, mapping }): QueryArguments => {
        const form = new FormData();
        form.append('file', file);
        if (sourceId) form.append('sourceId', sourceId);
        if (mapping) form.append('mapping', JSON.stringify(mapping));
        return { url: `${base(eventId)}/imports`, method: 'POST', data: form };
      },
      transformResponse: (body: unknown) => unwrap<ImportPreview>(body),
      ...asFailure,
    }),
    certifyCommitImport: build.mutation<ImportCommitResult, { eventId: string; importId: string; mapping?: ImportMapping }>({
      query: ({ eventId, importId, mapping }): QueryArguments => ({
        url: `${base(eventId)}/imports/${importId}/commit`,
        method: 'POST',
        data: mapping ? { mapping } : {},
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
