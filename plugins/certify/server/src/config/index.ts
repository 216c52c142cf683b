/**
 * Plugin configuration (config/plugins.ts → certify.config). Every key has a default so the
 * plugin runs on the host types this repository ships; another Strapi app points the plugin at
 * its own event/photo/organisation types here.
 */
export interface CertifyConfig {
  /** `distanceField`: the race distance in kilometres (a number), for the pace fields; optional. */
  event: { uid: string; nameField: string; slugField: string; dateField: string; organisationField: string; distanceField?: string };
  /**
   * membersField: the organisation's relation to `admin::user` that lists its organisers. Roles
   * whose Certify permissions carry the condition "Is a member of the event's organisation" see
   * only the events of the organisations they are listed in.
   */
  organisation: { uid: string; nameField: string; planField: string; membersField: string };
  photo: {
    uid: string;
    eventField: string;
    bibsField: string;
    imageField: string;
    captionField: string;
    /** Which of a participant's photos goes on the certificate: one marked featured (a boolean field), else the first by `orderField`. */
    featuredField?: string;
    orderField: string;
    order: 'asc' | 'desc';
  };
  /** Plans that include Certify. */
  plans: string[];
  /**
   * What a locked event tells admins to do: a sentence and, optionally, a link (the host's billing
   * page). The default names no menu, since the host app's admin has none of its own for plans.
   */
  upgrade: { text: string; url: string; linkLabel: string };
  /**
   * Base URL participants reach (verify links, QR codes, emails, push URLs). Empty: derived from
   * the server's own url/host/port (utils `publicBaseUrl`); set it behind a proxy or CDN.
   */
  publicUrl: string;
  /** Path to the Chromium binary; auto-detected when empty. */
  chromiumPath?: string;
  /** concurrency: render batches a worker process works at once; 0 = Chromium pages + 1. */
  queue: {
    driver: 'local' | 'bullmq';
    redisUrl: string;
    concurrency: number;
    /** Attempts per job, and the exponential backoff between them (jittered to 50–100%). */
    retry: { attempts: number; baseMs: number; maxMs: number };
    /** bullmq: how often a worker checks that Redis holds the database's due jobs (0: never). */
    reconcileMs: number;
    /**
     * Live certificates: a change of at most `maxRecords` records in an event published before
     * (a pushed result, a correction) is rendered ahead of bulk work, on a lane of its own.
     * `enabled: false` works every job in arrival order.
     */
    live: { enabled: boolean; maxRecords: number };
    /** On SIGTERM a worker finishes its batches for this long, then hands back what it still holds. */
    shutdownMs: number;
  };
  /**
   * Storage objects of certificates that no media row refers to (a crash between storing the
   * files and committing the batch) are removed once older than `graceMs` (younger ones may be
   * a batch about to commit), by every process that works the queue at start and every `everyMs`
   * (0: only on demand, `npm run sweep` or the admin route).
   */
  sweep: { graceMs: number; everyMs: number };
  /**
   * Caps on one results file (upload, JSON body, push or feed), all checked before anything is
   * written: bytes, data rows, columns, characters in one cell, nesting of a JSON value in a cell.
   */
  import: { maxBytes: number; maxRows: number; maxColumns: number; maxCellChars: number; maxDepth: number };
  feed: { allowPrivateAddresses: boolean; timeoutMs: number; maxBytes: number; intervalMinutes: number };
  render: { pages: number; batchSize: number; timeoutMs: number; relaunchAfter: number; shareImageWidth: number };
  email: { from?: string; perSecond: number };
  /**
   * Per-IP requests per window on the public routes, and how lookups that keep missing (unknown
   * bib or code) are slowed down: after `missesBeforeDelay` misses in a window, each further
   * lookup waits 100 ms, 200 ms, … up to `maxDelayMs`.
   */
  rateLimit: {
    enabled: boolean;
    windowMs: number;
    finder: number;
    verify: number;
    download: number;
    push: number;
    missesBeforeDelay: number;
    maxDelayMs: number;
  };
  /**
   * How long the participant routes reuse what they learnt about an event (exists, plan includes
   * Certify, certificates online), in ms. Changes made through this process take effect at once;
   * those made by another process (another web server) within this. 0: never reused.
   */
  /** `turnSize`: participant requests answered per event-loop turn (utils/turns.ts); 0 = no limit. */
  participant: { cacheMs: number; turnSize: number };
  /** Prometheus text at GET /api/certify/metrics for `Authorization: Bearer <token>`; no token: 404. */
  metrics: { token?: string };
  /** Readiness: each check's time limit, and how long a Chromium launch check is trusted. */
  health: { timeoutMs: number; chromiumCheckMs: number };
}

