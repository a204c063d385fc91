FROM debian:bookworm AS base
RUN apt-get update && apt-get install -y --no-install-recommends curl

FROM base AS tools
RUN apt-get install -y --no-install-recommends jq
