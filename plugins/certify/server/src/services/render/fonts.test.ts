import fs from 'node:fs';
import { builtinFamilies, fallbacksFor, fontFaceCss, namesFromFileName, readSfntNames, rebaseFontCss } from './fonts';

describe('fonts', () => {
  it('ships serif, sans, script, display and monospace families plus Noto for other scripts', () => {
    const families = builtinFamilies();
    const categories = new Set(families.map((f) => f.category));
    for (const c of ['serif', 'sans-serif', 'handwriting', 'display', 'monospace']) expect(categories).toContain(c);
    expect(families.find((f) => f.family === 'Noto Sans Arabic')?.scripts).toContain('arabic');
  });

  it('declares only the fallbacks a text needs, served from the private origin', () => {
    expect(fallbacksFor('Eleni')).toEqual(['Noto Sans']);
    expect(fallbacksFor('王小明 محمد')).toEqual(expect.arrayContaining(['Noto Sans Arabic', 'Noto Sans SC']));
    const css = fontFaceCss([{ family: 'Inter', weight: 650, italic: false }]);
    expect(css).toMatch(/font-weight: 600/);
    expect(css).toMatch(/url\(https:\/\/certify\.invalid\/fonts\/inter\/inter-latin-600-normal\.woff2\)/);
    expect(css).not.toMatch(/\.woff\)/);
  });

  it('reads an uploaded font\'s family, weight and style', () => {
    const file = '/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf';
    if (fs.existsSync(file)) expect(readSfntNames(fs.readFileSync(file))).toEqual({ family: 'DejaVu Serif', weight: 700, italic: false });
    expect(readSfntNames(Buffer.from('not a font'))).toBeNull();
    expect(namesFromFileName('Lobster-BoldItalic.woff2')).toEqual({ family: 'Lobster', weight: 700, italic: true });
    expect(namesFromFileName('BrandSans.woff2')).toEqual({ family: 'Brand Sans', weight: 400, italic: false });
  });

  it('points the same rules at the public font route and uploaded fonts at their media URL for the designer canvas', () => {
    const custom = [
      { family: 'Brand Sans', weight: 400, italic: false, assetKey: 'f1', format: 'woff2' as const },
      { family: 'Gone Font', weight: 400, italic: false, assetKey: 'f2', format: 'truetype' as const },
    ];
    const css = fontFaceCss(
      [{ family: 'Great Vibes', weight: 400, italic: false }, { family: 'Brand Sans', weight: 400, italic: false }, { family: 'Gone Font', weight: 400, italic: false }],
      custom
    );
    const rebased = rebaseFontCss(css, '/api/certify/fonts', (key) => (key === 'f1' ? '/uploads/brand_sans_1a2b.woff2' : null));
    expect(rebased).toMatch(/url\(\/api\/certify\/fonts\/great-vibes\/great-vibes-latin-400-normal\.woff2\)/);
    expect(rebased).toContain(`src:url("/uploads/brand_sans_1a2b.woff2") format('woff2')`);
    // A rule whose file is unknown is dropped rather than left pointing at the renderer's private origin.
    expect(rebased).not.toContain('Gone Font');
    expect(rebased).not.toContain('certify.invalid');
  });
});
