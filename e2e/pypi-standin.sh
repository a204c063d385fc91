#!/usr/bin/env bash
# A stand-in for PyPI, which this machine cannot reach: a PEP 503 "simple" index of wheels repacked
# from Debian bookworm's python3-* packages (the distributions in pypi-standin.packages and what they
# require), served on loopback while the e2e tier runs. The stand-in python images' /etc/pip.conf
# points pip at it (base-images.sh), so a fixture app's `pip install -r requirements.txt` installs
# real packages without its Dockerfile saying anything. BASE-IMAGES.md says how it differs from PyPI.
#
#   e2e/pypi-standin.sh build    make $STATE/pypi (cached: seconds when nothing changed)
#   e2e/pypi-standin.sh check    install every distribution alone with python:3.12's pip, import it
#                                (once per index and image: remembered in $STATE/pypi/.checked)
#   e2e/pypi-standin.sh serve    serve $STATE/pypi on 127.0.0.1:$PYPI_PORT (no-op if it already answers)
#   e2e/pypi-standin.sh stop     stop the server `serve` started (only that pid)
#   e2e/pypi-standin.sh answering   exit status: does an index answer on the port already
# Caches: .debs in $STATE/cache/pypi-debs, one wheel per (debs, repacker) in $STATE/cache/pypi-wheels.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

INDEX="$STATE/pypi"
DEBS="$STATE/cache/pypi-debs"
WHEELS="$STATE/cache/pypi-wheels"
LIST="$HERE/pypi-standin.packages"
# Made here, not from .debs: the plugin that points poetry at the stand-in (its docstring says why).
PLUGIN_DIST=stageopt-standin-poetry-mirror
PLUGIN="$HERE/pypi-standin-poetry-plugin.py"
PIDFILE="$STATE/pypi-server.pid"
PY="${STAGEOPT_E2E_HOST_PYTHON:-python3}"

normalize() { tr 'A-Z_.' 'a-z--' <<<"$1" | tr -s -; }

# debs_of DIST: the Debian packages its wheel is made of (the list's line, else python3-DIST).
debs_of() {
  local line; line="$(sed 's/#.*//' "$LIST" | awk -v d="$1" '$1 == d { $1 = ""; print; exit }')"
  if [[ -n "${line// /}" ]]; then printf '%s\n' $line; else printf 'python3-%s\n' "$1"; fi
}

