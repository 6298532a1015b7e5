#!/usr/bin/env node
'use strict';
// The `mmgw` command: runs the compiled CLI (`npm ci` builds it through the `prepare` script).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'adapters', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  console.error('mmgw: the CLI is not built yet; run `npm ci` (or `npm run build`) in ' + path.join(__dirname, '..'));
  process.exit(70);
}
require(entry).main(process.argv).then((code) => { process.exitCode = code; });
