FROM debian:bookworm
ADD rootfs /
