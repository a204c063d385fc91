#!/usr/bin/env bash
# Start a private Docker engine for stageopt's end-to-end tests.
#
# Idempotent: installs docker.io/debootstrap only when missing, and does nothing
# (except print the export lines) when the daemon on our socket already answers.
#
# Usage:  eval "$(e2e/docker-up.sh)"     # sets DOCKER_HOST, DOCKER_BUILDKIT, PATH
# State:  $STAGEOPT_E2E_STATE (default /tmp/stageopt-e2e)
# Stdout carries ONLY the export lines; all progress goes to stderr.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

WAIT_SECS="${STAGEOPT_E2E_WAIT:-60}"

[[ $EUID -eq 0 ]] || die "must run as root (dockerd and debootstrap need it)"

# --- 1. packages -------------------------------------------------------------
# docker.io brings dockerd 20.10 + containerd + runc + the matching client.
# debootstrap is needed by base-images.sh; installing both here keeps one entry
# point for "make this machine able to run the e2e tier".
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
dpkg -s docker.io >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if ((${#missing[@]})); then
  log "installing: ${missing[*]}"
  # apt-get update only when the lists are empty/stale for these packages.
  if ! apt-cache policy docker.io 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    apt-get update >&2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    docker.io debootstrap >&2
fi

DOCKER="$(find_docker_cli)"
[[ -x "$DOCKER" ]] || die "docker client not found at $DOCKER"

mkdir -p "$STATE"/{data,exec,bin,cache}
# A private bin dir whose 'docker' is the 20.10 client, so that after
# `export PATH=$STATE/bin:$PATH` a plain `docker` is the right one.
ln -sfn "$DOCKER" "$STATE/bin/docker"

print_exports() {
  printf 'export DOCKER_HOST=%q\n' "$DOCKER_HOST"
  printf 'export DOCKER_BUILDKIT=1\n'
  printf 'export STAGEOPT_E2E_DOCKER=%q\n' "$DOCKER"
  # shellcheck disable=SC2016 # $PATH must expand in the caller's shell
  printf 'export PATH=%q:"$PATH"\n' "$STATE/bin"
}

# --- 2. already running? -----------------------------------------------------
# Several engineers (or CI jobs) may run this at the same moment: one lock, so only the first
# starts a daemon and the others find it answering. Held until this script exits.
exec 9>"$STATE/up.lock"
flock 9
if "$DOCKER" info >/dev/null 2>&1; then
  log "dockerd already answering on $SOCK"
  print_exports
  exit 0
fi

# Stale pidfile from a crashed daemon: dockerd refuses to start if the pid in it
# is alive, and we must not kill an unrelated process, so only clean it when
# that pid is gone or is not a dockerd.
PIDFILE="$STATE/dockerd.pid"
if [[ -f "$PIDFILE" ]]; then
  oldpid="$(cat "$PIDFILE" 2>/dev/null || true)"
  if [[ -n "$oldpid" ]] && kill -0 "$oldpid" 2>/dev/null \
     && [[ "$(cat "/proc/$oldpid/comm" 2>/dev/null || true)" == dockerd ]]; then
    die "dockerd pid $oldpid (from $PIDFILE) is alive but not answering on $SOCK; run e2e/docker-down.sh first"
  fi
  rm -f "$PIDFILE"
fi
rm -f "$SOCK"

# --- 3. start ----------------------------------------------------------------
# --iptables/--ip6tables=false, --bridge=none: this sandbox has no usable
#   netfilter and we must not touch the host's network config. Consequence:
#   containers get only loopback unless run with --network host, and builds
#   that need the network must use `docker build --network host`.
# --data-root/--exec-root/--pidfile/-H: everything private under $STATE, so we
#   never collide with a system docker (/var/lib/docker, /run/docker.sock).
# --containerd-namespace: if a system containerd is running dockerd would
#   attach to it; a separate namespace keeps our containers apart.
# --storage-driver overlay2 is auto-detected; we don't force it so the daemon
#   can fall back (vfs) on hosts where overlay is unavailable.
log "starting dockerd (log: $STATE/dockerd.log)"
# setsid: own session, so a Ctrl-C or job-control signal in the calling shell
# does not take the daemon down with it. 9>&-: the daemon must not inherit the
# lock's descriptor, or it holds the lock for as long as it runs and every later
# call waits forever on a daemon that answers.
setsid nohup dockerd 9>&- \
  --iptables=false --ip6tables=false --bridge=none \
  --data-root "$STATE/data" --exec-root "$STATE/exec" \
  --pidfile "$PIDFILE" -H "unix://$SOCK" \
  --containerd-namespace stageopt-e2e \
  --containerd-plugins-namespace stageopt-e2e-plugins \
  >"$STATE/dockerd.log" 2>&1 </dev/null &
dpid=$!

# --- 4. bounded wait ---------------------------------------------------------
deadline=$((SECONDS + WAIT_SECS))
until "$DOCKER" info >/dev/null 2>&1; do
  if ! kill -0 "$dpid" 2>/dev/null; then
    log "dockerd exited early; last log lines:"
    tail -n 30 "$STATE/dockerd.log" >&2 || true
    die "dockerd failed to start"
  fi
  if ((SECONDS >= deadline)); then
    log "dockerd did not answer within ${WAIT_SECS}s; last log lines:"
    tail -n 30 "$STATE/dockerd.log" >&2 || true
    die "timeout waiting for dockerd on $SOCK (pid $dpid still running; stop with e2e/docker-down.sh)"
  fi
  sleep 0.5
done
log "dockerd up (pid $dpid): $("$DOCKER" info --format '{{.ServerVersion}} storage={{.Driver}} cgroup={{.CgroupVersion}}')"
print_exports
