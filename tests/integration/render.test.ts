import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PDFDocument } from 'pdf-lib';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import sharp from 'sharp';
import { setupApp, type TestApp } from '../helpers/app';
import { pdfFonts, pdfWords, poppler, MM } from '../fixtures/render/pdf';
import names from '../fixtures/render/names.json';

// Jest 30 ignores a project's testTimeout; booting Strapi and Chromium on a busy machine needs more than 5 s.
jest.setTimeout(120_000);

let app: TestApp;
let eventId: string;
let demo: any;
const renderer = () => app.strapi.plugin('certify').service('render') as any;
const record = (over: Record<string, unknown> = {}) => ({
  documentId: `r-${Math.random().toString(36).slice(2)}`,
  bib: '42',
  name: 'Eleni Papadopoulou',
  category: 'F40',
  finishTime: '3:41:27',
  rankOverall: 12,
  rankCategory: 3,
  verificationCode: 'ABCDEFGHJKLMNPQR',
  ...over,
});
const verifyUrl = 'https://certify.example.org/verify/ABCDEFGHJKLMNPQR';
const OUR_FONTS = /^(Inter|EBGaramond|PlayfairDisplay|NotoSans[A-Za-z]*)-/;

beforeAll(async () => {
  app = await setupApp();
  eventId = (await app.createEvent({ plan: 'pro', name: 'Athens Marathon' })).documentId;
  demo = await app.strapi.plugin('certify').service('templates').createDemo(eventId);
});

afterAll(async () => {
  await app?.close();
});

