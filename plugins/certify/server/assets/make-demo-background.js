#!/usr/bin/env node
// Regenerates demo-background.jpg (A4 landscape at 300 dpi, ~300 KB): a guilloche-like frame over
// a paper texture. Run from anywhere: `node plugins/certify/server/assets/make-demo-background.js`.
// The noise keeps the file near the size of a real designer's background, which is what the
// renderer's throughput depends on.
const path = require('node:path');
const sharp = require('sharp');

const W = 3508;
const H = 2480;
const lines = [];
for (let i = 0; i < 90; i += 1) {
  const r = 300 + i * 14;
  lines.push(`<ellipse cx="${W / 2}" cy="${H / 2}" rx="${r * 1.5}" ry="${r}" fill="none" stroke="#b08d57" stroke-opacity="0.10" stroke-width="3"/>`);
}
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
  <defs>
    <linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#fbf7ee"/><stop offset="1" stop-color="#efe6d2"/>
    </linearGradient>
  </defs>
  <rect width="${W}" height="${H}" fill="url(#g)" fill-opacity="0.93"/>
  ${lines.join('\n')}
  <rect x="110" y="110" width="${W - 220}" height="${H - 220}" fill="none" stroke="#1f3a5f" stroke-width="28"/>
  <rect x="170" y="170" width="${W - 340}" height="${H - 340}" fill="none" stroke="#b08d57" stroke-width="8"/>
  <circle cx="${W - 520}" cy="${H - 560}" r="230" fill="#b08d57" fill-opacity="0.85"/>
  <circle cx="${W - 520}" cy="${H - 560}" r="190" fill="none" stroke="#fff" stroke-width="10"/>
</svg>`;

(async () => {
  const noise = await sharp({ create: { width: W, height: H, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 12 } } })
    .png()
    .toBuffer();
  const out = path.join(__dirname, 'demo-background.jpg');
  await sharp(noise)
    .composite([{ input: Buffer.from(svg), blend: 'over' }])
    .jpeg({ quality: 73, mozjpeg: true })
    .toFile(out);
  const { size } = require('node:fs').statSync(out);
  console.log(`${out}: ${Math.round(size / 1024)} KB`);
})();
