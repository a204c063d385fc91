import http from 'http';
import { sessionPolicy } from './policy';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '0.0.0.0';

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.end('ok\n');
  } else if (req.url === '/api/session-policy') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(sessionPolicy()));
  } else {
    res.statusCode = 404;
    res.end('not found\n');
  }
});

server.listen(port, host, () => console.log(`api on ${host}:${port}`));
