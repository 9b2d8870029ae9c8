// Where the running Rampart answers and its admin API key, for the developer scripts that talk to
// it (`npm run demo`, `npm run fakes -- --register`).
'use strict';

const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

/** `given`, else RAMPART_URL, else http://localhost:$PORT (3000); without a trailing slash. */
function rampartUrl(given) {
  return (given || process.env.RAMPART_URL || `http://localhost:${process.env.PORT || 3000}`).replace(
    /\/+$/,
    '',
  );
}

/** SOAR_ADMIN_API_KEY, else the key `npm start` generated under SOAR_DATA_DIR (.data). */
function adminApiKey() {
  if (process.env.SOAR_ADMIN_API_KEY) return process.env.SOAR_ADMIN_API_KEY;
  const file = path.resolve(root, process.env.SOAR_DATA_DIR || '.data', 'admin-api-key');
  if (!existsSync(file)) {
    throw new Error(`No API key: set SOAR_ADMIN_API_KEY or start Rampart once so that it writes ${file}.`);
  }
  return readFileSync(file, 'utf8').trim();
}

module.exports = { adminApiKey, rampartUrl };
