#!/usr/bin/env bash
# Proof for manifest-first on a real Docker engine (run by hand until the e2e tier of issue 5 wires
# it into CI): the rewrite builds, runs the same, and after a source edit the rebuild takes the
# dependency install from the cache while the original re-runs it.
#   eval "$(e2e/docker-up.sh)" && e2e/base-images.sh && e2e/check-manifest-first.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
work="$(mktemp -d /tmp/stageopt-mf-XXXXXX)"
trap 'docker rm -f stageopt-mf-orig stageopt-mf-new >/dev/null 2>&1 || true; docker rmi -f stageopt-mf-orig stageopt-mf-new >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

cp -r "$here/sample-apps/node-ms" "$work/orig"
cp -r "$here/sample-apps/node-ms" "$work/new"
node "$root/dist/src/cli.js" --write --only manifest-first "$work/new"
grep -q '^COPY package-lock.json package.json ./$' "$work/new/Dockerfile" || { echo "FAIL: no manifest COPY in the rewrite"; exit 1; }

build() { docker build --network host --progress=plain -t "stageopt-mf-$1" "$work/$1" >"$work/$1.$2.log" 2>&1; }
seconds() { local s e; s=$(date +%s%N); "$@"; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
for v in orig new; do build "$v" first; done
declare -A install_state
for v in orig new; do
  echo "// edited $(date +%s%N)" >>"$work/$v/server.js"
  ms=$(seconds build "$v" second)
  if grep -A2 '\] RUN npm ci$' "$work/$v.second.log" | grep -q CACHED; then state=cached; else state=re-run; fi
  echo "$v: rebuild after a source edit ${ms} ms, npm ci ${state}"
  install_state[$v]=$state
done
[ "${install_state[orig]}" = re-run ] || { echo "FAIL: the original should re-run npm ci after a source edit"; exit 1; }
[ "${install_state[new]}" = cached ] || { echo "FAIL: the rewrite should take npm ci from the cache"; exit 1; }

config() { docker image inspect "stageopt-mf-$1" --format '{{json .Config.Cmd}} {{json .Config.Entrypoint}} {{.Config.WorkingDir}} {{json .Config.Env}} {{.Config.User}} {{json .Config.ExposedPorts}}'; }
[ "$(config orig)" = "$(config new)" ] || { echo "FAIL: image config differs"; config orig; config new; exit 1; }
answer() {
  docker run -d --name "stageopt-mf-$1" --network host -e PORT="$2" "stageopt-mf-$1" >/dev/null
  for _ in $(seq 50); do curl -fs "127.0.0.1:$2/" && break; sleep 0.1; done | sed 's/"uptime":"[^"]*",//'
}
a=$(answer orig 38091); b=$(answer new 38092)
if [ -z "$a" ] || [ "$a" != "$b" ]; then echo "FAIL: the apps answer differently: '$a' vs '$b'"; exit 1; fi
echo "PASS: same config, same answer ($a)"
