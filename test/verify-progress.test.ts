// verify's progress line, fed a recorded BuildKit plain-progress log (docker 20.10, trimmed) in the
// chunks a client writes, on a fake terminal and a fake clock: which frames are drawn, how often,
// cut to the width, and cleared at the end. Then the built CLI on a pseudo-terminal with a fake
// docker client whose build hangs: the line shows the step, and Ctrl-C clears it before the
// interruption message. No Docker (test/e2e/progress.e2e.ts has the real builds).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { duration, ProgressLine, REDRAW_MS, type Clock } from '../src/verify/progress.js';
import { fakeDocker } from './fake-docker.js';
import { makeTree } from './helpers.js';
import { onTerminal, progressFrames } from './pty.js';

const LOG = `#1 [internal] load build definition from Dockerfile
#1 sha256:0b5c4a9d8b1f3e2c7a6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b
#1 transferring dockerfile: 312B done
#1 DONE 0.0s

#2 [internal] load metadata for docker.io/library/node:20
#2 DONE 0.4s

#3 [1/5] FROM docker.io/library/node:20
#3 CACHED

#4 [internal] load build context
#4 transferring context: 1.21kB done
#4 DONE 0.0s

#5 [2/5] WORKDIR /app
#5 CACHED

#6 [3/5] COPY package.json package-lock.json ./
#6 DONE 0.1s

#7 [4/5] RUN npm ci --omit=dev
#7 2.113 added 57 packages in 2s
#7 DONE 2.6s

#8 [5/5] COPY . .
#8 DONE 0.1s

#9 exporting to image
#9 exporting layers 0.1s done
#9 DONE 0.2s
`;

class FakeClock implements Clock {
  t = 0;
  private ticks: (() => void)[] = [];
  stopped = 0;
  now = () => this.t;
  every(ms: number, tick: () => void) {
    assert.is(ms, REDRAW_MS);
    this.ticks.push(tick);
    return { stop: () => void (this.stopped += 1, (this.ticks = [])) };
  }
  /** Moves time on, one redraw period at a time. */
  advance(ms: number): void {
    for (let left = ms; left > 0; left -= REDRAW_MS) {
      this.t += Math.min(REDRAW_MS, left);
      for (const tick of this.ticks) tick();
    }
  }
}

function terminal(columns = 200) {
  const writes: string[] = [];
  return { writes, columns, write: (s: string) => void writes.push(s) };
}

/** The frames drawn, without the redraw codes. */
const frames = (writes: string[]) => writes.filter((w) => w.startsWith('\r\x1b[K') && w.length > 4).map((w) => w.slice(4));

test('a build followed step by step: the image, the step BuildKit is at, its time and the time in all', () => {
  const clock = new FakeClock();
  const tty = terminal();
  const line = new ProgressLine(tty, 'stageopt verify: ', clock);
  line.phase('building the original');
  clock.advance(100);
  assert.equal(frames(tty.writes), ['stageopt verify: building the original · 0s']);
  // The log up to the start of the install, split mid-line the way pipes deliver it.
  const upToInstall = LOG.slice(0, LOG.indexOf('#7 2.113'));
  line.buildOutput(upToInstall.slice(0, 250));
  line.buildOutput(Buffer.from(upToInstall.slice(250)));
  clock.advance(3000);
  assert.is(line.frame(), 'stageopt verify: building the original · [4/5] RUN npm ci --omit=dev 3s · 3s');
  assert.ok(frames(tty.writes).includes('stageopt verify: building the original · [4/5] RUN npm ci --omit=dev 2s · 2s'));
  line.buildOutput(LOG.slice(LOG.indexOf('#7 2.113')));
  clock.advance(100);
  // The last vertex (BuildKit's own export) is over: it stays on the line, marked.
  assert.is(line.frame(), 'stageopt verify: building the original · exporting to image (done) · 3s');
  line.phase('building the rewrite');
  clock.advance(100);
  assert.is(frames(tty.writes).pop(), 'stageopt verify: building the rewrite · 3s', 'a new build starts with no step');
  line.stop();
  assert.is(tty.writes.pop(), '\r\x1b[K', 'cleared at the end');
  assert.is(clock.stopped, 1, 'the redraw timer is stopped');
  const drawn = tty.writes.length;
  clock.advance(1000);
  line.stop();
  assert.is(tty.writes.length, drawn, "nothing drawn after stop");
});

