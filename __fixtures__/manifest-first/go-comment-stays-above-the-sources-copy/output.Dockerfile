FROM golang:1.19
WORKDIR /go/src/app

COPY go.mod go.sum ./
RUN go mod download

# Copy the sources and build the server
COPY . .
RUN go build -o /usr/local/bin/server ./cmd/server

CMD ["server"]