# fetch PKG...: the cached .deb of each PKG (apt-get download of the candidates the first time).
fetch() {
  local -a missing=(); local p
  for p in "$@"; do compgen -G "$DEBS/${p}_*.deb" >/dev/null || missing+=("$p"); done
  if ((${#missing[@]})); then
    # Read whole before grep: grep -q would close the pipe early and pipefail call it a failure.
    local policy; policy="$(apt-cache policy "${missing[0]}" 2>/dev/null || true)"
    if ! grep -q 'Candidate: [0-9]' <<<"$policy"; then
      log "pypi: no apt candidate for ${missing[0]}; apt-get update"; apt-get update >&2
    fi
    ( cd "$DEBS" && apt-get download -q "${missing[@]}" >/dev/null 2>&1 ) || die "pypi: apt-get download ${missing[*]} failed"
  fi
  for p in "$@"; do
    local f; f="$(find "$DEBS" -maxdepth 1 -name "${p}_*.deb" | sort -V | tail -n1)"
    [[ -n "$f" ]] || die "pypi: apt-get download $p gave no .deb"
    printf '%s\n' "$f"
  done
}

build() {
  mkdir -p "$DEBS" "$WHEELS"
  # The index is a function of the recipe; the .debs it was made of are cached by name and version.
  local key; key="$(cat "$HERE/pypi-standin.sh" "$HERE/pypi-standin.py" "$PLUGIN" "$LIST" | sha256sum | cut -c1-16)"
  if [[ "$(cat "$INDEX/.recipe" 2>/dev/null || true)" == "$key" && -s "$INDEX/simple/index.html" ]]; then
    log "pypi stand-in up to date ($(find "$INDEX/files" -name '*.whl' | wc -l) wheels)"; return 0
  fi
  local t0=$SECONDS tmp="$INDEX.tmp.$$"
  rm -rf "$tmp"; mkdir -p "$tmp/files"
  local -a queue; mapfile -t queue < <(sed 's/#.*//' "$LIST" | awk 'NF { print $1 }')
  local -A seen=()
  # The listed packages in one apt-get call (each call costs ~3 s of apt reading its cache); what the
  # wheels require is fetched as it is found.
  local -a first=(); local d p
  for d in "${queue[@]}"; do for p in $(debs_of "$(normalize "$d")"); do
    compgen -G "$DEBS/${p}_*.deb" >/dev/null || first+=("$p")
  done; done
  if ((${#first[@]})); then fetch "${first[@]}" >/dev/null; fi
  while ((${#queue[@]})); do
    local dist; dist="$(normalize "${queue[0]}")"; queue=("${queue[@]:1}")
    [[ -z "${seen[$dist]:-}" ]] || continue
    seen[$dist]=1
    if [[ $dist == "$PLUGIN_DIST" ]]; then
      "$PY" "$HERE/pypi-standin.py" plugin "$tmp/files" "$PLUGIN" >/dev/null
      log "pypi: $PLUGIN_DIST from ${PLUGIN##*/}"; continue
    fi
    local -a debs=(); local p
    for p in $(debs_of "$dist"); do debs+=("$(fetch "$p")"); done
    # One wheel per content: the .debs and the repacker.
    local wkey; wkey="$(cat "${debs[@]}" "$HERE/pypi-standin.py" | sha256sum | cut -c1-16)"
    if ! compgen -G "$WHEELS/$wkey/*.whl" >/dev/null; then
      rm -rf "$WHEELS/$wkey.tmp"; mkdir -p "$WHEELS/$wkey.tmp"
      "$PY" "$HERE/pypi-standin.py" wheel "$WHEELS/$wkey.tmp" "$LIST" "$dist" "${debs[@]}" >/dev/null
      mv "$WHEELS/$wkey.tmp" "$WHEELS/$wkey"
    fi
    local whl; whl="$(compgen -G "$WHEELS/$wkey/*.whl")"
    ln "$whl" "$tmp/files/" 2>/dev/null || cp "$whl" "$tmp/files/"
    log "pypi: $(basename "$whl") from $(printf '%s ' "${debs[@]##*/}")"
    local req; for req in $("$PY" "$HERE/pypi-standin.py" requires "$whl"); do queue+=("$req"); done
  done
  "$PY" "$HERE/pypi-standin.py" index "$tmp"
  printf '%s\n' "$key" >"$tmp/.recipe"
  # Swap in place: a running server looks paths up by name, so it serves the new index at once.
  rm -rf "$INDEX.old"; [[ ! -e "$INDEX" ]] || mv "$INDEX" "$INDEX.old"
  mv "$tmp" "$INDEX"; rm -rf "$INDEX.old"
  log "pypi stand-in: $(find "$INDEX/files" -name '*.whl' | wc -l) wheels in $((SECONDS - t0))s"
}

# Asked with the Python that serves it: one tool fewer for a fresh machine to have.
answering() {
  "$PY" -c 'import sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy
try: sys.exit(0 if b"Simple index" in opener.open(sys.argv[1], timeout=2).read() else 1)
except OSError: sys.exit(1)' "$PYPI_URL"
}

serve() {
  [[ -s "$INDEX/simple/index.html" ]] || die "pypi: no index at $INDEX; run: e2e/pypi-standin.sh build"
  if answering; then log "pypi stand-in already answering on $PYPI_URL"; return 0; fi
  # setsid: like dockerd, the server must not die with a job-control signal to the calling shell;
  # 9>&-: nor hold a lock descriptor the caller has open.
  setsid nohup "$PY" "$HERE/pypi-standin-server.py" "$PYPI_PORT" "$INDEX" 9>&- \
    >"$STATE/pypi-server.log" 2>&1 </dev/null &
  printf '%s\n' "$!" >"$PIDFILE"
  local i; for i in $(seq 1 50); do answering && { log "pypi stand-in serving $PYPI_URL (pid $!)"; return 0; }; sleep 0.1; done
  tail -n 20 "$STATE/pypi-server.log" >&2; die "pypi stand-in did not answer on $PYPI_URL"
}

stop() {
  [[ -f "$PIDFILE" ]] || return 0
  local pid; pid="$(cat "$PIDFILE")"
  # Only our server: the pid must still be a Python running the stand-in's server on our port.
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "pypi-standin-server.py $PYPI_PORT"; then
    kill -TERM "$pid"; log "pypi stand-in stopped (pid $pid)"
  fi
  rm -f "$PIDFILE"
}

# Every distribution installed alone (pip install --target, so its own Requires-Dist must pull in all
# it needs) by the python stand-ins' pip through /etc/pip.conf, then its top-level modules imported,
# and gunicorn's console script run: the wheels are judged by the pip users run. python:3.12 checks
# all but pipenv (Debian's release does not start on 3.12); python:3.11, when built, checks all.
check() {
  answering || die "pypi: nothing answers on $PYPI_URL; run: e2e/pypi-standin.sh serve"
  local docker; docker="$(find_docker_cli)"
  local script='set -e; pip --version; for d in $DISTS; do
    rm -rf /tmp/t; pip install -q --no-cache-dir --disable-pip-version-check --target /tmp/t "$d" >/tmp/log 2>&1 || { cat /tmp/log; exit 1; }
    for m in $(cat /tmp/t/*.dist-info/top_level.txt 2>/dev/null | sort -u); do PYTHONPATH=/tmp/t python -W error::ImportWarning -c "import $m" || { echo "$d: import $m failed"; exit 1; }; done
    echo "ok $d: $(ls -d /tmp/t/*.dist-info | sed "s|.*/||; s|\.dist-info||" | tr "\n" " ")"
  done; pip install -q --no-cache-dir --disable-pip-version-check --target /tmp/g gunicorn; PYTHONPATH=/tmp/g /tmp/g/bin/gunicorn --version'
  local dists; dists="$(cd "$INDEX/simple" && find . -mindepth 1 -maxdepth 1 -type d | sed 's|^\./||' | sort | tr '\n' ' ')"
  local -a images=(python:3.12); "$docker" image inspect python:3.11 >/dev/null 2>&1 && images+=(python:3.11)
  local done_key img; done_key="$(cat "$INDEX/.recipe")"
  for img in "${images[@]}"; do done_key+=" $("$docker" image inspect -f '{{.Id}}' "$img")"; done
  if [[ "$(cat "$INDEX/.checked" 2>/dev/null || true)" == "$done_key" ]]; then log "pypi stand-in checked already"; return 0; fi
  local t0=$SECONDS
  for img in "${images[@]}"; do
    local these="$dists"; [[ $img != python:3.12 ]] || these="$(tr ' ' '\n' <<<"$dists" | grep -vx pipenv | tr '\n' ' ')"
    "$docker" run --rm --network host -e DISTS="$these" "$img" sh -c "$script" >&2
  done
  printf '%s\n' "$done_key" >"$INDEX/.checked"
  log "pypi stand-in: every distribution installs alone and imports ($((SECONDS - t0))s)"
}

case "${1:-}" in
  build) build ;;
  serve) serve ;;
  stop) stop ;;
  check) check ;;
  answering) answering ;;
  *) die "usage: e2e/pypi-standin.sh build|serve|stop|check|answering" ;;
esac
