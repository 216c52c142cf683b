import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import Handlebars from 'handlebars';
import { getService, parseOrThrow } from '../../utils';
import type { RequestContext } from '../../utils/context';
import type { EventView } from '../../../../shared/contracts/events';
import type { PublicCertificate } from '../../../../shared/contracts/publish';
import { finderQuery, FINDER_MAX_PAGE_SIZE, type Pagination } from '../../../../shared/contracts/finder';
import { ERROR_CODES } from '../../../../shared/errors';
import { shareData, SHARE_SCRIPT, SHARE_SCRIPT_HASH, type ShareData } from './share';
import { pickLocale, translator, type MessageKey, type Translator } from './i18n';

/**
 * The participant-facing pages: the finder (`/certificates/:slug`) and the verify page
 * (`/verify/:code`, the URL in every certificate's QR code, which is also the page people share).
 * Server-rendered HTML whose only script copies and shares the link, built on the participant
 * service so the plan gate and "published only" rules are the same as the JSON API's. Every text
 * is in the visitor's language (`./i18n`, from Accept-Language). Handlebars escapes every value.
 */

type ErrorDetails = { code?: unknown; revokedAt?: unknown; reason?: unknown; errors?: unknown };

/** What the error page needs of a thrown error (Strapi's errors carry their class in `name`, HTTP ones a `status`). */
const errorInfo = (err: unknown): { name: string; message: string; status?: number; details: ErrorDetails } => {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: unknown; message?: unknown; status?: unknown; details?: unknown };
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: typeof e.message === 'string' ? e.message : String(err),
    status: typeof e.status === 'number' ? e.status : undefined,
    details: typeof e.details === 'object' && e.details !== null ? (e.details as ErrorDetails) : {},
  };
};

/** How long the verify page waits for a share image made on demand (see participant.withShareImage). */
const VERIFY_IMAGE_WAIT_MS = 5000;

const hb = Handlebars.create();

/** Templates reach the page's translator as `@root.i18n`. */
const i18nOf = (options: Handlebars.HelperOptions): Translator => options.data.root.i18n;
hb.registerHelper('t', (key: MessageKey, options: Handlebars.HelperOptions) => i18nOf(options).t(key, options.hash));
hb.registerHelper('date', (value: unknown, options: Handlebars.HelperOptions) => i18nOf(options).date(value));

const LAYOUT = hb.compile(`<!doctype html>
<html lang="{{i18n.locale}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
{{#if share}}<meta name="description" content="{{share.description}}">
<meta property="og:type" content="website"><meta property="og:title" content="{{share.title}}"><meta property="og:description" content="{{share.description}}"><meta property="og:url" content="{{share.url}}">
{{#if share.image}}<meta property="og:image" content="{{share.image.url}}">{{#if share.image.width}}<meta property="og:image:width" content="{{share.image.width}}"><meta property="og:image:height" content="{{share.image.height}}">{{/if}}<meta property="og:image:alt" content="{{share.title}}">
<meta name="twitter:card" content="summary_large_image"><meta name="twitter:image" content="{{share.image.url}}">{{else}}<meta name="twitter:card" content="summary">{{/if}}<meta name="twitter:title" content="{{share.title}}"><meta name="twitter:description" content="{{share.description}}">
<link rel="canonical" href="{{share.url}}">{{/if}}
<style>
  :root { color-scheme: light; --ink:#1d2433; --muted:#5b6475; --line:#e3e6ee; --accent:#3b4cca; --ok:#1f7a4d; --bad:#b3261e; }
  * { box-sizing: border-box; }
  body { margin:0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color:var(--ink); background:#f5f6fa; }
  main { max-width: 880px; margin: 0 auto; padding: 32px 20px 64px; }
  h1 { font-size: 28px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 0 0 4px; }
  .muted { color: var(--muted); } .card { background:#fff; border:1px solid var(--line); border-radius:12px; padding:20px; margin-top:20px; }
  form { display:flex; gap:8px; flex-wrap:wrap; margin-top:16px; }
  input { flex:1 1 200px; padding:10px 12px; border:1px solid var(--line); border-radius:8px; font:inherit; }
  button, .btn { display:inline-block; padding:10px 16px; border-radius:8px; border:0; background:var(--accent); color:#fff; font:inherit; font-weight:600; text-decoration:none; cursor:pointer; }
  .btn.secondary { background:#fff; color:var(--accent); border:1px solid var(--accent); }
  .result { display:grid; grid-template-columns: 240px 1fr; gap:20px; align-items:start; }
  .result img.share { width:100%; border-radius:8px; border:1px solid var(--line); }
  .photos { display:flex; gap:8px; flex-wrap:wrap; margin-top:12px; } .photos img { width:120px; height:80px; object-fit:cover; border-radius:6px; }
  .actions { display:flex; gap:8px; flex-wrap:wrap; margin-top:12px; }
  .badge { display:inline-block; padding:4px 10px; border-radius:999px; font-weight:700; font-size:14px; }
  .badge.ok { background:#e3f4ea; color:var(--ok); } .badge.bad { background:#fbe9e7; color:var(--bad); }
  dl { display:grid; grid-template-columns: max-content 1fr; gap:4px 16px; margin:12px 0 0; } dt { color:var(--muted); } dd { margin:0; }
  @media (max-width: 640px) { .result { grid-template-columns: 1fr; } }
</style></head>
<body><main>{{{body}}}</main>{{#if share}}<script>{{{script}}}</script>{{/if}}</body></html>`);


