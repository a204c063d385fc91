FROM golang:1.22 AS build
ENV PORT=8080
COPY go.mod ./
RUN go mod download
COPY . .
RUN go vet ./... && CGO_ENABLED=0 go build -o server .

FROM golang:1.22 AS gopath
RUN mkdir /gopath && cp -a /go /gopath/

FROM debian:bookworm-slim AS runtime
COPY --from=gopath /gopath/ /
ENV PORT=8080
WORKDIR /go
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY go.mod ./
COPY . .
COPY --from=build /go/server /go/server
HEALTHCHECK CMD curl -f http://localhost:8080/health || exit 1
CMD ./server --port "$PORT"
