// Part of `npm run build`: writes V8's compiled code of mvdan-sh (the shell parser, 1.5 MB of
// JavaScript) into dist/code-cache, after reading a few typical RUN scripts with it so the
// functions a run uses are in the cache too. See src/code-cache.ts.
import { writeCodeCache } from '../dist/src/code-cache.js';
import { andChain, useShellLibrary } from '../dist/src/shell.js';

const SCRIPTS = [
  'npm ci',
  'apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*',
  'CGO_ENABLED=0 GOOS=linux go build -o /out/app ./cmd/app',
  'pip install --no-cache-dir -r requirements.txt > /dev/null',
  'cd "$HOME" && ./configure --prefix=/usr/local; make | tee log || true',
];

const file = writeCodeCache('mvdan-sh', (library) => {
  useShellLibrary(library);
  for (const script of SCRIPTS) andChain(script);
});
console.error(`code cache: ${file}`);
