FROM golang:1.22-bookworm AS build
ENV CGO_ENABLED=0 GOOS=linux
WORKDIR /app
COPY . .
RUN go build -o bin/api . && go vet ./...

FROM gcr.io/distroless/static-debian12 AS runtime
ENV CGO_ENABLED=0 GOOS=linux
WORKDIR /app
COPY --from=build /app /app
USER 65532
ENTRYPOINT ["/app/bin/api"]
