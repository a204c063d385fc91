FROM debian:bookworm
RUN apt-get update
RUN apt-get install curl
RUN apk add jq
