'use strict';
exports.greet = (name, day) => `hello ${name}, a day is ${day} ms`;
