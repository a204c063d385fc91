FROM golang:1.22-bookworm
ENV CGO_ENABLED=0 GOOS=linux
WORKDIR /app
COPY . .
RUN go build -o bin/api . && go vet ./...
USER 65532
ENTRYPOINT ["/app/bin/api"]
