// Entry point Nx loads for `nx g ./libs/generators:<name>` (see generators.json).
// Nx would load the TypeScript sources with Node's native type stripping, which needs explicit
// file extensions in imports; the sources use extensionless imports like the rest of the
// workspace, so they are loaded through tsx (a dev dependency) instead.
'use strict';
const { require: tsxRequire } = require('tsx/cjs/api');

module.exports = tsxRequire('./src/index.ts', __filename);
