FROM rust:1.80 AS build
RUN cargo build --release
FROM debian:bookworm-slim AS runtime
COPY --from=build /target/release/app /usr/local/bin/app
