import fs from 'node:fs';
import os from 'node:os';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { ERROR_CODES } from '../../../../shared/errors';
import { ASSET_ORIGIN, builtinFontFile } from './fonts';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export class ChromiumMissingError extends Error {
  code = ERROR_CODES.chromiumMissing;
}

/** The Chromium binary to use: configured, from CERTIFY_CHROMIUM_PATH, or the first common path that exists. */
export const findChromium = (configured?: string | null): string => {
  const explicit = configured || process.env.CERTIFY_CHROMIUM_PATH;
  if (explicit) {
    if (fs.existsSync(explicit)) return explicit;
    throw new ChromiumMissingError(
      `Chromium was not found at "${explicit}" (certify.chromiumPath / CERTIFY_CHROMIUM_PATH). ` +
        'Install it with `apt-get install chromium` (Debian/Ubuntu) or point the setting at an existing Chromium/Chrome binary.'
    );
  }
  const found = CANDIDATES.find((p) => fs.existsSync(p));
  if (found) return found;
  throw new ChromiumMissingError(
    'Chromium is needed to render certificates and was not found. Install it with `apt-get install chromium` ' +
      '(Debian/Ubuntu), or set certify.chromiumPath / CERTIFY_CHROMIUM_PATH to a Chromium or Chrome binary.'
  );
};

/**
 * Launch flags. The dead proxy (port 9, and `<-loopback>` so even 127.0.0.1 goes through it) is
 * what stops the requests routing cannot see, such as <link rel=prefetch>.
 */
export const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  // Debian's wrapper adds --enable-gpu-rasterization; without a GPU that rasterises through
  // SwiftShader, slower than Skia's CPU raster for screenshots.
  '--disable-gpu-rasterization',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--mute-audio',
  '--disable-frame-rate-limit',
  '--disable-gpu-vsync',
  '--proxy-server=http://127.0.0.1:9',
  '--proxy-bypass-list=<-loopback>',
];

/** A Chromium that did not answer a set-up call in time (Playwright may never settle one, e.g.
 * `newPage()` when the browser dies during it); its batch fails and is retried. */
class ChromiumUnresponsiveError extends Error {}

/**
 * `work` (a set-up call to `browser`), failing as soon as the browser disconnects and, at the
 * latest, after `ms` if Chromium does not answer.
 */
const answeredWithin = <T>(browser: Browser, work: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  let onGone: (() => void) | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChromiumUnresponsiveError(`Chromium did not ${what} within ${ms} ms; it was closed and will be relaunched`)), ms);
    timer.unref();
    onGone = () => reject(new Error(`Chromium closed while it was asked to ${what}`));
    if (browser.isConnected()) browser.once('disconnected', onGone);
    else onGone();
  });
  return Promise.race([work, limit]).finally(() => {
    clearTimeout(timer);
    browser.off('disconnected', onGone!);
  });
};

export interface Asset {
  body: Buffer;
  type: string;
}

export interface Slot {
  page: Page;
  cdp: CDPSession;
  viewport: string;
  generation: number;
  /** The express page: only urgent renders use it, so they never wait behind a bulk batch. */
  express?: boolean;
}

export interface PoolOptions {
  executablePath?: string | null;
  pages: number;
  relaunchAfter: number;
  /** How long a caller may wait for a free page before its batch fails and is retried (5 min). */
  waitLimitMs?: number;
  /** How long Chromium may take to make a context or a page before it is deemed hung (15 s). */
  setupLimitMs?: number;
  log?: { warn(msg: string): void; info?(msg: string): void };
}

/** Pages to run in parallel: more than the cores only adds latency and memory (RENDERING-NOTES). */
export const defaultPageCount = () => Math.max(1, Math.min(4, os.cpus().length));

/**
 * One Chromium, one locked-down context, a few reused pages. Launched on first use; relaunched
 * after it crashes or after `relaunchAfter` certificates (Chromium's memory creeps up otherwise).
 */
