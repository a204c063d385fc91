FROM --platform=$BUILDPLATFORM \
    golang:1.22-bookworm AS build
ARG TARGETOS TARGETARCH
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
FROM scratch AS runtime
COPY --from=build /out/app /app
