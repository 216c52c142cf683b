#!/usr/bin/env node
// Compiles the host app's TypeScript (config/, src/) into dist/ — what `createStrapi` loads in
// tests, the worker and benchmarks. Exits non-zero on a type error.
const { compileStrapi } = require('@strapi/strapi');

compileStrapi({ appDir: require('node:path').join(__dirname, '..'), ignoreDiagnostics: false })
  .then(() => process.exit(0))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
