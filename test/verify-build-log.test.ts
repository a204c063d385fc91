// Reading BuildKit's plain progress output: which Dockerfile steps ran, which came from the cache,
// and which one failed with what output. The logs are real docker 20.10 output, trimmed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { countSteps, failedStep, parseBuildLog } from '../src/verify/build-log.js';
import { pullFailure } from '../src/verify/docker.js';

const FAILED = `#2 [internal] load .dockerignore
#2 sha256:c2cb66c74d86a511b686575518cac1f99531a572e0c00b34f740e4a05a2b9241
#2 transferring context: 2B 0.0s done
#2 DONE 0.1s

#3 [internal] load metadata for docker.io/library/debian:bookworm-slim
#3 DONE 0.0s

#4 [base 1/4] FROM docker.io/library/debian:bookworm-slim
#4 sha256:56bf5dcd38ee2f60f646b15b1b91e40b5e8375a457572f890edbccbd17190813
#4 CACHED

#5 [base 2/4] WORKDIR /app
#5 sha256:e65e552be5b7af6078603ad1f71e1a87e10b31cfb7de827ac6bf5e23fb3524d0
#5 DONE 0.1s

#7 [base 3/4] COPY a.txt .
#7 CACHED

#8 [base 4/4] RUN echo hello && ls
#8 0.139 hello
#8 0.149 a.txt
#8 DONE 0.2s

#9 [stage-1 1/1] RUN echo failing >&2 && exit 3
#9 sha256:3bd9dcf750b1c21e49cd41956f0f92c9dd6ed4c5938def488dbcde931afab77d
#9 0.111 failing
#9 ERROR: executor failed running [/bin/sh -c echo failing >&2 && exit 3]: exit code: 3
------
 > [stage-1 1/1] RUN echo failing >&2 && exit 3:
------
executor failed running [/bin/sh -c echo failing >&2 && exit 3]: exit code: 3
`;

test('steps: FROM and internal work are not counted; CACHED, DONE and ERROR are told apart', () => {
  const steps = parseBuildLog(FAILED);
  assert.equal(
    steps.map((s) => [s.stage, s.name, s.status]),
    [
      ['base', 'WORKDIR /app', 'done'],
      ['base', 'COPY a.txt .', 'cached'],
      ['base', 'RUN echo hello && ls', 'done'],
      ['stage-1', 'RUN echo failing >&2 && exit 3', 'error'],
    ],
  );
  assert.equal(countSteps(steps), { executed: 3, cached: 1 });
  assert.is(steps[2]!.seconds, 0.2);
});

test('the failing step keeps its own output (timestamps and digests dropped) and the error', () => {
  const failed = failedStep(parseBuildLog(FAILED));
  assert.ok(failed);
  assert.equal(failed.output, ['failing', 'ERROR: executor failed running [/bin/sh -c echo failing >&2 && exit 3]: exit code: 3']);
});

test('single-stage steps have no stage label; a log without steps gives none', () => {
  const steps = parseBuildLog('#5 [2/3] RUN npm ci\n#5 CACHED\n#6 [3/3] COPY . .\n#6 DONE 0.3s\n');
  assert.equal(steps.map((s) => [s.stage, s.name, s.status]), [['', 'RUN npm ci', 'cached'], ['', 'COPY . .', 'done']]);
  assert.equal(parseBuildLog('error: failed to solve: dockerfile parse error line 3: unknown instruction: RUNN\n'), []);
  assert.is(failedStep([]), null);
});

test('a base image that cannot be fetched is recognised; a failing RUN is not', () => {
  const pull = `#3 [internal] load metadata for docker.io/nosuch/image:1
#3 ERROR: failed to do request: Head "https://registry-1.docker.io/v2/nosuch/image/manifests/1": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host
failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request`;
  assert.match(pullFailure(pull) ?? '', /^ERROR: failed to do request: Head/);
  assert.is(pullFailure(FAILED), null);
});

test.run();
