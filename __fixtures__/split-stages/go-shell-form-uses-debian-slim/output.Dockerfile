FROM golang:1.22 AS build
WORKDIR /go/src/app
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/app .

FROM debian:bookworm-slim AS runtime
WORKDIR /go/src/app
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /go/src/app /go/src/app
COPY --from=build /usr/local/bin/app /usr/local/bin/app
HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1
CMD app --port 8080
