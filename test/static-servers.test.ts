// narrow-copy-from keeps only what these readings name for a site served by serve or http-server:
// a folder read wrong is a site the runtime lacks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readStaticServer } from '../src/stacks/static/servers.js';

test('serve: the folder among flags and valued options, in either spelling', () => {
  assert.equal(readStaticServer('serve', ['-s', 'build', '-l', '3000']), { folder: 'build', files: [] });
  assert.equal(readStaticServer('serve', ['--listen=tcp://0.0.0.0:80', '--single', 'dist/app']), { folder: 'dist/app', files: [] });
  assert.equal(readStaticServer('serve', ['-l', '5000']), { folder: null, files: [] }, 'no folder: its working folder');
  assert.equal(readStaticServer('serve', ['public', '--ssl-cert', 'certs/site.pem', '--ssl-key=certs/key.pem']), { folder: 'public', files: ['certs/site.pem', 'certs/key.pem'] });
});

test('http-server: the folder, and files its options read', () => {
  assert.equal(readStaticServer('http-server', ['dist', '-p', '8080', '--gzip', '-c-1']), '"http-server" is given the option -c-1, which stageopt does not read');
  assert.equal(readStaticServer('http-server', ['dist', '-p', '8080', '--gzip', '-c', '-1']), { folder: 'dist', files: [] });
  assert.equal(readStaticServer('http-server', ['./site', '-S', '-C', 'cert.pem', '-K', 'key.pem']), { folder: './site', files: ['cert.pem', 'key.pem'] });
});

test('what cannot be told is said: an unknown option, two folders, an optional value that may be the folder, a missing value', () => {
  assert.match(String(readStaticServer('serve', ['--frobnicate', 'build'])), 'the option --frobnicate');
  assert.match(String(readStaticServer('serve', ['build', 'public'])), 'two folders');
  assert.match(String(readStaticServer('http-server', ['--cors', 'dist'])), 'may take "dist" as its value or as the folder');
  assert.match(String(readStaticServer('serve', ['build', '-l'])), 'has no value');
});

test('other programs are not static servers', () => {
  assert.is(readStaticServer('node', ['server.js']), null);
  assert.is(readStaticServer('nginx', ['-g', 'daemon off;']), null);
});

test.run();
