'use strict';
// Prints one line and exits 0, so the image's own CMD is a deterministic smoke test.
const ms = require('ms');
const { greet } = require('./lib/format');

const verbose = process.argv.includes('--verbose');
console.log(greet('stageopt', ms('1d')) + (verbose ? ' (verbose)' : ''));
