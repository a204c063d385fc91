// Where each instruction runs (workingFolders): a stage starts in its base image's WORKDIR (the
// golang images' /go) or where the stage it is built FROM ended, and WORKDIR moves it the way
// Docker reads the operand. Every transform that resolves a relative path asks this one reader.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Source } from '../src/source.js';
import { lineage } from '../src/stage-products.js';
import { readStages } from '../src/stages.js';
import { imageWorkdir, workingFolders } from '../src/workdirs.js';

/** The folder every instruction of the file's last stage runs in, as `KEYWORD dir` (`?` when not known, null after a variable). */
function foldersOfLastStage(text: string): string[] {
  const stages = readStages(Source.fromText(text));
  const last = stages.at(-1)!;
  const folders = workingFolders(lineage(last, stages)!);
  return last.instructions.map((i) => {
    const f = folders.before(i);
    return `${i.getKeyword()} ${f === null ? 'null' : `${f.dir}${f.known ? '' : '?'}`}`;
  });
}

test('official images: golang builds in /go, php in /var/www/html only in its apache and fpm variants', () => {
  assert.equal(imageWorkdir('golang:1.16'), { dir: '/go', known: true, set: true });
  assert.equal(imageWorkdir('docker.io/library/golang:1.22-alpine').dir, '/go');
  assert.equal(imageWorkdir('php:8.2-apache').dir, '/var/www/html');
  assert.equal(imageWorkdir('php:fpm-alpine').dir, '/var/www/html');
  assert.equal(imageWorkdir('php:8.2-cli'), { dir: '/', known: true, set: false });
  assert.equal(imageWorkdir('node:16'), { dir: '/', known: true, set: false });
});

test('an image stageopt does not know (or a variable) is taken to start in /, and says it is not known', () => {
  assert.equal(imageWorkdir('acme/golang:1.16'), { dir: '/', known: false, set: false });
  assert.equal(imageWorkdir('${BASE}'), { dir: '/', known: false, set: false });
  assert.equal(imageWorkdir(null), { dir: '/', known: false, set: false });
});

test('no WORKDIR in a golang stage: every instruction runs in /go', () => {
  assert.equal(foldersOfLastStage('FROM golang:1.16\nCOPY . .\nRUN go build -o server .\n'), ['COPY /go', 'RUN /go']);
});

test('a stage built FROM another starts where that one ended', () => {
  const text = 'FROM golang:1.19 AS build\nWORKDIR src\nCOPY . .\nFROM build AS test\nRUN go test ./...\nWORKDIR /tmp\nRUN true\n';
  assert.equal(foldersOfLastStage(text), ['RUN /go/src', 'WORKDIR /go/src', 'RUN /tmp']);
});

test('WORKDIR as Docker reads it: quotes removed, relative to the last one; a variable makes the rest unknown', () => {
  assert.equal(foldersOfLastStage('FROM node:16\nWORKDIR "/srv/app"\nWORKDIR \'web\'\nRUN npm ci\n'), ['WORKDIR /', 'WORKDIR /srv/app', 'RUN /srv/app/web']);
  assert.equal(foldersOfLastStage('FROM node:16\nWORKDIR $APP_HOME\nRUN npm ci\nWORKDIR /app\nRUN npm ci\n'), ['WORKDIR /', 'RUN null', 'WORKDIR null', 'RUN null']);
  assert.equal(foldersOfLastStage('FROM node:16\nWORKDIR /my app\nRUN npm ci\n'), ['WORKDIR /', 'RUN null']);
});

test('a relative WORKDIR on an unknown image stays unknown; an absolute one is known', () => {
  assert.equal(foldersOfLastStage('FROM acme/base\nRUN a\nWORKDIR app\nRUN b\nWORKDIR /srv\nRUN c\n'), ['RUN /?', 'WORKDIR /?', 'RUN /app?', 'WORKDIR /app?', 'RUN /srv']);
});

test.run();
