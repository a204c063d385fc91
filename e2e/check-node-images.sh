#!/usr/bin/env bash
# Check the node:* stand-ins against the pins in base-images.sh: in each image
# `node --version`, `npm --version`, `yarn --version` and `corepack --version`
# must print the pinned versions (a stand-in that silently ran another Node or
# npm is what hid `npm prune --omit=dev` on node:8). base-images.sh runs this
# on every node image it (re)builds.
#
# Usage: e2e/check-node-images.sh [--network] [IMAGE...]
#   IMAGE     node:<major>[-slim|-alpine] (default: every pinned major's
#             full/slim/alpine image that exists locally)
#   --network also `npm install is-number` in each image through the proxy
#             (needs the npm registry; ~3-10 s per image), and on -alpine
#             images exercise the apk/adduser shims.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"
DOCKER="$(find_docker_cli)"

network=0
if [[ "${1:-}" == --network ]]; then network=1; shift; fi

declare -A PIN=()
while read -r m node npm cp code yarn; do PIN[$m]="$node $npm $cp $yarn"; done < <("$HERE/base-images.sh" --pins)

images=("$@")
if ((${#images[@]} == 0)); then
  for m in $(printf '%s\n' "${!PIN[@]}" | sort -n); do
    for t in "node:$m" "node:$m-slim" "node:$m-alpine"; do
      "$DOCKER" image inspect "$t" >/dev/null 2>&1 && images+=("$t")
    done
  done
fi

fail=0
for img in "${images[@]}"; do
  m=${img#node:}; m=${m%%[-.]*}
  [[ -n "${PIN[$m]:-}" ]] || { log "$img: no pin for major '$m'"; fail=1; continue; }
  read -r want_node want_npm want_cp want_yarn <<<"${PIN[$m]}"
  want="v$want_node $want_npm $want_yarn $want_cp"
  got="$("$DOCKER" run --rm --entrypoint sh "$img" -c \
    'echo $(node --version) $(npm --version 2>/dev/null) $(yarn --version) $(corepack --version 2>/dev/null || echo -)' 2>&1 || true)"
  if [[ "$got" == "$want" ]]; then log "ok   $img: node/npm/yarn/corepack = $got"
  else log "FAIL $img: want '$want', got '$got'"; fail=1; fi
  ((network)) || continue
  # npm through the TLS-intercepting proxy, as the e2e fixtures do.
  if out="$("$DOCKER" run --rm --network host --entrypoint sh "$img" -c \
      'set -e; mkdir /tmp/p && cd /tmp/p && echo "{\"name\":\"p\",\"version\":\"1.0.0\"}" > package.json
       npm install --no-audit --no-fund --no-update-notifier is-number >/dev/null 2>&1 || npm install is-number
       node -e "require(\"is-number\"); console.log(\"is-number \" + require(\"is-number/package.json\").version)"' 2>&1)"; then
    log "ok   $img: npm install -> $(tail -n1 <<<"$out")"
  else log "FAIL $img: npm install is-number:"; printf '%s\n' "$out" | tail -n 15 >&2; fail=1; fi
  if [[ $img == *-alpine ]]; then
    if out="$("$DOCKER" run --rm --network host --entrypoint sh "$img" -c \
        'set -e
         apk update; apk add --no-cache curl tini; curl --version >/dev/null; test -x /sbin/tini
         apk add --no-cache --virtual .build-deps make g++; command -v g++ >/dev/null
         apk del .build-deps; ! command -v g++ >/dev/null
         if apk add --no-cache no-such-package 2>/dev/null; then echo "apk accepted an unknown package"; exit 1; fi
         if command -v apt-get >/dev/null; then echo "apt-get is on PATH"; exit 1; fi
         addgroup -g 1001 -S nodejs; adduser -S nextjs -u 1001 -G nodejs; id nextjs
         addgroup -S app && adduser -S app -G app; id app' 2>&1)"; then
      log "ok   $img: apk add/del --virtual, unknown package fails, no apt-get, addgroup/adduser ($(grep nextjs <<<"$out"))"
    else log "FAIL $img: alpine shim:"; printf '%s\n' "$out" | tail -n 15 >&2; fail=1; fi
  fi
done
exit "$fail"
