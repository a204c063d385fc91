FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends curl
COPY install-tools.sh /tmp/
RUN /tmp/install-tools.sh
