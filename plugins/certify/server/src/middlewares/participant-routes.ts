import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { getConfigPart, getService } from '../utils';
import type { RequestContext } from '../utils/context';
import { createTurns } from '../utils/turns';

type Handler = (ctx: RequestContext) => Promise<void>;
type KoaMiddleware = (ctx: Context, next: Next) => unknown;
/** A middleware of the chain below, told which route it serves (a koa middleware ignores that). */
type Middleware = (ctx: Context, next: Next, route: number) => unknown;
type MiddlewareEntry = string | { name?: string; resolve?: string; config?: unknown } | KoaMiddleware;

/**
 * Global middlewares that shape every answer (request log, error bodies, security headers, CORS,
 * X-Powered-By): the participant routes run their own instance of each, with the app's config.
 */
const APPLIED = new Set(['strapi::logger', 'strapi::errors', 'strapi::security', 'strapi::cors', 'strapi::poweredBy']);
/**
 * Global middlewares with nothing to do for a participant GET: no body to parse, no session
 * (public routes), not the favicon, not a static file; `strapi::query` patched koa's query parser
 * for the whole app when it was set up, so it applies here too.
 */
const NOT_NEEDED = new Set(['strapi::query', 'strapi::body', 'strapi::session', 'strapi::favicon', 'strapi::public']);

/**
 * Strapi's security middleware builds a new helmet instance for every request (deep-merging its
 * config first: 8% of a bib lookup's CPU). What it sets depends only on the path's kind (the
 * documentation and GraphQL playground paths, the admin in development), never one of these
 * routes, and on config read at start-up: so it runs once per route, and later requests of that
 * route get the headers it set.
 */
const headersOnce = (security: KoaMiddleware): Middleware => {
  const learnt = new Map<number, Array<[string, string | string[]]>>();
  return (ctx, next, route) => {
    const headers = learnt.get(route);
    if (headers) {
      for (const [key, value] of headers) ctx.set(key, value);
      return next();
    }
    const before = new Set(Object.keys(ctx.response.headers));
    return security(ctx, () => {
      learnt.set(
        route,
        Object.entries(ctx.response.headers).flatMap(([key, value]): Array<[string, string | string[]]> =>
          before.has(key) || value === undefined ? [] : [[key, Array.isArray(value) ? value : String(value)]]
        )
      );
      return next();
    });
  };
};

const decode = (value: string): string | null => {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
};

/**
 * The participant reads that carry race-night traffic (finder API, certificate API, finder page,
 * verify page), answered ahead of Strapi's own stack. Registered in `register()` after the rate
 * limits, so those still apply first. Each request runs the global middlewares that shape an
 * answer (APPLIED, instantiated from the app's `config/middlewares` with their config, so headers
 * and error bodies are the same as through the router), then its handler; it skips the rest of
 * the stack (NOT_NEEDED), the router's matching against every admin and content-API route, and
 * the route's authentication and policy stages, which these public routes (`auth: false`, no
 * policies) do not use. A profile of one bib lookup put those skipped parts at over a third of
 * the request's CPU (bench/RESULTS.md, "Lookup"). An app whose middleware list holds anything
 * else (a custom middleware) keeps the usual path for everything. The routes stay declared in
 * `routes/content-api.ts` and by the pages service, which answer them if this does not.
 */
export const registerParticipantRoutes = (strapi: Core.Strapi) => {
  const prefix = String(strapi.config.get('api.rest.prefix', '/api')).replace(/\/$/, '');
  const api = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const controller = () => strapi.plugin('certify').controller('participant') as Record<'find' | 'verify', Handler>;
  const pages = () => getService(strapi, 'pages');
  const routes: Array<[RegExp, 'slug' | 'code', Handler]> = [
    [new RegExp(`^${api}/certify/events/([^/]+)/certificates/?$`), 'slug', (ctx) => controller().find(ctx)],
    [new RegExp(`^${api}/certify/certificates/([^/]+)/?$`), 'code', (ctx) => controller().verify(ctx)],
    [/^\/certificates\/([^/]+)\/?$/, 'slug', (ctx) => pages().finder(ctx)],
    [/^\/verify\/([^/]+)\/?$/, 'code', (ctx) => pages().verify(ctx)],
  ];

  /** The applied middlewares, built on the first participant request (null: use the usual path). */
  let chain: Middleware[] | null | undefined;
  const buildChain = (): Middleware[] | null => {
    const entries = strapi.config.get('middlewares', []) as MiddlewareEntry[];
    const built: Middleware[] = [];
    for (const entry of entries) {
      const name = typeof entry === 'string' ? entry : typeof entry === 'object' && !entry.resolve ? entry.name : undefined;
      if (name && NOT_NEEDED.has(name)) continue;
      if (!name || !APPLIED.has(name)) return null;
      const factory = strapi.middleware(name) as unknown as (config: unknown, ctx: { strapi: Core.Strapi }) => KoaMiddleware | undefined;
      const handler = factory(typeof entry === 'object' ? (entry.config ?? {}) : {}, { strapi });
      if (handler) built.push(name === 'strapi::security' ? headersOnce(handler) : handler);
    }
    return built;
  };

  const run = (ctx: Context, route: number, middlewares: Middleware[], i = 0): Promise<unknown> =>
    i < middlewares.length
      ? Promise.resolve(middlewares[i](ctx, () => run(ctx, route, middlewares, i + 1) as Promise<void>, route))
      : routes[route][2](ctx as unknown as RequestContext);

  // A few participant answers per turn of the event loop, so a crowd's new connections are
  // accepted while earlier ones are answered (utils/turns.ts). `participant.turnSize` 0 switches it off.
  const { turnSize } = getConfigPart(strapi, 'participant');
  const turn = turnSize > 0 ? createTurns(turnSize) : null;

  strapi.server.use(async (ctx: Context, next: Next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    for (let route = 0; route < routes.length; route++) {
      const [pattern, param] = routes[route];
      const match = pattern.exec(ctx.path);
      if (!match) continue;
      if (turn) await turn();
      const value = decode(match[1]);
      if (chain === undefined) chain = buildChain();
      if (value === null || chain === null) return next();
      ctx.params = { [param]: value };
      return run(ctx, route, chain);
    }
    return next();
  });
};
