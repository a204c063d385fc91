FROM golang:1.21
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /bin/api ./cmd/api

FROM alpine:3.19
COPY --from=0 /bin/api /bin/api
ENTRYPOINT ["/bin/api"]
