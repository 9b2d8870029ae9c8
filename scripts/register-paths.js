// Maps the `@rampart/<lib>` imports of the compiled code to dist/libs/<lib>/src,
// so the same import names work in TypeScript, in Jest and at run time.
'use strict';
const path = require('node:path');
const tsConfigPaths = require('tsconfig-paths');

tsConfigPaths.register({
  baseUrl: path.join(__dirname, '..', 'dist'),
  paths: { '@rampart/*': ['libs/*/src/index.js'] },
});
