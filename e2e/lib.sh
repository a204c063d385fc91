# shellcheck shell=bash
# Shared settings for the stageopt e2e scripts. Sourced, never executed.
#
# Everything lives under one state dir so that the private Docker engine never
# touches (or is confused with) a system-wide Docker installation:
#   $STATE/docker.sock   private API socket (DOCKER_HOST=unix://$STATE/docker.sock)
#   $STATE/data          --data-root  (images, layers, build cache)
#   $STATE/exec          --exec-root  (runtime state, managed containerd socket)
#   $STATE/dockerd.pid   --pidfile
#   $STATE/dockerd.log   daemon stdout/stderr
#   $STATE/bin/docker    symlink to the Debian docker.io client (see below)
#   $STATE/cache         debootstrap tarball, prepared Node/Python trees, timings

STATE="${STAGEOPT_E2E_STATE:-/tmp/stageopt-e2e}"
SOCK="$STATE/docker.sock"
export DOCKER_HOST="unix://$SOCK"
# BuildKit is built into dockerd 20.10; the classic builder is not what users run.
export DOCKER_BUILDKIT=1

# Which docker client to use. A newer client may be installed earlier on PATH
# (e.g. /usr/local/bin/docker) without the buildx plugin; with DOCKER_BUILDKIT=1
# it refuses to build ("BuildKit is enabled but the buildx component is missing
# or broken"). The 20.10 client from Debian's docker.io package talks BuildKit
# to the daemon natively, so we pin it. Override with STAGEOPT_E2E_DOCKER.
find_docker_cli() {
  if [[ -n "${STAGEOPT_E2E_DOCKER:-}" ]]; then
    printf '%s\n' "$STAGEOPT_E2E_DOCKER"; return
  fi
  local p
  p="$(dpkg -L docker.io 2>/dev/null | grep -E '/bin/docker$' | head -n1 || true)"
  printf '%s\n' "${p:-/usr/bin/docker}"
}

log() { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The PyPI stand-in (pypi-standin.sh): a loopback port no fixture app uses (theirs are 381xx). The
# stand-in python images' /etc/pip.conf names it, so it is part of their recipe.
PYPI_PORT="${STAGEOPT_E2E_PYPI_PORT:-38390}"
PYPI_URL="http://127.0.0.1:$PYPI_PORT/simple/"
