'use strict';
// Minimal HTTP server (no Express) with one real dependency, so that `npm ci`
// has to reach the registry during `docker build`.
const http = require('http');
const ms = require('ms');

const port = Number(process.env.PORT || 3000);
const started = Date.now();

const server = http.createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({
    app: 'node-ms',
    node: process.version,
    uptime: ms(Date.now() - started),
    oneDay: ms('1d'),
  }) + '\n');
});

server.listen(port, '127.0.0.1', () => console.log(`listening on 127.0.0.1:${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
