import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { getConfigPart } from '../utils';

export type LimitedRoute = 'finder' | 'verify' | 'download' | 'push';

type Counter = { windowStart: number; count: number; misses: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Per-IP limits on the public routes: a fixed window of `rateLimit.windowMs` per route class,
 * 429 with Retry-After past the limit, and lookups that keep missing (unknown bibs or codes, the
 * pattern of someone harvesting certificates) answered more and more slowly. Counters live in this
 * process: behind several web processes each counts its own share, so limit at the proxy or CDN
 * as well (docs/PRODUCTION.md). Registered before the push body reader, so a refused push is
 * never read.
 */
export const registerRateLimits = (strapi: Core.Strapi) => {
  const prefix = String(strapi.config.get('api.rest.prefix', '/api')).replace(/\/$/, '');
  const api = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const classes: Array<[LimitedRoute, string, RegExp]> = [
    ['finder', 'GET', new RegExp(`^(/certificates/[^/]+|${api}/certify/events/[^/]+/certificates)/?$`)],
    ['verify', 'GET', new RegExp(`^(/verify/[^/]+|${api}/certify/certificates/[^/]+)/?$`)],
    ['download', 'GET', new RegExp(`^${api}/certify/certificates/[^/]+/(pdf|image)/?$`)],
    ['push', 'POST', new RegExp(`^${api}/certify/sources/[^/]+/push/?$`)],
  ];
  const counters = new Map<string, Counter>();

  const sweep = (now: number, windowMs: number) => {
    for (const [key, c] of counters) if (now - c.windowStart >= windowMs) counters.delete(key);
  };

  strapi.server.use(async (ctx: Context, next: Next) => {
    const match = classes.find(([, method, path]) => (ctx.method === method || (method === 'GET' && ctx.method === 'HEAD')) && path.test(ctx.path));
    if (!match) return next();
    const limits = getConfigPart(strapi, 'rateLimit');
    if (!limits.enabled) return next();
    const [route] = match;
    const now = Date.now();
    if (counters.size > 100_000) sweep(now, limits.windowMs);
    const key = `${route}:${ctx.ip}`;
    let counter = counters.get(key);
    if (!counter || now - counter.windowStart >= limits.windowMs) {
      counter = { windowStart: now, count: 0, misses: 0 };
      counters.set(key, counter);
    }
    counter.count += 1;
    if (counter.count > limits[route]) {
      const retryAfter = Math.max(1, Math.ceil((counter.windowStart + limits.windowMs - now) / 1000));
      ctx.status = 429;
      ctx.set('Retry-After', String(retryAfter));
      ctx.set('Cache-Control', 'no-store');
      if (route === 'push') ctx.set('Connection', 'close');
      ctx.body = {
        data: null,
        error: { status: 429, name: 'RateLimitError', message: `Too many requests: try again in ${retryAfter} s.`, details: { code: 'CERTIFY_RATE_LIMITED', retryAfter } },
      };
      return;
    }
    const excess = counter.misses - limits.missesBeforeDelay;
    if (excess >= 0) await sleep(Math.min(limits.maxDelayMs, 100 * 2 ** excess));
    await next();
    const body = ctx.body as { data?: { results?: unknown[] } } | undefined;
    const missed = ctx.status === 404 || ctx.status === 410 || (route === 'finder' && Array.isArray(body?.data?.results) && body!.data!.results!.length === 0);
    if (missed && route !== 'push') counter.misses += 1;
  });
};
