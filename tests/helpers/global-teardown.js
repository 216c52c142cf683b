const fs = require('node:fs');

module.exports = async () => {
  const { TEMPLATE_SQLITE } = require('./db');
  fs.rmSync(TEMPLATE_SQLITE, { force: true });
};
