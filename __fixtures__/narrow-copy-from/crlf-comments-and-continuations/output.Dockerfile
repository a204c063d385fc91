# syntax=docker/dockerfile:1
# Build the service
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
# static binary for a scratch image
RUN CGO_ENABLED=0 \
    go build -trimpath \
      -o /src/bin/api ./cmd/api

FROM scratch AS runtime
WORKDIR /src
  COPY --from=build /src/bin/api /src/bin/api
  COPY --from=build /src/migrations /src/migrations
  COPY --from=build /src/config /src/config
USER 65534
ENTRYPOINT ["/src/bin/api"]
CMD ["--config", "config/api.yaml"]