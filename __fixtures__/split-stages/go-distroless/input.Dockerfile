FROM golang:1.22
WORKDIR /app
COPY go.mod ./
RUN go mod download
COPY . .
RUN go build -ldflags="-s -w" -o server ./cmd/server
EXPOSE 8080
CMD ["./server"]
