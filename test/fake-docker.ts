// A stand-in for the docker client (STAGEOPT_DOCKER), so that what verify asks docker for — the flags
// of each build and container, the cleanup after a signal or a timeout — can be tested without an
// engine. It logs every call, one line each, answers as a daemon with one trivial image would, and
// can make a build hang the way `RUN sleep 300` does (the hanging process's pid is written down, so
// a test can tell whether verify stopped it, and it is a child of the client's, as a buildx
// plugin's build is).
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './helpers.js';

export interface FakeDocker {
  /** The client to put in STAGEOPT_DOCKER. */
  binary: string;
  dir: string;
  /** The folder to use as TMPDIR for the verify run: its context copies must not outlive it. */
  tmp: string;
  /** Every call's arguments, in order. */
  calls(): string[][];
  /** The pid of the hanging build, once it hangs. */
  hangingPid(): number | null;
}

/**
 * hang: 'never' — every build succeeds at once; 'build' — every build hangs; 'copies' — only builds
 * from a context under tmp hang (the rebuild after an edit, which builds from a copy); 'run' — the
 * smoke containers never end (a server).
 */
export function fakeDocker(hang: 'never' | 'build' | 'copies' | 'run' = 'never'): FakeDocker {
  const dir = tempDir('stageopt-fake-docker-');
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp);
  const binary = path.join(dir, 'docker');
  const inspect = JSON.stringify([{ Config: { Cmd: ['true'], WorkingDir: '/app' }, Size: 1000, RootFS: { Layers: ['sha256:a'] } }]);
  fs.writeFileSync(
    binary,
    `#!/bin/sh
# one line per call, arguments separated by a tab
(IFS='	'; printf '%s\\n' "$*") >> '${dir}/calls.log'
# The hanging work is a child of the client, as a newer client's buildx plugin is: stopping the
# client alone would leave it running.
hang() { echo '#5 [2/2] RUN sleep 60' >&2; sleep 60 & echo $! > '${dir}/hanging.pid'; wait; }
case "$1" in
  version) echo 20.10.0 ;;
  build)
    for last; do :; done
    case '${hang}' in
      build) hang ;;
      copies) case "$last" in '${tmp}'/*) hang ;; esac ;;
    esac
    echo '#1 [internal] load build definition from Dockerfile' >&2 ;;
  image) [ "$2" = inspect ] && [ "$3" = --format ] && exit 1; echo '${inspect}' ;;
  export) head -c 1024 /dev/zero ;;
  run) echo hello; [ '${hang}' = run ] && hang ;;
esac
exit 0
`,
    { mode: 0o755 },
  );
  const log = path.join(dir, 'calls.log');
  return {
    binary,
    dir,
    tmp,
    calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t')) : []),
    hangingPid: () => {
      const file = path.join(dir, 'hanging.pid');
      return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').trim()) : null;
    },
  };
}

/** True while the process lives (signal 0 asks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