const defaults: CertifyConfig = {
  event: {
    uid: 'api::event.event',
    nameField: 'name',
    slugField: 'slug',
    dateField: 'date',
    distanceField: 'distance',
    organisationField: 'organisation',
  },
  organisation: { uid: 'api::organisation.organisation', nameField: 'name', planField: 'plan', membersField: 'admins' },
  photo: {
    uid: 'api::photo.photo',
    eventField: 'event',
    bibsField: 'bibs',
    imageField: 'image',
    captionField: 'caption',
    featuredField: 'featured',
    orderField: 'createdAt',
    order: 'asc',
  },
  plans: ['pro', 'enterprise'],
  publicUrl: '',
  chromiumPath: undefined,
  queue: {
    driver: 'local',
    redisUrl: 'redis://127.0.0.1:6379',
    concurrency: 0,
    // 15 s, 30 s, 1 min, 2 min between the five attempts: a storage or database outage of a few
    // minutes is ridden out instead of failing every certificate within seconds.
    retry: { attempts: 5, baseMs: 15_000, maxMs: 10 * 60_000 },
    reconcileMs: 30_000,
    live: { enabled: true, maxRecords: 200 },
    // Below the 30 s an orchestrator (Kubernetes, systemd) usually waits before SIGKILL.
    shutdownMs: 20_000,
  },
  sweep: { graceMs: 15 * 60_000, everyMs: 60 * 60_000 },
  import: { maxBytes: 50 * 1024 * 1024, maxRows: 200_000, maxColumns: 500, maxCellChars: 10_000, maxDepth: 4 },
  feed: { allowPrivateAddresses: false, timeoutMs: 15_000, maxBytes: 20 * 1024 * 1024, intervalMinutes: 5 },
  render: { pages: 2, batchSize: 50, timeoutMs: 30_000, relaunchAfter: 2_000, shareImageWidth: 1200 },
  email: { perSecond: 10 },
  rateLimit: { enabled: true, windowMs: 60_000, finder: 120, verify: 120, download: 240, push: 60, missesBeforeDelay: 20, maxDelayMs: 2_000 },
  participant: { cacheMs: 5_000, turnSize: 4 },
  upgrade: {
    text: "Ask whoever manages this organisation's subscription to move it to a plan that includes Certify.",
    url: '',
    linkLabel: 'See plans',
  },
  metrics: { token: undefined },
  health: { timeoutMs: 5_000, chromiumCheckMs: 60_000 },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export default {
  default: defaults,
  validator(config: Partial<CertifyConfig>) {
    if (config.queue && !['local', 'bullmq'].includes(config.queue.driver)) {
      throw new Error(`certify.queue.driver must be "local" or "bullmq", got "${config.queue.driver}"`);
    }
    if (config.publicUrl && !/^https?:\/\/[^/]/i.test(config.publicUrl)) {
      throw new Error(`certify.publicUrl must be an absolute http(s) URL such as https://certificates.example.org, got "${config.publicUrl}"`);
    }
    if (config.upgrade?.url && !/^(https?:\/\/[^/]|\/)/i.test(config.upgrade.url)) {
      throw new Error(`certify.upgrade.url must be an absolute http(s) URL or a path such as /admin/settings/billing, got "${config.upgrade.url}"`);
    }
    if (config.plans && !Array.isArray(config.plans)) {
      throw new Error('certify.plans must be an array of plan names, e.g. ["pro", "enterprise"]');
    }
    for (const key of ['event', 'organisation', 'photo'] as const) {
      if (config[key] !== undefined && !isObject(config[key])) {
        throw new Error(`certify.${key} must be an object of uid and field names`);
      }
    }
  },
};
