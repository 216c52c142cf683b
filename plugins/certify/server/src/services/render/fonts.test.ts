import fs from 'node:fs';
import { builtinFamilies, fallbacksFor, fontFaceCss, namesFromFileName, readSfntNames } from './fonts';

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
});