export class ChromiumPool {
  private browser: Browser | null = null;
  private context: BrowserContext | null = null;
  private launching: Promise<void> | null = null;
  private free: Slot[] = [];
  /** Callers waiting for a page; each is answered once, with a page or with the launch's error. */
  private waiters: Array<{ resolve: (slot: Slot) => void; reject: (err: unknown) => void }> = [];
  private slotsCreated = 0;
  private active = 0;
  private generation = 0;
  private rendered = 0;
  private retiring = false;
  /** One page beyond `size`, for urgent (live) renders only; made on first need. */
  private express: { slot: Slot | null; busy: boolean } = { slot: null, busy: false };
  /** Files the server resolved for the pages: served under ASSET_ORIGIN/asset/<key>. */
  readonly assets = new Map<string, Asset>();
  /** Every request the lock-down refused (tests and logs). */
  refused = 0;

  private perPageContexts = process.env.CERTIFY_CONTEXT_PER_PAGE === '1';

  constructor(private opts: PoolOptions) {}

  get size() {
    return Math.max(1, this.opts.pages);
  }

  private pid: number | null = null;

  /** Chromium main processes started by this Node process (children launched with a pipe). */
  private static chromiumChildren(): number[] {
    const out: number[] = [];
    try {
      for (const entry of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
          const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          if (ppid !== process.pid) continue;
          if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('--remote-debugging-pipe')) out.push(Number(entry));
        } catch {
          /* exited meanwhile */
        }
      }
    } catch {
      /* no /proc: not Linux */
    }
    return out;
  }

  /** PID of this pool's running Chromium (its main process), or null. */
  browserPid(): number | null {
    return this.pid && fs.existsSync(`/proc/${this.pid}`) ? this.pid : null;
  }

  private async launch() {
    const executablePath = findChromium(this.opts.executablePath);
    this.opts.executablePath = executablePath;
    const before = new Set(ChromiumPool.chromiumChildren());
    // Playwright closes the browser on SIGTERM/SIGINT/SIGHUP by default, which failed the batch a
    // stopping process was finishing; the pool closes it itself when the process shuts down.
    const browser = await chromium.launch({
      executablePath,
      args: LAUNCH_ARGS,
      headless: true,
      timeout: 30_000,
      handleSIGTERM: false,
      handleSIGINT: false,
      handleSIGHUP: false,
    });
    // Playwright does not expose the process; the new child is ours (used to kill a hung browser).
    this.pid = ChromiumPool.chromiumChildren().find((pid) => !before.has(pid)) ?? null;
    const gen = ++this.generation;
    browser.on('disconnected', () => {
      if (this.browser === browser) {
        this.generation += 1;
        this.browser = null;
        this.context = null;
        this.free = [];
        this.slotsCreated = 0;
        this.opts.log?.warn(`[certify] Chromium (generation ${gen}) disconnected; it will be relaunched on the next render`);
        // Callers waiting for a page of the dead browser would otherwise wait for a release.
        this.wake();
      }
    });
    let context: BrowserContext;
    try {
      context = await answeredWithin(browser, this.newContext(browser), this.setupLimitMs, 'set up its context');
    } catch (err) {
      await this.closeBrowser(browser, this.pid);
      throw err;
    }
    this.browser = browser;
    this.context = context;
    this.rendered = 0;
    this.retiring = false;
  }

  private async newContext(browser: Browser) {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      acceptDownloads: false,
      serviceWorkers: 'block',
      bypassCSP: false,
      viewport: { width: 1200, height: 850 },
    });
    await context.route('**/*', async (route) => {
      const request = route.request();
      const url = request.url();
      try {
        // Aborting a navigation shows chrome-error://; an empty 204 keeps the page where it is.
        if (request.isNavigationRequest()) {
          this.refused += 1;
          await route.fulfill({ status: 204, body: '' });
          return;
        }
        if (url.startsWith(`${ASSET_ORIGIN}/fonts/`)) {
          const [pkg, file] = url.slice(ASSET_ORIGIN.length + 7).split('/');
          const body = builtinFontFile(pkg, file);
          if (body) {
            await route.fulfill({ status: 200, body, contentType: 'font/woff2', headers: { 'cache-control': 'max-age=31536000' } });
            return;
          }
        } else if (url.startsWith(`${ASSET_ORIGIN}/asset/`)) {
          const asset = this.assets.get(url.slice(ASSET_ORIGIN.length + 7));
          if (asset) {
            await route.fulfill({ status: 200, body: asset.body, contentType: asset.type });
            return;
          }
        }
        this.refused += 1;
        await route.abort('blockedbyclient');
      } catch {
        /* the page went away while answering */
      }
    });
    return context;
  }

  private async ensureBrowser() {
    if (this.browser?.isConnected() && this.context) return;
    if (!this.launching) {
      this.launching = this.launch().finally(() => {
        this.launching = null;
      });
    }
    await this.launching;
  }

  private async newSlot(): Promise<Slot> {
    await this.ensureBrowser();
    const generation = this.generation;
    const { browser, context: shared } = this;
    if (!browser || !shared) throw new Error('Chromium closed while a page was being made');
    const making = (async (): Promise<Slot> => {
      // Pages of one context share one renderer process (one main thread); a context per page
      // lets two pages lay out and rasterise on two cores at once.
      const context = this.perPageContexts ? await this.newContext(browser) : shared;
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      // Documents paint their own white; a transparent default lets layered share images capture
      // only the certificate's content.
      await cdp.send('Emulation.setDefaultBackgroundColorOverride', { color: { r: 0, g: 0, b: 0, a: 0 } });
      return { page, cdp, viewport: '', generation };
    })();
    try {
      return await answeredWithin(browser, making, this.setupLimitMs, 'make a page');
    } catch (err) {
      // A page that arrives after all is closed; a browser that did not answer is ended.
      making.then((slot) => this.closeSlot(slot), () => undefined);
      if (err instanceof ChromiumUnresponsiveError && this.generation === generation) await this.kill();
      throw err;
    }
  }

  /**
   * A page to render on; waits while all pages are busy or the browser is being recycled. An
   * `urgent` caller (a live certificate) waits ahead of the bulk batches.
   */
  async acquire(urgent = false): Promise<Slot> {
    if (this.retiring && this.active === 0) await this.recycle();
    if (urgent && !this.retiring && !this.free.length && !this.express.busy) return this.acquireExpress();
    if (!this.retiring) {
      while (this.free.length) {
        const slot = this.free.pop()!;
        if (slot.generation === this.generation && !slot.page.isClosed() && this.browser?.isConnected()) {
          this.active += 1;
          return slot;
        }
        // A dead page of this browser: it no longer counts, and a new one may be made.
        if (slot.generation === this.generation) {
          this.uncount();
          void this.closeSlot(slot);
        }
      }
      if (this.slotsCreated < this.size) {
        this.slotsCreated += 1;
        this.active += 1;
        try {
          return await this.newSlot();
        } catch (err) {
          this.uncount();
          this.active -= 1;
          // A waiter may make the page this caller could not (or get the same error).
          this.wake();
          throw err;
        }
      }
    }
    return new Promise<Slot>((resolve, reject) => {
      // A safety net: a caller never waits for ever. Its batch fails with this error and the
      // queue retries it, instead of holding its jobs' lease while nothing renders.
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i < 0) return;
        this.waiters.splice(i, 1);
        const err = new Error(`No Chromium page became free within ${this.waitLimitMs} ms (the browser is stuck or overloaded); the batch will be retried`);
        this.opts.log?.warn(`[certify] ${err.message}`);
        reject(err);
      }, this.waitLimitMs);
      timer.unref();
      const waiter = {
        resolve: (slot: Slot) => {
          clearTimeout(timer);
          resolve(slot);
        },
        reject: (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      if (urgent) this.waiters.unshift(waiter);
      else this.waiters.push(waiter);
    });
  }

  /** A page counted as made that never came or died (the count was reset if its browser went). */
  private uncount() {
    this.slotsCreated = Math.max(0, this.slotsCreated - 1);
  }

  /** Bound on each set-up step (a context, a page): a live Chromium needs milliseconds. */
  private get setupLimitMs() {
    return this.opts.setupLimitMs ?? 15_000;
  }

  /** How long a caller waits for a page before its batch fails (and is retried). */
  private get waitLimitMs() {
    return this.opts.waitLimitMs ?? 300_000;
  }

  /**
   * The express page for an urgent render while every regular page is busy: a live certificate
   * costs one small print call instead of the rest of a bulk batch of waiting.
   */
  private async acquireExpress(): Promise<Slot> {
    this.express.busy = true;
    this.active += 1;
    const kept = this.express.slot;
    if (kept && kept.generation === this.generation && !kept.page.isClosed() && this.browser?.isConnected()) return kept;
    try {
      const slot = { ...(await this.newSlot()), express: true };
      this.express.slot = slot;
      return slot;
    } catch (err) {
      this.express.busy = false;
      this.active -= 1;
      throw err;
    }
  }

  /** Returns a page; `broken` pages (timed out, crashed) are closed and replaced on demand. */
  async release(slot: Slot, { broken = false, certificates = 0 } = {}) {
    this.active -= 1;
    this.rendered += certificates;
    if (slot.express) {
      this.express.busy = false;
      if (broken || slot.generation !== this.generation) {
        if (this.express.slot === slot) this.express.slot = null;
        await this.closeSlot(slot);
      }
      if (this.rendered >= this.opts.relaunchAfter) this.retiring = true;
      if (this.retiring && this.active === 0) await this.recycle();
      this.wake();
      return;
    }
    if (this.rendered >= this.opts.relaunchAfter) this.retiring = true;
    if (broken || slot.generation !== this.generation) {
      if (slot.generation === this.generation) this.slotsCreated -= 1;
      await this.closeSlot(slot);
    } else this.free.push(slot);
    if (this.retiring && this.active === 0) await this.recycle();
    this.wake();
  }

  private wake() {
    while (this.waiters.length) {
      if (this.retiring) return;
      const slot = this.free.pop();
      if (slot) {
        this.active += 1;
        this.waiters.shift()!.resolve(slot);
        continue;
      }
      if (this.slotsCreated >= this.size) return;
      this.slotsCreated += 1;
      this.active += 1;
      const waiter = this.waiters.shift()!;
      this.newSlot().then(waiter.resolve, (err) => {
        this.uncount();
        this.active -= 1;
        // The waiter's batch fails (and is retried by the queue) rather than waiting for a page
        // that no one will make; the other waiters get their turn.
        waiter.reject(err);
        this.wake();
      });
    }
  }

  private async closeSlot(slot: Slot) {
    // A renderer stuck in layout may never answer close(); then the whole browser goes.
    const closed = await Promise.race([
      (this.perPageContexts ? slot.page.context().close() : slot.page.close()).then(() => true, () => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 3000).unref()),
    ]);
    if (!closed) await this.kill();
  }

  /** Forgets the current browser (pages, context, slots) and returns it with its PID to end. */
  private detach({ newGeneration }: { newGeneration: boolean }) {
    const pid = this.browserPid();
    const browser = this.browser;
    this.browser = null;
    this.context = null;
    this.free = [];
    this.express.slot = null;
    this.slotsCreated = 0;
    if (newGeneration) this.generation += 1;
    return { browser, pid };
  }

  private async recycle() {
    const { browser, pid } = this.detach({ newGeneration: true });
    this.retiring = false;
    if (browser) await this.closeBrowser(browser, pid);
    this.wake();
  }

  private async closeBrowser(browser: Browser, pid: number | null) {
    const done = await Promise.race([
      browser.close().then(() => true, () => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 5000).unref()),
    ]);
    if (!done && pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }

  /** Ends the current browser hard (a hung renderer); the next acquire launches a new one. */
  async kill() {
    const { browser, pid } = this.detach({ newGeneration: true });
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    if (browser) await this.closeBrowser(browser, null);
  }

  async close() {
    const { browser, pid } = this.detach({ newGeneration: false });
    if (browser) await this.closeBrowser(browser, pid);
  }

  get isRunning() {
    return !!this.browser?.isConnected();
  }
}
