FROM golang:1.22
ENV PORT=8080
COPY go.mod ./
RUN go mod download
COPY . .
RUN go vet ./... && go build -o server .
HEALTHCHECK CMD curl -f http://localhost:8080/health || exit 1
CMD ./server --port "$PORT"
