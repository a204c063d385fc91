# syntax=docker/dockerfile:1
FROM alpine
RUN <<EOF
echo "FROM busybox"
echo "COPY --from=0 /a /b"
EOF
FROM debian:bookworm-slim
COPY <<EOF /etc/notes
COPY --from=0 is how stage 0 is copied
EOF
COPY --from=0 /etc/os-release /etc/alpine-release
