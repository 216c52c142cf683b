import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { getService } from '../utils';
import { finderQuery, FINDER_MAX_PAGE_SIZE, FINDER_PAGE_SIZE } from '../../../shared/contracts/finder';
import { parseOrThrow } from '../utils';

/* eslint-disable @typescript-eslint/no-explicit-any -- nexus builders come untyped through the graphql plugin's extension service */
type Nexus = any;
type Definition = any;

/**
 * GraphQL shows participants exactly what the finder and the verify page show, through the same
 * service and its rules (published, unrevoked certificates of online events whose plan includes
 * Certify; public fields only), whatever token is used. No Certify content type is in the schema.
 */
export const registerGraphql = (strapi: Core.Strapi) => {
  if (!strapi.plugin('graphql')) return;
  const extension = strapi.plugin('graphql').service('extension');
  for (const uid of Object.values(UID)) extension.shadowCRUD(uid).disable();

  extension.use(({ nexus }: { nexus: Nexus }) => {
    const { objectType, extendType, nonNull, stringArg, intArg, list } = nexus;
    return {
      types: [
        objectType({
          name: 'CertifyCertificateEvent',
          definition(t: Definition) {
            t.nonNull.string('name');
            t.string('slug');
            t.string('date');
          },
        }),
        objectType({
          name: 'CertifyPhoto',
          definition(t: Definition) {
            t.nonNull.string('documentId');
            t.string('url');
            t.string('caption');
          },
        }),
        objectType({
          name: 'CertifyCorrection',
          definition(t: Definition) {
            t.nonNull.string('correctedOn');
          },
        }),
        objectType({
          name: 'CertifyCertificate',
          definition(t: Definition) {
            t.nonNull.string('code');
            t.nonNull.string('bib');
            t.string('name');
            t.string('category');
            t.string('finishTime');
            t.nonNull.field('event', { type: 'CertifyCertificateEvent' });
            t.string('issuedAt');
            t.string('correctedAt');
            t.nonNull.string('pdfUrl');
            t.string('imageUrl');
            t.nonNull.string('verifyUrl');
            t.nonNull.field('photos', { type: list(nonNull('CertifyPhoto')) });
            t.nonNull.field('history', { type: list(nonNull('CertifyCorrection')) });
          },
        }),
        objectType({
          name: 'CertifyPagination',
          description: 'The same paging as the finder API’s meta.pagination.',
          definition(t: Definition) {
            t.nonNull.int('page');
            t.nonNull.int('pageSize');
            t.nonNull.int('total', { description: 'Matching certificates on all pages.' });
            t.nonNull.int('pageCount');
          },
        }),
        objectType({
          name: 'CertifyCertificateSearch',
          definition(t: Definition) {
            t.nonNull.field('event', { type: 'CertifyCertificateEvent' });
            t.nonNull.field('results', { type: list(nonNull('CertifyCertificate')) });
            t.nonNull.field('pagination', { type: 'CertifyPagination' });
          },
        }),
        extendType({
          type: 'Query',
          definition(t: Definition) {
            t.field('certifyCertificates', {
              type: 'CertifyCertificateSearch',
              args: {
                event: nonNull(stringArg()),
                bib: stringArg(),
                name: stringArg(),
                page: intArg({ description: 'From 1 (default 1).' }),
                pageSize: intArg({ description: `1 to ${FINDER_MAX_PAGE_SIZE} (default ${FINDER_PAGE_SIZE}).` }),
              },
              // The finder's own query schema bounds page and pageSize, with the same messages.
              resolve: (_: unknown, args: { event: string; bib?: string | null; name?: string | null; page?: number | null; pageSize?: number | null }) =>
                getService(strapi, 'participant').find(
                  args.event,
                  parseOrThrow(finderQuery, {
                    bib: args.bib ?? undefined,
                    name: args.name ?? undefined,
                    page: args.page ?? undefined,
                    pageSize: args.pageSize ?? undefined,
                  })
                ),
            });
            t.field('certifyCertificate', {
              type: 'CertifyCertificate',
              args: { code: nonNull(stringArg()) },
              resolve: async (_: unknown, args: { code: string }) => (await getService(strapi, 'participant').byCode(args.code)).certificate,
            });
          },
        }),
      ],
      resolversConfig: {
        'Query.certifyCertificates': { auth: false },
        'Query.certifyCertificate': { auth: false },
      },
    };
  });
};