describe('rendering the demo template with real Chromium', () => {
  it('gives one A4-landscape page per record with the name as text, in order, and an error only for the bad item', async () => {
    const items = [
      { record: record({ name: 'Eleni Papadopoulou' }), verifyUrl },
      { record: record({ name: 'Broken' }), verifyUrl: '' },
      { record: record({ name: 'Nikos Kazantzakis' }), verifyUrl },
    ];
    const results = await renderer().renderBatch(demo, items, { image: true });
    expect(results.map((r: any) => r.documentId)).toEqual(items.map((i) => i.record.documentId));
    expect(results[1].error).toMatch(/verifyUrl/);
    for (const [i, name] of [[0, 'Eleni Papadopoulou'], [2, 'Nikos Kazantzakis']] as const) {
      const doc = await PDFDocument.load(results[i].pdf);
      expect(doc.getPageCount()).toBe(1);
      const { width, height } = doc.getPage(0).getSize();
      expect(width).toBeCloseTo(297 * MM, 0);
      expect(height).toBeCloseTo(210 * MM, 0);
      expect(poppler('pdftotext', results[i].pdf)).toContain(name);
      expect(results[i].imageMime).toBe('image/jpeg');
      expect(results[i].image.subarray(0, 3).toString('hex')).toBe('ffd8ff');
      expect(pdfFonts(results[i].pdf).every((f) => f.embedded)).toBe(true);
    }
  });

  it('renders Arabic, Hebrew, Chinese, Devanagari, Thai, Greek and Cyrillic names with the shipped fonts (no fallback, no missing glyphs)', async () => {
    const entries = Object.entries(names);
    const results = await renderer().renderBatch(
      demo,
      entries.map(([, n]) => ({ record: record({ name: n.name }), verifyUrl }))
    );
    entries.forEach(([script, n], i) => {
      expect({ script, error: results[i].error }).toEqual({ script, error: undefined });
      const fonts = pdfFonts(results[i].pdf);
      // Every glyph came from an embedded font we ship: a system fallback or .notdef box would
      // show up as another font (e.g. DejaVu) or an unembedded one.
      expect({ script, fonts: fonts.filter((f) => !OUR_FONTS.test(f.name) || !f.embedded) }).toEqual({ script, fonts: [] });
      expect({ script, has: fonts.some((f) => f.name.startsWith(n.font)) }).toEqual({ script, has: true });
    });
    const text = (i: number) => poppler('pdftotext', results[i].pdf).replace(/[\u200e\u200f\u202a-\u202e]/g, '');
    expect(text(entries.findIndex(([s]) => s === 'chinese'))).toContain(names.chinese.name);
    expect(text(entries.findIndex(([s]) => s === 'greek'))).toContain(names.greek.name);
    expect(text(entries.findIndex(([s]) => s === 'cyrillic'))).toContain(names.cyrillic.name);
  });

  it('lays a Hebrew name out right to left', async () => {
    const [result] = await renderer().renderBatch(demo, [{ record: record({ name: names.hebrew.name }), verifyUrl }]);
    const words = pdfWords(result.pdf);
    // pdftotext prints RTL words in visual order (letters reversed); accept either spelling.
    const find = (word: string) => words.find((w) => w.text === word || w.text === [...word].reverse().join(''));
    const first = find('דוד');
    const last = find('גוריון');
    expect(first && last).toBeTruthy();
    expect(first!.xMin).toBeGreaterThan(last!.xMax);
  });

  it('shrinks a 60-character name to stay inside its box', async () => {
    const long = 'Maximiliana Wolfeschlegelsteinhausenbergerdorff-Konstantinou';
    expect(long).toHaveLength(60);
    const [result] = await renderer().renderBatch(demo, [{ record: record({ name: long }), verifyUrl }]);
    const box = demo.design.elements.find((e: any) => e.id === 'name');
    const nameWords = pdfWords(result.pdf).filter((w) => long.includes(w.text) && w.text.length > 3);
    expect(nameWords.length).toBeGreaterThan(0);
    for (const w of nameWords) {
      expect(w.xMin).toBeGreaterThanOrEqual(box.x * MM - 1);
      expect(w.xMax).toBeLessThanOrEqual((box.x + box.width) * MM + 1);
      expect(w.yMin).toBeGreaterThanOrEqual(box.y * MM - 1);
      expect(w.yMax).toBeLessThanOrEqual((box.y + box.height) * MM + 1);
    }
  });

  it('puts a QR code that decodes to the verify URL', async () => {
    const [result] = await renderer().renderBatch(demo, [{ record: record(), verifyUrl }], { image: true, imageFormat: 'png' });
    expect(result.imageMime).toBe('image/png');
    const png = PNG.sync.read(result.image);
    expect(png.width).toBe(1200);
    const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
    expect(code?.data).toBe(verifyUrl);
  });

  it('builds the JPEG share images of a batch (content laid over the background) with the QR and the background intact', async () => {
    const urls = Array.from({ length: 7 }, (_, i) => `${verifyUrl}-${i}`);
    const results = await renderer().renderBatch(
      demo,
      urls.map((url, i) => ({ record: record({ name: `Runner ${i}` }), verifyUrl: url })),
      { image: true }
    );
    for (const [i, r] of results.entries()) {
      const { data, info } = await sharp(r.image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([1200, 848]);
      expect(jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)?.data).toBe(urls[i]);
      // The demo background's navy frame at the top-left corner, not white or black.
      const at = (x: number, y: number) => [...data.subarray((y * info.width + x) * 4, (y * info.width + x) * 4 + 3)];
      const [red, green, blue] = at(40, 300);
      expect(blue).toBeGreaterThan(red + 30);
      expect(green).toBeLessThan(120);
    }
  });

  it('places the participant photo passed with the item', async () => {
    const design = { version: 1, elements: [{ id: 'photo', type: 'photo', x: 10, y: 10, width: 60, height: 60, borderRadius: 30 }] };
    const red = new PNG({ width: 8, height: 8 });
    red.data.fill(0);
    for (let i = 0; i < red.data.length; i += 4) (red.data[i] = 255), (red.data[i + 3] = 255);
    const [result] = await renderer().renderBatch(
      { pageSize: 'A5', orientation: 'portrait', mode: 'designer', design, event: eventId },
      [{ record: record(), verifyUrl, photo: { data: PNG.sync.write(red), mime: 'image/png' } }],
      { image: true, imageFormat: 'png' }
    );
    const png = PNG.sync.read(result.image);
    const scale = png.width / 148;
    const at = (xMm: number, yMm: number) => png.data.subarray((Math.round(yMm * scale) * png.width + Math.round(xMm * scale)) * 4).subarray(0, 3);
    expect([...at(40, 40)]).toEqual([255, 0, 0]);
    expect([...at(100, 100)]).toEqual([255, 255, 255]);
    const doc = await PDFDocument.load(result.pdf);
    expect(doc.getPage(0).getSize().width).toBeCloseTo(148 * MM, 0);
  });
});

