import { ERROR_CODES } from '../../../shared/errors';
import { recordListQuery } from '../../../shared/contracts/records';
import { getConfig, parseOrThrow } from './index';

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
