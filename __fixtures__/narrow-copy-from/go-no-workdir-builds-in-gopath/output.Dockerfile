FROM golang:1.16
# no WORKDIR: the golang image builds in /go
COPY . .
RUN CGO_ENABLED=0 go build -o server .

FROM alpine:3.14
COPY --from=0 /go/server /app/server
WORKDIR /app
EXPOSE 8080
CMD ["./server"]
