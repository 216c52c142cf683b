import type { QueryArguments } from '@strapi/strapi/admin';

import type { FontFamily, PreviewTexts, TemplateInput, TemplateUpdate } from '../../../shared/contracts/templates';
import { asFailure, base, certifyApi, download, fresh, of, tokenOf } from './certifyApi';
import { requestBlob, toFailure, unwrap, type TemplateView } from './client';

const templatesApi = certifyApi.injectEndpoints({
  endpoints: (build) => ({
    certifyTemplates: build.query<TemplateView[], string>({
      query: (eventId) => `${base(eventId)}/templates`,
      transformResponse: (body: unknown) => unwrap<TemplateView[]>(body),
      providesTags: (_r, _e, eventId) => of(eventId, 'CertifyTemplate'),
      ...asFailure,
    }),
    certifyCreateTemplate: build.mutation<TemplateView, { eventId: string; data: TemplateInput }>({
      query: ({ eventId, data }): QueryArguments => ({ url: `${base(eventId)}/templates`, method: 'POST', data }),
      transformResponse: (body: unknown) => unwrap<TemplateView>(body),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyTemplate', 'CertifySummary', 'CertifySetup'),
      ...asFailure,
    }),
    certifyUpdateTemplate: build.mutation<TemplateView, { eventId: string; id: string; data: Partial<TemplateInput> }>({
      query: ({ eventId, id, data }): QueryArguments => ({ url: `${base(eventId)}/templates/${id}`, method: 'PUT', data }),
      transformResponse: (body: unknown) => unwrap<TemplateView>(body),
      // A changed design makes its records' certificates stale.
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyTemplate', 'CertifySummary', 'CertifyRecord'),
      ...asFailure,
    }),
    certifyDeleteTemplate: build.mutation<unknown, { eventId: string; id: string }>({
      query: ({ eventId, id }): QueryArguments => ({ url: `${base(eventId)}/templates/${id}`, method: 'DELETE' }),
      invalidatesTags: (_r, _e, { eventId }) => of(eventId, 'CertifyTemplate', 'CertifySummary', 'CertifySetup'),
      ...asFailure,
    }),
    certifyFonts: build.query<FontFamily[], void>({
      query: () => '/certify/fonts',
      transformResponse: (body: unknown) => unwrap<FontFamily[]>(body),
      keepUnusedDataFor: 3600,
      ...asFailure,
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
          // A saved template is read with GET (read permission); a draft is sent (design permission).
          const url = `${base(eventId)}/templates/${templateId}/preview`;
          const blob = template
            ? await requestBlob(tokenOf(getState()), 'POST', url, { template, recordId, format: 'png' }, signal)
            : await requestBlob(tokenOf(getState()), 'GET', `${url}?${new URLSearchParams({ format: 'png', ...(recordId ? { recordId } : {}) })}`, undefined, signal);
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
    /**
     * What the canvas shows: each text element's output for the record, rendered by the server's
     * certificate code (Handlebars needs eval, which the admin's CSP forbids), and its @font-face
     * rules. A draft is sent (design permission); without one the saved template is read.
     */
    certifyTemplateTexts: build.query<PreviewTexts, { eventId: string; templateId: string; template?: TemplateUpdate; recordId?: string }>({
      query: ({ eventId, templateId, template, recordId }): QueryArguments => {
        const url = `${base(eventId)}/templates/${templateId}/preview`;
        return template
          ? { url, method: 'POST', data: { template, recordId, format: 'text' } }
          : { url, method: 'GET', config: { params: { format: 'text', ...(recordId ? { recordId } : {}) } } };
      },
      transformResponse: (body: unknown) => unwrap<PreviewTexts>(body),
      keepUnusedDataFor: 30,
      ...asFailure,
    }),
    certifyTemplatePdf: build.mutation<null, { eventId: string; templateId: string; template: TemplateInput; recordId?: string; filename: string }>({
      queryFn: ({ eventId, templateId, template, recordId, filename }, { getState }) =>
        download(getState(), 'POST', `${base(eventId)}/templates/${templateId}/preview`, filename, { template, recordId, format: 'pdf' }),
    }),
  }),
});

export const useTemplatesQuery = fresh(templatesApi.useCertifyTemplatesQuery);
export const {
  useCertifyCreateTemplateMutation: useCreateTemplateMutation,
  useCertifyUpdateTemplateMutation: useUpdateTemplateMutation,
  useCertifyDeleteTemplateMutation: useDeleteTemplateMutation,
  useCertifyFontsQuery: useFontsQuery,
  useCertifyTemplatePreviewQuery: useTemplatePreviewQuery,
  useCertifyTemplateTextsQuery: useTemplateTextsQuery,
  useCertifyTemplatePdfMutation: useTemplatePdfMutation,
} = templatesApi;
