// The interactive review, driven the way a person drives it: the built CLI runs in a real
// pseudo-terminal (node-pty), the test waits for each prompt to appear and types the answer, and
// afterwards checks the files on disk byte for byte and the exit code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KEY, Session } from './pty.js';

/** A fresh folder holding the given files; returns its path. */
function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stageopt-review-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Runs the CLI in `dir`, hands the session to `drive`, and always kills the terminal and removes the folder. */
async function withSession<T>(dir: string, drive: (s: Session) => Promise<T>, args: string[] = [], only?: string, env?: Record<string, string>): Promise<T> {
  const session = new Session(dir, args, only, env);
  try {
    return await drive(session);
  } finally {
    session.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function read(dir: string, name: string): string {
  return fs.readFileSync(path.join(dir, name), 'utf8');
}

/** Every file in the folder, sorted: a leftover temporary file from a write would show here. */
function listing(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

// The prompt line: "? Apply to NAME? (Ynapvqh)"; each key acts at once, without Enter.
const promptFor = (name: string) => new RegExp(`\\? Apply to ${name.replace(/\./g, '\\.')}\\? \\((\\w+)\\)`);

// Three fixes: "as" → "AS" (line 1), name the final stage "runtime" (line 3), --from=0 → build (line 4).
const GO = 'FROM golang:1.22 as build\nRUN go build -o /out/app ./...\nFROM debian:bookworm-slim\nCOPY --from=0 /out/app /usr/local/bin/app\n';
const GO_ALL = 'FROM golang:1.22 AS build\nRUN go build -o /out/app ./...\nFROM debian:bookworm-slim AS runtime\nCOPY --from=build /out/app /usr/local/bin/app\n';

// Two fixes in one: name stage 0 "build" (its RUN builds) and point --from=0 at it; name the final stage.
const NODE = 'FROM node:20\nWORKDIR /app\nRUN npm ci && npm run build\nFROM nginx:alpine\nCOPY --from=0 /app/dist /usr/share/nginx/html\n';
const NODE_ALL = 'FROM node:20 AS build\nWORKDIR /app\nRUN npm ci && npm run build\nFROM nginx:alpine AS runtime\nCOPY --from=build /app/dist /usr/share/nginx/html\n';

// Exactly one fix: the casing of AS.
const CASING = 'FROM alpine:3.20 as base\nRUN apk add --no-cache curl\n';
const CASING_ALL = 'FROM alpine:3.20 AS base\nRUN apk add --no-cache curl\n';

test('y applies the first file and n skips the second; each diff is shown before its prompt', async () => {
  const dir = workspace({ 'one.Dockerfile': GO, 'two.Dockerfile': CASING });
  await withSession(dir, async (s) => {
    const first = await s.waitFor(promptFor('one.Dockerfile'));
    const diff1 = first.before;
    const header1 = diff1.indexOf('--- a/one.Dockerfile\n+++ b/one.Dockerfile\n');
    assert.ok(header1 >= 0, `no diff header before the first prompt:\n${diff1}`);
    assert.ok(diff1.indexOf('@@ -1,4 +1,4 @@', header1) > header1, `no hunk after the diff header:\n${diff1}`);
    assert.ok(diff1.includes('-FROM golang:1.22 as build\n+FROM golang:1.22 AS build\n'), diff1);
    assert.is(first.match[1], 'Ynapvqh', 'a file with several fixes offers p');
    s.write('y');

    const second = await s.waitFor(promptFor('two.Dockerfile'));
    assert.ok(second.before.includes('wrote one.Dockerfile'), second.before);
    // The first file is written as soon as it is accepted, before the next question.
    assert.is(read(dir, 'one.Dockerfile'), GO_ALL);
    const diff2 = second.before.slice(second.before.indexOf('wrote one.Dockerfile'));
    const header2 = diff2.indexOf('--- a/two.Dockerfile\n+++ b/two.Dockerfile\n');
    assert.ok(header2 >= 0, `no diff header before the second prompt:\n${diff2}`);
    assert.ok(diff2.indexOf('@@ -1,2 +1,2 @@', header2) > header2, `no hunk after the diff header:\n${diff2}`);
    assert.is(second.match[1], 'Ynavqh', 'a file with one fix does not offer p');
    s.write('n');

    const exit = await s.waitForExit();
    assert.is(exit.exitCode, 0, s.text);
    assert.match(s.text, /stageopt: 2 files: 1 changed, 1 skipped, 0 unchanged, 0 declined, 0 errors/);
    assert.is(read(dir, 'one.Dockerfile'), GO_ALL);
    assert.is(read(dir, 'two.Dockerfile'), CASING);
    assert.not.match(s.text, /wrote two\.Dockerfile/);
    assert.equal(listing(dir), ['one.Dockerfile', 'two.Dockerfile']);
  });
});

test('a on the first of three files applies all three without asking again', async () => {
  const dir = workspace({ 'a.Dockerfile': GO, 'b.Dockerfile': NODE, 'c.Dockerfile': CASING });
  await withSession(dir, async (s) => {
    await s.waitFor(promptFor('a.Dockerfile'));
    s.write('a');
    const exit = await s.waitForExit();
    assert.is(exit.exitCode, 0, s.text);
    assert.is(read(dir, 'a.Dockerfile'), GO_ALL);
    assert.is(read(dir, 'b.Dockerfile'), NODE_ALL);
    assert.is(read(dir, 'c.Dockerfile'), CASING_ALL);
    assert.not.match(s.text, /Apply to b\.Dockerfile/);
    assert.not.match(s.text, /Apply to c\.Dockerfile/);
    assert.match(s.text, /wrote a\.Dockerfile\n[^]*wrote b\.Dockerfile\n[^]*wrote c\.Dockerfile\n/);
    assert.equal(listing(dir), ['a.Dockerfile', 'b.Dockerfile', 'c.Dockerfile']);
  });
});

test('q on the first file writes nothing', async () => {
  const dir = workspace({ 'a.Dockerfile': GO, 'b.Dockerfile': NODE });
  await withSession(dir, async (s) => {
    await s.waitFor(promptFor('a.Dockerfile'));
    s.write('q');
    const exit = await s.waitForExit();
    assert.is(exit.exitCode, 0, s.text);
    assert.is(read(dir, 'a.Dockerfile'), GO);
    assert.is(read(dir, 'b.Dockerfile'), NODE);
    assert.not.match(s.text, /Apply to b\.Dockerfile/);
    assert.not.match(s.text, /wrote/);
    assert.equal(listing(dir), ['a.Dockerfile', 'b.Dockerfile']);
  });
});

test('p picks fixes one by one: the unticked fix is left out, the others are applied', async () => {
  const dir = workspace({ Dockerfile: GO });
  await withSession(dir, async (s) => {
    await s.waitFor(promptFor('Dockerfile'));
    s.write('p');

    // All three fixes listed and ticked, the cursor on the first.
    const list = await s.waitFor(/Fixes to apply[^\n]*\n((?:.*\n){3})/);
    const rows = list.match[1]!.split('\n').slice(0, 3);
    assert.ok(rows[0]!.startsWith('❯◉ name-stages line 1: write "AS"'), rows.join('\n'));
    assert.ok(rows[1]!.startsWith(' ◉ name-stages line 3: name stage 1 (FROM debian:bookworm-slim) "runtime"'), rows.join('\n'));
    assert.ok(rows[2]!.startsWith(' ◉ name-stages line 4: write "build"'), rows.join('\n'));

    // Down to the second fix (naming the final stage) and untick it.
    s.write(KEY.down);
    await s.waitFor(/❯◉ name-stages line 3/);
    s.write(KEY.space);
    await s.waitFor(/❯◯ name-stages line 3/);
    s.write(KEY.enter);

    const confirm = await s.waitFor(/\? Apply these 2 fixes to Dockerfile\? \((\w+)\)/);
    const partial = confirm.before;
    const header = partial.indexOf('--- a/Dockerfile\n+++ b/Dockerfile\n');
    assert.ok(header >= 0, `no diff of the picked fixes before the confirmation:\n${partial}`);
    assert.ok(partial.includes('-FROM golang:1.22 as build\n+FROM golang:1.22 AS build\n'), partial);
    assert.ok(partial.includes('-COPY --from=0 /out/app /usr/local/bin/app\n+COPY --from=build /out/app /usr/local/bin/app\n'), partial);
    assert.not.match(partial.slice(header), /AS runtime/);
    s.write('y');

    const exit = await s.waitForExit();
    assert.is(exit.exitCode, 0, s.text);
    assert.match(s.text, /wrote Dockerfile/);
    assert.is(
      read(dir, 'Dockerfile'),
      'FROM golang:1.22 AS build\nRUN go build -o /out/app ./...\nFROM debian:bookworm-slim\nCOPY --from=build /out/app /usr/local/bin/app\n',
    );
    assert.equal(listing(dir), ['Dockerfile']);
  });
});

test('after a partial pick, --patch-dir and --report carry the fixes picked, not the whole proposal', async () => {
  const dir = workspace({ Dockerfile: GO });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'stageopt-review-out-'));
  try {
    await withSession(
      dir,
      async (s) => {
        await s.waitFor(promptFor('Dockerfile'));
        s.write('p');
        await s.waitFor(/Fixes to apply/);
        s.write(KEY.down);
        await s.waitFor(/❯◉ name-stages line 3/);
        s.write(KEY.space);
        await s.waitFor(/❯◯ name-stages line 3/);
        s.write(KEY.enter);
        await s.waitFor(/\? Apply these 2 fixes to Dockerfile\?/);
        s.write('y');
        const exit = await s.waitForExit();
        assert.is(exit.exitCode, 0, s.text);
      },
      ['--patch-dir', path.join(out, 'patches'), '--report', path.join(out, 'report.md')],
    );
    const patches = fs.readdirSync(path.join(out, 'patches')).map((f) => fs.readFileSync(path.join(out, 'patches', f), 'utf8'));
    assert.is(patches.length, 1);
    assert.match(patches[0]!, /\+FROM golang:1\.22 AS build/);
    assert.not.match(patches[0]!, /AS runtime/);
    const report = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
    assert.match(report, /write "AS"/);
    assert.not.match(report, /"runtime"/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('Ctrl-C after accepting one file keeps that file and counts the rest as skipped', async () => {
  const dir = workspace({ 'a.Dockerfile': GO, 'b.Dockerfile': NODE });
  await withSession(dir, async (s) => {
    await s.waitFor(promptFor('a.Dockerfile'));
    s.write('y');
    await s.waitFor(promptFor('b.Dockerfile'));
    s.write(KEY.ctrlC);
    const exit = await s.waitForExit();
    assert.is(exit.exitCode, 130, s.text);
    assert.is(read(dir, 'a.Dockerfile'), GO_ALL);
    assert.is(read(dir, 'b.Dockerfile'), NODE);
    assert.match(s.text, /stageopt: 2 files: 1 changed, 1 skipped, 0 unchanged/);
    assert.equal(listing(dir), ['a.Dockerfile', 'b.Dockerfile']);
  });
});

test('Ctrl-C at the prompt ends the process quietly and writes nothing', async () => {
  const dir = workspace({ 'a.Dockerfile': GO, 'b.Dockerfile': NODE });
  await withSession(dir, async (s) => {
    await s.waitFor(promptFor('a.Dockerfile'));
    s.write(KEY.ctrlC);
    const exit = await s.waitForExit();
    // Ctrl-C at a prompt stops asking, keeps what was written, and exits as an interrupted command.
    assert.is(exit.exitCode, 130, s.text);
    assert.is(read(dir, 'a.Dockerfile'), GO);
    assert.is(read(dir, 'b.Dockerfile'), NODE);
    assert.not.match(s.text, /Apply to b\.Dockerfile/);
    assert.not.match(s.text, /wrote/);
    assert.not.match(s.text, /ExitPromptError|internal error|Error:|^\s+at .+:\d+:\d+\)?$/m);
    assert.equal(listing(dir), ['a.Dockerfile', 'b.Dockerfile']);
  });
});

test('a file that does not change gets no prompt and the process exits 0', async () => {
  const unchanged = 'FROM alpine\nRUN true\n';
  const dir = workspace({ Dockerfile: unchanged });
  await withSession(dir, async (s) => {
    const exit = await s.waitForExit();
    assert.is(exit.exitCode, 0, s.text);
    assert.not.match(s.text, /Apply to|\?/);
    assert.match(s.text, /stageopt: 1 file: 0 changed, 0 skipped, 1 unchanged/);
    assert.is(read(dir, 'Dockerfile'), unchanged);
    assert.equal(listing(dir), ['Dockerfile']);
  });
});

// A Go service split-stages turns into a build stage and a distroless runtime (one unsafe fix);
// `as` in lowercase gives name-stages a safe fix beside it.
const GO_APP = { 'go.mod': 'module example.com/hello\n\ngo 1.22\n', 'main.go': 'package main\n\nfunc main() {}\n' };
const GO_SINGLE = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/hello .\nCMD ["/out/hello"]\n';
const GO_SINGLE_NAMED = GO_SINGLE.replace('FROM golang:1.22', 'FROM golang:1.22 as build');

test('an unsafe fix is offered in the review, marked with its reason, and y applies it', async () => {
  const dir = workspace({ Dockerfile: GO_SINGLE, ...GO_APP });
  await withSession(
    dir,
    async (s) => {
      const prompt = await s.waitFor(promptFor('Dockerfile'));
      assert.match(prompt.before, /\+FROM gcr\.io\/distroless\/static-debian12 AS runtime/);
      assert.match(prompt.before, /1\. split-stages \[unsafe\] line 1: split into a build stage/);
      assert.match(prompt.before, /unsafe: the final image runs on another base image/);
      assert.is(prompt.match[1], 'Ynavqh');
      s.write('h');
      // The list of keys appears at once, and the next key is read as an answer, not an error.
      await s.waitFor(/y\) Apply this unsafe fix[^]*v\) Verify/);
      s.write('y');
      const exit = await s.waitForExit();
      assert.is(exit.exitCode, 0, s.text);
      assert.not.match(s.text, /is not one of the keys/);
      assert.match(read(dir, 'Dockerfile'), /^FROM golang:1\.22 AS build\n[^]*\nFROM gcr\.io\/distroless\/static-debian12 AS runtime\n/);
    },
    [],
    'split-stages',
  );
});

test('n declines an unsafe fix: the file stays as it was', async () => {
  const dir = workspace({ Dockerfile: GO_SINGLE, ...GO_APP });
  await withSession(
    dir,
    async (s) => {
      await s.waitFor(promptFor('Dockerfile'));
      s.write('x');
      await s.waitFor(/"x" is not one of the keys: y n a v q/);
      s.write('n');
      const exit = await s.waitForExit();
      assert.is(exit.exitCode, 0, s.text);
      assert.is(read(dir, 'Dockerfile'), GO_SINGLE);
      assert.match(s.text, /1 skipped/);
    },
    [],
    'split-stages',
  );
});

test('beside a safe fix, y applies the safe one only and the picker starts with the unsafe one unticked', async () => {
  const first = workspace({ Dockerfile: GO_SINGLE_NAMED, ...GO_APP });
  await withSession(
    first,
    async (s) => {
      const prompt = await s.waitFor(promptFor('Dockerfile'));
      assert.is(prompt.match[1], 'Ynapvqh');
      s.write('h');
      await s.waitFor(/y\) Apply the 1 safe fix only/);
      s.write('y');
      const exit = await s.waitForExit();
      assert.is(exit.exitCode, 0, s.text);
      assert.is(read(first, 'Dockerfile'), GO_SINGLE.replace('FROM golang:1.22', 'FROM golang:1.22 AS build'));
    },
    [],
    'name-stages,split-stages',
  );
  const second = workspace({ Dockerfile: GO_SINGLE_NAMED, ...GO_APP });
  await withSession(
    second,
    async (s) => {
      await s.waitFor(promptFor('Dockerfile'));
      s.write('p');
      const list = await s.waitFor(/Fixes to apply[^\n]*\n((?:.*\n){2})/);
      const rows = list.match[1]!.split('\n');
      assert.ok(rows.some((r) => /◉ name-stages line 1/.test(r)), rows.join('\n'));
      assert.ok(rows.some((r) => /◯ split-stages \[unsafe\] line 1/.test(r)), rows.join('\n'));
      // Tick the unsafe one too: a human accepting it.
      s.write(KEY.down);
      await s.waitFor(/❯◯ split-stages/);
      s.write(KEY.space);
      await s.waitFor(/❯◉ split-stages/);
      s.write(KEY.enter);
      const exit = await s.waitForExit();
      assert.is(exit.exitCode, 0, s.text);
      assert.match(read(second, 'Dockerfile'), /^FROM golang:1\.22 AS build\n[^]*AS runtime\n/);
    },
    [],
    'name-stages,split-stages',
  );
});

test('v without a reachable Docker says so in one line and asks again', async () => {
  const dir = workspace({ Dockerfile: GO_SINGLE, ...GO_APP });
  await withSession(
    dir,
    async (s) => {
      await s.waitFor(promptFor('Dockerfile'));
      s.write('v');
      const again = await s.waitFor(promptFor('Dockerfile'));
      const said = again.before.split('\n').filter((l) => /cannot verify/.test(l));
      assert.is(said.length, 1, again.before);
      assert.match(said[0]!, /^Dockerfile: cannot verify: /);
      s.write('n');
      const exit = await s.waitForExit();
      assert.is(exit.exitCode, 0, s.text);
      assert.is(read(dir, 'Dockerfile'), GO_SINGLE);
    },
    [],
    'split-stages',
    { STAGEOPT_DOCKER: '/nonexistent/docker' },
  );
});

test('reviewUnsafe: false in the config: unsafe fixes are not offered, only named as withheld', async () => {
  const dir = workspace({ Dockerfile: GO_SINGLE, ...GO_APP, '.stageoptrc': 'reviewUnsafe: false\n' });
  await withSession(
    dir,
    async (s) => {
      const exit = await s.waitForExit();
      assert.is(exit.exitCode, 0, s.text);
      assert.not.match(s.text, /Apply to/);
      assert.match(s.text, /unsafe fix not applied \(use --unsafe\): split-stages/);
      assert.is(read(dir, 'Dockerfile'), GO_SINGLE);
    },
    [],
    'split-stages',
  );
});

// Two fixes: "as" → "AS" (name-stages, line 1) and a new .dockerignore (dockerignore, line 3).
const WITH_JUNK = { Dockerfile: 'FROM node:20 as app\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "index.js"]\n', 'package.json': '{ "name": "app" }\n', 'index.js': '\n', 'node_modules/ms/index.js': '\n' };

test('a fix that creates a file: its new-file diff is shown, and y creates it', async () => {
  const dir = workspace(WITH_JUNK);
  await withSession(
    dir,
    async (s) => {
      const prompt = await s.waitFor(promptFor('Dockerfile'));
      assert.ok(prompt.before.includes('--- /dev/null\n+++ b/.dockerignore\n@@ -0,0 +1,3 @@\n'), prompt.before);
      assert.ok(prompt.before.includes('+node_modules\n'), prompt.before);
      s.write('y');
      const exit = await s.waitForExit();
      assert.is(exit.exitCode, 0, s.text);
      assert.match(read(dir, '.dockerignore'), /^# Written by stageopt[^\n]*\n# dependencies[^\n]*\nnode_modules\n$/);
      assert.is(read(dir, 'Dockerfile'), WITH_JUNK.Dockerfile.replace(' as app', ' AS app'));
      assert.equal(listing(dir), ['.dockerignore', 'Dockerfile', 'index.js', 'node_modules', 'package.json']);
    },
    [],
    'name-stages,dockerignore',
  );
});

test('p with the .dockerignore fix unticked: the text fix is applied and no file is created', async () => {
  const dir = workspace(WITH_JUNK);
  await withSession(
    dir,
    async (s) => {
      await s.waitFor(promptFor('Dockerfile'));
      s.write('p');
      await s.waitFor(/Fixes to apply[^\n]*\n(?:.*\n){2}/);
      s.write(KEY.down);
      await s.waitFor(/❯◉ dockerignore line 3/);
      s.write(KEY.space);
      await s.waitFor(/❯◯ dockerignore line 3/);
      s.write(KEY.enter);
      const confirm = await s.waitFor(/\? Apply these 1 fix to Dockerfile\? \((\w+)\)/);
      assert.not.match(confirm.before.slice(confirm.before.lastIndexOf('Fixes to apply')), /\/dev\/null/);
      s.write('y');
      const exit = await s.waitForExit();
      assert.is(exit.exitCode, 0, s.text);
      assert.is(read(dir, 'Dockerfile'), WITH_JUNK.Dockerfile.replace(' as app', ' AS app'));
      assert.not.ok(fs.existsSync(path.join(dir, '.dockerignore')));
    },
    [],
    'name-stages,dockerignore',
  );
});

test.run();
