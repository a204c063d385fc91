// What the official golang images set up that a build relies on: their Go's version, and so
// whether its standard library comes compiled (with cgo); GOPATH, which is /go, and /go is also
// their WORKDIR, so a Dockerfile without a WORKDIR builds in /go. The image makes /go, /go/src and
// /go/bin with modes of its own (`chmod -R 777 "$GOPATH"` in the 1.15-era images, 1777 in later
// ones), which a copy between stages does not carry: Docker 20.10's BuildKit makes the folder a
// COPY names 0755 and keeps the modes of what is inside it (measured: e2e/BASE-IMAGES.md).
import type { ImageRef } from '../../stages.js';

/** GOPATH and WORKDIR of the golang images. */
export const GOLANG_GOPATH = '/go';

/** Folders the golang images make themselves, each with the image's mode. */
export const GOLANG_FOLDERS: readonly string[] = [GOLANG_GOPATH, `${GOLANG_GOPATH}/src`, `${GOLANG_GOPATH}/bin`];

/**
 * The Go minor version a golang image tag names (`1.15`, `1.15.15-buster`, `${GO_VERSION}-alpine`
 * with `ARG GO_VERSION=1.19`), or null when the tag does not say (`latest`, `alpine`, `bookworm`).
 */
export function goMinor(ref: ImageRef, globalArgs: ReadonlyMap<string, string | null>): number | null {
  let tag = ref.tag ?? 'latest';
  const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?(.*)$/.exec(tag);
  if (variable) tag = (globalArgs.get(variable[1]!) ?? '') + variable[2];
  const version = /^1\.(\d+)(?:[.-]|rc|beta|$)/.exec(tag);
  return version ? Number(version[1]) : null;
}

/**
 * Whether the image's Go ships its standard library compiled, with cgo on: Go 1.10 to 1.19 (1.20
 * stopped shipping it; before 1.10 no build cache kept anything between builds). A build with
 * CGO_ENABLED=0 there compiles net and everything above it again, into the build cache of its own
 * RUN layer, which a source edit throws away: measured on golang:1.15 (go-gopath), a rebuild of
 * 1.7 s took 7.7 s, and 1.1 s once `go build std` had compiled them before the sources.
 */
export function shipsCompiledStd(minor: number | null): boolean {
  return minor !== null && minor >= 10 && minor < 20;
}