const FINDER = hb.compile(`
<p class="muted">{{t "finder.kicker"}}</p>
<h1>{{event.name}}</h1>
{{#if event.date}}<p class="muted">{{date event.date}}</p>{{/if}}
<form method="get" action="">
  <input name="bib" placeholder="{{t "finder.bibPlaceholder"}}" value="{{bib}}" inputmode="numeric" aria-label="{{t "finder.bibLabel"}}">
  <input name="name" placeholder="{{t "finder.namePlaceholder"}}" value="{{name}}" aria-label="{{t "finder.nameLabel"}}">
  <button type="submit">{{t "finder.submit"}}</button>
</form>
{{#if error}}<div class="card"><span class="badge bad">{{error}}</span></div>{{/if}}
{{#if noMatch}}<div class="card">{{noMatch}}</div>{{/if}}
{{#if count}}<p class="muted" id="count">{{count}}{{#if paged}} · {{t "finder.page" page=pagination.page pageCount=pagination.pageCount}}{{/if}}</p>{{/if}}
{{#each results}}
<div class="card result">
  <div>{{#if imageUrl}}<img class="share" src="{{imageUrl}}" alt="{{t "certificate.imageAlt" name=name}}">{{/if}}</div>
  <div>
    <h2>{{name}}</h2>
    <dl><dt>{{t "certificate.bib"}}</dt><dd>{{bib}}</dd>{{#if category}}<dt>{{t "certificate.category"}}</dt><dd>{{category}}</dd>{{/if}}{{#if finishTime}}<dt>{{t "certificate.finishTime"}}</dt><dd>{{finishTime}}</dd>{{/if}}</dl>
    <div class="actions"><a class="btn" href="{{pdfUrl}}">{{t "certificate.download"}}</a>{{#if imageUrl}}<a class="btn secondary" href="{{imageUrl}}">{{t "certificate.shareImage"}}</a>{{/if}}<a class="btn secondary" href="{{verifyUrl}}">{{t "certificate.verify"}}</a></div>
    {{#if photos.length}}<div class="photos" aria-label="{{t "certificate.photos"}}">{{#each photos}}{{#if url}}<a href="{{url}}"><img src="{{url}}" alt="{{caption}}"></a>{{/if}}{{/each}}</div>{{/if}}
  </div>
</div>
{{/each}}
{{#if paged}}<nav class="actions" aria-label="{{t "finder.pages"}}">{{#if previousUrl}}<a class="btn secondary" rel="prev" href="{{previousUrl}}">{{t "finder.previous"}}</a>{{/if}}{{#if nextUrl}}<a class="btn secondary" rel="next" href="{{nextUrl}}">{{t "finder.next"}}</a>{{/if}}</nav>{{/if}}`);

const VERIFY = hb.compile(`
<span class="badge ok">{{t "verify.valid"}}</span>
<h1 style="margin-top:12px">{{c.name}}</h1>
<p class="muted">{{c.event.name}}{{#if c.event.date}} · {{date c.event.date}}{{/if}}</p>
<div class="card result">
  <div>{{#if c.imageUrl}}<img class="share" src="{{c.imageUrl}}" alt="{{t "certificate.imageAlt" name=c.name}}">{{/if}}</div>
  <div>
    <dl>
      <dt>{{t "certificate.bib"}}</dt><dd>{{c.bib}}</dd>
      {{#if c.category}}<dt>{{t "certificate.category"}}</dt><dd>{{c.category}}</dd>{{/if}}
      {{#if c.finishTime}}<dt>{{t "certificate.finishTime"}}</dt><dd>{{c.finishTime}}</dd>{{/if}}
      {{#if c.issuedAt}}<dt>{{t "certificate.issuedOn"}}</dt><dd>{{date c.issuedAt}}</dd>{{/if}}
      {{#if c.correctedAt}}<dt>{{t "certificate.correctedOn"}}</dt><dd>{{date c.correctedAt}}</dd>{{/if}}
      <dt>{{t "certificate.code"}}</dt><dd><code>{{c.code}}</code></dd>
    </dl>
    {{#if corrections}}<p class="muted">{{corrections}}</p>{{/if}}
    <div class="actions"><a class="btn" href="{{c.pdfUrl}}">{{t "certificate.download"}}</a>{{#if finderUrl}}<a class="btn secondary" href="{{finderUrl}}">{{t "verify.allCertificates"}}</a>{{/if}}</div>
    <div class="actions share" data-share-url="{{share.url}}" data-share-title="{{share.title}}">
      <a class="btn secondary" id="linkedin" href="{{share.linkedIn}}" target="_blank" rel="noopener">{{t "share.linkedIn"}}</a>
      <button class="btn secondary" id="copy-link" type="button" data-done="{{t "share.copied"}}" hidden>{{t "share.copy"}}</button>
      <button class="btn secondary" id="native-share" type="button" hidden>{{t "share.native"}}</button>
    </div>
  </div>
</div>`);

