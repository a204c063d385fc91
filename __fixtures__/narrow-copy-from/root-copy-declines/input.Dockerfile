FROM golang:1.22 AS build
WORKDIR /app
COPY . .
RUN go build -o server .

FROM debian:bookworm-slim
COPY --from=build / /
WORKDIR /app
CMD ["./server"]
