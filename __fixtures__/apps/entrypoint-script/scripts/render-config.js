const fs = require('fs');
const path = require('path');
const ms = require('ms');
const config = { greeting: process.env.GREETING || 'hello', cacheSeconds: ms(process.env.CACHE_FOR || '5m') / 1000 };
fs.writeFileSync(path.join(__dirname, '..', 'runtime-config.json'), JSON.stringify(config));
