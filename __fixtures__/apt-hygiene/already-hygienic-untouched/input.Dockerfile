FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get -qq install --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*
RUN apk add --no-cache curl
CMD ["bash"]
