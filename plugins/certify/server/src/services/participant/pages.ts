import type { Core } from '@strapi/strapi';
import Handlebars from 'handlebars';
import { getService } from '../../utils';
import type { PublicCertificate } from '../../../../shared/contracts/publish';
import { finderQuery, type Pagination } from '../../../../shared/contracts/finder';
import { parseOrThrow } from '../../utils';
import crypto from 'node:crypto';
import type { RequestContext } from '../../utils/context';
import type { EventView } from '../../../../shared/contracts/events';
import { ERROR_CODES } from '../../../../shared/errors';

/** What the error page needs of a thrown error (Strapi's errors carry their class in `name`, HTTP ones a `status`). */
const errorInfo = (err: unknown): { name: string; message: string; status?: number } => {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: unknown; message?: unknown; status?: unknown };
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: typeof e.message === 'string' ? e.message : String(err),
    status: typeof e.status === 'number' ? e.status : undefined,
  };
};
import { shareData, SHARE_SCRIPT, SHARE_SCRIPT_HASH, type ShareData } from './share';

/**
 * The participant-facing pages: the finder (`/certificates/:slug`) and the verify page
 * (`/verify/:code`, the URL in every certificate's QR code, which is also the page people share).
 * Server-rendered HTML whose only script copies and shares the link, built on the participant service so the plan gate and "published only" rules are the same as
 * the JSON API's. Handlebars escapes every value.
 */
const hb = Handlebars.create();

// One formatter for every page: `toLocaleDateString` with options builds a new one per call (7% of a verify page's CPU).
const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
hb.registerHelper('date', (value: unknown) => {
  if (!value) return '';
  const d = new Date(String(value));
  return Number.isNaN(d.getTime()) ? String(value) : DATE.format(d);
});

