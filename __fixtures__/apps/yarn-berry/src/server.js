const http = require('http');
const ms = require('ms');

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';

http
  .createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
      return;
    }
    if (req.url === '/api/cache-policy') {
      // The answer proves the production dependency (ms) and the yarn that `yarn start` ran.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ maxAge: ms('2 days') / 1000, shown: ms(ms('36h'), { long: true }), yarn: process.env.npm_config_user_agent || null }));
      return;
    }
    res.writeHead(404);
    res.end();
  })
  .listen(port, host, () => console.log(`listening on ${host}:${port}`));
