FROM golang:1.22
WORKDIR /go/src/app
COPY . .
RUN go build -o /usr/local/bin/app .
HEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1
CMD app --port 8080
