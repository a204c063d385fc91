FROM debian:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       ca-certificates \
       curl
RUN apt-get update && \
    apt-get install -y --no-install-recommends git && \
    apt-get clean
