#!/usr/bin/env bash
# Build local stand-ins for the official base images that stageopt's sample
# Dockerfiles use, tagged with the official names, on the private engine
# started by docker-up.sh. No container registry is reachable from this
# machine, so `FROM node:20` can only work if an image with that name already
# exists locally. See BASE-IMAGES.md for how each stand-in differs.
#
# Sources (all reachable here): Debian packages (debootstrap + apt inside
# `docker build --network host`), the host's own Node.js binary, npm/yarn
# tarballs from the npm registry, and the host's pyenv-built CPython 3.12.
#
# Caching:
#   * the raw debootstrap output is kept as $STATE/cache/bookworm-minbase.tar;
#   * every image gets a label org.stageopt.e2e.recipe=<sha256 of its recipe
#     text + input identities + parent's key>; an image whose label already
#     matches is skipped. Editing a recipe below rebuilds that image and all
#     images built FROM it.
#   * FORCE=1 ignores the labels (the debootstrap tarball is still reused;
#     delete it by hand to redo that).
#
# Usage: e2e/base-images.sh [image-key ...]    (default: all)
#   keys: debian buildpack node node-slim golang python python-slim nginx distroless
# Timings go to stderr and to $STATE/timings.tsv.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

DOCKER="$(find_docker_cli)"
"$DOCKER" info >/dev/null 2>&1 || die "no docker engine on $DOCKER_HOST; run: eval \"\$(e2e/docker-up.sh)\""
command -v debootstrap >/dev/null || die "debootstrap missing; run e2e/docker-up.sh first"

CACHE="$STATE/cache"
LOGS="$STATE/logs"
CTX="$STATE/ctx"
TIMINGS="$STATE/timings.tsv"
mkdir -p "$CACHE" "$LOGS" "$CTX"

# The mirror must be one this machine reaches; it is the host's own apt mirror.
MIRROR="${STAGEOPT_E2E_MIRROR:-http://deb.debian.org/debian}"
SECURITY_MIRROR="${STAGEOPT_E2E_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
SUITE=bookworm

# Pinned versions of things we fetch from the npm registry, matching what the
# official node:20 image ships.
NPM_VERSION="${STAGEOPT_E2E_NPM_VERSION:-10.8.2}"
YARN_VERSION=1.22.22
# Host toolchains that are copied into images.
HOST_NODE="$(readlink -f "$(command -v node)")"
HOST_PY_PREFIX="${STAGEOPT_E2E_PYTHON_PREFIX:-$(find /root/.pyenv/versions -maxdepth 1 -name '3.12.*' 2>/dev/null | sort -V | tail -n1 || true)}"

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
# node:20 / node:20-slim: the host's Node 20 binary + npm $NPM_VERSION from
# the registry + yarn 1, in the official layout under /usr/local.

