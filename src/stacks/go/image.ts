// What the official golang images set up that a build relies on. GOPATH is /go, and /go is also
// their WORKDIR, so a Dockerfile without a WORKDIR builds in /go. The image makes /go, /go/src and
// /go/bin with modes of its own (`chmod -R 777 "$GOPATH"` in the 1.15-era images, 1777 in later
// ones), which a copy between stages does not carry: Docker 20.10's BuildKit makes the folder a
// COPY names 0755 and keeps the modes of what is inside it (measured: e2e/BASE-IMAGES.md).

/** GOPATH and WORKDIR of the golang images. */
export const GOLANG_GOPATH = '/go';

/** Folders the golang images make themselves, each with the image's mode. */
export const GOLANG_FOLDERS: readonly string[] = [GOLANG_GOPATH, `${GOLANG_GOPATH}/src`, `${GOLANG_GOPATH}/bin`];
