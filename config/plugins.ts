import type { Core } from '@strapi/strapi';
import { clientSafeFormatError } from '../src/extensions/graphql/errors';

/**
 * Plugin configuration of the host app.
 *
 * Storage: the local upload provider unless S3_BUCKET is set, then
 * @strapi/provider-upload-aws-s3 (any S3-compatible endpoint via S3_ENDPOINT).
 * Email: nodemailer over SMTP_HOST/SMTP_PORT when SMTP_HOST is set, else Strapi's sendmail default.
 */
const allowedMediaTypes = [
  'image/*',
  'application/pdf',
  'text/plain',
  'text/csv',
  'font/ttf',
  'font/otf',
  'font/woff2',
  'application/font-sfnt',
  'application/x-font-ttf',
  'application/x-font-otf',
  'application/octet-stream',
];

const deniedTypes = [
  'image/svg+xml',
  'application/vnd.microsoft.portable-executable',
  'application/x-msdownload',
  'application/x-executable',
  'application/x-sh',
  'text/x-shellscript',
];

/**
 * S3_ACL: unset, the provider's default (`public-read` objects; Certify still stores certificates
 * as `private`); `none`, no ACL header at all (buckets whose ACLs are disabled, R2); any canned ACL
 * otherwise (`private` makes the whole media library private, its URLs signed by Strapi).
 */
const s3Acl = (acl: string): { ACL?: string } => (!acl ? {} : acl === 'none' ? { ACL: undefined } : { ACL: acl });

const uploadConfig = (env: Core.Config.Shared.ConfigParams['env']) => {
  const security = { allowedTypes: allowedMediaTypes, deniedTypes };
  if (!env('S3_BUCKET')) return { config: { security } };
  return {
    config: {
      security,
      provider: 'aws-s3',
      providerOptions: {
        baseUrl: env('S3_PUBLIC_URL', undefined),
        rootPath: env('S3_ROOT_PATH', undefined),
        s3Options: {
          region: env('S3_REGION', 'us-east-1'),
          endpoint: env('S3_ENDPOINT', undefined),
          forcePathStyle: env.bool('S3_FORCE_PATH_STYLE', Boolean(env('S3_ENDPOINT'))),
          credentials: {
            accessKeyId: env('S3_ACCESS_KEY_ID'),
            secretAccessKey: env('S3_SECRET_ACCESS_KEY'),
          },
          // signedUrlExpires: how long a signed URL handed out by Certify's download routes (and
          // the media library, for a private bucket) stays valid, in seconds (docs/STORAGE.md).
          params: { Bucket: env('S3_BUCKET'), signedUrlExpires: env.int('S3_SIGNED_URL_EXPIRES', 300), ...s3Acl(env('S3_ACL', '')) },
          // An endpoint that stops answering fails the request instead of holding a batch forever
          // (without throwOnRequestTimeout this SDK only logs a warning and keeps waiting).
          requestHandler: {
            connectionTimeout: env.int('S3_CONNECT_TIMEOUT_MS', 5_000),
            requestTimeout: env.int('S3_REQUEST_TIMEOUT_MS', 60_000),
            throwOnRequestTimeout: true,
          },
        },
      },
      actionOptions: { upload: {}, uploadStream: {}, delete: {} },
    },
  };
};

