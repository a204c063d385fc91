// What the static-site split keeps of the app folder hangs on this reading: a path it misses is a
// file the runtime lacks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pathsNamedUnder } from '../src/stacks/static/nginx-config.js';

test('root, alias and include under the folder are named; the folder itself too', () => {
  const config = `
    include /app/nginx/*.conf;
    server { root /app/dist; location /x/ { alias '/app/public/x/'; } }
    server { root /app; }`;
  assert.equal(pathsNamedUnder(config, '/app'), ['/app', '/app/dist', '/app/nginx', '/app/public/x']);
});

test('URIs, patterns and texts are not paths: location, rewrite, return, try_files', () => {
  const config = `
    location /app/ { try_files /app/index.html =404; }
    rewrite ^/app/(.*)$ /app/$1 last;
    return 301 /app/;
    add_header X-App /app;
    root /var/www/html;`;
  assert.equal(pathsNamedUnder(config, '/app'), []);
});

test('comments are skipped, but a # inside a word is part of it', () => {
  assert.equal(pathsNamedUnder('# root /app/old;\nroot /srv/a#b; # alias /app/x;', '/app'), []);
  assert.equal(pathsNamedUnder('root /app/a#b;', '/app'), ['/app/a#b']);
});

test('a variable or glob cuts the path at the folder before it', () => {
  assert.equal(pathsNamedUnder('root /app/sites/$host;', '/app'), ['/app/sites']);
  assert.equal(pathsNamedUnder('root /app$suffix;', '/app'), ['/app']);
  assert.equal(pathsNamedUnder('include /app/conf.d/*.conf;', '/app'), ['/app/conf.d']);
  assert.equal(pathsNamedUnder('root /$site/html;', '/app'), ['/app']);
  assert.equal(pathsNamedUnder('root /srv/$site;', '/app'), []);
});

test('a sibling folder with the same prefix is not under the folder', () => {
  assert.equal(pathsNamedUnder('root /application/dist;', '/app'), []);
});

test.run();
