FROM golang:1.22 AS build
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o server .

FROM alpine:3.20 AS runtime
WORKDIR /app
COPY --from=build /app /app
CMD ["./server"]

FROM runtime AS test
RUN go test ./...
