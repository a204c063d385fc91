FROM rust:1.80
RUN cargo build --release
FROM debian:bookworm-slim
COPY --from=0 /target/release/app /usr/local/bin/app