describe('lock-down', () => {
  let server: http.Server;
  let hits: string[];
  let port: number;

  beforeAll(async () => {
    hits = [];
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('<h1>LEAKED</h1>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('loads no local file and reaches no address, whatever the template asks for', async () => {
    const base = `http://127.0.0.1:${port}`;
    const html = `
      <link rel="stylesheet" href="${base}/style.css"><link rel="prefetch" href="${base}/prefetch">
      <meta http-equiv="refresh" content="0;url=${base}/refresh">
      <h1>{{name}}</h1>
      <img src="file:///etc/passwd"><iframe src="file:///etc/passwd"></iframe>
      <iframe src="${base}/frame"></iframe><img src="${base}/img.png"><video poster="${base}/poster"></video>
      <object data="${base}/object"></object><embed src="${base}/embed">
      <div style="background:url(${base}/bg.png)">x</div>
      <script>document.body.innerHTML = 'SCRIPT RAN'; fetch('${base}/script');</script>`;
    const [result] = await renderer().renderBatch({ mode: 'html', html, css: `@import url(${base}/import.css);`, event: eventId }, [
      { record: record({ name: 'Locked Down' }), verifyUrl },
    ]);
    expect(result.error).toBeUndefined();
    const text = poppler('pdftotext', result.pdf);
    expect(text).toContain('Locked Down');
    expect(text).not.toMatch(/root:|LEAKED|SCRIPT RAN/);
    await new Promise((r) => setTimeout(r, 300));
    expect(hits).toEqual([]);
  });

  it('escapes record values: HTML in a name is text, not markup', async () => {
    const name = `<img src="http://127.0.0.1:${port}/name"> & "quotes"`;
    const [result] = await renderer().renderBatch(demo, [{ record: record({ name }), verifyUrl }]);
    expect(poppler('pdftotext', result.pdf)).toContain('& "quotes"');
    expect(hits).toEqual([]);
  });

  it('refuses {{constructor}} with the element and position, and never renders prototype data', async () => {
    await expect(renderer().check({ mode: 'html', html: '<p>\n  {{constructor.name}}</p>' })).rejects.toMatchObject({
      details: { problems: [expect.objectContaining({ elementId: 'html', line: 2, column: 5 })] },
    });
    const [result] = await renderer().renderBatch({ mode: 'html', html: '<p>{{constructor}}</p>', event: eventId }, [{ record: record(), verifyUrl }]);
    expect(result.error).toMatch(/unknown field "constructor"/);
    expect(result.pdf).toBeUndefined();
  });

  it('stops a template that never settles at the timeout with a clear error, and keeps rendering afterwards', async () => {
    const cells = '<i></i>'.repeat(4000);
    const html = `<div class="x">${cells}</div>`.repeat(20) + '<p>{{name}}</p>';
    const css = '.x i{display:inline-block;width:1px;height:1px;box-shadow:0 0 80px 40px rgba(0,0,0,.2);filter:blur(30px) drop-shadow(0 0 40px red)}';
    const [slow] = await renderer().renderBatch({ mode: 'html', html, css, event: eventId }, [{ record: record(), verifyUrl }], {
      timeoutMs: 400,
      image: true,
    });
    expect(slow.error).toMatch(/longer than 400 ms/);
    const [ok] = await renderer().renderBatch(demo, [{ record: record({ name: 'After Timeout' }), verifyUrl }]);
    expect(ok.error).toBeUndefined();
    expect(poppler('pdftotext', ok.pdf)).toContain('After Timeout');
  });
});

describe('pool', () => {
  it('recovers after its Chromium process is killed', async () => {
    await renderer().renderBatch(demo, [{ record: record(), verifyUrl }]);
    const pid = renderer().engine().pool.browserPid();
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const results = await renderer().renderBatch(demo, [
      { record: record({ name: 'After Crash' }), verifyUrl },
      { record: record({ name: 'Second After Crash' }), verifyUrl },
    ]);
    expect(results.map((r: any) => r.error)).toEqual([undefined, undefined]);
    expect(poppler('pdftotext', results[0].pdf)).toContain('After Crash');
    const newPid = renderer().engine().pool.browserPid();
    expect(newPid).toBeGreaterThan(0);
    expect(newPid).not.toBe(pid);
  });

  it('relaunches Chromium after the configured number of certificates', async () => {
    const { RenderEngine } = require('../../plugins/certify/server/src/services/render/engine');
    const { compileTemplate } = require('../../plugins/certify/server/src/services/render/html');
    const engine = new RenderEngine({ pages: 1, batchSize: 10, timeoutMs: 30_000, relaunchAfter: 3, shareImageWidth: 600 });
    try {
      const compiled = compileTemplate({ pageSize: 'A5', design: { version: 1, elements: [{ id: 't', type: 'text', field: 'name', x: 5, y: 5, width: 100, height: 10 }] } });
      const page = (name: string) => compiled.page({ context: { name }, qrSvg: '' }, { images: {}, customFonts: [] });
      const pids: number[] = [];
      for (const batch of [['a'], ['b'], ['c'], ['d']]) {
        const out = await engine.renderChunk(compiled, batch.map(page), { images: {}, customFonts: [] });
        expect(out.pdfs).toHaveLength(batch.length);
        pids.push(engine.pool.browserPid());
      }
      // The third certificate reaches the limit: that browser closes, the fourth gets a new one.
      expect(pids[0]).toBeGreaterThan(0);
      expect(pids[1]).toBe(pids[0]);
      expect(pids[2]).toBeNull();
      expect(pids[3]).toBeGreaterThan(0);
      expect(pids[3]).not.toBe(pids[0]);
    } finally {
      await engine.close();
    }
  });

  it('gives layered share images (only the band the design draws on, laid over the background) the pixels of a full-page capture', async () => {
    const { RenderEngine } = require('../../plugins/certify/server/src/services/render/engine');
    const { compileTemplate } = require('../../plugins/certify/server/src/services/render/html');
    const engine = new RenderEngine({ pages: 1, batchSize: 10, timeoutMs: 30_000, relaunchAfter: 100, shareImageWidth: 1200 });
    // Elements at the page's edges, turned, and a line whose stroke is thicker than its box.
    const design = {
      version: 1,
      elements: [
        { id: 'corner', type: 'text', field: 'name', x: 0, y: 0, width: 80, height: 14, fontSize: 20, color: '#aa0000', align: 'left' },
        { id: 'turned', type: 'text', text: 'Bib {{bib}}', x: 40, y: 60, width: 90, height: 14, fontSize: 20, color: '#003399', rotation: -30 },
        { id: 'box', type: 'shape', shape: 'rect', x: 240, y: 170, width: 50, height: 20, fill: '#0044cc', rotation: 35 },
        { id: 'line', type: 'shape', shape: 'line', x: 60, y: 120, width: 100, height: 0.1, stroke: '#007700', strokeWidth: 4 },
        { id: 'qr', type: 'qr', x: 150, y: 60, width: 30, height: 30 },
      ],
    };
    try {
      const compiled = compileTemplate({ pageSize: 'A4', orientation: 'landscape', mode: 'designer', design });
      const background = await sharp({ create: { width: 600, height: 424, channels: 3, background: '#f3ecdc' } }).png().toBuffer();
      engine.pool.assets.set('plain-bg', { body: background, type: 'image/png' });
      const assets = { background: 'plain-bg', images: {}, customFonts: [] };
      const { qrSvg } = require('../../plugins/certify/server/src/services/render/engine');
      const pages = await Promise.all(
        Object.values(names as Record<string, { name: string }>).slice(0, 7).map(async ({ name }, i) =>
          compiled.page({ context: { name, bib: String(100 + i) }, qrSvg: await qrSvg(`${verifyUrl}-${i}`, { dark: '#000000', light: '#ffffff' }) }, assets)
        )
      );
      const layered = await engine.renderChunk(compiled, pages, assets, { image: true, pdf: false });
      const full = await engine.renderChunk(compiled, pages, assets, { image: true, pdf: false, imageFormat: 'png' });
      for (let i = 0; i < pages.length; i += 1) {
        const a = await sharp(layered.images[i]).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        const b = await sharp(full.images[i]).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        expect([a.info.width, a.info.height]).toEqual([b.info.width, b.info.height]);
        // Per 8 × 8 block: JPEG noise stays in single digits; a missing or shifted element is ~100.
        let worst = 0;
        const W = a.info.width;
        for (let by = 0; by + 8 <= a.info.height; by += 8) {
          for (let bx = 0; bx + 8 <= W; bx += 8) {
            let sum = 0;
            for (let y = by; y < by + 8; y += 1) for (let x = bx; x < bx + 8; x += 1) for (let c = 0; c < 3; c += 1) sum += Math.abs(a.data[(y * W + x) * 3 + c] - b.data[(y * W + x) * 3 + c]);
            worst = Math.max(worst, sum / 192);
          }
        }
        expect(worst).toBeLessThan(20);
      }
    } finally {
      await engine.close();
    }
  });

  it('reports a missing Chromium with its code and the apt package, per item', async () => {
    process.env.CERTIFY_CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      const [result] = await renderer().renderBatch(demo, [{ record: record(), verifyUrl }]);
      expect(result.error).toMatch(/CERTIFY_CHROMIUM_MISSING/);
      expect(result.error).toMatch(/apt-get install chromium/);
    } finally {
      delete process.env.CERTIFY_CHROMIUM_PATH;
    }
  });
});
