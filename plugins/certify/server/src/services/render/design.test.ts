import { designSchema } from '../../../../shared/contracts/templates';
import { checkHandlebars, checkHtml } from './design';
import { compileTemplate, contentBand, elementTexts, pageDimensions, TemplateError } from './html';
import { recordContext } from './index';
import { demoDesign } from '../templates';

describe('template checks', () => {
  it('locates syntax errors and unknown fields', () => {
    expect(checkHandlebars('Hi {{name}', 'title')[0]).toMatchObject({ elementId: 'title', line: 1 });
    expect(checkHandlebars('ok\n  {{nmae}}', 'title')).toEqual([expect.objectContaining({ elementId: 'title', line: 2, column: 5 })]);
    expect(checkHandlebars('{{ordinal rankOverall}} {{formatTime finishTime "mm:ss"}} {{extra.club}} {{event.name}}', 'x')).toEqual([]);
    expect(checkHandlebars('{{#each extra}}{{@key}} {{this}}{{/each}}', 'x')).toEqual([]);
    expect(checkHandlebars('{{> partial}}', 'x')[0].message).toMatch(/partials/);
  });

  it('allows raw output only for server-built values in HTML mode', () => {
    expect(checkHtml('{{{qr}}}<img src="{{{assets.background}}}">')).toEqual([]);
    expect(checkHtml('{{{name}}}')[0].message).toMatch(/raw output/);
    expect(checkHandlebars('{{{qr}}}', 'text')[0].message).toMatch(/raw output/);
  });

  it('keeps CSS values constrained', () => {
    const bad = designSchema.safeParse({ version: 1, elements: [{ id: 'a', type: 'text', x: 0, y: 0, width: 1, height: 1, color: 'red;x:y' }] });
    expect(bad.success).toBe(false);
    const font = designSchema.safeParse({ version: 1, elements: [{ id: 'a', type: 'text', x: 0, y: 0, width: 1, height: 1, fontFamily: "x'}body{" }] });
    expect(font.success).toBe(false);
    const dup = designSchema.safeParse({ version: 1, elements: [{ id: 'a', type: 'qr', x: 0, y: 0, width: 1, height: 1 }, { id: 'a', type: 'qr', x: 0, y: 0, width: 1, height: 1 }] });
    expect(dup.success).toBe(false);
  });

  it('shows a photo frame only with a photo or the placeholder the organiser picked', () => {
    const photo = { id: 'ph', type: 'photo' as const, x: 10, y: 10, width: 40, height: 40 };
    const page = (el: Record<string, unknown>, photoKey: string | null) =>
      compileTemplate({ design: { version: 1, elements: [{ ...photo, ...el }] } }).page({ context: {}, qrSvg: '', photoKey }, { images: { '42': 'placeholder-key' }, customFonts: [] }).html;
    expect(page({}, null)).not.toContain('class="e ph"');
    expect(page({ fallback: 'hide' }, null)).not.toContain('class="e ph"');
    expect(page({ fallback: 'placeholder', placeholderFileId: 42 }, null)).toContain('/asset/placeholder-key');
    expect(page({ fallback: 'placeholder', placeholderFileId: 42 }, 'photo-key')).toContain('/asset/photo-key');
    expect(page({ fallback: 'placeholder', placeholderFileId: 42 }, 'photo-key')).not.toContain('placeholder-key');
    expect(() => compileTemplate({ design: { version: 1, elements: [{ ...photo, fallback: 'placeholder' }] } })).toThrow(/placeholder image/);
  });

  it('computes page sizes and refuses a custom size without dimensions', () => {
    expect(pageDimensions({ pageSize: 'A4', orientation: 'landscape' })).toEqual({ widthMm: 297, heightMm: 210 });
    expect(pageDimensions({ pageSize: 'Letter', orientation: 'portrait' })).toEqual({ widthMm: 215.9, heightMm: 279.4 });
    expect(pageDimensions({ pageSize: 'custom', widthMm: '100', heightMm: 50 })).toEqual({ widthMm: 100, heightMm: 50 });
    expect(() => pageDimensions({ pageSize: 'custom' })).toThrow(TemplateError);
  });

  it('builds escaped text, the QR and the shrink-to-fit markers', () => {
    const compiled = compileTemplate({
      design: {
        version: 1,
        elements: [
          { id: 'n', type: 'text', field: 'name', x: 10, y: 20, width: 100, height: 10, shrinkToFit: true, minFontSize: 8 },
          { id: 'q', type: 'qr', x: 0, y: 0, width: 20, height: 20 },
        ],
      },
    });
    const { html } = compiled.page({ context: { name: 'A & <B>' }, qrSvg: '<svg id="qr"></svg>' }, { images: {}, customFonts: [] });
    expect(html).toContain('A &amp; &lt;B&gt;');
    expect(html).toContain('<svg id="qr"></svg>');
    expect(html).toContain('data-min="8"');
    expect(html).toContain('left:10mm;top:20mm;width:100mm;height:10mm');
  });

  it('writes each text in its direction: from the text by default, or as the designer forced it', () => {
    const elements = (['auto', 'rtl', 'ltr', undefined] as const).map((direction, i) => ({
      id: `t${i}`,
      type: 'text' as const,
      text: '{{name}} 2026',
      x: 0,
      y: i * 10,
      width: 100,
      height: 10,
      ...(direction ? { direction } : {}),
    }));
    const { html } = compileTemplate({ design: { version: 1, elements } }).page({ context: { name: 'محمد' }, qrSvg: '' }, { images: {}, customFonts: [] });
    expect(html.match(/<span dir="(\w+)">محمد 2026<\/span>/g)).toEqual([
      '<span dir="auto">محمد 2026</span>',
      '<span dir="rtl">محمد 2026</span>',
      '<span dir="ltr">محمد 2026</span>',
      '<span dir="auto">محمد 2026</span>',
    ]);
    expect(designSchema.safeParse({ version: 1, elements: [{ ...elements[0], direction: 'sideways' }] }).success).toBe(false);
  });
});

