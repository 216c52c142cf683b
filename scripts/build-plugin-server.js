#!/usr/bin/env node
// Fast server-only build of the plugin (what tests, the worker and benchmarks need):
// esbuild bundles plugins/certify/server/src into dist/server/index.js in well under a second.
// The full build (`npm run build`) uses @strapi/sdk-plugin for both server and admin.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..', 'plugins', 'certify');

esbuild
  .build({
    entryPoints: [path.join(root, 'server', 'src', 'index.ts')],
    outfile: path.join(root, 'dist', 'server', 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    footer: { js: 'module.exports = module.exports.default ?? module.exports;' },
  })
  .catch(() => process.exit(1));
