FROM gcc:13 AS build
WORKDIR /src
COPY . .
RUN make release

FROM debian:bookworm-slim
WORKDIR /src
COPY --from=build /src /src
CMD ["./bin/server"]