describe('the starter certificate', () => {
  const lines = (context: Record<string, unknown>) => {
    const { html } = compileTemplate({ design: demoDesign() }).page({ context, qrSvg: '' }, { images: {}, customFonts: [] });
    return [...html.matchAll(/<span dir="\w+">(.*?)<\/span>/g)].map((m) => m[1]).filter(Boolean);
  };

  it('prints the time and ranks it has, and no line for those it lacks', () => {
    const event = { name: 'Athens Marathon', date: '2026-11-08' };
    expect(lines({ name: 'Eleni', bib: '7', event, finishTime: '3:41:07', rankOverall: 12, rankCategory: 3, category: 'W35-39' })).toEqual(
      expect.arrayContaining(['finished in 3:41:07', '12th overall · 3rd in W35-39'])
    );
    const bare = lines({ name: 'Eleni', bib: '7', event });
    expect(bare.join(' | ')).not.toMatch(/finished in|overall| in |·\s*$/);
    expect(lines({ name: 'E', bib: '7', event, rankCategory: 3 })).toContain('3rd');
    expect(lines({ name: 'E', bib: '7', event, rankOverall: 5, category: 'M40' })).toContain('5th overall');
  });
});

describe('share image layering', () => {
  it('blends the straight-alpha content layer over the background', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { blendOver } = require('./cutter');
    const base = { data: Buffer.from([10, 20, 30, 10, 20, 30]), width: 2, height: 1 };
    const layer = Buffer.from([200, 0, 0, 0, 255, 255, 255, 128]);
    expect([...blendOver(base, layer, 2, 4, 0, 2, 1)]).toEqual([10, 20, 30, 133, 138, 143]);
    expect([...base.data]).toEqual([10, 20, 30, 10, 20, 30]);
  });

  it('lays a band of the layer at its place on the background', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { blendOver } = require('./cutter');
    const base = { data: Buffer.alloc(3 * 3 * 3, 9), width: 3, height: 3 };
    // A 1 × 2 band (rows 1 and 2 of a 1-pixel-wide layer) put at column 2, row 1.
    const layer = Buffer.from([0, 0, 0, 0, 1, 2, 3, 255, 4, 5, 6, 255]);
    const out = blendOver(base, layer, 1, 4, 1, 1, 2, 2, 1);
    const px = (x: number, y: number) => [...out.subarray((y * 3 + x) * 3, (y * 3 + x) * 3 + 3)];
    expect(px(2, 1)).toEqual([1, 2, 3]);
    expect(px(2, 2)).toEqual([4, 5, 6]);
    expect([px(0, 0), px(2, 0), px(1, 1), px(1, 2)]).toEqual([[9, 9, 9], [9, 9, 9], [9, 9, 9], [9, 9, 9]]);
  });

  it('shares the certificates of a batch among as few captures as the pixel budget allows, the groups even', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { captureGroups } = require('./engine');
    expect(captureGroups(50, 976 * 660)).toEqual([10, 10, 10, 10, 10]);
    expect(captureGroups(50, 1200 * 848)).toEqual([6, 6, 6, 6, 6, 5, 5, 5, 5]);
    expect(captureGroups(3, 976 * 660)).toEqual([3]);
    expect(captureGroups(1, 5000 * 5000)).toEqual([1]);
    expect(captureGroups(12, 100 * 100)).toEqual([6, 6]);
  });

  it("captures only the band the design draws on: every element's box inside it, turned ones and thick lines included", () => {
    const demo = designSchema.parse(demoDesign());
    // A4 landscape at 1200 px: 848 px high.
    const band = contentBand(demo, 297, 210, 1200);
    const scale = 1200 / 297;
    expect(band.width * band.height).toBeLessThan(0.7 * 1200 * 848);
    for (const el of demo.elements) {
      expect(el.x * scale).toBeGreaterThanOrEqual(band.left);
      expect(el.y * scale).toBeGreaterThanOrEqual(band.top);
      expect((el.x + el.width) * scale).toBeLessThanOrEqual(band.left + band.width);
      expect((el.y + el.height) * scale).toBeLessThanOrEqual(band.top + band.height);
    }
    // A 40 × 40 mm square turned 45° reaches 20·√2 mm from its centre; a 0.1 mm line of 4 mm stroke is 4 mm high.
    const turned = designSchema.parse({
      version: 1,
      elements: [
        { id: 'sq', type: 'shape', shape: 'rect', x: 100, y: 80, width: 40, height: 40, rotation: 45, fill: '#000000' },
        { id: 'ln', type: 'shape', shape: 'line', x: 100, y: 150, width: 40, height: 0.1, strokeWidth: 4 },
      ],
    });
    const b = contentBand(turned, 297, 210, 1200);
    expect(b.left).toBeLessThanOrEqual(Math.floor((120 - 20 * Math.SQRT2) * scale));
    expect(b.top).toBeLessThanOrEqual(Math.floor((100 - 20 * Math.SQRT2) * scale));
    expect(b.top + b.height).toBeGreaterThanOrEqual(Math.ceil(154 * scale));
    // Nothing to draw: a one-pixel band; elements past the page: clamped to it.
    expect(contentBand(designSchema.parse({ version: 1, elements: [] }), 297, 210, 1200)).toEqual({ left: 0, top: 0, width: 1, height: 1 });
    const edge = contentBand(designSchema.parse({ version: 1, elements: [{ id: 'r', type: 'shape', shape: 'rect', x: -10, y: -10, width: 400, height: 400 }] }), 297, 210, 1200);
    expect(edge).toEqual({ left: 0, top: 0, width: 1200, height: 848 });
  });
});