const MESSAGE = hb.compile(`<span class="badge bad">{{badge}}</span><h1 style="margin-top:12px">{{heading}}</h1><p>{{message}}</p>`);

/** The finder's message for a search it refused (`details.errors` from the shared schema, else too short). */
const searchProblem = (i18n: Translator, details: ErrorDetails) => {
  const first = Array.isArray(details.errors) ? (details.errors[0] as { path?: unknown } | undefined) : undefined;
  switch (first?.path) {
    case 'bib':
      return i18n.t('finder.invalid.bib');
    case 'name':
      return i18n.t('finder.invalid.name');
    case 'page':
      return i18n.t('finder.invalid.page');
    case 'pageSize':
      return i18n.t('finder.invalid.pageSize', { max: FINDER_MAX_PAGE_SIZE });
    default:
      return i18n.t('finder.tooShort');
  }
};

/** What a participant is told about a certificate or event they cannot see, by the error's code. */
const problemMessage = (i18n: Translator, status: number, details: ErrorDetails, slug: string) => {
  if (status === 500) return i18n.t('error.genericMessage');
  switch (details.code) {
    case ERROR_CODES.certificateRevoked: {
      const on = details.revokedAt ? i18n.date(details.revokedAt) : '';
      if (!on) return i18n.t('error.revokedUndated');
      return typeof details.reason === 'string' && details.reason ? i18n.t('error.revokedWithReason', { date: on, reason: details.reason }) : i18n.t('error.revoked', { date: on });
    }
    case ERROR_CODES.eventNotFound:
      return i18n.t('error.eventNotFound', { slug });
    case ERROR_CODES.certificateNotFound:
      return i18n.t('error.certificateNotFound');
    default:
      return i18n.t('error.certificatesOffline');
  }
};

