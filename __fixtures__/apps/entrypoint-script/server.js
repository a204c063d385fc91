const http = require('http');
const config = require('./runtime-config.json');

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';

http.createServer((req, res) => {
  if (req.url === '/health') return res.end('ok\n');
  if (req.url === '/config') return res.end(JSON.stringify(config));
  res.statusCode = 404;
  res.end();
}).listen(port, host, () => console.log(`listening on ${port}`));
