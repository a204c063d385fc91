'use strict';
const http = require('http');
const ms = require('ms');
// Written by the postinstall hook, not committed: present only if `npm ci` ran in this tree.
const buildInfo = require('./generated/build-info.json');

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ app: 'hook-server', buildInfo, timeout: ms('30s') }) + '\n');
});

server.listen(port, host, () => console.log(`hook-server listening on ${host}:${port}`));
