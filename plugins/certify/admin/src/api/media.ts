import type { QueryArguments } from '@strapi/strapi/admin';

import { asFailure, certifyApi } from './certifyApi';
import { unwrap, type MediaFile } from './client';

const mediaApi = certifyApi.injectEndpoints({
  endpoints: (build) => ({
    certifyMediaFile: build.query<MediaFile, number | string>({
      query: (id) => `/upload/files/${id}`,
      transformResponse: (body: unknown) => unwrap<MediaFile>(body),
      ...asFailure,
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
      ...asFailure,
    }),
  }),
});

export const {
  useCertifyMediaFileQuery: useMediaFileQuery,
  useCertifyUploadMediaMutation: useUploadMediaMutation,
} = mediaApi;
