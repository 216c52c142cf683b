import sharp from 'sharp';
import { ImageCutter } from './cutter';

/** Two 20x10 certificates stacked in one 20x20 capture. */
const capture = async (channels: 3 | 4) => {
  const data = Buffer.alloc(20 * 20 * channels);
  for (let y = 0; y < 20; y += 1) {
    for (let x = 0; x < 20; x += 1) {
      const i = (y * 20 + x) * channels;
      const top = y < 10;
      data[i] = top ? 255 : 0;
      data[i + 1] = 0;
      data[i + 2] = top ? 0 : 255;
      if (channels === 4) data[i + 3] = x < 10 ? 255 : 0; // right half transparent
    }
  }
  return (await sharp(data, { raw: { width: 20, height: 20, channels } }).png().toBuffer()).toString('base64');
};

const pixel = async (img: Buffer, x: number, y: number) => {
  const { data, info } = await sharp(img).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return { rgb: [data[i], data[i + 1], data[i + 2]], width: info.width, height: info.height };
};

describe('image cutter (worker thread)', () => {
  const cutter = new ImageCutter();
  afterAll(() => cutter.close());

  it('cuts a full-page capture into one image per certificate', async () => {
    const { images, thumbnails } = await cutter.cut({ shot: await capture(3), tops: [0, 10], width: 20, height: 10, format: 'png', quality: 80 });
    expect(images).toHaveLength(2);
    expect(thumbnails).toBeNull();
    expect(await pixel(images[0], 2, 2)).toEqual({ rgb: [255, 0, 0], width: 20, height: 10 });
    expect((await pixel(images[1], 2, 2)).rgb).toEqual([0, 0, 255]);
  });

  it('lays a transparent content layer over the background and clamps tops to the capture', async () => {
    const green = Buffer.alloc(20 * 10 * 3);
    for (let i = 0; i < green.length; i += 3) green[i + 1] = 200;
    const base = { key: 'green', data: green, width: 20, height: 10, channels: 3 };
    const { images } = await cutter.cut({ shot: await capture(4), tops: [0, 15], width: 20, height: 10, format: 'png', quality: 80, base });
    expect((await pixel(images[0], 2, 2)).rgb).toEqual([255, 0, 0]); // content
    expect((await pixel(images[0], 15, 2)).rgb).toEqual([0, 200, 0]); // background shows through
    expect((await pixel(images[1], 2, 2)).rgb).toEqual([0, 0, 255]); // top 15 clamped to 10
  });

  it('makes a thumbnail of each image within the box, keeping the proportions', async () => {
    const r = await cutter.cut({ shot: await capture(3), tops: [0, 10], width: 20, height: 10, format: 'jpeg', quality: 80, thumbnail: { width: 8, height: 8 } });
    expect(r.thumbnails).toHaveLength(2);
    expect(r.thumbnailSize).toEqual({ width: 8, height: 4 });
    const blue = await pixel(r.thumbnails![1], 2, 2);
    expect(blue).toMatchObject({ width: 8, height: 4 });
    expect(blue.rgb[2]).toBeGreaterThan(200); // the second certificate's thumbnail
    expect(blue.rgb[0]).toBeLessThan(60);
  });

  it('reports a capture it cannot decode as an error, and keeps working', async () => {
    await expect(cutter.cut({ shot: Buffer.from('not an image').toString('base64'), tops: [0], width: 20, height: 10, format: 'jpeg', quality: 80 })).rejects.toThrow(/share image/);
    const { images } = await cutter.cut({ shot: await capture(3), tops: [0], width: 20, height: 10, format: 'jpeg', quality: 90 });
    expect((await pixel(images[0], 2, 2)).width).toBe(20);
  });
});
