#!/usr/bin/env bash
# Builds the fixture apps in __fixtures__/apps/ as they are (naive single-stage Dockerfiles) on the
# real engine, runs each with the env of its verify.json, probes /health and the verify.json probe,
# and prints image size and build time. The proof that the fixtures themselves work, before stageopt
# rewrites anything (issue 5).
#   eval "$(e2e/docker-up.sh)" && e2e/base-images.sh && e2e/check-apps.sh [app ...]
# The Python apps install from the PyPI stand-in: e2e/pypi-standin.sh build && e2e/pypi-standin.sh serve first.
# NO_CACHE=1: build without the layer cache (cold build times); KEEP_IMAGES=1: leave the images.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
apps_dir="$(dirname "$here")/__fixtures__/apps"
logs="$(mktemp -d /tmp/stageopt-apps-XXXXXX)"
current=""
# Containers always go; images too unless KEEP_IMAGES=1 (the daemon is shared, disk is not free).
# shellcheck disable=SC2317 # called by the trap
cleanup() {
  if [ -n "$current" ]; then docker rm -f "$current" >/dev/null 2>&1 || true; fi
  if [ "${KEEP_IMAGES:-0}" != 1 ]; then
    for app in "${apps[@]}"; do docker rmi -f "stageopt-app-$app" >/dev/null 2>&1 || true; done
  fi
}
trap cleanup EXIT

if [ $# -gt 0 ]; then apps=("$@"); else mapfile -t apps < <(cd "$apps_dir" && for d in */; do echo "${d%/}"; done); fi

# verify.json fields, read with node (always present: stageopt itself needs it).
# shellcheck disable=SC2016 # the ${...} are JavaScript, not shell
field() { node -e 'const v = require(process.argv[1]); const f = process.argv[2]; const x = f === "env" ? Object.entries(v.env ?? {}).map(([k, val]) => `${k}=${val}`).join("\n") : v[f]; if (x) console.log(x);' "$apps_dir/$1/verify.json" "$2"; }

failed=0
for app in "${apps[@]}"; do
  image="stageopt-app-$app"
  start=$(date +%s%N)
  if ! docker build --network host --progress=plain ${NO_CACHE:+--no-cache} -t "$image" "$apps_dir/$app" >"$logs/$app.build.log" 2>&1; then
    echo "$app: BUILD FAILED (log: $logs/$app.build.log)"; tail -n 20 "$logs/$app.build.log"; failed=1; continue
  fi
  build_s=$(awk -v ns=$(( $(date +%s%N) - start )) 'BEGIN { printf "%.1f", ns / 1e9 }')
  size=$(docker image inspect "$image" --format '{{.Size}}' | awk '{ printf "%.0f MB", $1 / 1e6 }')

  probe="$(field "$app" http)"
  port="${probe%%/*}"
  path="/${probe#*/}"
  env_args=()
  while IFS= read -r kv; do [ -n "$kv" ] && env_args+=(-e "$kv"); done < <(field "$app" env)

  current="stageopt-app-$app-run"
  docker run -d --name "$current" --network host "${env_args[@]}" "$image" >/dev/null
  health=""
  for _ in $(seq 100); do health=$(curl -fs "127.0.0.1:$port/health" || true); [ -n "$health" ] && break; sleep 0.1; done
  answer=$(curl -fsS "127.0.0.1:$port$path" 2>&1 || true)
  docker logs "$current" >"$logs/$app.run.log" 2>&1 || true
  docker rm -f "$current" >/dev/null; current=""

  echo "== $app: built in ${build_s} s, image $size"
  echo "GET /health -> $(printf '%s' "$health" | tr '\n' ' ')"
  echo "GET $path ->"
  printf '%s\n' "$answer"
  if [ "$health" != "ok" ] || [ -z "$answer" ]; then echo "$app: PROBE FAILED (run log: $logs/$app.run.log)"; failed=1; fi
done
# Logs are kept only when something failed (the messages above name them).
[ $failed = 1 ] || rm -rf "$logs"
exit $failed
