FROM golang:1.22 AS build

WORKDIR /app

COPY go.mod ./
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go mod download
COPY . .

RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o server .

FROM gcr.io/distroless/static-debian12 AS runtime
WORKDIR /app
COPY --from=build /app/server /app/server
COPY --from=build /app/templates /app/templates

EXPOSE 8080

CMD ["./server"]