const pages = ({ strapi }: { strapi: Core.Strapi }) => {
  /** The visitor's language, from Accept-Language. */
  const language = (ctx: RequestContext) => translator(pickLocale((langs) => ctx.acceptsLanguages(langs)));

  /**
   * Pages are the same for every visitor of a language, so a CDN may keep them a minute (a
   * revocation reaches visitors within that) per Accept-Language (`Vary`), and a revalidation
   * with the ETag (which differs per language, as the HTML does) costs no body.
   */
  const send = (ctx: RequestContext, i18n: Translator, status: number, title: string, body: string, share: ShareData | null = null) => {
    const html = LAYOUT({ title, body, share, script: SHARE_SCRIPT, i18n });
    const etag = `W/"${crypto.createHash('sha1').update(html).digest('base64url')}"`;
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Content-Security-Policy', `default-src 'none'; img-src 'self' data: https: http:; style-src 'unsafe-inline'; script-src ${SHARE_SCRIPT_HASH}; form-action 'self'; frame-ancestors 'none'`);
    ctx.set('Cache-Control', status >= 500 ? 'no-store' : `public, max-age=${status === 200 ? 60 : 30}, stale-while-revalidate=300`);
    ctx.set('Content-Language', i18n.locale);
    ctx.vary('Accept-Language');
    ctx.set('ETag', etag);
    // Share links must be crawlable by link previews; only the finder stays out of search engines.
    if (!share) ctx.set('X-Robots-Tag', 'noindex');
    if (status === 200 && ctx.get('if-none-match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.body = html;
  };

  const sendError = (ctx: RequestContext, i18n: Translator, thrown: unknown) => {
    const err = errorInfo(thrown);
    const status = err.status === 410 ? 410 : err.name === 'NotFoundError' ? 404 : err.name === 'PolicyError' ? 403 : err.name === 'ValidationError' ? 400 : 500;
    if (status === 500) strapi.log.error(thrown);
    const [heading, badge] =
      status === 410
        ? [i18n.t('error.revokedHeading'), i18n.t('error.revokedBadge')]
        : status === 404
          ? [i18n.t('error.notFound'), i18n.t('error.notFound')]
          : status === 403
            ? [i18n.t('error.unavailableHeading'), i18n.t('error.unavailableBadge')]
            : [i18n.t('error.genericHeading'), i18n.t('error.unavailableBadge')];
    const message = problemMessage(i18n, status, err.details, ctx.params?.slug ?? '');
    send(ctx, i18n, status, heading, MESSAGE({ badge, heading, message }));
  };

  return {
    async finder(ctx: RequestContext) {
      const i18n = language(ctx);
      const slug = ctx.params?.slug ?? '';
      const bib = typeof ctx.query.bib === 'string' ? ctx.query.bib.trim() : '';
      const name = typeof ctx.query.name === 'string' ? ctx.query.name.trim() : '';
      const searched = Boolean(bib || name);
      try {
        const participant = getService(strapi, 'participant');
        let event: EventView;
        try {
          event = await participant.eventBySlug(slug);
        } catch (err) {
          const code = errorInfo(err).details.code;
          return sendError(ctx, i18n, code === ERROR_CODES.eventNotFound ? { name: 'NotFoundError', details: { code } } : err);
        }
        let results: PublicCertificate[] = [];
        let pagination: Pagination | null = null;
        let error: string | null = null;
        if (searched) {
          try {
            const query = parseOrThrow(finderQuery, { bib, name, page: ctx.query.page, pageSize: ctx.query.pageSize });
            ({ results, pagination } = await participant.find(slug, query));
          } catch (err) {
            if (errorInfo(err).name !== 'ValidationError') throw err;
            error = searchProblem(i18n, errorInfo(err).details);
          }
        }
        // Links to the neighbouring pages keep the search and the page size.
        const pageUrl = (page: number) => {
          const params = new URLSearchParams();
          for (const [key, value] of Object.entries({ bib, name, pageSize: ctx.query.pageSize })) if (typeof value === 'string' && value) params.set(key, value);
          params.set('page', String(page));
          return `?${params}`;
        };
        const paged = Boolean(pagination && pagination.pageCount > 1);
        const noMatch = searched && !error && !results.length ? (bib ? i18n.t('finder.noMatchBib', { bib }) : i18n.t('finder.noMatchName', { name })) : null;
        send(
          ctx,
          i18n,
          200,
          i18n.t('finder.title', { event: event.name }),
          FINDER({
            i18n,
            event,
            bib,
            name,
            results,
            error,
            noMatch,
            pagination,
            count: pagination?.total ? i18n.plural('finder.count', pagination.total) : null,
            paged,
            previousUrl: paged && pagination!.page > 1 ? pageUrl(Math.min(pagination!.page - 1, pagination!.pageCount)) : null,
            nextUrl: paged && pagination!.page < pagination!.pageCount ? pageUrl(pagination!.page + 1) : null,
          })
        );
        // On race night a certificate appears seconds after the finish: "not found yet" is never
        // kept by a browser or CDN without asking again (the ETag makes asking cheap).
        if (noMatch) ctx.set('Cache-Control', 'no-cache');
      } catch (err) {
        sendError(ctx, i18n, err);
      }
    },

    async verify(ctx: RequestContext) {
      const i18n = language(ctx);
      try {
        const found = await getService(strapi, 'participant').byCode(ctx.params?.code ?? '');
        const { certificate, event } = found;
        // Link previews read og:image right after the page: the share image usually exists by
        // then. A visitor waits for it a moment at most (it is in the page's og:image next time).
        const record = await getService(strapi, 'participant').withShareImage(found.record, { waitMs: VERIFY_IMAGE_WAIT_MS });
        const finderUrl = certificate.event.slug ? `/certificates/${encodeURIComponent(certificate.event.slug)}` : null;
        const share = shareData(certificate, record.shareImage ?? null, event.organisation?.name ?? null, i18n);
        const corrections = certificate.history.length
          ? i18n.plural('verify.corrected', certificate.history.length, { dates: certificate.history.map((h) => i18n.date(h.correctedOn)).join(', ') })
          : null;
        send(ctx, i18n, 200, share.title, VERIFY({ i18n, c: certificate, finderUrl, share, corrections }), share);
      } catch (err) {
        sendError(ctx, i18n, err);
      }
    },

    /** Public pages live at the site root (they are what QR codes and emails link to). */
    bootstrap() {
      strapi.server.routes([
        { method: 'GET', path: '/certificates/:slug', handler: (ctx) => this.finder(ctx), config: { auth: false } },
        { method: 'GET', path: '/verify/:code', handler: (ctx) => this.verify(ctx), config: { auth: false } },
      ]);
    },
  };
};

export type PagesService = ReturnType<typeof pages>;
export default pages;