NODE_TAR="" NODE_ID=""
prepare_node_tree() {
  local ver; ver="$("$HOST_NODE" -p process.versions.node)"
  [[ "$ver" == 20.* ]] || die "host node is $ver, need 20.x for node:20"
  NODE_TAR="$CACHE/node-$ver-npm-$NPM_VERSION-yarn-$YARN_VERSION.tar"
  NODE_ID="$(basename "$NODE_TAR") $(sha256sum "$HOST_NODE" | cut -c1-16)"
  [[ -s "$NODE_TAR" ]] && return 0
  local t; t="$(mktemp -d "$CACHE/node-tree.XXXX")"
  mkdir -p "$t/usr/local/bin" "$t/usr/local/lib/node_modules" "$t/usr/local/include" "$t/usr/local/etc" "$t/opt"
  install -m 0755 "$HOST_NODE" "$t/usr/local/bin/node"
  # Headers: the official tarball ships them (node-gyp uses them).
  if [[ -d /usr/include/node ]]; then cp -a /usr/include/node "$t/usr/local/include/node"; fi
  # npm and yarn come from the npm registry, pinned (the host's npm is a
  # different major). `npm pack` only downloads the tarball.
  ( cd "$t" && npm pack --silent "npm@$NPM_VERSION" "yarn@$YARN_VERSION" >/dev/null )
  mkdir -p "$t/usr/local/lib/node_modules/npm" "$t/opt/yarn-v$YARN_VERSION"
  tar -C "$t/usr/local/lib/node_modules/npm" --strip-components=1 -xzf "$t/npm-$NPM_VERSION.tgz"
  tar -C "$t/opt/yarn-v$YARN_VERSION" --strip-components=1 -xzf "$t/yarn-$YARN_VERSION.tgz"
  rm -f "$t"/*.tgz
  # corepack ships with Node 20; take the host's copy if present.
  local cp_dir; cp_dir="$(dirname "$(dirname "$HOST_NODE")")/lib/node_modules/corepack"
  if [[ -d "$cp_dir" ]]; then
    cp -a "$cp_dir" "$t/usr/local/lib/node_modules/corepack"
    ln -s ../lib/node_modules/corepack/dist/corepack.js "$t/usr/local/bin/corepack"
  fi
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$t/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$t/usr/local/bin/npx"
  ln -s "/opt/yarn-v$YARN_VERSION/bin/yarn" "$t/usr/local/bin/yarn"
  ln -s "/opt/yarn-v$YARN_VERSION/bin/yarnpkg" "$t/usr/local/bin/yarnpkg"
  # npm's global config ($PREFIX/etc/npmrc): trust the intercepting proxy.
  printf 'cafile=%s\n' "$E2E_BUNDLE" >"$t/usr/local/etc/npmrc"
  # The official entrypoint: run `node ARGS` when the first arg is not a command.
  cat >"$t/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
# Run command with node if the first argument contains a "-" or is not a system command.
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
EOF
  chmod 0755 "$t/usr/local/bin/docker-entrypoint.sh"
  tar -C "$t" --numeric-owner --owner=0 --group=0 -cf "$NODE_TAR.tmp" usr opt && mv "$NODE_TAR.tmp" "$NODE_TAR"
  rm -rf "$t"
}

node_dockerfile() { # $1 = FROM image
  local ver; ver="$("$HOST_NODE" -p process.versions.node)"
  cat <<EOF
FROM $1
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ENV NODE_VERSION=$ver YARN_VERSION=$YARN_VERSION
# ADD unpacks the prepared /usr/local + /opt tree in one layer.
ADD node.tar /
# Needed only because npm reaches the registry through a TLS-intercepting proxy.
ENV NODE_EXTRA_CA_CERTS=$E2E_BUNDLE
RUN node --version && npm --version && yarn --version >/dev/null
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
EOF
}

build_node() { # $1 = full|slim
  prepare_node_tree
  local variant=$1 from tag key ctx df key_parent
  if [[ $variant == full ]]; then from=buildpack-deps:bookworm; tag=node:20; key_parent=$BP_KEY
  else from=debian:bookworm-slim; tag=node:20-slim; key_parent=$DEBIAN_KEY; fi
  df="$(node_dockerfile "$from")"
  key="$(key_of "node-$variant" "$key_parent" "$df" "$NODE_ID")"
  if up_to_date "$tag" "$key"; then log "$tag up to date"; return 0; fi
  if [[ $variant == full ]]; then build_with_tarball node "$key" "$df" "$NODE_TAR" node.tar node:20 node:20-bookworm
  else build_with_tarball node-slim "$key" "$df" "$NODE_TAR" node.tar node:20-slim node:20-bookworm-slim; fi
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

# ----------------------------------------------------------------------------
# python:3.12 / python:3.12-slim: the host's pyenv CPython 3.12 (built
# --enable-shared, like upstream), relocated to /usr/local and cleaned the way
# the official Dockerfile cleans its build (no tests, no .pyc, no static lib,
# stripped binaries). Debian's python3 (3.11, dist-packages, PEP 668,
# `--prefix` -> .../local/lib) would not match the official layout.

PY_TAR="" PY_ID="" PY_DEPS=""
prepare_python_tree() {
  [[ -n "$HOST_PY_PREFIX" && -x "$HOST_PY_PREFIX/bin/python3.12" ]] \
    || die "no host CPython 3.12 found (looked for /root/.pyenv/versions/3.12.*; set STAGEOPT_E2E_PYTHON_PREFIX)"
  local ver; ver="$("$HOST_PY_PREFIX/bin/python3.12" -c 'import platform;print(platform.python_version())')"
  PY_TAR="$CACHE/python-$ver-usrlocal.tar"
  PY_ID="$(basename "$PY_TAR") $(sha256sum "$HOST_PY_PREFIX/lib/libpython3.12.so.1.0" | cut -c1-16)"
  if [[ ! -s "$PY_TAR" || ! -s "$PY_TAR.deps" ]]; then
    local t; t="$(mktemp -d "$CACHE/py-tree.XXXX")"
    mkdir -p "$t/usr/local"
    # _sandboxing_*.pth is this sandbox's own certifi hook: never ship it.
    tar -C "$HOST_PY_PREFIX" --exclude='_sandboxing_*' -cf - . | tar -C "$t/usr/local" -xf -
    local u="$t/usr/local"
    find "$u" -depth \( \( -type d -a \( -name test -o -name tests -o -name idle_test -o -name __pycache__ \) \) \
      -o \( -type f -a \( -name '*.pyc' -o -name '*.pyo' -o -name 'libpython*.a' \) \) \) -exec rm -rf '{}' +
    # Rewrite the pyenv prefix baked into text files (sysconfig data, Makefile,
    # python-config, .pc files, entry-point shebangs).
    grep -rlI --null -F "$HOST_PY_PREFIX" "$u" | xargs -0 -r sed -i "s|$HOST_PY_PREFIX|/usr/local|g"
    # Strip (the official build links with -Wl,--strip-all).
    find "$u" -type f \( -name '*.so' -o -name '*.so.*' -o -name 'python3.12' \) -exec strip --strip-unneeded {} + 2>/dev/null || true
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
RUN set -eux; $3 ldconfig; python3 --version; pip3 --version; \\
  for src in idle3 pip3 pydoc3 python3 python3-config; do [ -e /usr/local/bin/\${src%3} ] || ln -s \$src /usr/local/bin/\${src%3}; done
CMD ["python3"]
EOF
}

build_python() { # $1 = full|slim
  prepare_python_tree
  local variant=$1 df key ctx tag parent
  if [[ $variant == full ]]; then
    tag=python:3.12; parent=$BP_KEY
    # upstream full adds libbluetooth-dev tk-dev uuid-dev on top of buildpack-deps
    df="$(python_dockerfile buildpack-deps:bookworm "libbluetooth-dev tk-dev uuid-dev $PY_DEPS" "")"
  else
    tag=python:3.12-slim; parent=$DEBIAN_KEY
    # upstream slim: ca-certificates netbase tzdata + ldd-resolved libs; it is
    # built without tk, so drop _tkinter and the X11/Tk libs.
    local deps; deps="$(tr ' ' '\n' <<<"$PY_DEPS" | grep -vE '^(libtcl|libtk|libx|libfontconfig|libfreetype|libpng|libbrotli|libxft|libxss)' | tr '\n' ' ' || true)"
    df="$(python_dockerfile debian:bookworm-slim "ca-certificates netbase tzdata $deps" \
      'rm -f /usr/local/lib/python3.12/lib-dynload/_tkinter*.so;')"
  fi
  key="$(key_of "python-$variant" "$parent" "$df" "$PY_ID")"
  if up_to_date "$tag" "$key"; then log "$tag up to date"; return 0; fi
  if [[ $variant == full ]]; then build_with_tarball python "$key" "$df" "$PY_TAR" python.tar python:3.12 python:3.12-bookworm
  else build_with_tarball python-slim "$key" "$df" "$PY_TAR" python.tar python:3.12-slim python:3.12-slim-bookworm; fi
}

# ----------------------------------------------------------------------------
# nginx (latest): Debian's nginx 1.22 configured like the official image.

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
  apt-get update; apt-get install -y --no-install-recommends nginx; rm -rf /var/lib/apt/lists/*; \
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
  if up_to_date nginx:latest "$key"; then log "nginx:latest up to date"; return 0; fi
  timed image:nginx build_image nginx "$key" "$ctx" nginx:latest nginx:1.22 nginx:bookworm
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

ALL=(debian buildpack node node-slim golang python python-slim nginx distroless)
want=("$@"); ((${#want[@]})) || want=("${ALL[@]}")
wants() { local w; for w in "${want[@]}"; do [[ $w == "$1" ]] && return 0; done; return 1; }

t_all=$SECONDS
# Parents are always (re)checked because children's keys depend on them.
timed step:debian build_debian
if wants buildpack || wants node || wants golang || wants python; then timed step:buildpack build_buildpack; fi
if wants node-slim;   then timed step:node-slim   build_node slim; fi
if wants node;        then timed step:node        build_node full; fi
if wants python-slim; then timed step:python-slim build_python slim; fi
if wants python;      then timed step:python      build_python full; fi
if wants golang;      then timed step:golang      build_golang; fi
if wants nginx;       then timed step:nginx       build_nginx; fi
if wants distroless;  then timed step:distroless  build_distroless; fi
log "total: $((SECONDS - t_all))s"

# Rebuilt stand-ins leave their previous versions dangling (untagged); drop
# those so repeated recipe edits do not fill the disk. Only dangling images
# carrying our label are touched.
"$DOCKER" image prune -f --filter label=org.stageopt.e2e.standin=true >/dev/null

"$DOCKER" image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' \
  | grep -E '^(debian|buildpack-deps|node|python|golang|nginx|gcr.io/distroless)' | sort >&2
