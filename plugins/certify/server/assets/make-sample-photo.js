#!/usr/bin/env node
// Regenerates sample-photo.jpg: a neutral silhouette the designer's preview puts into photo
// frames when it renders the sample record (real renders use the participant's photo).
const path = require('node:path');
const sharp = require('sharp');

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600">
  <rect width="600" height="600" fill="#c9d3df"/>
  <circle cx="300" cy="235" r="120" fill="#8797ab"/>
  <ellipse cx="300" cy="560" rx="220" ry="190" fill="#8797ab"/>
</svg>`;
sharp(Buffer.from(svg))
  .jpeg({ quality: 80 })
  .toFile(path.join(__dirname, 'sample-photo.jpg'))
  .then((info) => console.log(`sample-photo.jpg: ${info.size} bytes`));
