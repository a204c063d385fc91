'use strict';
const http = require('http');
const ms = require('ms');
// Resolved through the workspace symlink node_modules/@mono/shared -> packages/shared.
const { message } = require('@mono/shared');

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ app: '@mono/api', greeting: message('greeting'), ttl: ms('1h') }) + '\n');
});

server.listen(port, host, () => console.log(`@mono/api listening on ${host}:${port}`));