const LAYOUT = hb.compile(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
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
<p class="muted">Certificates</p>
<h1>{{event.name}}</h1>
{{#if event.date}}<p class="muted">{{date event.date}}</p>{{/if}}
<form method="get" action="">
  <input name="bib" placeholder="Bib number" value="{{bib}}" inputmode="numeric" aria-label="Bib number">
  <input name="name" placeholder="or your name" value="{{name}}" aria-label="Name">
  <button type="submit">Find my certificate</button>
</form>
{{#if error}}<div class="card"><span class="badge bad">{{error}}</span></div>{{/if}}
{{#if searched}}{{#unless results.length}}<div class="card">No published certificate matches{{#if bib}} bib {{bib}}{{/if}}{{#if name}} “{{name}}”{{/if}}. Check the number or try your name.</div>{{/unless}}{{/if}}
{{#if pagination.total}}<p class="muted" id="count">{{pagination.total}} certificate{{#unless single}}s{{/unless}} found{{#if paged}} · page {{pagination.page}} of {{pagination.pageCount}}{{/if}}</p>{{/if}}
{{#each results}}
<div class="card result">
  <div>{{#if imageUrl}}<img class="share" src="{{imageUrl}}" alt="Certificate of {{name}}">{{/if}}</div>
  <div>
    <h2>{{name}}</h2>
    <dl><dt>Bib</dt><dd>{{bib}}</dd>{{#if category}}<dt>Category</dt><dd>{{category}}</dd>{{/if}}{{#if finishTime}}<dt>Finish time</dt><dd>{{finishTime}}</dd>{{/if}}</dl>
    <div class="actions"><a class="btn" href="{{pdfUrl}}">Download PDF</a>{{#if imageUrl}}<a class="btn secondary" href="{{imageUrl}}">Share image</a>{{/if}}<a class="btn secondary" href="{{verifyUrl}}">Verify</a></div>
    {{#if photos.length}}<div class="photos">{{#each photos}}{{#if url}}<a href="{{url}}"><img src="{{url}}" alt="{{caption}}"></a>{{/if}}{{/each}}</div>{{/if}}
  </div>
</div>
{{/each}}
{{#if paged}}<nav class="actions" aria-label="Pages">{{#if previousUrl}}<a class="btn secondary" rel="prev" href="{{previousUrl}}">← Previous</a>{{/if}}{{#if nextUrl}}<a class="btn secondary" rel="next" href="{{nextUrl}}">Next →</a>{{/if}}</nav>{{/if}}`);

const VERIFY = hb.compile(`
<span class="badge ok">✓ Valid certificate</span>
<h1 style="margin-top:12px">{{c.name}}</h1>
<p class="muted">{{c.event.name}}{{#if c.event.date}} · {{date c.event.date}}{{/if}}</p>
<div class="card result">
  <div>{{#if c.imageUrl}}<img class="share" src="{{c.imageUrl}}" alt="Certificate of {{c.name}}">{{/if}}</div>
  <div>
    <dl>
      <dt>Bib</dt><dd>{{c.bib}}</dd>
      {{#if c.category}}<dt>Category</dt><dd>{{c.category}}</dd>{{/if}}
      {{#if c.finishTime}}<dt>Finish time</dt><dd>{{c.finishTime}}</dd>{{/if}}
      {{#if c.issuedAt}}<dt>Issued on</dt><dd>{{date c.issuedAt}}</dd>{{/if}}
      {{#if c.correctedAt}}<dt>Corrected on</dt><dd>{{date c.correctedAt}}</dd>{{/if}}
      <dt>Code</dt><dd><code>{{c.code}}</code></dd>
    </dl>
    {{#if c.history.length}}<p class="muted">This certificate was corrected {{c.history.length}} time(s){{#each c.history}}{{#if @first}}: {{else}}, {{/if}}corrected on {{date correctedOn}}{{/each}}. The version shown is the current one.</p>{{/if}}
    <div class="actions"><a class="btn" href="{{c.pdfUrl}}">Download PDF</a>{{#if finderUrl}}<a class="btn secondary" href="{{finderUrl}}">All certificates of this event</a>{{/if}}</div>
    <div class="actions share" data-share-url="{{share.url}}" data-share-title="{{share.title}}">
      <a class="btn secondary" id="linkedin" href="{{share.linkedIn}}" target="_blank" rel="noopener">Add to LinkedIn profile</a>
      <button class="btn secondary" id="copy-link" type="button" data-done="Link copied" hidden>Copy link</button>
      <button class="btn secondary" id="native-share" type="button" hidden>Share…</button>
    </div>
  </div>
</div>`);

const MESSAGE = hb.compile(`<span class="badge bad">{{badge}}</span><h1 style="margin-top:12px">{{heading}}</h1><p>{{message}}</p>`);

const pages = ({ strapi }: { strapi: Core.Strapi }) => {
  /**
   * Pages are the same for every visitor, so a CDN may keep them a minute (a revocation reaches
   * visitors within that), and a revalidation with the ETag costs no body.
   */
  const send = (ctx: RequestContext, status: number, title: string, body: string, share: ShareData | null = null) => {
    const html = LAYOUT({ title, body, share, script: SHARE_SCRIPT });
    const etag = `W/"${crypto.createHash('sha1').update(html).digest('base64url')}"`;
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Content-Security-Policy', `default-src 'none'; img-src 'self' data: https: http:; style-src 'unsafe-inline'; script-src ${SHARE_SCRIPT_HASH}; form-action 'self'; frame-ancestors 'none'`);
    ctx.set('Cache-Control', status >= 500 ? 'no-store' : `public, max-age=${status === 200 ? 60 : 30}, stale-while-revalidate=300`);
    ctx.set('ETag', etag);
    // Share links must be crawlable by link previews; only the finder stays out of search engines.
    if (!share) ctx.set('X-Robots-Tag', 'noindex');
    if (status === 200 && ctx.get('if-none-match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.body = html;
  };

  const sendError = (ctx: RequestContext, thrown: unknown) => {
    const err = errorInfo(thrown);
    const status = err.status === 410 ? 410 : err.name === 'NotFoundError' ? 404 : err.name === 'PolicyError' ? 403 : err.name === 'ValidationError' ? 400 : 500;
    if (status === 500) strapi.log.error(thrown);
    const heading = status === 410 ? 'Certificate revoked' : status === 404 ? 'Not found' : status === 403 ? 'Certificates are not available' : 'Something went wrong';
    const badge = status === 410 ? 'Revoked' : status === 404 ? 'Not found' : 'Unavailable';
    send(ctx, status, heading, MESSAGE({ badge, heading, message: status === 500 ? 'Please try again later.' : err.message }));
  };

  return {
    async finder(ctx: RequestContext) {
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
          const code = (err as { details?: { code?: string } }).details?.code;
          return sendError(ctx, code === ERROR_CODES.eventNotFound ? { name: 'NotFoundError', message: `There is no event "${slug}".` } : err);
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
            error = errorInfo(err).message.replace(/ \(\?.*?\)/g, '');
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
        send(
          ctx,
          200,
          `${event.name} — certificates`,
          FINDER({
            event,
            bib,
            name,
            searched,
            results,
            error,
            pagination,
            single: pagination?.total === 1,
            paged,
            previousUrl: paged && pagination!.page > 1 ? pageUrl(Math.min(pagination!.page - 1, pagination!.pageCount)) : null,
            nextUrl: paged && pagination!.page < pagination!.pageCount ? pageUrl(pagination!.page + 1) : null,
          })
        );
      } catch (err) {
        sendError(ctx, err);
      }
    },

    async verify(ctx: RequestContext) {
      try {
        const { certificate, record, event } = await getService(strapi, 'participant').byCode(ctx.params?.code ?? '');
        const finderUrl = certificate.event.slug ? `/certificates/${encodeURIComponent(certificate.event.slug)}` : null;
        const share = shareData(certificate, record.shareImage ?? null, event.organisation?.name ?? null);
        send(ctx, 200, share.title, VERIFY({ c: certificate, finderUrl, share }), share);
      } catch (err) {
        sendError(ctx, err);
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