test('at most one redraw per period, and none when the frame did not change', () => {
  const clock = new FakeClock();
  const tty = terminal();
  const line = new ProgressLine(tty, '', clock);
  line.phase('building the original');
  for (const raw of LOG.split('\n')) line.buildOutput(`${raw}\n`); // many updates, no time passing
  assert.is(tty.writes.length, 0, 'drawn on the timer only');
  clock.advance(100);
  assert.is(tty.writes.length, 1);
  clock.advance(500); // same second, same step: the same frame
  assert.is(tty.writes.length, 1);
  clock.advance(500);
  assert.is(tty.writes.length, 2, 'the elapsed second changed');
});

test('steps of two stages running at once: the one that started last while it runs, then the other', () => {
  const clock = new FakeClock();
  const line = new ProgressLine(terminal(), '', clock);
  line.phase('building the rewrite');
  line.buildOutput('#6 [build 3/4] RUN npm run build\n');
  clock.advance(1000);
  line.buildOutput('#7 [runtime 2/3] RUN npm ci --omit=dev\n#6 0.5 > tsc\n');
  assert.match(line.frame(), /\[build 3\/4\] RUN npm run build 1s/, 'the vertex that printed last');
  line.buildOutput('#7 1.1 added 3 packages\n');
  assert.match(line.frame(), /\[runtime 2\/3\] RUN npm ci --omit=dev 0s/);
  line.buildOutput('#7 DONE 1.2s\n');
  assert.match(line.frame(), /\[build 3\/4\] RUN npm run build 1s/, 'back to the one still running');
  line.buildOutput('#6 ERROR: executor failed running [/bin/sh -c npm run build]: exit code: 2\n');
  assert.match(line.frame(), /\[build 3\/4\] RUN npm run build \(error\)/);
});

test('cut to the terminal width (a wrapped line cannot be redrawn in place)', () => {
  const clock = new FakeClock();
  const tty = terminal(40);
  const line = new ProgressLine(tty, 'stageopt verify: ', clock);
  line.phase('building the original');
  line.buildOutput('#5 [2/6] RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates\n');
  clock.advance(100);
  const [frame] = frames(tty.writes);
  assert.is([...frame!].length, 39);
  assert.ok(frame!.endsWith('…'));
});

test('nothing drawn is nothing cleared', () => {
  const clock = new FakeClock();
  const tty = terminal();
  new ProgressLine(tty, '', clock).stop();
  assert.equal(tty.writes, []);
});

test('durations', () => {
  assert.is(duration(999), '0s');
  assert.is(duration(59_999), '59s');
  assert.is(duration(65_000), '1m05s');
});

const app = () => makeTree({ Dockerfile: 'FROM alpine\nCOPY . /app\nCMD ["true"]\n', 'app.js': 'console.log(1)\n' });

test('verify on a terminal: the step of the hanging build on the line; Ctrl-C clears it, then says what it does', async () => {
  const docker = fakeDocker('build');
  const dir = app();
  const r = await onTerminal(['verify', dir, '--against', `${dir}/Dockerfile`], { env: { STAGEOPT_DOCKER: docker.binary, TMPDIR: docker.tmp }, interrupt: /RUN sleep 60 \d+s/, timeoutMs: 30_000 });
  assert.is(r.exitCode, 130, r.raw);
  assert.ok(progressFrames(r.raw).some((f) => /^stageopt verify: building the original · \[2\/2\] RUN sleep 60 \d+s · \d+s(\^C)?$/.test(f)), JSON.stringify(r.raw));
  const message = r.raw.indexOf('stageopt verify: interrupted (SIGINT)');
  assert.ok(message > 0, r.raw);
  assert.ok(r.raw.slice(0, message).endsWith('\r\x1b[K'), `the line is cleared before the message: ${JSON.stringify(r.raw.slice(message - 80, message))}`);
  assert.not.match(r.raw.slice(message), /\x1b\[K\S/, 'nothing drawn after the message');
});

test('verify on a terminal with --quiet or --format json: no progress line', async () => {
  for (const flag of ['--quiet', '--format=json']) {
    const docker = fakeDocker();
    const dir = app();
    const r = await onTerminal(['verify', dir, '--against', `${dir}/Dockerfile`, '--no-rebuild', flag], { env: { STAGEOPT_DOCKER: docker.binary, TMPDIR: docker.tmp }, timeoutMs: 30_000 });
    assert.ok(!r.raw.includes('\x1b[K'), `${flag}: ${JSON.stringify(r.raw)}`);
  }
});

test.run();
