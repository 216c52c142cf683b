import { getConfig } from './index';

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
