'use strict';
// Runs as the postinstall hook: records what was installed, for the server to report at run time.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));
const info = {
  name: pkg.name,
  version: pkg.version,
  dependencies: Object.keys(pkg.dependencies || {}),
  generatedBy: 'scripts/build-info.js',
};
fs.mkdirSync(path.join(root, 'generated'), { recursive: true });
fs.writeFileSync(path.join(root, 'generated', 'build-info.json'), JSON.stringify(info, null, 2) + '\n');
console.log('wrote generated/build-info.json');
