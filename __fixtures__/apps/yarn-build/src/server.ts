import http from 'http';
import { renderStatus } from './render';

const port = Number(process.env.PORT || 5000);
const host = process.env.HOST || '0.0.0.0';

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
    return;
  }
  if (req.url === '/status') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(renderStatus());
    return;
  }
  res.writeHead(404);
  res.end();
});

server.listen(port, host, () => console.log(`listening on ${host}:${port}`));
