FROM debian:bookworm
ADD data.bin /opt/data
