import { adminApi } from '@strapi/strapi/admin';

import { requestBlob, saveBlob, toFailure, type ApiFailure } from './client';

/*
 * Why Strapi's RTK Query `adminApi` and not @tanstack/react-query: in Strapi 5.54 `adminApi` is a
 * public export of `@strapi/strapi/admin` meant to be extended with `enhanceEndpoints` +
 * `injectEndpoints` (content-releases and review-workflows do exactly this), its store and
 * middleware are already mounted around every plugin page, and its base query goes through
 * `getFetchClient`, so token refresh and the session-expired redirect work as in the rest of the
 * admin. react-query would add a dependency, a second cache and a provider of our own for the
 * same result. The price: the store must stay serialisable, so failures are plain `ApiFailure`
 * objects, previews are cached as object URLs (revoked when their entry leaves the cache) and
 * downloads are saved inside their mutation instead of returning a Blob.
 *
 * Endpoint and tag names start with "certify" because every plugin shares this one API.
 */

const TAGS = [
  'CertifyEvent',
  'CertifySetup',
  'CertifySource',
  'CertifyRecord',
  'CertifyTemplate',
  'CertifySummary',
  'CertifyRun',
  'CertifyAvailability',
] as const;
export type Tag = (typeof TAGS)[number];

/** The admin's API with Certify's tags; each resource file injects its endpoints into it. */
export const certifyApi = adminApi.enhanceEndpoints({ addTagTypes: TAGS });

export const base = (eventId: string) => `/certify/events/${encodeURIComponent(eventId)}`;

/** Tags of one event, for `providesTags`/`invalidatesTags`. */
export const of = (eventId: string, ...types: Tag[]) => types.map((type) => ({ type, id: eventId }));

/** What a record, import or template change makes stale: the list, the counts and the setup state. */
export const RECORD_EFFECTS: Tag[] = ['CertifyRecord', 'CertifySummary', 'CertifySetup'];

/** Every endpoint's failures as `ApiFailure`. */
export const asFailure = {
  transformErrorResponse: (err: unknown): ApiFailure => toFailure(err),
};

// The admin keeps its token in its Redux state (`useAuth` reads the same value).
export const tokenOf = (state: unknown) => (state as { admin_app?: { token?: string | null } }).admin_app?.token;

/** A file the browser saves: fetched and handed to the download prompt inside the mutation. */
export const download = async (state: unknown, method: 'GET' | 'POST', path: string, filename: string, body?: unknown) => {
  try {
    saveBlob(await requestBlob(tokenOf(state), method, path, body), filename);
    return { data: null };
  } catch (err) {
    return { error: toFailure(err) };
  }
};

type QueryOptions = { skip?: boolean; pollingInterval?: number };

/**
 * Event data can change behind the admin's back (a partner's push, a scheduled feed, another
 * organiser), so a screen that mounts reads it again while showing what is cached.
 */
export const fresh =
  <A, R>(hook: (arg: A, options?: QueryOptions & { refetchOnMountOrArgChange?: boolean }) => R) =>
  (arg: A, options: QueryOptions = {}): R =>
    hook(arg, { ...options, refetchOnMountOrArgChange: true });
