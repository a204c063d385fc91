'use strict';
const assert = require('assert');
assert.strictEqual(require('../lib/format').greet('a', 1), 'hello a, a day is 1 ms');
