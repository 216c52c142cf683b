import { isIP } from 'node:net';
import type { Core, Modules, UID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { z } from 'zod';
import type services from '../services';
import pluginConfig, { type CertifyConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { ERROR_CODES, type ErrorCode } from '../../../shared/errors';

type Services = typeof services;

/** Typed access to the plugin's services. */
export const getService = <T extends keyof Services>(strapi: Core.Strapi, name: T): ReturnType<Services[T]> =>
  strapi.plugin(PLUGIN_ID).service(name) as ReturnType<Services[T]>;

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const deepMerge = <T>(base: T, override: unknown): T => {
  if (!isPlainObject(base) || !isPlainObject(override)) return (override === undefined ? base : override) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v === undefined) continue;
    out[k] = deepMerge(base[k], v);
  }
  return out as T;
};

/** The plugin configuration with every default filled in, however the host app nested it. */
export const getConfig = (strapi: Core.Strapi): CertifyConfig =>
  deepMerge(pluginConfig.default, strapi.config.get(`plugin::${PLUGIN_ID}`, {}));

/**
 * One part of the configuration with its defaults: what per-request code reads (the rate limits,
 * the public URL), where merging the whole tree on every request showed in profiles.
 */
export const getConfigPart = <K extends keyof CertifyConfig>(strapi: Core.Strapi, key: K): CertifyConfig[K] =>
  deepMerge(pluginConfig.default[key], (strapi.config.get(`plugin::${PLUGIN_ID}`, {}) as Partial<CertifyConfig> | undefined)?.[key]);

const WILDCARD_HOSTS = ['', '0.0.0.0', '::'];

/**
 * The base URL participants reach this server at (verify links, QR codes, emails, push URLs):
 * the plugin's `publicUrl` when configured — needed behind a proxy or CDN, where the server
 * cannot know the address visitors use — else Strapi's own `server.url` when absolute, else
 * http://host:port from the server config (localhost when it listens on every interface).
 */
export const publicBaseUrl = (strapi: Core.Strapi): string => {
  const configured = getConfigPart(strapi, 'publicUrl');
  if (configured) return configured.replace(/\/+$/, '');
  const serverUrl = String(strapi.config.get('server.url', '') ?? '');
  if (/^https?:\/\//i.test(serverUrl)) return serverUrl.replace(/\/+$/, '');
  const host = String(strapi.config.get('server.host', '') ?? '');
  const port = strapi.config.get('server.port', 1337);
  const hostname = WILDCARD_HOSTS.includes(host) ? 'localhost' : isIP(host) === 6 ? `[${host}]` : host;
  return `http://${hostname}:${port}${serverUrl.replace(/\/+$/, '')}`;
};

/** An absolute public URL for a path of this server, e.g. publicUrl(strapi, '/verify/CODE'). */
export const publicUrl = (strapi: Core.Strapi, path: string): string => `${publicBaseUrl(strapi)}${path}`;

/** An API error carrying a machine-readable code in `error.details.code`. */
/**
 * Answers with Strapi's error body directly, for answers given before the router (body readers)
 * or whose message Strapi's error middleware would replace (it turns every 401 into "Unauthorized").
 */
export const replyError = (
  ctx: { status: number; body: unknown },
  status: number,
  name: string,
  message: string,
  details: Record<string, unknown> = {}
) => {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name, message, details } };
};

export const certifyError = {
  // PolicyError (a 403): Strapi replaces the message of other ForbiddenErrors with "Forbidden".
  forbidden: (code: ErrorCode, message: string, details: Record<string, unknown> = {}) =>
    new errors.PolicyError(message, { code, ...details }),
  notFound: (code: ErrorCode, message: string, details: Record<string, unknown> = {}) =>
    new errors.NotFoundError(message, { code, ...details }),
  validation: (message: string, details: Record<string, unknown> = {}) =>
    new errors.ValidationError(message, { code: ERROR_CODES.validation, ...details }),
  conflict: (code: ErrorCode, message: string, details: Record<string, unknown> = {}) =>
    new errors.ApplicationError(message, { code, ...details }),
};

/** One field's problem in a 400: where (`path`, e.g. "rules.conditions.0.op") and what to fix. */
export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * Parses a request part with its shared schema, or throws the project's 400: every issue with its
 * path in `details.errors`, and all of them in the message.
 */
export const parseOrThrow = <S extends z.ZodType>(schema: S, input: unknown): z.output<S> => {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues: FieldIssue[] = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw certifyError.validation(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '), {
    errors: issues,
  });
};

type DocumentInput<T extends UID.ContentType> = Modules.Documents.Params.Data.Input<T>;

/**
 * Document Service `data` for one of the plugin's content types, from values already checked by a
 * shared schema. Strapi types `data` from its generated content-type registry, which lists no
 * plugin attribute until the generated typings cover the plugin; this is the one hand-over point.
 */
export const documentData = <T extends UID.ContentType>(_uid: T, data: object): DocumentInput<T> => data as DocumentInput<T>;
