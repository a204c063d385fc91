FROM golang:1.16
WORKDIR /app
COPY . .
RUN CGO_ENABLED=0 go build -o server .
CMD ["./server"]
