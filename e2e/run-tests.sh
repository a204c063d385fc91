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

started_here=0 pypi_here=0
if ! "$(find_docker_cli)" info >/dev/null 2>&1; then started_here=1; fi
if ! "$HERE/pypi-standin.sh" answering; then pypi_here=1; fi
stop_daemon() {
  if ((pypi_here)); then "$HERE/pypi-standin.sh" stop || true; fi
  if ((started_here)); then "$HERE/docker-down.sh" || true; fi
}
trap stop_daemon EXIT
# docker-up.sh prints only export lines on stdout.
eval "$("$HERE/docker-up.sh")"
# Every node tag a fixture app or example starts FROM, and its slim variant (the rewrite's runtime), beside the
# default majors: an app on node:18 must meet Node 18 and its npm, not the host's. Likewise every golang
# tag: an app on golang:1.15 must meet Go 1.15 (GOPATH mode without a go.mod), not 1.22, and every python
# tag (python:3.11 and its slim variant, for pipenv and poetry releases that run on it).
tags=()
while read -r image; do
  case "$image" in
    node:*) tag="${image#node:}"; tags+=("$image")
      case "$tag" in *-alpine*|*-slim*) ;; *) tags+=("node:$tag-slim") ;; esac ;;
    golang:*|python:*) tags+=("$image") ;;
  esac
done < <(awk 'toupper($1) == "FROM" { print $2 }' "$ROOT"/__fixtures__/apps/*/Dockerfile "$ROOT"/examples/*/Dockerfile | sort -u)
STAGEOPT_E2E_TAGS="${STAGEOPT_E2E_TAGS:-} ${tags[*]}" "$HERE/base-images.sh"
# The PyPI stand-in the python images' pip.conf names, on loopback, which builds reach through
# --network host; its wheels are tried with the image's own pip once per index and image.
"$HERE/pypi-standin.sh" build
"$HERE/pypi-standin.sh" serve
"$HERE/pypi-standin.sh" check

# The tests drive `stageopt verify` with the 20.10 client (the newer one on PATH has no buildx) and
# opt in to the host network for builds and smoke containers alike (the daemon runs --bridge=none:
# docker's default build network has no route out, and a probed server is reachable only on the
# host network). verify's own default, no network for the smoke run, is tested in isolation.e2e.ts.
export STAGEOPT_DOCKER="$STAGEOPT_E2E_DOCKER"
export STAGEOPT_VERIFY_NETWORK=host
export STAGEOPT_VERIFY_BUILD_NETWORK=host
cd "$ROOT"
log "running e2e tests ($PATTERN)"
node_modules/.bin/uvu dist/test/e2e "$PATTERN"
