FROM debian:bookworm
ARG PKG=curl
RUN apt-get update && apt-get install -y --no-install-recommends "$PKG" && rm -rf /var/lib/apt/lists/*
RUN $APT install curl
