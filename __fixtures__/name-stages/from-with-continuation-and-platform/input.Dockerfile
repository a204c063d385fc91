FROM --platform=$BUILDPLATFORM \
    golang:1.22-bookworm
ARG TARGETOS TARGETARCH
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
FROM scratch
COPY --from=0 /out/app /app
