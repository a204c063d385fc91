const http = require('http');
const path = require('path');
const ms = require('ms');

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';

http.createServer((req, res) => {
  if (req.url === '/health') return res.end('ok\n');
  if (req.url === '/where') {
    // ms is found by walking up from the app folder to /usr/src/node_modules.
    return res.end(JSON.stringify({ ms: path.dirname(require.resolve('ms')), week: ms('1w'), uid: process.getuid() }));
  }
  res.statusCode = 404;
  res.end();
}).listen(port, host, () => console.log(`listening on ${port}`));
