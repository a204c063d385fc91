# syntax=docker/dockerfile:1
FROM alpine AS stage-0
RUN <<EOF
echo "FROM busybox"
echo "COPY --from=0 /a /b"
EOF
FROM debian:bookworm-slim AS runtime
COPY <<EOF /etc/notes
COPY --from=0 is how stage 0 is copied
EOF
COPY --from=stage-0 /etc/os-release /etc/alpine-release
