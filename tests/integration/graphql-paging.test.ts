/**
 * GraphQL's certifyCertificates pages as the finder API does: the same `page`/`pageSize` bounds and
 * defaults, the same pages in the same order, and the same total and page count.
 */
import { setupApp, type TestApp } from '../helpers/app';
import { markPublished, RECORD } from '../fixtures/publish/helpers';

let app: TestApp;
let slug: string;

const FIRST = ['Ada', 'Ben', 'Cleo', 'Dan', 'Eva', 'Finn', 'Gus'];

beforeAll(async () => {
  app = await setupApp({ CERTIFY_QUEUE_IN_PROCESS: 'false' });
  const event = await app.createEvent({ name: 'Paging 10K' });
  slug = event.slug;
  for (let i = 0; i < 47; i++) {
    await app.strapi.documents(RECORD as any).create({ data: { event: event.documentId, bib: String(100 + i), name: `${FIRST[i % FIRST.length]} Smith` } as any });
  }
  await app.strapi.documents(RECORD as any).create({ data: { event: event.documentId, bib: '999', name: 'Other Person' } as any });
  await markPublished(app.strapi, event.documentId);
});

afterAll(async () => {
  await app?.close();
});

const QUERY = `query($e: String!, $name: String, $bib: String, $page: Int, $pageSize: Int) {
  certifyCertificates(event: $e, name: $name, bib: $bib, page: $page, pageSize: $pageSize) {
    results { bib name }
    pagination { page pageSize total pageCount }
  }
}`;
const gql = (variables: Record<string, unknown>) => app.http().post('/graphql').send({ query: QUERY, variables: { e: slug, ...variables } });
const rest = (query: string) => app.http().get(`/api/certify/events/${slug}/certificates?${query}`);

it('answers the pages the finder API answers, with the same total and page count', async () => {
  const seen: string[] = [];
  for (const page of [1, 2, 3, 4]) {
    const [g, r] = await Promise.all([gql({ name: 'smith', page, pageSize: 20 }), rest(`name=smith&page=${page}&pageSize=20`)]);
    expect(g.body.errors).toBeUndefined();
    const found = g.body.data.certifyCertificates;
    expect(found.pagination).toEqual({ page, pageSize: 20, total: 47, pageCount: 3 });
    expect(found.pagination).toEqual(r.body.meta.pagination);
    expect(Object.keys(found.pagination).sort()).toEqual(Object.keys(r.body.meta.pagination).sort());
    expect(found.results.map((c: any) => c.bib)).toEqual(r.body.data.results.map((c: any) => c.bib));
    expect(found.results).toHaveLength([20, 20, 7, 0][page - 1]);
    seen.push(...found.results.map((c: any) => c.bib));
  }
  expect(new Set(seen).size).toBe(47);
  expect(seen).not.toContain('999');
});

it('defaults to the finder’s first page of 20, and pages a bib lookup too', async () => {
  const g = (await gql({ name: 'smith' })).body.data.certifyCertificates;
  expect(g.pagination).toEqual({ page: 1, pageSize: 20, total: 47, pageCount: 3 });
  expect(g.pagination).toEqual((await rest('name=smith')).body.meta.pagination);
  const bib = (await gql({ bib: '999' })).body.data.certifyCertificates;
  expect(bib.results).toEqual([{ bib: '999', name: 'Other Person' }]);
  expect(bib.pagination).toEqual({ page: 1, pageSize: 20, total: 1, pageCount: 1 });
  const none = (await gql({ bib: '12345' })).body.data.certifyCertificates;
  expect(none).toEqual({ results: [], pagination: { page: 1, pageSize: 20, total: 0, pageCount: 0 } });
});

it.each([
  [{ pageSize: 51 }, /pageSize must be at most 50/],
  [{ pageSize: 0 }, /pageSize must be at least 1/],
  [{ page: 0 }, /page starts at 1/],
])('refuses %j as the finder API does, saying what to fix', async (paging, message) => {
  const g = await gql({ name: 'smith', ...paging });
  expect(g.body.data?.certifyCertificates ?? null).toBeNull();
  expect(g.body.errors[0].message).toMatch(message);
  const query = Object.entries(paging).map(([k, v]) => `${k}=${v}`).join('&');
  const r = await rest(`name=smith&${query}`);
  expect(r.status).toBe(400);
  expect(r.body.error.message).toMatch(message);
});
