// cache-mounts' per-fix safety: a cache mount is safe in a file that needs BuildKit already and
// unsafe in one the legacy builder still builds. The fixture suite runs with unsafe fixes allowed,
// so the safety each fix declares is checked here, through the engine as a user's run meets it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import cacheMounts from '../transforms/cache-mounts.js';
import { engineWith } from './helpers.js';

const GO = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /bin/app .\nCMD ["/bin/app"]\n';

const needsBuildKit: [string, string][] = [
  ['a # syntax= directive', `# syntax=docker/dockerfile:1\n${GO}`],
  ['another RUN --mount', GO.replace('COPY . .\n', 'COPY . .\nRUN --mount=type=secret,id=token cat /run/secrets/token > /dev/null\n')],
  ['RUN --network', GO.replace('RUN go', 'RUN --network=host go')],
  ['COPY --link', GO.replace('COPY . .', 'COPY --link . .')],
  ['COPY --chmod', GO.replace('COPY . .', 'COPY --chmod=644 . .')],
  ['a heredoc', GO.replace('COPY . .\n', 'COPY . .\nRUN <<EOF\necho hi\nEOF\n')],
];

for (const [what, text] of needsBuildKit) {
  test(`safe, and applied by default, in a file with ${what}`, () => {
    const r = engineWith(text, [cacheMounts]);
    assert.is(r.fixes.length, 1, JSON.stringify(r.withheld));
    assert.is(r.fixes[0]!.safety, 'safe');
    assert.match(r.output, '--mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build');
  });
}

test('unsafe, and withheld with its reason, in a file the legacy builder builds', () => {
  const r = engineWith(GO, [cacheMounts]);
  assert.is(r.output, GO);
  assert.is(r.withheld.length, 1);
  assert.match(r.withheld[0]!.unsafeReason, 'legacy builder');
  const unsafe = engineWith(GO, [cacheMounts], { unsafe: true });
  assert.is(unsafe.fixes[0]!.safety, 'unsafe');
  assert.match(unsafe.fixes[0]!.unsafeReason!, 'BuildKit');
});

test.run();
