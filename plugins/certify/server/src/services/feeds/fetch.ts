import http from 'node:http';
import https from 'node:https';
import { promises as dns } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress } from './addresses';

export interface FeedFetchOptions {
  etag?: string | null;
  lastModified?: string | null;
  timeoutMs: number;
  maxBytes: number;
  allowPrivateAddresses: boolean;
}

export type FeedResponse =
  | { status: 304 }
  | { status: 200; body: Buffer; etag: string | null; lastModified: string | null; contentType: string };

export class FeedError extends Error {}

/**
 * Resolves the host first and checks every address it has, then connects to one of those checked
 * addresses (not a fresh lookup), so a DNS answer cannot switch to a private address in between.
 */
const resolveChecked = async (hostname: string, allowPrivate: boolean) => {
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await dns.lookup(host, { all: true, verbatim: true }).catch((err: Error) => {
        throw new FeedError(`The feed host "${host}" could not be resolved (${err.message}): check the URL.`);
      });
  if (!addresses.length) throw new FeedError(`The feed host "${host}" has no address: check the URL.`);
  if (!allowPrivate) {
    const blocked = addresses.find((a) => isPrivateAddress(a.address));
    if (blocked) {
      throw new FeedError(
        `The feed URL points at a private, loopback or link-local address (${host} → ${blocked.address}), which is refused. Use a public URL, or set certify.feed.allowPrivateAddresses to true if the feed is on your own network.`
      );
    }
  }
  return addresses[0];
};

export const fetchFeed = async (rawUrl: string, opts: FeedFetchOptions): Promise<FeedResponse> => {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new FeedError(`"${rawUrl}" is not a URL: use a full http(s) address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FeedError(`Feed URLs must be http or https, not ${url.protocol}`);
  }
  const target = await resolveChecked(url.hostname, opts.allowPrivateAddresses);
  const client = url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = {
    accept: 'text/csv, application/json;q=0.9, text/plain;q=0.8, */*;q=0.5',
    'user-agent': 'Certify feed reader',
  };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;

  return new Promise<FeedResponse>((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const req = client.request(
      url,
      {
        method: 'GET',
        headers,
        lookup: ((_host, options, cb) =>
          options?.all ? cb(null, [{ address: target.address, family: target.family }]) : cb(null, target.address, target.family)) satisfies LookupFunction,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status === 304) {
          res.resume();
          settled = true;
          clearTimeout(timer);
          resolve({ status: 304 });
          return;
        }
        if (status >= 300 && status < 400) {
          res.resume();
          fail(new FeedError(`The feed answered ${status} (moved to ${res.headers.location ?? 'an unknown place'}): set the source URL to the final address; redirects are not followed.`));
          return;
        }
        if (status !== 200) {
          res.resume();
          fail(new FeedError(`The feed answered HTTP ${status}: check the URL and that the feed is published.`));
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (declared > opts.maxBytes) {
          fail(new FeedError(`The feed is ${declared} bytes, over the limit of ${opts.maxBytes} (certify.feed.maxBytes).`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > opts.maxBytes) {
            fail(new FeedError(`The feed is larger than the limit of ${opts.maxBytes} bytes (certify.feed.maxBytes).`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', fail);
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const header = (name: string) => {
            const v = res.headers[name];
            return (Array.isArray(v) ? v[0] : v) ?? null;
          };
          resolve({
            status: 200,
            body: Buffer.concat(chunks),
            etag: header('etag'),
            lastModified: header('last-modified'),
            contentType: header('content-type') ?? '',
          });
        });
      }
    );
    const timer = setTimeout(
      () => fail(new FeedError(`The feed did not answer within ${Math.round(opts.timeoutMs / 1000)} s (certify.feed.timeoutMs).`)),
      opts.timeoutMs
    );
    req.on('error', (err) => fail(new FeedError(`The feed could not be fetched: ${err.message}`)));
    req.end();
  });
};
