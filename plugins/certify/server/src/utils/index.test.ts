import { ERROR_CODES } from '../../../shared/errors';
import { recordListQuery } from '../../../shared/contracts/records';
import { getConfig, parseOrThrow, publicUrl } from './index';

const fakeStrapi = (config: unknown) => ({ config: { get: () => config } }) as any;

describe('getConfig', () => {
  it('fills every default when the host app sets nothing', () => {
    const cfg = getConfig(fakeStrapi({}));
    expect(cfg.event.uid).toBe('api::event.event');
    expect(cfg.plans).toEqual(['pro', 'enterprise']);
  });

  it('lets a host app point Certify at its own types, field by field', () => {
    const cfg = getConfig(fakeStrapi({ event: { uid: 'api::race.race', nameField: 'title' }, plans: ['gold'] }));
    expect(cfg.event).toMatchObject({ uid: 'api::race.race', nameField: 'title', slugField: 'slug' });
    expect(cfg.plans).toEqual(['gold']);
    expect(cfg.photo.uid).toBe('api::photo.photo');
  });
});

describe('parseOrThrow', () => {
  it('returns the parsed value, defaults filled in', () => {
    expect(parseOrThrow(recordListQuery, { page: '2' })).toEqual({ page: 2, pageSize: 25 });
  });

  it('throws the 400 with the code and every field to fix, by path', () => {
    let thrown: unknown;
    try {
      parseOrThrow(recordListQuery, { status: 'done', pageSize: '9000' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({
      name: 'ValidationError',
      details: {
        code: ERROR_CODES.validation,
        errors: [
          { path: 'status', message: expect.stringMatching(/status must be one of pending/) },
          { path: 'pageSize', message: expect.any(String) },
        ],
      },
    });
    expect((thrown as Error).message).toMatch(/^status: status must be one of .*; pageSize: /);
  });
});

describe('publicUrl', () => {
  const strapiWith = (plugin: Record<string, unknown>, server: Record<string, unknown>) =>
    ({ config: { get: (key: string, fallback?: unknown) => (key === 'plugin::certify' ? plugin : key.startsWith('server.') ? server[key.slice(7)] ?? fallback : fallback) } }) as any;

  it('uses the configured public URL (proxy, CDN) first', () => {
    const strapi = strapiWith({ publicUrl: 'https://certificates.example.org/' }, { url: 'http://internal:1337', host: '0.0.0.0', port: 8080 });
    expect(publicUrl(strapi, '/verify/ABC')).toBe('https://certificates.example.org/verify/ABC');
  });

  it("otherwise follows Strapi's absolute server url, then its host and port", () => {
    expect(publicUrl(strapiWith({}, { url: 'https://cms.example.org', host: '0.0.0.0', port: 8080 }), '/verify/A')).toBe('https://cms.example.org/verify/A');
    expect(publicUrl(strapiWith({}, { url: '', host: '0.0.0.0', port: 8080 }), '/verify/A')).toBe('http://localhost:8080/verify/A');
    expect(publicUrl(strapiWith({}, { url: '/cms', host: 'certs.local', port: 3000 }), '/verify/A')).toBe('http://certs.local:3000/cms/verify/A');
    expect(publicUrl(strapiWith({}, { url: '', host: '::1', port: 3000 }), '/x')).toBe('http://[::1]:3000/x');
  });
});