describe('what the canvas shows of each text element (elementTexts)', () => {
  const design = designSchema.parse(demoDesign());
  const withoutCategory = recordContext(
    { bib: '1007', name: 'Łukasz Müller & Co', category: null, finishTime: '3:05:09', finishSeconds: 11109, rankOverall: 3, rankCategory: 1 },
    { name: 'Athens Demo Marathon 2026', date: '2026-11-08' },
    'https://example.org/verify/X'
  );

  it('prints what the certificate prints: helpers applied, and nothing of a line whose field is empty', () => {
    const texts = elementTexts(design, withoutCategory);
    expect(texts.time).toEqual({ html: 'finished in 3:05:09' });
    // RANK_LINE says " in {{category}}" only when there is a category.
    expect(texts.rank).toEqual({ html: '3rd overall · 1st' });
    expect(texts.event).toEqual({ html: 'Athens Demo Marathon 2026 · 8 November 2026' });
    // Record values escaped exactly as in the certificate's HTML.
    expect(texts.name).toEqual({ html: 'Łukasz Müller &amp; Co' });
    const page = compileTemplate({ pageSize: 'A4', orientation: 'landscape', design }).page({ context: withoutCategory, qrSvg: '' }, { images: {}, customFonts: [] });
    for (const value of Object.values(texts)) expect(page.html).toContain(`>${(value as { html: string }).html}</span>`);
  });

  it('gives an element that cannot render its problem and still renders the others', () => {
    const broken = designSchema.parse({ version: 1, elements: [...design.elements, { id: 'typing', type: 'text', text: 'Hi {{na', x: 0, y: 0, width: 10, height: 5 }] });
    const texts = elementTexts(broken, withoutCategory);
    expect(texts.typing).toEqual({ error: expect.stringMatching(/syntax error/) });
    expect(texts.time).toEqual({ html: 'finished in 3:05:09' });
    expect(texts.qr).toBeUndefined();
  });
});
