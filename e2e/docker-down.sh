#!/usr/bin/env bash
# Stop the private dockerd started by docker-up.sh. Safe to call repeatedly.
#
# We stop exactly the pid recorded in our pidfile (never pkill by name: other
# dockerd instances on the machine are not ours). SIGTERM lets dockerd stop its
# containers and its managed containerd; we wait up to 30s, then SIGKILL.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

PIDFILE="$STATE/dockerd.pid"
if [[ ! -f "$PIDFILE" ]]; then
  log "no pidfile at $PIDFILE: nothing to stop"
  exit 0
fi
pid="$(cat "$PIDFILE" 2>/dev/null || true)"
if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then
  log "dockerd (pid ${pid:-?}) not running; removing stale pidfile"
  rm -f "$PIDFILE" "$SOCK"
  exit 0
fi
# Guard against pid reuse: only signal it if it really is a dockerd.
if [[ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" != dockerd ]]; then
  log "pid $pid is not dockerd (pid reused?); removing stale pidfile"
  rm -f "$PIDFILE" "$SOCK"
  exit 0
fi

log "stopping dockerd pid $pid"
kill -TERM "$pid"
for _ in $(seq 1 60); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
if kill -0 "$pid" 2>/dev/null; then
  log "dockerd did not exit in 30s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 1
fi
rm -f "$PIDFILE" "$SOCK"
log "dockerd stopped"
