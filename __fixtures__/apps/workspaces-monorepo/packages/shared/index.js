'use strict';
const fs = require('fs');
const path = require('path');

// The message catalogue is read from the shared package's own folder at run time.
function message(key) {
  const catalogue = JSON.parse(fs.readFileSync(path.join(__dirname, 'messages.json'), 'utf8'));
  return catalogue[key];
}

module.exports = { message };
