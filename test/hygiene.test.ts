// What the fixture cases cannot show, since they run with unsafe fixes allowed: which fixes of
// add-to-copy and apt-hygiene are safe, and the archive test ADD's extraction hangs on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { archiveKind, hasArchiveName } from '../src/archives.js';
import { folderContext } from '../src/build-context.js';
import { readOsInstall } from '../src/os-packages.js';
import { findTransform } from '../transforms/index.js';
import { engineWith, makeTree } from './helpers.js';

const addToCopy = findTransform('add-to-copy')!;
const aptHygiene = findTransform('apt-hygiene')!;

test('add-to-copy: safe when the context shows a plain file, unsafe when only the name says so', () => {
  const raw = 'FROM python:3.12\nADD app.py /app/\n';
  const known = engineWith(raw, [addToCopy], { context: folderContext(makeTree({ 'app.py': 'print(1)\n' })) });
  assert.is(known.output, 'FROM python:3.12\nCOPY app.py /app/\n');
  assert.is(known.fixes[0]!.safety, 'safe');
  const unknown = engineWith(raw, [addToCopy]);
  assert.is(unknown.output, raw, 'judged by name only: withheld without --unsafe');
  assert.is(unknown.withheld.length, 1);
  assert.match(unknown.withheld[0]!.unsafeReason, /only its name/);
  assert.is(engineWith('FROM python:3.12\nADD . /app\n', [addToCopy]).fixes[0]!.safety, 'safe', 'the context root is a folder');
});

test('apt-hygiene: only --no-install-recommends is unsafe', () => {
  const raw = 'FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install curl\n';
  const safe = engineWith(raw, [aptHygiene]);
  assert.is(safe.output, 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n');
  assert.ok(safe.fixes.every((f) => f.safety === 'safe'));
  assert.equal(safe.withheld.map((w) => w.key), ['recommends-0']);
});

test('archiveKind: compressed headers, tar headers, plain files', () => {
  assert.is(archiveKind(Uint8Array.from([0x1f, 0x8b, 0x08, 0])), 'compressed');
  assert.is(archiveKind(Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd])), 'compressed');
  assert.is(archiveKind(new TextEncoder().encode('BZh91AY&SY')), 'compressed');
  assert.is(archiveKind(new TextEncoder().encode('print(1)\n')), 'plain');
  assert.is(archiveKind(new Uint8Array(1024)), 'plain', 'an empty block starts no tar');
  const header = new Uint8Array(512);
  header.set(new TextEncoder().encode('hello.txt'), 0);
  header.set(new TextEncoder().encode('0000644\0'), 100);
  header.fill(0x20, 148, 156);
  const sum = header.reduce((a, b) => a + b, 0);
  header.set(new TextEncoder().encode(sum.toString(8).padStart(6, '0') + '\0 '), 148);
  assert.is(archiveKind(header), 'tar');
  header[0] = 0x48; // any other byte breaks the checksum
  assert.is(archiveKind(header), 'plain');
  assert.ok(hasArchiveName('dist/app.TAR.GZ') && hasArchiveName('rootfs.tar.zst') && !hasArchiveName('app.py') && !hasArchiveName('src/'));
});

test('readOsInstall: options before the action are not the action', () => {
  assert.equal(readOsInstall(['apt-get', '-y', 'install', 'curl']), { manager: 'apt', packages: ['curl'] });
  assert.equal(readOsInstall(['apt-get', '-o', 'Acquire::Retries=3', 'install', 'git']), { manager: 'apt', packages: ['git'] });
  assert.equal(readOsInstall(['apk', '--no-cache', 'add', 'jq']), { manager: 'apk', packages: ['jq'] });
  assert.equal(readOsInstall(['apk', 'add', '-X', 'http://mirror/edge', 'jq']), { manager: 'apk', packages: ['jq'] });
  assert.equal(readOsInstall(['apt-get', '-qq', 'update']), { manager: 'apt', packages: [] });
});

test.run();
