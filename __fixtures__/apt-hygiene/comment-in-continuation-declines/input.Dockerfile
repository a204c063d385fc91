FROM debian:bookworm
RUN apt-get update \
    # the tools
    && apt-get install -y curl
