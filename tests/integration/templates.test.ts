import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { setupApp, type TestApp } from '../helpers/app';
import { pdfFonts, poppler } from '../fixtures/render/pdf';

// Jest 30 ignores a project's testTimeout; booting Strapi and Chromium on a busy machine needs more than 5 s.
jest.setTimeout(120_000);

let app: TestApp;
const TEMPLATE = 'plugin::certify.template';

const design = (name = '{{name}}') => ({
  version: 1,
  elements: [
    { id: 'name', type: 'text', text: name, x: 20, y: 80, width: 257, height: 25, fontSize: 36, shrinkToFit: true },
    { id: 'qr', type: 'qr', x: 20, y: 160, width: 30, height: 30 },
  ],
});

beforeAll(async () => {
  app = await setupApp();
});

afterAll(async () => {
  await app?.close();
});

describe('template CRUD', () => {
  it('creates, reads, updates (version and hash kept current) and deletes a template', async () => {
    const event = await app.createEvent({ plan: 'pro' });
    const base = `/certify/events/${event.documentId}/templates`;
    const created = await app.admin('post', base).send({ name: 'Finisher', design: design() });
    expect(created.status).toBe(201);
    const t = created.body.data;
    expect(t).toMatchObject({ name: 'Finisher', version: 1, pageSize: 'A4', orientation: 'landscape', mode: 'designer' });
    expect(t.hash).toMatch(/^[0-9a-f]{32}$/);

    const listed = (await app.admin('get', base)).body.data;
    expect(listed.map((x: any) => x.documentId)).toEqual([t.documentId]);
    // The hash the publisher computes from a listed template is the stored one.
    expect(app.strapi.plugin('certify').service('templates').hash(listed[0])).toBe(t.hash);

    const renamed = (await app.admin('put', `${base}/${t.documentId}`).send({ name: 'Finisher 2026' })).body.data;
    expect(renamed).toMatchObject({ name: 'Finisher 2026', version: 2, hash: t.hash });

    const redesigned = (await app.admin('put', `${base}/${t.documentId}`).send({ design: design('{{upper name}}') })).body.data;
    expect(redesigned.version).toBe(3);
    expect(redesigned.hash).not.toBe(t.hash);
    expect((await app.admin('get', `${base}/${t.documentId}`)).body.data.design.elements[0].text).toBe('{{upper name}}');

    expect((await app.admin('delete', `${base}/${t.documentId}`)).status).toBe(200);
    const gone = await app.admin('get', `${base}/${t.documentId}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.details.code).toBe('CERTIFY_TEMPLATE_NOT_FOUND');
  });

  it('asks for re-rendering exactly once per save', async () => {
    const event = await app.createEvent({ plan: 'pro' });
    const publisher = app.strapi.plugin('certify').service('publish') as any;
    const original = publisher.onTemplateChanged;
    const calls: string[] = [];
    publisher.onTemplateChanged = async (e: string) => {
      calls.push(e);
    };
    try {
      const t = (await app.admin('post', `/certify/events/${event.documentId}/templates`).send({ name: 'A', design: design() })).body.data;
      expect(calls).toEqual([event.documentId]);
      await app.admin('put', `/certify/events/${event.documentId}/templates/${t.documentId}`).send({ priority: 2 });
      expect(calls).toEqual([event.documentId, event.documentId]);
    } finally {
      publisher.onTemplateChanged = original;
    }
  });

  it('changes only the fields an update names (no defaults fill the others in)', async () => {
    const event = await app.createEvent({ plan: 'pro' });
    const base = `/certify/events/${event.documentId}/templates`;
    const t = (
      await app.admin('post', base).send({ name: 'Advanced', mode: 'html', html: '<p>{{name}}</p>', orientation: 'portrait', purpose: 'volunteer', priority: 3 })
    ).body.data;
    const renamed = await app.admin('put', `${base}/${t.documentId}`).send({ name: 'Advanced 2' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({ name: 'Advanced 2', mode: 'html', orientation: 'portrait', purpose: 'volunteer', priority: 3, hash: t.hash });
  });

  it('answers 400 naming each field to fix, with the shared schema\'s messages', async () => {
    const event = await app.createEvent({ plan: 'pro' });
    const res = await app
      .admin('post', `/certify/events/${event.documentId}/templates`)
      .send({ name: '', pageSize: 'A3', rules: { conditions: [{ field: 'category', op: 'like' }] } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('CERTIFY_VALIDATION');
    const paths = res.body.error.details.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'pageSize', 'rules.conditions.0.op']));
    expect(res.body.error.message).toMatch(/name: name is required/);
  });

  it('refuses a broken design with the element and position, storing nothing', async () => {
    const event = await app.createEvent({ plan: 'pro' });
    const url = `/certify/events/${event.documentId}/templates`;
    const syntax = await app.admin('post', url).send({ name: 'Bad', design: design('Hello {{#if name}} {{name}') });
    expect(syntax.status).toBe(400);
    expect(syntax.body.error.details.problems[0]).toMatchObject({ elementId: 'name', line: 1 });
    expect(syntax.body.error.message).toMatch(/syntax/i);

    const unknown = await app.admin('post', url).send({ name: 'Bad', design: design('{{nmae}}') });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.problems[0]).toMatchObject({ elementId: 'name', line: 1, column: 3 });
    expect(unknown.body.error.message).toMatch(/unknown field "nmae"/);

    const font = await app.admin('post', url).send({
      name: 'Bad',
      design: { version: 1, elements: [{ id: 'title', type: 'text', text: 'x', x: 0, y: 0, width: 10, height: 10, fontFamily: 'Comic Sans' }] },
    });
    expect(font.status).toBe(400);
    expect(font.body.error.message).toMatch(/title.*Comic Sans/);

    const css = await app.admin('post', url).send({
      name: 'Bad',
      design: { version: 1, elements: [{ id: 'box', type: 'shape', shape: 'rect', x: 0, y: 0, width: 10, height: 10, fill: 'red;background:url(http://x)' }] },
    });
    expect(css.status).toBe(400);
    expect(css.body.error.details.problems[0].elementId).toBe('box');

    const raw = await app.admin('post', url).send({ name: 'Raw', mode: 'html', html: '<p>{{{name}}}</p>' });
    expect(raw.status).toBe(400);
    expect(raw.body.error.message).toMatch(/raw output/);

    expect(await app.strapi.db.query(TEMPLATE).count({ where: { event: event.documentId } })).toBe(0);
  });

  it('keeps the stored template when an update is invalid', async () => {
    const event = await app.createEvent({ plan: 'pro' });
    const url = `/certify/events/${event.documentId}/templates`;
    const t = (await app.admin('post', url).send({ name: 'Keep', design: design() })).body.data;
    const bad = await app.admin('put', `${url}/${t.documentId}`).send({ design: design('{{/if}}') });
    expect(bad.status).toBe(400);
    const kept = (await app.admin('get', `${url}/${t.documentId}`)).body.data;
    expect(kept).toMatchObject({ version: 1, hash: t.hash });
    expect(kept.design.elements[0].text).toBe('{{name}}');
  });

  it('needs the design permission to write and read to list', async () => {
    const event = await app.createEvent({ plan: 'pro' });
    const reader = await app.adminWithActions(['plugin::certify.read']);
    const url = `/certify/events/${event.documentId}/templates`;
    expect((await app.admin('post', url, reader).send({ name: 'x' })).status).toBe(403);
    expect((await app.admin('get', url, reader)).status).toBe(200);
    expect((await app.admin('get', '/certify/fonts', reader)).status).toBe(200);
  });
});

describe('template selection', () => {
  it('picks the record override, then rules, then the default', () => {
    const { pickTemplate } = app.strapi.plugin('certify').service('templates') as any;
    const templates = [
      { documentId: 'plain', priority: 0, isDefault: false },
      { documentId: 'default', priority: 0, isDefault: true },
      { documentId: 'masters', priority: 1, rules: { match: 'all', conditions: [{ field: 'category', op: 'in', value: ['M40', 'M50'] }] } },
      { documentId: 'podium', priority: 5, rules: { conditions: [{ field: 'rankOverall', op: 'lte', value: 3 }] } },
    ];
    expect(pickTemplate(templates, { category: 'M40', rankOverall: 50 }).documentId).toBe('masters');
    expect(pickTemplate(templates, { category: 'M40', rankOverall: 2 }).documentId).toBe('podium');
    expect(pickTemplate(templates, { category: 'F20', rankOverall: 50 }).documentId).toBe('default');
    expect(pickTemplate(templates, { category: 'M40', template: { documentId: 'plain' } }).documentId).toBe('plain');
    expect(pickTemplate([], { category: 'M40' })).toBeNull();
  });
});

describe('preview', () => {
  let eventId: string;
  let demo: any;
  beforeAll(async () => {
    eventId = (await app.createEvent({ plan: 'pro', name: 'Preview Marathon' })).documentId;
    demo = await app.strapi.plugin('certify').service('templates').createDemo(eventId);
    await app.admin('post', `/certify/events/${eventId}/records`).send({ bib: '7', name: 'Preview Person', finishTime: '2:59:59', rankOverall: 1 });
  });

  it('renders a saved template for a chosen record as PNG and as PDF', async () => {
    const record = await app.strapi.db.query('plugin::certify.record').findOne({ where: { event: eventId, bib: '7' } });
    const url = `/certify/events/${eventId}/templates/${demo.documentId}/preview`;
    const png = await app.admin('post', url).send({ recordId: record.documentId, format: 'png' }).buffer(true);
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    const image = PNG.sync.read(png.body);
    expect(image.width).toBe(1200);

    const pdf = await app.admin('post', url).send({ recordId: record.documentId, format: 'pdf' }).buffer(true);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = poppler('pdftotext', pdf.body);
    expect(text).toContain('Preview Person');
    expect(text).toContain('1st overall');
  });

  it('renders an unsaved draft with the sample record when the event has none', async () => {
    const empty = await app.createEvent({ plan: 'pro' });
    const res = await app
      .admin('post', `/certify/events/${empty.documentId}/templates/draft/preview`)
      .send({ format: 'pdf', template: { name: 'Draft', pageSize: 'A5', orientation: 'portrait', design: {
        version: 1,
        elements: [{ id: 'line', type: 'text', text: '{{title name}} – {{formatTime finishSeconds}}', x: 10, y: 50, width: 128, height: 20, fontSize: 14 }],
      } } })
      .buffer(true);
    expect(res.status).toBe(200);
    expect(poppler('pdftotext', res.body)).toContain('Eleni Papadopoulou – 3:41:27');
    expect(poppler('pdfinfo', res.body)).toMatch(/Page size:\s+4(19|20)(\.\d+)? x 59[45](\.\d+)? pts/);
  });

  it('reports a template error with the element and position instead of a blank page', async () => {
    const res = await app
      .admin('post', `/certify/events/${eventId}/templates/${demo.documentId}/preview`)
      .send({ format: 'png', template: { design: design('Dear {{name}},\n{{#each}}') } });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/json/);
    expect(res.body.error.details.problems[0]).toMatchObject({ elementId: 'name', line: 2 });

    const unknownRecord = await app
      .admin('post', `/certify/events/${eventId}/templates/${demo.documentId}/preview`)
      .send({ recordId: 'nope', format: 'png' });
    expect(unknownRecord.status).toBe(400);
    expect(unknownRecord.body.error.message).toMatch(/record nope/);
  });

  it('answers what each text element prints, as the PDF prints it, for the designer canvas (format "text")', async () => {
    const created = await app.admin('post', `/certify/events/${eventId}/records`).send({ bib: '8', name: 'No Category & Co', finishTime: '3:10:00', rankOverall: 2, rankCategory: 1 });
    const recordId = created.body.data.documentId;
    const url = `/certify/events/${eventId}/templates/${demo.documentId}/preview`;
    const res = await app.admin('post', url).send({ recordId, format: 'text' });
    expect(res.status).toBe(200);
    const { elements, fontCss } = res.body.data;
    // The rank line drops " in {{category}}" for a record without a category; values stay escaped.
    expect(elements).toMatchObject({ rank: { html: '2nd overall · 1st' }, time: { html: 'finished in 3:10:00' }, name: { html: 'No Category &amp; Co' }, bib: { html: 'Bib 8' } });
    const pdf = poppler('pdftotext', (await app.admin('post', url).send({ recordId, format: 'pdf' }).buffer(true)).body);
    for (const line of ['2nd overall · 1st', 'finished in 3:10:00', 'No Category & Co', 'Bib 8']) expect(pdf).toContain(line);
    expect(pdf).not.toMatch(/1st in/);

    // The demo's fonts as @font-face rules whose files the public font route serves.
    expect(fontCss).toMatch(/font-family: 'Playfair Display'/);
    const file = /url\((\/api\/certify\/fonts\/playfair-display\/[a-z0-9-]+\.woff2)\)/.exec(fontCss)![1];
    const font = await app.http().get(file).buffer(true);
    expect(font.status).toBe(200);
    expect(font.headers['content-type']).toBe('font/woff2');
    expect(font.body.subarray(0, 4).toString('latin1')).toBe('wOF2');
    expect((await app.http().get('/api/certify/fonts/playfair-display/nope.woff2')).status).toBe(404);
    expect((await app.http().get('/api/certify/fonts/..%2F..%2Fpackage.json/x.woff2')).status).toBe(400);

    // A half-typed element reports its problem; the others still print. Read-only roles get the saved template.
    const typing = await app.admin('post', url).send({ recordId, format: 'text', template: { design: design('Dear {{na') } });
    expect(typing.body.data.elements.name.error).toMatch(/syntax error/);
    const reader = await app.adminWithActions(['plugin::certify.read']);
    const saved = await app.admin('get', `${url}?format=text&recordId=${recordId}`, reader);
    expect(saved.status).toBe(200);
    expect(saved.body.data.elements.rank).toEqual({ html: '2nd overall · 1st' });
    expect((await app.admin('post', url, reader).send({ recordId, format: 'text', template: { design: design() } })).status).toBe(403);
  });

  it('lists the fonts a design can use', async () => {
    const fonts = (await app.admin('get', '/certify/fonts')).body.data;
    const families = fonts.map((f: any) => f.family);
    for (const f of ['Inter', 'EB Garamond', 'Great Vibes', 'JetBrains Mono', 'Noto Sans Arabic', 'Noto Sans SC']) expect(families).toContain(f);
    expect(fonts.find((f: any) => f.family === 'Inter').scripts).toEqual(expect.arrayContaining(['latin', 'greek', 'cyrillic']));
  });
});

describe('custom fonts', () => {
  it('uses a TTF uploaded to the media library by its family name', async () => {
    const source = '/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf';
    if (!fs.existsSync(source)) throw new Error(`test font ${source} is missing: apt-get install fonts-dejavu-core`);
    const tmp = path.join(os.tmpdir(), `certify-font-${process.pid}.ttf`);
    fs.copyFileSync(source, tmp);
    await app.strapi.plugin('upload').service('upload').upload({
      data: { fileInfo: { name: 'DejaVuSerif-Bold.ttf' } },
      files: { filepath: tmp, originalFilename: 'DejaVuSerif-Bold.ttf', mimetype: 'font/ttf', size: fs.statSync(tmp).size },
    });
    fs.rmSync(tmp, { force: true });
    (app.strapi.plugin('certify').service('render') as any).invalidate();

    const fonts = (await app.admin('get', '/certify/fonts')).body.data;
    expect(fonts.find((f: any) => f.family === 'DejaVu Serif')).toMatchObject({ source: 'custom', weights: [700] });

    const event = await app.createEvent({ plan: 'pro' });
    const custom = {
      version: 1,
      elements: [{ id: 'name', type: 'text', field: 'name', x: 10, y: 10, width: 200, height: 30, fontFamily: 'DejaVu Serif', fontWeight: 700 }],
    };
    const t = await app.admin('post', `/certify/events/${event.documentId}/templates`).send({ name: 'Custom font', design: custom });
    expect(t.status).toBe(201);
    const pdf = await app
      .admin('post', `/certify/events/${event.documentId}/templates/${t.body.data.documentId}/preview`)
      .send({ format: 'pdf' })
      .buffer(true);
    expect(pdf.status).toBe(200);
    expect(pdfFonts(pdf.body).map((f) => f.name)).toContain('DejaVuSerif-Bold');
  });
});
