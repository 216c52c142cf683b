import { isIP } from 'node:net';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type services from '../services';
import pluginConfig, { type CertifyConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import type { ErrorCode } from '../../../shared/errors';

type Services = typeof services;

/** Typed access to the plugin's services. */
export const getService = <T extends keyof Services>(strapi: Core.Strapi, name: T): ReturnType<Services[T]> =>
  strapi.plugin(PLUGIN_ID).service(name) as ReturnType<Services[T]>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const deepMerge = <T>(base: T, override: unknown): T => {
  if (!isPlainObject(base) || !isPlainObject(override)) return (override === undefined ? base : override) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v === undefined) continue;
    out[k] = deepMerge((base as Record<string, unknown>)[k], v);
  }
  return out as T;
};

/** The plugin configuration with every default filled in, however the host app nested it. */
export const getConfig = (strapi: Core.Strapi): CertifyConfig =>
  deepMerge(pluginConfig.default, strapi.config.get(`plugin::${PLUGIN_ID}`, {}));

const WILDCARD_HOSTS = ['', '0.0.0.0', '::'];

/**
 * The base URL participants reach this server at (verify links, QR codes, emails, push URLs):
 * the plugin's `publicUrl` when configured — needed behind a proxy or CDN, where the server
 * cannot know the address visitors use — else Strapi's own `server.url` when absolute, else
 * http://host:port from the server config (localhost when it listens on every interface).
 */
export const publicBaseUrl = (strapi: Core.Strapi): string => {
  const configured = getConfig(strapi).publicUrl;
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
export const certifyError = {
  // PolicyError (a 403): Strapi replaces any other ForbiddenError's message with "Forbidden".
  forbidden: (code: ErrorCode, message: string, details: Record<string, unknown> = {}) =>
    new errors.PolicyError(message, { code, ...details }),
  notFound: (code: ErrorCode, message: string, details: Record<string, unknown> = {}) =>
    new errors.NotFoundError(message, { code, ...details }),
  validation: (message: string, details: Record<string, unknown> = {}) =>
    new errors.ValidationError(message, { code: 'CERTIFY_VALIDATION', ...details }),
  conflict: (code: ErrorCode, message: string, details: Record<string, unknown> = {}) =>
    new errors.ApplicationError(message, { code, ...details }),
};