const emailConfig = (env: Core.Config.Shared.ConfigParams['env']) => {
  if (!env('SMTP_HOST')) return undefined;
  return {
    config: {
      provider: 'nodemailer',
      providerOptions: {
        host: env('SMTP_HOST'),
        port: env.int('SMTP_PORT', 587),
        secure: env.bool('SMTP_SECURE', false),
        ignoreTLS: env.bool('SMTP_IGNORE_TLS', false),
        auth: env('SMTP_USERNAME') ? { user: env('SMTP_USERNAME'), pass: env('SMTP_PASSWORD') } : undefined,
        pool: true,
      },
      settings: {
        defaultFrom: env('EMAIL_FROM', 'certificates@example.com'),
        defaultReplyTo: env('EMAIL_REPLY_TO', env('EMAIL_FROM', 'certificates@example.com')),
      },
    },
  };
};

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Plugin => {
  const email = emailConfig(env);
  return {
    'users-permissions': {
      config: { jwtManagement: 'refresh', sessions: { httpOnly: true } },
    },
    upload: uploadConfig(env),
    ...(email ? { email } : {}),
    graphql: {
      config: {
        endpoint: '/graphql',
        shadowCRUD: true,
        depthLimit: 8,
        defaultLimit: 25,
        maxLimit: 100,
        landingPage: false,
        // Stack traces and unexpected errors' messages only where developers read them.
        apolloServer: {
          includeStacktraceInErrorResponses: env('NODE_ENV') === 'development',
          formatError: clientSafeFormatError({ development: env('NODE_ENV') === 'development' }),
        },
      },
    },
    // The package strapi-plugin-certify (a dependency, linked from plugins/certify by the npm
    // workspace) is found through package.json like any installed plugin: no `resolve` path.
    certify: {
      enabled: true,
      config: {
        // Empty: verify links and push URLs follow the server's own url/host/port (README, "Public URL").
        publicUrl: env('CERTIFY_PUBLIC_URL', ''),
        chromiumPath: env('CERTIFY_CHROMIUM_PATH', undefined),
        queue: {
          driver: env('CERTIFY_QUEUE', 'local'),
          redisUrl: env('CERTIFY_REDIS_URL', env('REDIS_URL', 'redis://127.0.0.1:6379')),
          // Render batches each worker process works at once; 0 = Chromium pages + 1.
          concurrency: env.int('CERTIFY_QUEUE_CONCURRENCY', 0),
          retry: {
            attempts: env.int('CERTIFY_QUEUE_ATTEMPTS', 5),
            baseMs: env.int('CERTIFY_QUEUE_RETRY_BASE_MS', 15_000),
            maxMs: env.int('CERTIFY_QUEUE_RETRY_MAX_MS', 600_000),
          },
          reconcileMs: env.int('CERTIFY_QUEUE_RECONCILE_MS', 30_000),
          // Fresh results and corrections go ahead of bulk re-renders (false: arrival order).
          live: { enabled: env.bool('CERTIFY_QUEUE_LIVE', true), maxRecords: env.int('CERTIFY_QUEUE_LIVE_MAX', 200) },
          shutdownMs: env.int('CERTIFY_SHUTDOWN_MS', 20_000),
        },
        // Chromium pages each process renders on at once; across the processes of one machine,
        // about one per core (docs/PRODUCTION.md, "Sizing").
        render: { pages: env.int('CERTIFY_RENDER_PAGES', 2) },
        sweep: {
          graceMs: env.int('CERTIFY_SWEEP_GRACE_MS', 15 * 60_000),
          everyMs: env.int('CERTIFY_SWEEP_EVERY_MS', 60 * 60_000),
        },
        // One results file (upload, JSON body, push, feed): refused with a clear 4xx before anything is written.
        import: {
          maxBytes: env.int('CERTIFY_IMPORT_MAX_BYTES', 50 * 1024 * 1024),
          maxRows: env.int('CERTIFY_IMPORT_MAX_ROWS', 200_000),
          maxColumns: env.int('CERTIFY_IMPORT_MAX_COLUMNS', 500),
          maxCellChars: env.int('CERTIFY_IMPORT_MAX_CELL_CHARS', 10_000),
          maxDepth: env.int('CERTIFY_IMPORT_MAX_DEPTH', 4),
        },
        feed: { allowPrivateAddresses: env.bool('CERTIFY_FEED_ALLOW_PRIVATE', false) },
        rateLimit: {
          enabled: env.bool('CERTIFY_RATE_LIMIT', true),
          windowMs: env.int('CERTIFY_RATE_LIMIT_WINDOW_MS', 60_000),
          finder: env.int('CERTIFY_RATE_LIMIT_FINDER', 120),
          verify: env.int('CERTIFY_RATE_LIMIT_VERIFY', 120),
          download: env.int('CERTIFY_RATE_LIMIT_DOWNLOAD', 240),
          push: env.int('CERTIFY_RATE_LIMIT_PUSH', 60),
        },
        participant: { cacheMs: env.int('CERTIFY_PUBLIC_CACHE_MS', 5_000), turnSize: env.int('CERTIFY_TURN_SIZE', 4) },
        metrics: { token: env('CERTIFY_METRICS_TOKEN', undefined) },
        // What a locked event tells admins (README, "Plans"): a sentence, and a link to your billing page.
        upgrade: {
          text: env('CERTIFY_UPGRADE_TEXT', "Ask whoever manages this organisation's subscription to move it to a plan that includes Certify."),
          url: env('CERTIFY_UPGRADE_URL', ''),
          linkLabel: env('CERTIFY_UPGRADE_LINK_LABEL', 'See plans'),
        },
      },
    },
  };
};

export default config;
