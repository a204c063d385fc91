#!/usr/bin/env bash
# The e2e tier (npm run test:e2e, after `npm run build`): make this machine able to build (Debian's
# docker.io and debootstrap, a private dockerd), build the stand-in base images (cached by recipe
# hash), run the *.e2e.js tests against the real engine, and stop the daemon again — but only a
# daemon this script started: another user of the same socket keeps theirs.
#   e2e/run-tests.sh [uvu pattern]      default pattern: \.e2e\.js$
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
PATTERN="${1:-\.e2e\.js$}"

started_here=0
if ! "$(find_docker_cli)" info >/dev/null 2>&1; then started_here=1; fi
stop_daemon() {
  if ((started_here)); then "$HERE/docker-down.sh" || true; fi
}
trap stop_daemon EXIT
# docker-up.sh prints only export lines on stdout.
eval "$("$HERE/docker-up.sh")"
"$HERE/base-images.sh"

# The tests drive `stageopt verify` with the 20.10 client (the newer one on PATH has no buildx) and
# the host network (the daemon runs --bridge=none).
export STAGEOPT_DOCKER="$STAGEOPT_E2E_DOCKER"
export STAGEOPT_VERIFY_NETWORK=host
cd "$ROOT"
log "running e2e tests ($PATTERN)"
node_modules/.bin/uvu dist/test/e2e "$PATTERN"
