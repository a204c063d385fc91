// The final-config comparison and its Env/Labels policy: what the Dockerfile sets must be equal,
// a PATH with directories put in front is a note, what came from the base image only warns.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareConfigs, prependsOnly, type ImageConfig } from '../src/verify/config-compare.js';
import { dockerfileFacts } from '../src/verify/dockerfile-facts.js';

const NODE_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NODE_VERSION=20.19.0', 'YARN_VERSION=1.22.22'];
const base: ImageConfig = { Cmd: ['node', 'server.js'], Entrypoint: ['docker-entrypoint.sh'], Env: [...NODE_ENV, 'NODE_ENV=production'], WorkingDir: '/app', User: '', ExposedPorts: { '3000/tcp': {} }, Labels: null };
const facts = (text: string) => dockerfileFacts(text);
const DOCKERFILE = 'FROM node:20 AS build\nENV NODE_ENV=production\nLABEL org.opencontainers.image.title=app\nFROM build\nCMD ["node", "server.js"]\n';

test('equal configs: no differences; empty lists and maps equal null; "", 0 and root are one user', () => {
  assert.equal(compareConfigs(base, { ...base }, facts(DOCKERFILE)), []);
  assert.equal(compareConfigs({ ...base, Volumes: null, User: '' }, { ...base, Volumes: {}, User: '0:0' }, facts(DOCKERFILE)), []);
});

test('a changed CMD, ENTRYPOINT, WORKDIR, USER or exposed port fails', () => {
  const diffs = compareConfigs(base, { ...base, Cmd: ['node', 'dist/server.js'], Entrypoint: null, WorkingDir: '/srv', User: 'node', ExposedPorts: null }, facts(DOCKERFILE));
  assert.equal(diffs.map((d) => [d.field, d.severity]), [['Cmd', 'fail'], ['Entrypoint', 'fail'], ['WorkingDir', 'fail'], ['ExposedPorts', 'fail'], ['User', 'fail']]);
  assert.match(diffs[0]!.message, /Cmd differs: \["node","server.js"\] → \["node","dist\/server.js"\]/);
});

test('Env the Dockerfile sets (here inherited through FROM build) must be equal', () => {
  const env = [...NODE_ENV, 'NODE_ENV=development'];
  const [d] = compareConfigs(base, { ...base, Env: env }, facts(DOCKERFILE));
  assert.equal([d!.key, d!.severity], ['NODE_ENV', 'fail']);
  assert.match(d!.message, /set by the Dockerfile/);
  const [gone] = compareConfigs(base, { ...base, Env: NODE_ENV }, facts(DOCKERFILE));
  assert.equal([gone!.key, gone!.severity, gone!.rewrite], ['NODE_ENV', 'fail', null]);
});

test('Env from the base image that differs (a slim toolchain image) only warns', () => {
  const python = { ...base, Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'PYTHON_VERSION=3.12.7', 'GPG_KEY=abc'] };
  const diffs = compareConfigs(python, { ...python, Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'PYTHON_VERSION=3.12.8'] }, facts('FROM python:3.12\nCMD ["python"]\n'));
  assert.equal(diffs.map((d) => [d.key, d.severity]), [['GPG_KEY', 'warn'], ['PYTHON_VERSION', 'warn']]);
});

test('PATH with directories put in front is a note; any other PATH change is judged like other Env', () => {
  const orig = { ...base, Env: ['PATH=/usr/local/bin:/usr/bin:/bin'] };
  const venv = compareConfigs(orig, { ...orig, Env: ['PATH=/opt/venv/bin:/usr/local/bin:/usr/bin:/bin'] }, facts('FROM python:3.12\n'));
  assert.equal(venv.map((d) => [d.key, d.severity, d.message]), [['PATH', 'note', 'PATH: the rewrite puts /opt/venv/bin in front']]);
  const dropped = compareConfigs(orig, { ...orig, Env: ['PATH=/usr/bin:/bin'] }, facts('FROM python:3.12\n'));
  assert.equal(dropped.map((d) => [d.key, d.severity]), [['PATH', 'warn']]);
  const own = compareConfigs(orig, { ...orig, Env: ['PATH=/usr/bin:/bin'] }, facts('FROM python:3.12\nENV PATH=/usr/local/bin:/usr/bin:/bin\n'));
  assert.equal(own.map((d) => [d.key, d.severity]), [['PATH', 'fail']]);
  assert.ok(prependsOnly('/a:/b', '/x:/y:/a:/b'));
  assert.not.ok(prependsOnly('/a:/b', ':/a:/b'), 'an empty entry means the current folder: not a harmless addition');
  assert.not.ok(prependsOnly('/a:/b', '/a:/b:/c'));
});

test('Labels follow the same policy', () => {
  const a = { ...base, Labels: { 'org.opencontainers.image.title': 'app', maintainer: 'x' } };
  const diffs = compareConfigs(a, { ...base, Labels: { 'org.opencontainers.image.title': 'other' } }, facts(DOCKERFILE));
  assert.equal(diffs.map((d) => [d.key, d.severity]), [['maintainer', 'warn'], ['org.opencontainers.image.title', 'fail']]);
});

test('dockerfileFacts: only the final stage chain sets keys; base images skip stages, scratch and variables', () => {
  const f = facts('ARG V=1\nFROM golang:1.22 AS build\nENV CGO_ENABLED=0 GOOS=linux\nFROM ${V} AS x\nFROM scratch AS empty\nFROM gcr.io/distroless/static\nENV APP=1\nLABEL a=b\n');
  assert.equal([...f.envKeys], ['APP']);
  assert.equal([...f.labelKeys], ['a']);
  assert.equal(f.baseImages, ['golang:1.22', 'gcr.io/distroless/static']);
});

test.run();
