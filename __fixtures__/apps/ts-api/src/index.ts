import { createServer } from 'node:http';
import { loadRoutes } from './routes';
import ms from 'ms';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const started = Date.now();

const server = createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
    return;
  }
  if (req.url === '/api/routes') {
    // data/routes.json is read at run time, so the image must ship it beside dist/.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ app: 'ts-api', env: process.env.NODE_ENV, routes: loadRoutes(), cacheFor: ms('2h') }) + '\n');
    return;
  }
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'not found', uptime: ms(Date.now() - started) }) + '\n');
});

server.listen(port, host, () => console.log(`ts-api listening on ${host}:${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
